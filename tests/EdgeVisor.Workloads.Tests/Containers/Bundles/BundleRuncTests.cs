using System.Globalization;
using EdgeVisor.Protocol;
using EdgeVisor.Testing.Processes;
using EdgeVisor.Workloads.Containers.Bundles;
using EdgeVisor.Workloads.Containers.Images;
using EdgeVisor.Workloads.Containers.Networking;

namespace EdgeVisor.Workloads.Tests.Containers.Bundles;

/// <summary>Bundles written by <see cref="BundleBuilder"/> and run by hand with the real runc: what the process gets.</summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Reliability", "CA1001", Justification = "xunit disposes the sandbox in IAsyncLifetime.DisposeAsync")]
public sealed class BundleRuncTests : IAsyncLifetime
{
    private readonly BundleSandbox _sandbox = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _sandbox.DisposeAsync();

    [Fact]
    public async Task Process_gets_the_image_defaults_overlaid_by_the_spec()
    {
        var image = BundleSandbox.Image(new ImageRunConfig
        {
            Entrypoint = ["/bin/sh", "-c"],
            Cmd = ["echo image cmd"],
            Env = ["FOO=from-image", "KEEP=kept", "PATH=/bin"],
            WorkingDir = "/srv",
            User = "daemon",
        });
        var spec = new ContainerSpec
        {
            Command = ["echo args=$0,$1; echo FOO=$FOO KEEP=$KEEP NEW=$NEW HOSTNAME=$HOSTNAME HOME=$HOME; pwd; id -u; id -g; id -G; hostname", "zero", "one"],
            Environment = new Dictionary<string, string> { ["FOO"] = "from-spec", ["NEW"] = "new value" },
            User = "app",
            Hostname = "bundle-host",
        };

        var result = await _sandbox.RunAsync(_sandbox.Input("procs", spec, image));

        string[] lines = Succeeded(result);
        Assert.Equal(
            [
                "args=zero,one",
                "FOO=from-spec KEEP=kept NEW=new value HOSTNAME=bundle-host HOME=/home/app",
                "/srv",
                "1000",
                "1000",
                "1000 997 998",
                "bundle-host",
            ],
            lines);
    }

    [Fact]
    public async Task Numeric_user_and_group_and_the_default_working_directory_and_host_name()
    {
        var spec = new ContainerSpec { Command = ["/bin/sh", "-c", "id -u; id -g; id -G; pwd; hostname"], User = "4321:44" };

        var result = await _sandbox.RunAsync(_sandbox.Input("numeric", spec));

        // uid 4321 is in no /etc/passwd entry: no supplementary groups; the workload name is the host name.
        Assert.Equal(["4321", "44", "44", "/", "numeric"], Succeeded(result));
    }

    [Fact]
    public async Task Read_only_rootfs_keeps_volumes_and_tmpfs_writable_and_volume_data_survives_the_next_run()
    {
        var spec = new ContainerSpec
        {
            ReadOnlyRootfs = true,
            Volumes = [new VolumeSpec { Name = "data", Path = "/data" }, new VolumeSpec { Name = "config", Path = "/config", ReadOnly = true }],
            Tmpfs = ["/scratch"],
            Command = ["/bin/sh", "-c", """
                touch /x 2>/dev/null && echo rootfs writable || echo rootfs read-only
                touch /config/x 2>/dev/null && echo config writable || echo config read-only
                echo kept > /data/file && echo data written
                touch /scratch/x && echo scratch written
                """],
        };

        string[] first = Succeeded(await _sandbox.RunAsync(_sandbox.Input("rofs", spec)));
        Assert.Equal(["rootfs read-only", "config read-only", "data written", "scratch written"], first);
        Assert.False(File.Exists(Path.Combine(_sandbox.Rootfs, "x")));
        Assert.Equal("kept\n", File.ReadAllText(Path.Combine(_sandbox.VolumesDirectory, "data", "file")));

        // The next container (an update, say) mounts the same volume: the data is there; the tmpfs is new.
        var second = spec with { Command = ["/bin/sh", "-c", "cat /data/file; ls /scratch | wc -l"] };
        Assert.Equal(["kept", "0"], Succeeded(await _sandbox.RunAsync(_sandbox.Input("rofs2", second))));
    }

    [Fact]
    public async Task A_new_volume_belongs_to_the_container_user()
    {
        var spec = new ContainerSpec
        {
            User = "app",
            Volumes = [new VolumeSpec { Name = "state", Path = "/var/lib/app" }],
            Command = ["/bin/sh", "-c", "echo hello > /var/lib/app/f && stat -c '%u:%g %a' /var/lib/app"],
        };

        Assert.Equal(["1000:1000 755"], Succeeded(await _sandbox.RunAsync(_sandbox.Input("volown", spec))));
    }

    [Fact]
    public async Task Capabilities_no_new_privileges_and_seccomp_are_in_force()
    {
        var spec = new ContainerSpec
        {
            AddCapabilities = ["CAP_NET_RAW", "sys_nice"],
            DropCapabilities = ["CAP_KILL", "CAP_SETFCAP"],
            Command = ["/bin/sh", "-c", "grep -E '^(CapEff|CapPrm|CapBnd|CapInh|CapAmb|NoNewPrivs|Seccomp):' /proc/self/status"],
        };

        string[] lines = Succeeded(await _sandbox.RunAsync(_sandbox.Input("caps", spec)));
        var status = lines.Select(l => l.Split(':', 2)).ToDictionary(p => p[0], p => p[1].Trim());

        ulong expected = Mask("CHOWN", "DAC_OVERRIDE", "FOWNER", "FSETID", "SETGID", "SETUID", "SETPCAP", "NET_BIND_SERVICE",
            "NET_RAW", "SYS_CHROOT", "SYS_NICE", "AUDIT_WRITE");
        Assert.Equal(expected.ToString("x16", CultureInfo.InvariantCulture), status["CapEff"]);
        Assert.Equal(expected.ToString("x16", CultureInfo.InvariantCulture), status["CapPrm"]);
        Assert.Equal(expected.ToString("x16", CultureInfo.InvariantCulture), status["CapBnd"]);
        Assert.Equal("0000000000000000", status["CapInh"]);
        Assert.Equal("0000000000000000", status["CapAmb"]);
        Assert.Equal("1", status["NoNewPrivs"]);
        Assert.Equal("2", status["Seccomp"]); // 2 = SECCOMP_MODE_FILTER
    }

    [Fact]
    public async Task A_syscall_outside_the_allow_list_is_refused_by_seccomp_alone()
    {
        // adjtimex(2) with no mode bits only reads the kernel clock's state: it needs no capability, so without the
        // filter busybox's adjtimex applet succeeds, and the only thing that can refuse it is seccomp. The same bundle
        // is run without linux.seccomp as the control. unshare -U (a user namespace, also capability-free) checks the
        // argument filter on namespace flags the same way.
        var spec = new ContainerSpec { Command = ["/bin/sh", "-c", "adjtimex >/dev/null && echo adjtimex ok; unshare -U true && echo unshare ok; true"] };

        var filtered = await _sandbox.RunAsync(_sandbox.Input("seccomp", spec));
        var unfiltered = await _sandbox.RunAsync(_sandbox.Input("noseccomp", spec), config => config["linux"]!.AsObject().Remove("seccomp"));

        Assert.Equal(["adjtimex ok", "unshare ok"], Succeeded(unfiltered));
        Assert.Empty(Succeeded(filtered));
        Assert.Contains("Operation not permitted", filtered.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Masked_paths_are_empty_and_sys_and_proc_sys_are_read_only()
    {
        // The masked files this kernel has and that are not empty on the host (which ones exist depends on its
        // configuration; /proc/timer_list is in every kernel with timers, i.e. all of them).
        string[] files = [.. BundleDefaults.Paths.Masked.Where(p => File.Exists(p) && HostFileHasContent(p))];
        Assert.Contains("/proc/timer_list", files);
        var spec = new ContainerSpec
        {
            Command = ["/bin/sh", "-c", $"""
                for p in {string.Join(' ', files)}; do echo "$p=$(wc -c < $p)"; done
                echo firmware=$(ls /sys/firmware | wc -l)
                mkdir /sys/fs/x 2>&1
                (echo 1 > /proc/sys/kernel/ns_last_pid) 2>&1
                true
                """],
        };

        string[] lines = Succeeded(await _sandbox.RunAsync(_sandbox.Input("masked", spec)));

        Assert.Equal([.. files.Select(f => $"{f}=0"), "firmware=0"], lines[..(files.Length + 1)]);
        Assert.Equal(files.Length + 3, lines.Length);
        Assert.EndsWith("'/sys/fs/x': Read-only file system", lines[^2], StringComparison.Ordinal);
        Assert.EndsWith("/proc/sys/kernel/ns_last_pid: Read-only file system", lines[^1], StringComparison.Ordinal);
    }

    private static bool HostFileHasContent(string path)
    {
        try
        {
            using var stream = File.OpenRead(path);
            return stream.ReadByte() >= 0;
        }
        catch (IOException)
        {
            return false;
        }
        catch (UnauthorizedAccessException)
        {
            return false;
        }
    }

    [Fact]
    public async Task Pids_memory_and_cpu_limits_are_set_on_the_container_cgroup_and_the_pids_limit_holds()
    {
        // Inside, the container sees its own cgroup as the root of each hierarchy (cgroup namespace): v1 files on this
        // machine's hybrid layout, v2 files on a Pi's unified one. From the host, the cgroup is at cgroupsPath below
        // each hierarchy's root, which the test reads while the container sleeps at the start.
        var spec = new ContainerSpec
        {
            Limits = new ContainerLimits { MemoryBytes = 64L * 1024 * 1024, Cpus = 0.5, Pids = 6 },
            Command = ["/bin/sh", "-c", """
                sleep 2
                cat /sys/fs/cgroup/pids/pids.max 2>/dev/null || cat /sys/fs/cgroup/pids.max
                cat /sys/fs/cgroup/memory/memory.limit_in_bytes 2>/dev/null || cat /sys/fs/cgroup/memory.max
                cat /sys/fs/cgroup/memory/memory.memsw.limit_in_bytes 2>/dev/null || cat /sys/fs/cgroup/memory.swap.max
                cat /sys/fs/cgroup/cpu/cpu.cfs_quota_us 2>/dev/null || cat /sys/fs/cgroup/cpu.max
                # A fork that fails is fatal to busybox sh: the loop runs in a subshell, whose sleeps outlive it.
                (i=0; while [ $i -lt 12 ]; do sleep 3 & i=$((i+1)); done)
                read current 2>/dev/null < /sys/fs/cgroup/pids/pids.current || read current < /sys/fs/cgroup/pids.current
                echo current=$current
                """],
        };

        var input = _sandbox.Input("limits", spec);
        Task<ProcessResult> running = _sandbox.RunAsync(input);
        bool unified = File.Exists("/sys/fs/cgroup/cgroup.controllers");
        string pidsCgroup = unified ? $"/sys/fs/cgroup/{input.CgroupsPath}" : $"/sys/fs/cgroup/pids/{input.CgroupsPath}";
        string memoryCgroup = unified ? $"/sys/fs/cgroup/{input.CgroupsPath}" : $"/sys/fs/cgroup/memory/{input.CgroupsPath}";
        // runc makes the cgroup, moves its init in and sets the limits just before the container's command runs.
        string hostPids = await ReadOnceSetAsync(Path.Combine(pidsCgroup, "pids.max"), "max", running);
        string hostMemory = await ReadOnceSetAsync(Path.Combine(memoryCgroup, unified ? "memory.max" : "memory.limit_in_bytes"), unified ? "max" : "9223372036854771712", running);
        var result = await running;

        Assert.Equal("6", hostPids);
        Assert.Equal("67108864", hostMemory);
        string[] lines = result.Stdout.Length > 0 ? ProcessRunner.AsText(result.Stdout).Split('\n', StringSplitOptions.RemoveEmptyEntries) : [];
        Assert.True(lines.Length == 5, $"{result.CommandLine} printed: {ProcessRunner.AsText(result.Stdout)} / {result.Stderr}");
        Assert.Equal("6", lines[0]);
        Assert.Equal((64L * 1024 * 1024).ToString(CultureInfo.InvariantCulture), lines[1]);
        Assert.True(lines[2] is "67108864" or "0", $"memory+swap limit {lines[2]}: the container could swap past its memory limit");
        Assert.True(lines[3] is "50000" or "50000 100000", $"cpu quota {lines[3]}");
        int processes = int.Parse(lines[4]["current=".Length..], CultureInfo.InvariantCulture);
        Assert.True(processes <= 6, $"{processes} processes ran in a container limited to 6");
        Assert.Contains("fork", result.Stderr, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Only_the_declared_device_is_in_the_container()
    {
        int number = Random.Shared.Next(200, 226);
        string declared = await _sandbox.AddStandInGpioChipAsync(number);
        string undeclared = await _sandbox.AddStandInGpioChipAsync(number + 25);
        var spec = new ContainerSpec
        {
            Devices = [declared],
            Command = ["/bin/sh", "-c", $"""
                stat -c '%F %t:%T %a' {declared}
                echo pulse > {declared} && echo written
                [ -e {undeclared} ] && echo undeclared present || echo undeclared absent
                [ -e /dev/mem ] && echo mem present || echo mem absent
                """],
        };

        Assert.Equal(["character special file 1:3 660", "written", "undeclared absent", "mem absent"], Succeeded(await _sandbox.RunAsync(_sandbox.Input("devices", spec))));
    }

    [Fact]
    public async Task The_container_joins_the_network_namespace_it_is_given_or_stays_in_the_hosts()
    {
        string netns = await _sandbox.AddNetworkNamespaceAsync();
        var attachment = _sandbox.HostNetwork with { Mode = NetworkModes.Nat, NamespacePath = netns, Address = "10.89.0.2" };
        var spec = new ContainerSpec { Command = ["/bin/sh", "-c", "readlink /proc/self/ns/net; cat /proc/sys/net/ipv4/ip_unprivileged_port_start; cat /etc/resolv.conf"] };

        string[] own = Succeeded(await _sandbox.RunAsync(_sandbox.Input("netns", spec, network: attachment)));
        string[] host = Succeeded(await _sandbox.RunAsync(_sandbox.Input("hostnet", spec with { Command = ["/bin/sh", "-c", "readlink /proc/self/ns/net"] })));

        Assert.Equal($"net:[{Inode(netns)}]", own[0]);
        Assert.Equal("0", own[1]);
        Assert.Equal("nameserver 192.0.2.53", own[2]);
        Assert.Equal($"net:[{Inode("/proc/self/ns/net")}]", host[0]);
    }

    /// <summary>
    /// A cgroup file's value once it differs from the kernel's default (the runtime has set it), failing if the
    /// container ends first; the container sleeps for two seconds at the start to leave time to look.
    /// </summary>
    private static async Task<string> ReadOnceSetAsync(string path, string unset, Task<ProcessResult> container)
    {
        while (true)
        {
            string? value = File.Exists(path) ? File.ReadAllText(path).Trim() : null;
            if (value is not null && value != unset)
            {
                return value;
            }

            Assert.False(container.IsCompleted, $"the container ended with {path} at '{value ?? "(missing)"}': {(container.IsCompleted ? container.Result.Stderr : "")}");
            await Task.Delay(20);
        }
    }

    private static ulong Mask(params string[] names) => names.Aggregate(0UL, (mask, name) => mask | (1UL << CapabilityNumbers[name]));

    private static readonly Dictionary<string, int> CapabilityNumbers = new()
    {
        ["CHOWN"] = 0, ["DAC_OVERRIDE"] = 1, ["FOWNER"] = 3, ["FSETID"] = 4, ["KILL"] = 5, ["SETGID"] = 6, ["SETUID"] = 7,
        ["SETPCAP"] = 8, ["NET_BIND_SERVICE"] = 10, ["NET_RAW"] = 13, ["SYS_CHROOT"] = 18, ["SYS_NICE"] = 23,
        ["AUDIT_WRITE"] = 29, ["SETFCAP"] = 31,
    };

    private static string Inode(string path)
    {
        var result = ProcessRunner.Run("stat", ["-L", "-c", "%i", path], "/", TimeSpan.FromSeconds(10));
        Assert.True(result.ExitCode == 0, result.Stderr);
        return ProcessRunner.AsText(result.Stdout).Trim();
    }

    /// <summary>The output lines of a run that exited 0 (with everything it printed in the failure message otherwise).</summary>
    private static string[] Succeeded(ProcessResult result)
    {
        string stdout = ProcessRunner.AsText(result.Stdout);
        Assert.True(result.ExitCode == 0, $"{result.CommandLine} exited {result.ExitCode?.ToString(CultureInfo.InvariantCulture) ?? "(timed out)"}: {stdout}\n{result.Stderr}");
        return stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
    }
}
