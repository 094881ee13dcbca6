namespace EdgeVisor.Protocol;

/// <summary>
/// How to run a container workload's image: what the workload spec adds to or overrides in the image's own
/// configuration, its isolation, resources, network and health check. Everything left out takes the image's value
/// or a safe default (no extra capabilities, no devices, a read-write root file system thrown away on update).
/// </summary>
public sealed record ContainerSpec
{
    /// <summary>Replaces the image's ENTRYPOINT (null: the image's).</summary>
    public IReadOnlyList<string>? Entrypoint { get; init; }

    /// <summary>Replaces the image's CMD (null: the image's).</summary>
    public IReadOnlyList<string>? Command { get; init; }

    /// <summary>Added to the image's environment; a name the image sets too takes this value.</summary>
    public IReadOnlyDictionary<string, string> Environment { get; init; } = new Dictionary<string, string>();

    /// <summary>Absolute directory inside the container (null: the image's, else /).</summary>
    public string? WorkingDirectory { get; init; }

    /// <summary><c>uid[:gid]</c> or <c>name[:group]</c> resolved in the image's /etc/passwd and /etc/group (null: the image's, else root).</summary>
    public string? User { get; init; }

    /// <summary>The container's host name (null: the workload name).</summary>
    public string? Hostname { get; init; }

    /// <summary>Mount the image read-only; volumes and tmpfs mounts stay writable.</summary>
    public bool ReadOnlyRootfs { get; init; }

    /// <summary>Persistent directories of this workload, kept across restarts, updates and rollbacks.</summary>
    public IReadOnlyList<VolumeSpec> Volumes { get; init; } = [];

    /// <summary>Absolute paths inside the container that get an empty tmpfs at each start.</summary>
    public IReadOnlyList<string> Tmpfs { get; init; } = [];

    /// <summary>Host devices the container may use, by path: only <c>/dev/gpiochipN</c> and <c>/dev/i2c-N</c>.</summary>
    public IReadOnlyList<string> Devices { get; init; } = [];

    /// <summary>Capabilities added to the default set (e.g. <c>CAP_NET_RAW</c>).</summary>
    public IReadOnlyList<string> AddCapabilities { get; init; } = [];

    /// <summary>Capabilities removed from the default set.</summary>
    public IReadOnlyList<string> DropCapabilities { get; init; } = [];

    public ContainerLimits Limits { get; init; } = new();

    public ContainerNetwork Network { get; init; } = new();

    /// <summary>Null: healthy while running.</summary>
    public HealthCheckSpec? HealthCheck { get; init; }

    /// <summary>Signal that asks the container to stop (null: the image's STOPSIGNAL, else SIGTERM).</summary>
    public string? StopSignal { get; init; }

    /// <summary>Seconds between the stop signal and SIGKILL.</summary>
    public double StopGraceSeconds { get; init; } = 10;
}

/// <summary>A named persistent directory of the workload, mounted at <see cref="Path"/>.</summary>
public sealed record VolumeSpec
{
    /// <summary>A <see cref="Names"/>-style name; the same name in a later version is the same data.</summary>
    public required string Name { get; init; }

    /// <summary>Absolute path inside the container.</summary>
    public required string Path { get; init; }

    public bool ReadOnly { get; init; }
}

/// <summary>Resource limits enforced through the container's cgroup; null: unlimited.</summary>
public sealed record ContainerLimits
{
    public long? MemoryBytes { get; init; }

    /// <summary>CPU time per wall second, in cores (0.5 = half of one core).</summary>
    public double? Cpus { get; init; }

    /// <summary>Most processes and threads at once.</summary>
    public int? Pids { get; init; } = 1024;
}

/// <summary>How the container reaches the network (<see cref="NetworkModes"/>).</summary>
public sealed record ContainerNetwork
{
    public string Mode { get; init; } = NetworkModes.Nat;

    /// <summary>Host ports forwarded into the container (<c>nat</c> only).</summary>
    public IReadOnlyList<PortForward> Ports { get; init; } = [];

    /// <summary>The host bridge on the physical network (<c>bridged</c> only).</summary>
    public string? Bridge { get; init; }

    /// <summary>The container's own address with prefix, e.g. <c>192.168.1.50/24</c> (<c>bridged</c> only).</summary>
    public string? Address { get; init; }

    /// <summary>Default route for a bridged container (null: no default route).</summary>
    public string? Gateway { get; init; }
}

public static class NetworkModes
{
    /// <summary>Loopback only.</summary>
    public const string None = "none";

    /// <summary>The host's network namespace.</summary>
    public const string Host = "host";

    /// <summary>A private address behind the agent's bridge, masqueraded out; reachable only through <see cref="ContainerNetwork.Ports"/>.</summary>
    public const string Nat = "nat";

    /// <summary>A veth on a host bridge of the physical network with its own address.</summary>
    public const string Bridged = "bridged";
}

/// <summary>A host port forwarded to a container port.</summary>
public sealed record PortForward
{
    public required int HostPort { get; init; }

    public required int ContainerPort { get; init; }

    /// <summary><c>tcp</c> or <c>udp</c>.</summary>
    public string Protocol { get; init; } = "tcp";
}

/// <summary>One of <see cref="Exec"/> (exit 0 is healthy) or <see cref="TcpPort"/> (a connection is accepted).</summary>
public sealed record HealthCheckSpec
{
    public IReadOnlyList<string>? Exec { get; init; }

    public int? TcpPort { get; init; }

    public double IntervalSeconds { get; init; } = 10;

    public double TimeoutSeconds { get; init; } = 3;

    /// <summary>Consecutive failed probes before the container counts as unhealthy.</summary>
    public int Retries { get; init; } = 3;

    /// <summary>Probes failing within this many seconds after start do not count.</summary>
    public double StartPeriodSeconds { get; init; }
}
