using EdgeVisor.Workloads.Containers.Registry;

namespace EdgeVisor.Workloads.Containers;

/// <summary>
/// How this device runs containers: section <c>Agent:Containers</c> of the agent's configuration. The defaults fit
/// a Raspberry Pi running the agent as root under systemd.
/// </summary>
public sealed class ContainerOptions
{
    /// <summary>The OCI runtime binary: a path, or a name looked up on PATH (<c>runc</c>, <c>crun</c>).</summary>
    public string Runtime { get; set; } = "runc";

    /// <summary>
    /// The runtime's state directory (<c>--root</c>). On tmpfs, so it is empty after a reboot, as containers are;
    /// every container in it belongs to this agent (an agent restarting after a crash removes what it finds).
    /// </summary>
    public string RuntimeRoot { get; set; } = "/run/edgevisor/runc";

    /// <summary>Where images, container bundles and network state live (null: &lt;state directory&gt;/containers).</summary>
    public string? Directory { get; set; }

    /// <summary>The cgroup (relative to the hierarchy root) every container's cgroup is made under.</summary>
    public string CgroupParent { get; set; } = "edgevisor";

    /// <summary>Bytes that must stay free on the image store's file system after a pull or import.</summary>
    public long ReserveBytes { get; set; } = 256L * 1024 * 1024;

    public RegistryOptions Registries { get; set; } = new();

    public NetworkOptions Network { get; set; } = new();
}

/// <summary>How the device reaches image registries.</summary>
public sealed class RegistryOptions
{
    /// <summary>
    /// Credentials, each for the registry it names: <c>host:port</c> for that port only, <c>host</c> for every port
    /// of the host. A list, not a map keyed by registry: configuration keys cannot hold the ':' of a port.
    /// </summary>
    public List<RegistryCredential> Credentials { get; set; } = [];

    /// <summary>
    /// Registries (<c>host[:port]</c>; a host covers every port) whose certificate is not verified and which may be
    /// reached over plain HTTP when they do not speak TLS. Loopback registries may fall back to plain HTTP too.
    /// </summary>
    public List<string> Insecure { get; set; } = [];

    /// <summary>A PEM bundle of extra CAs for registries with a private CA (null: the system store only).</summary>
    public string? CaFile { get; set; }

    /// <summary>Seconds one registry request (not a whole blob) may take to answer.</summary>
    public double RequestTimeoutSeconds { get; set; } = 30;

    /// <summary>The credential for <paramref name="registry"/> (<c>host[:port]</c>): the entry naming exactly it, else the one naming its host.</summary>
    public RegistryCredential? CredentialFor(string registry)
    {
        ArgumentNullException.ThrowIfNull(registry);
        string host = RegistryHost.HostOf(registry);
        return Credentials.FirstOrDefault(c => registry.Equals(c.Registry, StringComparison.OrdinalIgnoreCase))
            ?? Credentials.FirstOrDefault(c => host.Equals(c.Registry, StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>Whether <paramref name="registry"/> is listed in <see cref="Insecure"/>, itself or by its host.</summary>
    public bool IsInsecure(string registry)
    {
        ArgumentNullException.ThrowIfNull(registry);
        string host = RegistryHost.HostOf(registry);
        return Insecure.Any(entry => entry.Equals(registry, StringComparison.OrdinalIgnoreCase) || entry.Equals(host, StringComparison.OrdinalIgnoreCase));
    }
}

/// <summary>A user name and password (or a file holding the password) for one registry.</summary>
public sealed class RegistryCredential
{
    /// <summary>The registry: <c>host:port</c> (that port only) or <c>host</c> (every port of it).</summary>
    public string? Registry { get; set; }

    public string? Username { get; set; }

    public string? Password { get; set; }

    /// <summary>A file whose first line is the password (kept out of the configuration file).</summary>
    public string? PasswordFile { get; set; }
}

/// <summary>The agent-owned <c>nat</c> network and the names it uses on the host.</summary>
public sealed class NetworkOptions
{
    /// <summary>The bridge the agent creates for <c>nat</c> containers (at most 15 characters).</summary>
    public string BridgeName { get; set; } = "edgevisor0";

    /// <summary>The private range <c>nat</c> containers get addresses from; the bridge takes the first host address.</summary>
    public string Subnet { get; set; } = "10.89.0.0/24";

    /// <summary>The nftables table (family inet) the agent owns: masquerade, forwarding rules and port forwards.</summary>
    public string NftTable { get; set; } = "edgevisor";

    /// <summary>Name servers written to containers' /etc/resolv.conf (empty: the host's, without loopback ones).</summary>
    public List<string> Nameservers { get; set; } = [];
}
