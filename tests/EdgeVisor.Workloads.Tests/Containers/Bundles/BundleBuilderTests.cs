using System.Text.Json;
using EdgeVisor.Protocol;
using EdgeVisor.Workloads.Containers.Bundles;
using EdgeVisor.Workloads.Containers.Images;

namespace EdgeVisor.Workloads.Tests.Containers.Bundles;

/// <summary>What <see cref="BundleBuilder"/> writes, and what it refuses, checked on config.json itself.</summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Reliability", "CA1001", Justification = "xunit disposes the sandbox in IAsyncLifetime.DisposeAsync")]
public sealed class BundleBuilderTests : IAsyncLifetime
{
    private readonly BundleSandbox _sandbox = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _sandbox.DisposeAsync();

    [Fact]
    public void A_spec_entrypoint_drops_the_image_cmd_and_a_spec_command_keeps_the_image_entrypoint()
    {
        var image = new ImageRunConfig { Entrypoint = ["/entry", "-v"], Cmd = ["serve", "--port=80"] };

        Assert.Equal(["/entry", "-v", "serve", "--port=80"], ProcessDefaults.Args(new ContainerSpec(), image));
        Assert.Equal(["/other"], ProcessDefaults.Args(new ContainerSpec { Entrypoint = ["/other"] }, image));
        Assert.Equal(["/other", "x"], ProcessDefaults.Args(new ContainerSpec { Entrypoint = ["/other"], Command = ["x"] }, image));
        Assert.Equal(["/entry", "-v", "check"], ProcessDefaults.Args(new ContainerSpec { Command = ["check"] }, image));
        Assert.Equal(["/bin/cmd-only"], ProcessDefaults.Args(new ContainerSpec(), new ImageRunConfig { Cmd = ["/bin/cmd-only"] }));
    }

    [Fact]
    public void No_command_anywhere_is_refused_with_the_fix_and_writes_nothing()
    {
        var input = _sandbox.Input("nocmd", new ContainerSpec { Volumes = [new VolumeSpec { Name = "v", Path = "/v" }] }, BundleSandbox.Image(new ImageRunConfig { Cmd = [] }));

        var error = Assert.Throws<WorkloadStartException>(() => BundleBuilder.Write(_sandbox.BundleOf(input), input));

        Assert.Equal("container has no command: set container.command or use an image with ENTRYPOINT/CMD", error.Message);
        AssertNothingWritten(input);
    }

    [Fact]
    public void Environment_overlays_the_spec_on_the_image_in_a_stable_order_with_defaults_when_absent()
    {
        var image = new ImageRunConfig { Env = ["B=image", "A=image", "BARE"] };
        var spec = new ContainerSpec { Environment = new Dictionary<string, string> { ["Z"] = "spec", ["A"] = "spec", ["C"] = "spec" } };

        var env = ProcessDefaults.Environment(spec, image, "web", home: null);

        Assert.Equal(["B=image", "A=spec", "BARE=", "C=spec", "Z=spec", $"PATH={ProcessDefaults.DefaultPath}", "HOSTNAME=web", "HOME=/"], env);
        var error = Assert.Throws<WorkloadStartException>(() => ProcessDefaults.Environment(spec with { Environment = new Dictionary<string, string> { ["A=B"] = "x" } }, image, "web", null));
        Assert.Contains("'A=B'", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("nobody", "container user 'nobody' is not in the image's /etc/passwd")]
    [InlineData("app:staff", "container group 'staff' is not in the image's /etc/group")]
    [InlineData("app:", "container user 'app:' is not user[:group]")]
    public void An_unknown_user_or_group_is_refused_naming_it_and_writes_nothing(string user, string message)
    {
        var input = _sandbox.Input("baduser", new ContainerSpec { User = user, Command = ["/bin/true"], Volumes = [new VolumeSpec { Name = "v", Path = "/v" }] });

        var error = Assert.Throws<WorkloadStartException>(() => BundleBuilder.Write(_sandbox.BundleOf(input), input));

        Assert.Equal(message, error.Message);
        AssertNothingWritten(input);
    }

    [Theory]
    [InlineData("/dev/sda", "container device '/dev/sda' is not allowed: only /dev/gpiochipN and /dev/i2c-N can be passed to a container")]
    [InlineData("/dev/gpiochip0/../mem", "container device '/dev/gpiochip0/../mem' is not allowed: only /dev/gpiochipN and /dev/i2c-N can be passed to a container")]
    [InlineData("/dev/i2c-9876", "container device /dev/i2c-9876: No such file or directory")]
    public void A_device_that_is_not_a_present_gpio_or_i2c_device_is_refused(string device, string message)
    {
        var input = _sandbox.Input("baddev", new ContainerSpec { Devices = [device], Command = ["/bin/true"] });

        var error = Assert.Throws<WorkloadStartException>(() => BundleBuilder.Write(_sandbox.BundleOf(input), input));

        Assert.Equal(message, error.Message);
        AssertNothingWritten(input);
    }

    [Fact]
    public void Unknown_capabilities_and_bad_volume_names_are_refused()
    {
        var badCapability = _sandbox.Input("badcap", new ContainerSpec { AddCapabilities = ["CAP_TIME_TRAVEL"], Command = ["/bin/true"] });
        var badVolume = _sandbox.Input("badvol", new ContainerSpec { Volumes = [new VolumeSpec { Name = "../escape", Path = "/v" }], Command = ["/bin/true"] });

        Assert.Equal("container capability to add 'CAP_TIME_TRAVEL' is not a Linux capability (e.g. CAP_NET_RAW)",
            Assert.Throws<WorkloadStartException>(() => BundleBuilder.Write(_sandbox.BundleOf(badCapability), badCapability)).Message);
        Assert.Equal("container volume name '../escape' is not a plain name (letters, digits, '.', '_', '-')",
            Assert.Throws<WorkloadStartException>(() => BundleBuilder.Write(_sandbox.BundleOf(badVolume), badVolume)).Message);
        AssertNothingWritten(badVolume);
    }

    [Fact]
    public void Capabilities_add_and_drop_by_name_with_all_and_without_the_prefix()
    {
        // The usual least-privilege idiom: drop everything, add back the one that is needed.
        Assert.Equal(["CAP_NET_BIND_SERVICE"], CapabilitySet.Resolve(["net_bind_service"], ["all"]));
        Assert.Empty(CapabilitySet.Resolve([], ["ALL"]));
        Assert.Equal(["CAP_CHOWN", "CAP_KILL"], CapabilitySet.Resolve(["CAP_KILL"], ["DAC_OVERRIDE", "fowner", "CAP_FSETID", "SETGID", "SETUID", "SETPCAP", "NET_BIND_SERVICE", "SYS_CHROOT", "AUDIT_WRITE", "SETFCAP"]));
        Assert.Equal(41, CapabilitySet.Resolve(["ALL"], []).Count);
        Assert.DoesNotContain("CAP_NET_RAW", CapabilitySet.Resolve([], []));
    }

    [Fact]
    public void A_symlinked_passwd_resolves_inside_the_rootfs_never_on_the_host()
    {
        // The image's /etc/passwd points out of the rootfs ("../../" reaches the sandbox directory, where a
        // passwd naming "escapee" waits). Resolved inside the rootfs the link leads nowhere: escapee is unknown.
        string etc = Path.Combine(_sandbox.Rootfs, "etc");
        File.WriteAllText(Path.Combine(_sandbox.Directory, "passwd"), "escapee:x:4242:4242::/:/bin/sh\n");
        File.Delete(Path.Combine(etc, "passwd"));
        File.CreateSymbolicLink(Path.Combine(etc, "passwd"), "../../passwd");

        var error = Assert.Throws<WorkloadStartException>(() => ContainerUser.Resolve("escapee", _sandbox.Rootfs));
        Assert.Equal("container user 'escapee' is not in the image's /etc/passwd", error.Message);

        // An absolute link is taken relative to the rootfs too, as the container will see it.
        File.WriteAllText(Path.Combine(_sandbox.Rootfs, "passwd.real"), "svc:x:321:654::/srv:/bin/sh\n");
        File.Delete(Path.Combine(etc, "passwd"));
        File.CreateSymbolicLink(Path.Combine(etc, "passwd"), "/passwd.real");
        Assert.Equal(new ContainerUser(321, 654, [], "/srv") with { AdditionalGids = [] }, ContainerUser.Resolve("svc", _sandbox.Rootfs) with { AdditionalGids = [] });
    }

    [Fact]
    public void A_passwd_that_is_not_a_regular_file_is_refused_without_blocking()
    {
        string passwd = Path.Combine(_sandbox.Rootfs, "etc", "passwd");
        File.Delete(passwd);
        var made = EdgeVisor.Testing.Processes.ProcessRunner.Run("mkfifo", [passwd], "/", TimeSpan.FromSeconds(10));
        Assert.True(made.ExitCode == 0, made.Stderr);

        var error = Assert.Throws<WorkloadStartException>(() => ContainerUser.Resolve("app", _sandbox.Rootfs));

        Assert.Equal("image file /etc/passwd is not a regular file", error.Message);
    }

    [Fact]
    public void Users_resolve_by_name_number_and_group_with_memberships_as_supplementary_groups()
    {
        Assert.Equal((1000u, 1000u, "997,998", "/home/app"), Flatten(ContainerUser.Resolve("app", _sandbox.Rootfs)));
        Assert.Equal((1000u, 1000u, "997,998", "/home/app"), Flatten(ContainerUser.Resolve("1000", _sandbox.Rootfs)));
        Assert.Equal((1000u, 44u, "", "/home/app"), Flatten(ContainerUser.Resolve("app:video", _sandbox.Rootfs)));
        Assert.Equal((1u, 997u, "", "/usr/sbin"), Flatten(ContainerUser.Resolve("daemon:997", _sandbox.Rootfs)));
        Assert.Equal((0u, 0u, "", "/root"), Flatten(ContainerUser.Resolve(null, _sandbox.Rootfs)));
        Assert.Equal((777u, 0u, "", null), Flatten(ContainerUser.Resolve("777", _sandbox.Rootfs)));
    }

    [Fact]
    public void Config_json_is_runtime_spec_1_0_2_with_the_isolation_defaults()
    {
        var input = _sandbox.Input("config", new ContainerSpec { Command = ["/bin/true"], Limits = new ContainerLimits { Pids = null } });
        string bundle = _sandbox.BundleOf(input);

        BundleBuilder.Write(bundle, input);

        Assert.Equal(["config.json"], Directory.GetFileSystemEntries(bundle).Select(Path.GetFileName));
        string path = Path.Combine(bundle, "config.json");
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        }

        using var config = JsonDocument.Parse(File.ReadAllText(path));
        var root = config.RootElement;
        Assert.Equal("1.0.2", root.GetProperty("ociVersion").GetString());
        Assert.False(root.GetProperty("process").GetProperty("terminal").GetBoolean());
        Assert.True(root.GetProperty("process").GetProperty("noNewPrivileges").GetBoolean());
        Assert.Equal(500, root.GetProperty("process").GetProperty("oomScoreAdj").GetInt32());
        var nofile = root.GetProperty("process").GetProperty("rlimits")[0];
        Assert.Equal("RLIMIT_NOFILE", nofile.GetProperty("type").GetString());
        // 65536, or less when this process may not raise its own hard limit that far (no CAP_SYS_RESOURCE in CI).
        Assert.InRange(nofile.GetProperty("soft").GetUInt64(), 1024UL, 65536UL);
        Assert.Equal(nofile.GetProperty("soft").GetUInt64(), nofile.GetProperty("hard").GetUInt64());
        Assert.Equal(_sandbox.Rootfs, root.GetProperty("root").GetProperty("path").GetString());

        var linux = root.GetProperty("linux");
        Assert.Equal($"/{input.CgroupsPath}", linux.GetProperty("cgroupsPath").GetString());
        Assert.Equal(["pid", "ipc", "uts", "mount", "cgroup"], linux.GetProperty("namespaces").EnumerateArray().Select(n => n.GetProperty("type").GetString()));
        Assert.False(linux.GetProperty("resources").TryGetProperty("pids", out _));
        var deny = linux.GetProperty("resources").GetProperty("devices")[0];
        Assert.Equal((false, "rwm"), (deny.GetProperty("allow").GetBoolean(), deny.GetProperty("access").GetString()));
        Assert.Contains("/proc/kcore", linux.GetProperty("maskedPaths").EnumerateArray().Select(p => p.GetString()));
        Assert.Contains("/proc/sys", linux.GetProperty("readonlyPaths").EnumerateArray().Select(p => p.GetString()));

        var seccomp = linux.GetProperty("seccomp");
        Assert.Equal("SCMP_ACT_ERRNO", seccomp.GetProperty("defaultAction").GetString());
        string native = Platform.Host.Architecture switch { "amd64" => "SCMP_ARCH_X86_64", "arm64" => "SCMP_ARCH_AARCH64", _ => "SCMP_ARCH_ARM" };
        Assert.Equal(native, seccomp.GetProperty("architectures")[0].GetString());
        var clone3 = seccomp.GetProperty("syscalls").EnumerateArray().Single(r => r.GetProperty("names").EnumerateArray().Any(n => n.GetString() == "clone3"));
        Assert.Equal(("SCMP_ACT_ERRNO", 38), (clone3.GetProperty("action").GetString(), clone3.GetProperty("errnoRet").GetInt32()));
    }

    [Fact]
    public void The_seccomp_allow_list_never_allows_what_it_denies()
    {
        var rules = BundleDefaults.Seccomp.Syscalls;
        var allowed = rules.Where(r => r.Action == "SCMP_ACT_ALLOW" && r.Args is null).SelectMany(r => r.Names).ToList();
        var denied = rules.Where(r => r.Action == "SCMP_ACT_ERRNO").SelectMany(r => r.Names).ToHashSet();

        Assert.Equal(allowed.Count, allowed.Distinct().Count());
        Assert.DoesNotContain(allowed, denied.Contains);
        Assert.Empty(allowed.Intersect(["mount", "ptrace", "bpf", "setns", "unshare", "clone", "clone3", "kexec_load", "init_module", "keyctl"]));
        Assert.Contains("read", allowed);
        Assert.Contains("futex", allowed);
    }

    private void AssertNothingWritten(BundleInput input)
    {
        Assert.False(Directory.Exists(_sandbox.BundleOf(input)), "a refused bundle left its directory behind");
        Assert.False(Directory.Exists(_sandbox.VolumesDirectory), "a refused bundle created volume directories");
    }

    private static (uint, uint, string, string?) Flatten(ContainerUser user) => (user.Uid, user.Gid, string.Join(',', user.AdditionalGids), user.Home);
}
