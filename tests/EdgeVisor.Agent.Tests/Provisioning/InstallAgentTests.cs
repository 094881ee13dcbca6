using EdgeVisor.Testing.Processes;
using Microsoft.Extensions.Configuration;

namespace EdgeVisor.Agent.Tests.Provisioning;

/// <summary>
/// provisioning/install-agent.sh into a staging root (<c>--root DIR --no-systemctl</c>): the program, the service
/// user, the certificates with tight permissions, an agent.json the agent's options bind from, the unit; a second
/// run upgrades and keeps the configuration; bad arguments change nothing.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class InstallAgentTests(DeviceCertificatesFixture certificates) : IClassFixture<DeviceCertificatesFixture>, IDisposable
{
    private readonly StagingInstall _install = new(certificates.Ca);

    [Fact]
    public void Installs_program_user_certificates_configuration_and_unit_into_the_staging_root()
    {
        ProcessResult result = _install.Run(_install.Arguments());

        Assert.True(result.ExitCode == 0, Explain(result));
        Assert.Equal("version 1", File.ReadAllText(_install.InRoot("/opt/edgevisor/edgevisor.dll")));
        Assert.True(File.GetUnixFileMode(_install.InRoot("/opt/edgevisor/edgevisor")).HasFlag(UnixFileMode.OtherExecute), "the program is not executable");
        Assert.Equal(
            File.ReadAllText(Path.Combine(Testing.Mqtt.ProvisioningFiles.Directory, "edgevisor-agent.service")),
            File.ReadAllText(_install.InRoot("/etc/systemd/system/edgevisor-agent.service")));

        string[] passwd = File.ReadAllLines(_install.InRoot("/etc/passwd"));
        string[] group = File.ReadAllLines(_install.InRoot("/etc/group"));
        string user = Assert.Single(passwd, line => line.StartsWith("edgevisor:", StringComparison.Ordinal));
        Assert.EndsWith(":/var/lib/edgevisor:/usr/sbin/nologin", user, StringComparison.Ordinal);
        Assert.Contains(group, line => line.StartsWith("gpio:", StringComparison.Ordinal) && line.EndsWith(":edgevisor", StringComparison.Ordinal));
        Assert.Contains(group, line => line.StartsWith("i2c:", StringComparison.Ordinal) && line.EndsWith(":edgevisor", StringComparison.Ordinal));

        // The device key: owner read/write, group (edgevisor) read, nobody else; the configuration directory closed.
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead, File.GetUnixFileMode(_install.InRoot("/etc/edgevisor/certs/device.key")));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute,
            File.GetUnixFileMode(_install.InRoot("/etc/edgevisor")));
        Assert.Equal(File.ReadAllText(_install.Ca.DeviceKeyFile("dev-a")), File.ReadAllText(_install.InRoot("/etc/edgevisor/certs/device.key")));
        if (Environment.UserName == "root")
        {
            int gid = int.Parse(Assert.Single(group, line => line.StartsWith("edgevisor:", StringComparison.Ordinal)).Split(':')[2], System.Globalization.CultureInfo.InvariantCulture);
            Assert.Equal(gid, StatGroup(_install.InRoot("/etc/edgevisor/certs/device.key")));
        }

        AgentOptions options = BindAgentJson();
        Assert.Equal("dev-a", options.DeviceId);
        Assert.Equal("/var/lib/edgevisor", options.StateDirectory);
        Assert.Equal("broker.lan", options.Broker.Host);
        Assert.Equal(8884, options.Broker.Port);
        Assert.True(options.Broker.UseTls);
        Assert.Equal("/etc/edgevisor/certs/ca.pem", options.Broker.CaFile);
        Assert.Equal("/etc/edgevisor/certs/device.pem", options.Broker.CertificateFile);
        Assert.Equal("/etc/edgevisor/certs/device.key", options.Broker.KeyFile);
        string trusted = Assert.Single(options.TrustedKeys);
        Assert.Equal(File.ReadAllText(_install.TrustedKey), File.ReadAllText(_install.InRoot(trusted)));
    }

    [Fact]
    public void A_second_run_upgrades_the_program_keeps_the_previous_one_and_never_overwrites_agent_json()
    {
        Assert.Equal(0, _install.Run(_install.Arguments()).ExitCode);
        string configuration = _install.InRoot("/etc/edgevisor/agent.json");
        File.WriteAllText(configuration, File.ReadAllText(configuration).Replace("broker.lan", "edited-by-operator.lan", StringComparison.Ordinal));
        File.WriteAllText(Path.Combine(_install.Package, "edgevisor.dll"), "version 2");

        ProcessResult second = _install.Run(_install.Arguments());

        Assert.True(second.ExitCode == 0, Explain(second));
        Assert.Equal("version 2", File.ReadAllText(_install.InRoot("/opt/edgevisor/edgevisor.dll")));
        Assert.Equal("version 1", File.ReadAllText(_install.InRoot("/opt/edgevisor.previous/edgevisor.dll")));
        Assert.Equal("edited-by-operator.lan", BindAgentJson().Broker.Host);
        Assert.Contains("keeping the existing /etc/edgevisor/agent.json", ProcessRunner.AsText(second.Stdout), StringComparison.Ordinal);
        Assert.Single(File.ReadAllLines(_install.InRoot("/etc/passwd")), line => line.StartsWith("edgevisor:", StringComparison.Ordinal));
    }

    [Fact]
    public void A_tarball_package_installs_like_a_directory_and_systemctl_enables_the_unit_in_the_staging_root()
    {
        string tarball = Path.Combine(_install.Work, "edgevisor-linux-arm64.tar.gz");
        Assert.Equal(0, ProcessRunner.Run("tar", ["-czf", tarball, "-C", _install.Work, "package"], _install.Work, TimeSpan.FromSeconds(30)).ExitCode);
        List<string> arguments = _install.Arguments();
        arguments[arguments.IndexOf("--package") + 1] = tarball;
        arguments.Remove("--no-systemctl");

        ProcessResult result = _install.Run(arguments);

        Assert.True(result.ExitCode == 0, Explain(result));
        Assert.Equal("version 1", File.ReadAllText(_install.InRoot("/opt/edgevisor/edgevisor.dll")));
        string wants = _install.InRoot("/etc/systemd/system/multi-user.target.wants/edgevisor-agent.service");
        Assert.True(File.Exists(wants) || new FileInfo(wants).LinkTarget is not null, $"systemctl --root did not enable the unit:\n{Explain(result)}");
        Assert.Equal("/etc/systemd/system/edgevisor-agent.service", new FileInfo(wants).LinkTarget);
    }

    [Theory]
    [InlineData("certificate-of-another-device", 65, "has CN 'dev-b', not the device id 'dev-a'")]
    [InlineData("bad-device-id", 64, "--device-id 'dev/a' is not valid")]
    [InlineData("controller-id", 64, "--device-id 'controller' is reserved")]
    [InlineData("no-trusted-key", 64, "missing --trusted-key")]
    [InlineData("missing-package", 66, "is neither a directory nor a file")]
    [InlineData("package-without-program", 65, "has no executable 'edgevisor'")]
    [InlineData("bad-port", 64, "the port must be 1-65535")]
    [InlineData("trusted-key-not-pem", 65, "is not a PEM public key")]
    [InlineData("unknown-option", 64, "unknown argument '--frobnicate'")]
    public void Bad_arguments_stop_it_with_a_clear_error_before_anything_is_installed(string fault, int exitCode, string message)
    {
        List<string> arguments = fault switch
        {
            "certificate-of-another-device" => _install.Arguments(certificateOf: "dev-b"),
            "bad-device-id" => _install.Arguments(deviceId: "dev/a"),
            "controller-id" => _install.Arguments(deviceId: "controller"),
            _ => _install.Arguments(),
        };
        void Set(string option, string value) => arguments[arguments.IndexOf(option) + 1] = value;
        switch (fault)
        {
            case "no-trusted-key":
                arguments.RemoveRange(arguments.IndexOf("--trusted-key"), 2);
                break;
            case "missing-package":
                Set("--package", Path.Combine(_install.Work, "nowhere"));
                break;
            case "package-without-program":
                File.Delete(Path.Combine(_install.Package, "edgevisor"));
                break;
            case "bad-port":
                Set("--broker", "broker.lan:99999");
                break;
            case "trusted-key-not-pem":
                Set("--trusted-key", _install.Ca.CaFile);
                break;
            case "unknown-option":
                arguments.Add("--frobnicate");
                break;
        }

        ProcessResult result = _install.Run(arguments);

        Assert.True(result.ExitCode == exitCode, $"expected exit {exitCode}:\n{Explain(result)}");
        Assert.Contains(message, result.Stderr, StringComparison.Ordinal);
        Assert.False(Directory.Exists(_install.Root) && Directory.EnumerateFileSystemEntries(_install.Root).Any(),
            $"the staging root is not empty after a refused install: {string.Join(", ", Directory.Exists(_install.Root) ? Directory.EnumerateFileSystemEntries(_install.Root) : [])}");
    }

    public void Dispose() => _install.Dispose();

    private AgentOptions BindAgentJson()
    {
        IConfigurationRoot configuration = new ConfigurationBuilder().AddJsonFile(_install.InRoot("/etc/edgevisor/agent.json")).Build();
        return configuration.GetSection(AgentOptions.Section).Get<AgentOptions>() ?? throw new InvalidOperationException("agent.json has no Agent section");
    }

    private static int StatGroup(string path) => int.Parse(
        ProcessRunner.AsText(ProcessRunner.Run("stat", ["-c", "%g", path], "/", TimeSpan.FromSeconds(10)).Stdout).Trim(), System.Globalization.CultureInfo.InvariantCulture);

    private static string Explain(ProcessResult result) =>
        $"{result.CommandLine} exited with {result.ExitCode}\n--- stdout ---\n{ProcessRunner.AsText(result.Stdout)}\n--- stderr ---\n{result.Stderr}";
}
