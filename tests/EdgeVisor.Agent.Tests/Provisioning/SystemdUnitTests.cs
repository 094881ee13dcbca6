using EdgeVisor.Testing.Mqtt;
using EdgeVisor.Testing.Processes;

namespace EdgeVisor.Agent.Tests.Provisioning;

/// <summary>
/// provisioning/edgevisor-agent.service: systemd itself (systemd-analyze verify) finds no unknown key or bad value,
/// and the directives the agent relies on have the values its behaviour assumes.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class SystemdUnitTests
{
    private static string UnitFile => Path.Combine(ProvisioningFiles.Directory, "edgevisor-agent.service");

    [Fact]
    public void Systemd_analyze_verify_accepts_the_unit_without_a_single_warning()
    {
        string directory = Path.Combine(Path.GetTempPath(), "edgevisor-unit-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(directory);
        try
        {
            // verify also checks that ExecStart's program exists: point it at a stand-in with the same arguments.
            string program = Path.Combine(directory, "edgevisor");
            File.WriteAllText(program, "#!/bin/sh\n");
            File.SetUnixFileMode(program, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            string unit = Path.Combine(directory, "edgevisor-agent.service");
            File.WriteAllText(unit, File.ReadAllText(UnitFile).Replace("ExecStart=/opt/edgevisor/edgevisor ", $"ExecStart={program} ", StringComparison.Ordinal));

            ProcessResult result = ProcessRunner.Run("systemd-analyze", ["verify", unit], directory, TimeSpan.FromSeconds(60));

            Assert.True(result.ExitCode == 0 && result.Stderr.Length == 0 && result.Stdout.Length == 0,
                $"systemd-analyze verify complained (exit {result.ExitCode}):\n{result.Stderr}{ProcessRunner.AsText(result.Stdout)}");
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public void The_unit_runs_the_agent_as_a_notify_service_with_watchdog_restart_policy_and_device_access()
    {
        ILookup<string, string> service = Section("Service");
        ILookup<string, string> unit = Section("Unit");

        Assert.Equal(["notify"], service["Type"]);
        Assert.Equal(["main"], service["NotifyAccess"]);
        Assert.Equal(["30"], service["WatchdogSec"]);
        Assert.Equal(["/opt/edgevisor/edgevisor agent --config /etc/edgevisor/agent.json"], service["ExecStart"]);
        Assert.Equal(["on-failure"], service["Restart"]);
        Assert.Equal(["5"], service["RestartSec"]);
        Assert.NotEmpty(unit["StartLimitBurst"]);
        Assert.NotEmpty(unit["StartLimitIntervalSec"]);
        Assert.Equal([Cli.ExitCodes.BadConfiguration.ToString(System.Globalization.CultureInfo.InvariantCulture)], service["RestartPreventExitStatus"]);
        Assert.Equal(["75"], service["RestartForceExitStatus"]); // the agent's "restart me" exit (reboot-agent command)
        Assert.NotEmpty(service["TimeoutStopSec"]);
        Assert.Equal(["root"], service["User"]); // runc runs rootless (no cgroup limits, no nat) as any other user
        Assert.Equal(["edgevisor"], service["Group"]);
        Assert.Equal(["gpio i2c"], service["SupplementaryGroups"]);
        Assert.Equal(["edgevisor"], service["StateDirectory"]);
        Assert.Equal(["edgevisor"], service["ConfigurationDirectory"]);
        Assert.Contains("DOTNET_gcServer=0", service["Environment"]);

        // GPIO and I2C passthrough need the device nodes, and the container runtime needs namespaces:
        // the directives that would take them away must stay off.
        Assert.Equal(["closed"], service["DevicePolicy"]);
        Assert.Contains("char-gpiochip rwm", service["DeviceAllow"]);
        Assert.Contains("char-i2c rwm", service["DeviceAllow"]);
        Assert.Empty(service["PrivateDevices"]);
        Assert.Empty(service["RestrictNamespaces"]);
        Assert.Empty(service["MemoryDenyWriteExecute"]);
        Assert.Equal(["yes"], service["NoNewPrivileges"]);
        Assert.Equal(["strict"], service["ProtectSystem"]);
    }

    [Fact]
    public void The_unit_gives_runc_what_containers_need_and_nothing_that_breaks_them()
    {
        ILookup<string, string> service = Section("Service");

        // The control socket's directory, kept across a crash so runc's state under it survives for the clean-up.
        Assert.Equal(["edgevisor"], service["RuntimeDirectory"]);
        Assert.Equal(["0755"], service["RuntimeDirectoryMode"]);
        Assert.Equal(["yes"], service["RuntimeDirectoryPreserve"]);
        Assert.Contains("/run/netns", service["ReadWritePaths"]);

        // runc's mounts, namespaces, veths, nft rules and the containers' default capabilities.
        string[] bounding = Assert.Single(service["CapabilityBoundingSet"]).Split(' ');
        foreach (string capability in (string[])["CAP_SYS_ADMIN", "CAP_NET_ADMIN", "CAP_MKNOD", "CAP_SETUID", "CAP_SETGID", "CAP_SETPCAP", "CAP_SYS_CHROOT", "CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_KILL"])
        {
            Assert.Contains(capability, bounding);
        }

        Assert.DoesNotContain("CAP_SYS_MODULE", bounding);
        Assert.DoesNotContain("CAP_SYS_RAWIO", bounding);

        // Each of these would make runc fail: sethostname blocked, /proc/sys read-only (ip_forward), setgid directories refused.
        Assert.Empty(service["ProtectHostname"]);
        Assert.Empty(service["ProtectKernelTunables"]);
        Assert.Empty(service["RestrictSUIDSGID"]);
        Assert.Equal(["no"], service["ProtectControlGroups"]);
    }

    /// <summary>The key=value lines of one [section] (comments skipped), keys repeated as often as they appear.</summary>
    private static ILookup<string, string> Section(string name)
    {
        string? current = null;
        var pairs = new List<(string Key, string Value)>();
        foreach (string raw in File.ReadAllLines(UnitFile))
        {
            string line = raw.Trim();
            if (line.Length == 0 || line.StartsWith('#') || line.StartsWith(';'))
            {
                continue;
            }

            if (line.StartsWith('[') && line.EndsWith(']'))
            {
                current = line[1..^1];
                continue;
            }

            int equals = line.IndexOf('=', StringComparison.Ordinal);
            if (current == name && equals > 0)
            {
                pairs.Add((line[..equals].Trim(), line[(equals + 1)..].Trim()));
            }
        }

        return pairs.ToLookup(pair => pair.Key, pair => pair.Value);
    }
}
