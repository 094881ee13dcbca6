using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace EdgeVisor.Workloads.Containers.Networking;

/// <summary>
/// The host names of one container's network objects, derived from its id alone so that an agent restarting after
/// a crash finds them again even when its state file was never written.
/// </summary>
internal static partial class NetworkNames
{
    /// <summary>Where <c>ip netns add</c> pins named network namespaces.</summary>
    public const string NamespaceDirectory = "/run/netns";

    /// <summary>The interface name inside the container.</summary>
    public const string ContainerInterface = "eth0";

    /// <summary>True when <paramref name="containerId"/> can name host objects (the characters runc accepts in ids).</summary>
    public static bool IsValidId(string containerId) => ContainerIdPattern().IsMatch(containerId);

    /// <summary>The container's named network namespace (a file under <see cref="NamespaceDirectory"/>).</summary>
    public static string Namespace(string containerId) => "ev-" + containerId;

    public static string NamespacePath(string namespaceName) => Path.Combine(NamespaceDirectory, namespaceName);

    /// <summary>
    /// The host end of the container's veth pair: <c>ev</c> + 8 hex digits of a hash of the id, because interface
    /// names hold at most 15 characters and ids are longer.
    /// </summary>
    public static string HostVeth(string containerId) =>
        "ev" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(containerId)).AsSpan(0, 4));

    /// <summary>True when a network interface of that name exists in the host's namespace.</summary>
    public static bool LinkExists(string name) => Directory.Exists(Path.Combine("/sys/class/net", name));

    /// <summary>True when <paramref name="name"/> is an interface of the host that is a bridge.</summary>
    public static bool IsBridge(string name) => Directory.Exists(Path.Combine("/sys/class/net", name, "bridge"));

    /// <summary>True when <paramref name="name"/> could be a Linux interface name (1–15 characters, no '/', ':' or spaces).</summary>
    public static bool IsValidInterfaceName(string name) => InterfaceNamePattern().IsMatch(name);

    [GeneratedRegex("^[A-Za-z0-9_][A-Za-z0-9_.+-]{0,127}$")]
    private static partial Regex ContainerIdPattern();

    [GeneratedRegex("^[A-Za-z0-9_.-]{1,15}$")]
    private static partial Regex InterfaceNamePattern();
}
