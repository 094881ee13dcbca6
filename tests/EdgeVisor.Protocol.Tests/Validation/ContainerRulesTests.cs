namespace EdgeVisor.Protocol.Tests.Validation;

/// <summary>
/// The container rules: a container workload broken in one place is Invalid, and the one-line message starts with
/// that place's JSON path; every valid variation passes.
/// </summary>
public class ContainerRulesTests
{
    private static readonly HashSet<string> Kinds = [WorkloadKinds.Firmware, WorkloadKinds.Container];

    /// <summary>Each case breaks <see cref="Documents.Container"/> in one place; the value is the message's start.</summary>
    private static readonly Dictionary<string, (Func<ContainerSpec, ContainerSpec> Break, string Message)> Broken = new()
    {
        ["entrypoint null entry"] = (c => c with { Entrypoint = ["sh", null!] }, "workloads[0].container.entrypoint[1]: null is not allowed here"),
        ["command NUL"] = (c => c with { Command = ["echo", "a\0b"] }, "workloads[0].container.command[1]: contains a NUL character"),
        ["environment name with a dash"] = (c => c with { Environment = new Dictionary<string, string> { ["LOG-LEVEL"] = "x" } }, "workloads[0].container.environment: 'LOG-LEVEL' is not a variable name"),
        ["environment name starting with a digit"] = (c => c with { Environment = new Dictionary<string, string> { ["1A"] = "x" } }, "workloads[0].container.environment: '1A' is not a variable name"),
        ["relative working directory"] = (c => c with { WorkingDirectory = "srv" }, "workloads[0].container.workingDirectory: 'srv' is not an absolute path"),
        ["working directory with .."] = (c => c with { WorkingDirectory = "/srv/../etc" }, "workloads[0].container.workingDirectory: '/srv/../etc' must not contain '..'"),
        ["user with two colons"] = (c => c with { User = "1000:1000:1" }, "workloads[0].container.user: '1000:1000:1' is not a user"),
        ["hostname with underscore"] = (c => c with { Hostname = "web_1" }, "workloads[0].container.hostname: 'web_1' is not a host name"),
        ["volume path relative"] = (c => c with { Volumes = [new VolumeSpec { Name = "data", Path = "data" }] }, "workloads[0].container.volumes[0].path: 'data' is not an absolute path"),
        ["volume path .."] = (c => c with { Volumes = [new VolumeSpec { Name = "data", Path = "/srv/../../etc" }] }, "workloads[0].container.volumes[0].path: '/srv/../../etc' must not contain '..'"),
        ["volume at /"] = (c => c with { Volumes = [new VolumeSpec { Name = "data", Path = "/" }] }, "workloads[0].container.volumes[0].path: '/' cannot be mounted over"),
        ["volume at // "] = (c => c with { Volumes = [new VolumeSpec { Name = "data", Path = "//" }] }, "workloads[0].container.volumes[0].path: '/' cannot be mounted over"),
        ["volume name with a slash"] = (c => c with { Volumes = [new VolumeSpec { Name = "a/b", Path = "/a" }] }, "workloads[0].container.volumes[0].name: 'a/b' is not a valid volume name"),
        ["volume names twice"] = (c => c with { Volumes = [new VolumeSpec { Name = "data", Path = "/a" }, new VolumeSpec { Name = "data", Path = "/b" }] }, "workloads[0].container.volumes[1].name: 'data' is already the name of volumes[0]"),
        ["volume paths twice"] = (c => c with { Volumes = [new VolumeSpec { Name = "a", Path = "/srv/x" }, new VolumeSpec { Name = "b", Path = "/srv/x/" }] }, "workloads[0].container.volumes[1].path: '/srv/x/' is already mounted by volumes[0]"),
        ["tmpfs over a volume"] = (c => c with { Tmpfs = ["/srv/data"] }, "workloads[0].container.tmpfs[0]: '/srv/data' is already mounted by volumes[0]"),
        ["tmpfs relative"] = (c => c with { Tmpfs = ["tmp"] }, "workloads[0].container.tmpfs[0]: 'tmp' is not an absolute path"),
        ["device not gpio or i2c"] = (c => c with { Devices = ["/dev/sda"] }, "workloads[0].container.devices[0]: '/dev/sda' is not a device this agent passes"),
        ["device path trick"] = (c => c with { Devices = ["/dev/gpiochip0/../sda"] }, "workloads[0].container.devices[0]: '/dev/gpiochip0/../sda' is not a device"),
        ["device twice"] = (c => c with { Devices = ["/dev/i2c-1", "/dev/i2c-1"] }, "workloads[0].container.devices[1]: '/dev/i2c-1' is listed twice"),
        ["capability lowercase"] = (c => c with { AddCapabilities = ["cap_net_raw"] }, "workloads[0].container.addCapabilities[0]: 'cap_net_raw' is not a capability name"),
        ["capability without prefix"] = (c => c with { DropCapabilities = ["NET_RAW"] }, "workloads[0].container.dropCapabilities[0]: 'NET_RAW' is not a capability name"),
        ["memory below 4 MiB"] = (c => c with { Limits = new ContainerLimits { MemoryBytes = 4L * 1024 * 1024 - 1 } }, "workloads[0].container.limits.memoryBytes: 4194303 is less than the smallest limit"),
        ["cpus zero"] = (c => c with { Limits = new ContainerLimits { Cpus = 0 } }, "workloads[0].container.limits.cpus: 0 is not a CPU limit"),
        ["cpus too many"] = (c => c with { Limits = new ContainerLimits { Cpus = 1025 } }, "workloads[0].container.limits.cpus: 1025 is not a CPU limit"),
        ["cpus NaN"] = (c => c with { Limits = new ContainerLimits { Cpus = double.NaN } }, "workloads[0].container.limits.cpus: NaN is not a CPU limit"),
        ["pids zero"] = (c => c with { Limits = new ContainerLimits { Pids = 0 } }, "workloads[0].container.limits.pids: 0 is not a process limit"),
        ["unknown network mode"] = (c => c with { Network = new ContainerNetwork { Mode = "macvlan" } }, "workloads[0].container.network.mode: 'macvlan' is not a network mode (bridged, host, nat, none)"),
        ["ports with host mode"] = (c => c with { Network = c.Network with { Mode = NetworkModes.Host } }, "workloads[0].container.network.ports: ports are forwarded only with mode 'nat', not 'host'"),
        ["host port 0"] = (c => c with { Network = new ContainerNetwork { Ports = [new PortForward { HostPort = 0, ContainerPort = 80 }] } }, "workloads[0].container.network.ports[0].hostPort: 0 is not a port (1-65535)"),
        ["container port too big"] = (c => c with { Network = new ContainerNetwork { Ports = [new PortForward { HostPort = 80, ContainerPort = 65536 }] } }, "workloads[0].container.network.ports[0].containerPort: 65536 is not a port"),
        ["port protocol sctp"] = (c => c with { Network = new ContainerNetwork { Ports = [new PortForward { HostPort = 80, ContainerPort = 80, Protocol = "sctp" }] } }, "workloads[0].container.network.ports[0].protocol: 'sctp' is not tcp or udp"),
        ["host port twice"] = (c => c with { Network = new ContainerNetwork { Ports = [new PortForward { HostPort = 80, ContainerPort = 80 }, new PortForward { HostPort = 80, ContainerPort = 81 }] } }, "workloads[0].container.network.ports[1].hostPort: tcp port 80 is already forwarded by ports[0]"),
        ["bridged without bridge"] = (c => c with { Network = new ContainerNetwork { Mode = NetworkModes.Bridged, Address = "192.168.1.50/24" } }, "workloads[0].container.network.bridge: required for mode 'bridged'"),
        ["bridged bridge name too long"] = (c => c with { Network = new ContainerNetwork { Mode = NetworkModes.Bridged, Bridge = "a-very-long-bridge", Address = "192.168.1.50/24" } }, "workloads[0].container.network.bridge: 'a-very-long-bridge' is not a network interface name"),
        ["bridged without address"] = (c => c with { Network = new ContainerNetwork { Mode = NetworkModes.Bridged, Bridge = "br0" } }, "workloads[0].container.network.address: required for mode 'bridged'"),
        ["bridged address without prefix"] = (c => c with { Network = new ContainerNetwork { Mode = NetworkModes.Bridged, Bridge = "br0", Address = "192.168.1.50" } }, "workloads[0].container.network.address: '192.168.1.50' is not an IPv4 address with a prefix length"),
        ["bridged address IPv6"] = (c => c with { Network = new ContainerNetwork { Mode = NetworkModes.Bridged, Bridge = "br0", Address = "fd00::5/64" } }, "workloads[0].container.network.address: 'fd00::5/64' is not an IPv4 address"),
        ["bridged address short form"] = (c => c with { Network = new ContainerNetwork { Mode = NetworkModes.Bridged, Bridge = "br0", Address = "10.5/8" } }, "workloads[0].container.network.address: '10.5/8' is not an IPv4 address"),
        ["bridged prefix 33"] = (c => c with { Network = new ContainerNetwork { Mode = NetworkModes.Bridged, Bridge = "br0", Address = "192.168.1.50/33" } }, "workloads[0].container.network.address: '192.168.1.50/33' is not an IPv4 address"),
        ["bridged gateway not IPv4"] = (c => c with { Network = new ContainerNetwork { Mode = NetworkModes.Bridged, Bridge = "br0", Address = "192.168.1.50/24", Gateway = "router" } }, "workloads[0].container.network.gateway: 'router' is not an IPv4 address"),
        ["bridged gateway elsewhere"] = (c => c with { Network = new ContainerNetwork { Mode = NetworkModes.Bridged, Bridge = "br0", Address = "192.168.1.50/24", Gateway = "192.168.2.1" } }, "workloads[0].container.network.gateway: 192.168.2.1 is not in the network of 192.168.1.50/24"),
        ["bridged address leading zero"] = (c => c with { Network = new ContainerNetwork { Mode = NetworkModes.Bridged, Bridge = "br0", Address = "192.168.010.5/24" } }, "workloads[0].container.network.address: '192.168.010.5/24' is not an IPv4 address"),
        ["bridged prefix 0"] = (c => c with { Network = new ContainerNetwork { Mode = NetworkModes.Bridged, Bridge = "br0", Address = "192.168.1.50/0" } }, "workloads[0].container.network.address: '192.168.1.50/0' is not an IPv4 address"),
        ["bridged address null"] = (c => c with { Network = new ContainerNetwork { Mode = NetworkModes.Bridged, Bridge = "br0", Address = null } }, "workloads[0].container.network.address: required for mode 'bridged'"),
        ["bridged network address"] = (c => c with { Network = new ContainerNetwork { Mode = NetworkModes.Bridged, Bridge = "br0", Address = "192.168.7.0/24" } }, "workloads[0].container.network.address: 192.168.7.0/24 is the network or broadcast address of its subnet"),
        ["bridged broadcast address"] = (c => c with { Network = new ContainerNetwork { Mode = NetworkModes.Bridged, Bridge = "br0", Address = "192.168.7.255/24" } }, "workloads[0].container.network.address: 192.168.7.255/24 is the network or broadcast address of its subnet"),
        ["bridged gateway short form"] = (c => c with { Network = new ContainerNetwork { Mode = NetworkModes.Bridged, Bridge = "br0", Address = "192.168.1.50/24", Gateway = "192.168.1" } }, "workloads[0].container.network.gateway: '192.168.1' is not an IPv4 address"),
        ["bridged gateway is the address"] = (c => c with { Network = new ContainerNetwork { Mode = NetworkModes.Bridged, Bridge = "br0", Address = "192.168.1.50/24", Gateway = "192.168.1.50" } }, "workloads[0].container.network.gateway: 192.168.1.50 is the container's own address"),
        ["bridge with nat"] = (c => c with { Network = new ContainerNetwork { Bridge = "br0" } }, "workloads[0].container.network.bridge: only with mode 'bridged', not 'nat'"),
        ["gateway with host"] = (c => c with { Network = new ContainerNetwork { Mode = NetworkModes.Host, Ports = [], Gateway = "10.0.0.1" } }, "workloads[0].container.network.gateway: only with mode 'bridged', not 'host'"),
        ["ports with bridged"] = (c => c with { Network = new ContainerNetwork { Mode = NetworkModes.Bridged, Bridge = "br0", Address = "192.168.1.50/24", Ports = [new PortForward { HostPort = 80, ContainerPort = 80 }] } }, "workloads[0].container.network.ports: ports are forwarded only with mode 'nat', not 'bridged'"),
        ["address with nat"] = (c => c with { Network = new ContainerNetwork { Address = "10.0.0.5/24" } }, "workloads[0].container.network.address: only with mode 'bridged', not 'nat'"),
        ["health check with both probes"] = (c => c with { HealthCheck = new HealthCheckSpec { TcpPort = 80, Exec = ["true"] } }, "workloads[0].container.healthCheck: name exactly one probe"),
        ["health check with no probe"] = (c => c with { HealthCheck = new HealthCheckSpec() }, "workloads[0].container.healthCheck: name exactly one probe"),
        ["health check empty exec"] = (c => c with { HealthCheck = new HealthCheckSpec { Exec = [] } }, "workloads[0].container.healthCheck.exec: the command is empty"),
        ["health check tcp port 0"] = (c => c with { HealthCheck = new HealthCheckSpec { TcpPort = 0 } }, "workloads[0].container.healthCheck.tcpPort: 0 is not a port"),
        ["health check tcp without network"] = (c => c with { Network = new ContainerNetwork { Mode = NetworkModes.None } }, "workloads[0].container.healthCheck.tcpPort: a TCP probe cannot reach a container with network mode 'none'"),
        ["health check interval 0"] = (c => c with { HealthCheck = c.HealthCheck! with { IntervalSeconds = 0 } }, "workloads[0].container.healthCheck.intervalSeconds: 0 is not a duration"),
        ["health check timeout negative"] = (c => c with { HealthCheck = c.HealthCheck! with { TimeoutSeconds = -1 } }, "workloads[0].container.healthCheck.timeoutSeconds: -1 is not a duration"),
        ["health check retries 0"] = (c => c with { HealthCheck = c.HealthCheck! with { Retries = 0 } }, "workloads[0].container.healthCheck.retries: 0 is not a count"),
        ["stop grace over an hour"] = (c => c with { StopGraceSeconds = 3601 }, "workloads[0].container.stopGraceSeconds: 3601 is not a grace in seconds (0 to 3600)"),
        ["stop grace negative"] = (c => c with { StopGraceSeconds = -1 }, "workloads[0].container.stopGraceSeconds: -1 is not a grace"),
        ["stop signal unknown name"] = (c => c with { StopSignal = "SIGWINCH" }, "workloads[0].container.stopSignal: 'SIGWINCH' is not a signal"),
        ["stop signal 65"] = (c => c with { StopSignal = "65" }, "workloads[0].container.stopSignal: '65' is not a signal"),
    };

    public static TheoryData<string> BrokenCases => new(Broken.Keys);

    [Theory]
    [MemberData(nameof(BrokenCases))]
    public void A_container_broken_in_one_place_is_invalid_naming_the_place(string @case)
    {
        var (breakIt, message) = Broken[@case];
        var workload = Documents.Container();

        AssertInvalid(workload with { Container = breakIt(workload.Container!) }, message);
    }

    [Fact]
    public void A_valid_container_passes_unchanged()
    {
        var state = Documents.Desired(Documents.Container());

        var checkedState = DesiredStateRules.Check(state, Kinds);

        Assert.Equal(Documents.Text(ProtocolJson.Serialize(state)), Documents.Text(ProtocolJson.Serialize(checkedState)));
    }

    [Fact]
    public void Every_valid_variation_passes()
    {
        var valid = new Func<ContainerSpec, ContainerSpec>[]
        {
            c => new ContainerSpec(),
            c => c with { Entrypoint = [], Command = [""] },
            c => c with { WorkingDirectory = "/", User = "1000:1000", Hostname = "web-1.greenhouse" },
            c => c with { User = "app:staff", Devices = ["/dev/gpiochip0", "/dev/i2c-1"], AddCapabilities = ["CAP_NET_RAW"], DropCapabilities = ["CAP_CHOWN"] },
            c => c with { Limits = new ContainerLimits { MemoryBytes = 4L * 1024 * 1024, Cpus = 1024, Pids = 1 } },
            c => c with { Limits = new ContainerLimits { Pids = null } },
            c => c with { Network = new ContainerNetwork { Mode = NetworkModes.None }, HealthCheck = new HealthCheckSpec { Exec = ["pidof", "httpd"] } },
            c => c with { Network = new ContainerNetwork { Mode = NetworkModes.Host } },
            c => c with { Network = new ContainerNetwork { Mode = NetworkModes.Bridged, Bridge = "br0", Address = "192.168.1.50/24", Gateway = "192.168.1.1" }, HealthCheck = null },
            c => c with { Network = new ContainerNetwork { Mode = NetworkModes.Bridged, Bridge = "br-lan.10", Address = "10.1.2.3/8" } },
            c => c with { Network = new ContainerNetwork { Mode = NetworkModes.Bridged, Bridge = "br0", Address = "192.168.1.0/31", Gateway = "192.168.1.1" }, HealthCheck = null },
            c => c with { Network = new ContainerNetwork { Mode = NetworkModes.Bridged, Bridge = "br0", Address = "192.168.1.255/32" }, HealthCheck = null },
            c => c with { Network = new ContainerNetwork { Ports = [new PortForward { HostPort = 53, ContainerPort = 53 }, new PortForward { HostPort = 53, ContainerPort = 53, Protocol = "udp" }] } },
            c => c with { StopSignal = "SIGINT", StopGraceSeconds = 0 },
            c => c with { StopSignal = "15", StopGraceSeconds = 3600 },
        };

        foreach (var variation in valid)
        {
            var workload = Documents.Container();
            var state = Documents.Desired(workload with { Container = variation(workload.Container!) });
            Assert.Equal(WorkloadKinds.Container, DesiredStateRules.Check(state, Kinds).Workloads[0].Kind);
        }
    }

    [Fact]
    public void A_container_workload_needs_a_container_section()
    {
        AssertInvalid(Documents.Container() with { Container = null }, "workloads[0].container: required for kind 'container'");
    }

    [Fact]
    public void A_container_section_on_a_firmware_workload_is_invalid()
    {
        AssertInvalid(Documents.Firmware() with { Container = new ContainerSpec() }, "workloads[0].container: only for kind 'container', not 'firmware'");
    }

    [Theory]
    [InlineData("oci://registry.example/web")]
    [InlineData("oci://127.0.0.1:5000/library/busybox:1.36")]
    [InlineData("oci://localhost:5000/a/b/c@sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08")]
    [InlineData("https://artifacts.example/web.oci.tar")]
    [InlineData("file:///var/lib/images/web.tar")]
    [InlineData("/var/lib/images/web.tar")]
    public void Images_come_from_a_registry_or_a_tarball(string url)
    {
        var workload = Documents.Container() with { Artifact = new ArtifactRef { Url = url, Sha256 = Documents.Sha.ToUpperInvariant() } };

        var checkedWorkload = DesiredStateRules.Check(Documents.Desired(workload), Kinds).Workloads[0];

        Assert.Equal(Documents.Sha, checkedWorkload.Artifact.Sha256);
    }

    [Theory]
    [InlineData("oci://")]
    [InlineData("oci://registry.example")]
    [InlineData("oci://registry.example/")]
    [InlineData("oci:///web")]
    [InlineData("oci://registry.example/:tag")]
    [InlineData("oci://registry.example//web")]
    [InlineData("oci://registry.example/web app")]
    public void An_image_reference_needs_a_host_and_a_repository(string url)
    {
        var workload = Documents.Container() with { Artifact = new ArtifactRef { Url = url, Sha256 = Documents.Sha } };

        AssertInvalid(workload, $"workloads[0].artifact.url: '{url}' is not an image reference (oci://host[:port]/repository[:tag])");
    }

    [Theory]
    [InlineData("docker://registry.example/web")]
    [InlineData("registry.example/web:1")]
    [InlineData("ftp://artifacts.example/web.tar")]
    public void Other_image_locations_are_invalid(string url)
    {
        var workload = Documents.Container() with { Artifact = new ArtifactRef { Url = url, Sha256 = Documents.Sha } };

        AssertInvalid(workload, $"workloads[0].artifact.url: '{url}' is neither an oci:// image reference nor");
    }

    [Fact]
    public void A_firmware_artifact_may_not_be_an_image_reference()
    {
        var firmware = Documents.Firmware() with { Artifact = new ArtifactRef { Url = "oci://registry.example/web", Sha256 = Documents.Sha } };

        AssertInvalid(firmware, "workloads[0].artifact.url: 'oci://registry.example/web' is not an http://");
    }

    [Fact]
    public void The_second_workload_is_named_in_the_path()
    {
        var second = Documents.Container("b") with { Container = Documents.Container().Container! with { Tmpfs = ["tmp"] } };

        var e = Assert.Throws<ProtocolException>(() => DesiredStateRules.Check(Documents.Desired(Documents.Container("a"), second), Kinds));

        Assert.Equal("workloads[1].container.tmpfs[0]: 'tmp' is not an absolute path inside the container", e.Message);
    }

    private static void AssertInvalid(WorkloadSpec workload, string messageStart)
    {
        var e = Assert.Throws<ProtocolException>(() => DesiredStateRules.Check(Documents.Desired(workload), Kinds));
        Assert.Equal(RejectionReason.Invalid, e.Reason);
        Assert.StartsWith(messageStart, e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', e.Message);
    }
}
