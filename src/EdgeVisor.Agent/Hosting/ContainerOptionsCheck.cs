using System.Net;
using System.Text.RegularExpressions;
using EdgeVisor.Protocol;
using EdgeVisor.Workloads.Containers;
using EdgeVisor.Workloads.Containers.Images;

namespace EdgeVisor.Agent.Hosting;

/// <summary>
/// The <c>Agent:Containers</c> part of <see cref="AgentOptionsValidator"/>: one line per problem, naming the key.
/// Whether the runtime binary exists is deliberately not checked here: a device without runc or crun still runs
/// its firmware workloads, and the container driver refuses container workloads with a line naming the runtime.
/// </summary>
internal static partial class ContainerOptionsCheck
{
    /// <summary>Smallest nat subnet: the bridge's address plus room for a handful of containers (/28: 13 of them).</summary>
    public const int MaxSubnetPrefix = 28;

    public static void Check(ContainerOptions? options, string key, List<string> problems)
    {
        if (options is null)
        {
            problems.Add($"{key} is missing");
            return;
        }

        CheckRuntime(options, key, problems);
        CheckNetwork(options.Network ?? new NetworkOptions(), $"{key}:Network", problems);
        CheckRegistries(options.Registries ?? new RegistryOptions(), $"{key}:Registries", problems);
    }

    private static void CheckRuntime(ContainerOptions options, string key, List<string> problems)
    {
        string runtime = options.Runtime ?? "";
        if (runtime.Trim().Length == 0 || runtime.Any(char.IsControl))
        {
            problems.Add($"{key}:Runtime is required (a name on PATH such as runc or crun, or an absolute path)");
        }
        else if (runtime.Contains('/', StringComparison.Ordinal) && !Path.IsPathFullyQualified(runtime))
        {
            problems.Add($"{key}:Runtime: '{runtime}' is neither a name looked up on PATH nor an absolute path");
        }

        if (string.IsNullOrEmpty(options.RuntimeRoot) || !Path.IsPathFullyQualified(options.RuntimeRoot))
        {
            problems.Add($"{key}:RuntimeRoot: '{options.RuntimeRoot}' is not an absolute path (the runtime's state directory, on tmpfs)");
        }

        if (options.Directory is { Length: > 0 } directory && !Path.IsPathFullyQualified(directory))
        {
            problems.Add($"{key}:Directory: '{directory}' is not an absolute path (leave it out for <StateDirectory>/containers)");
        }

        string parent = options.CgroupParent ?? "";
        string[] segments = parent.Split('/');
        if (parent.Length == 0 || segments.Any(s => !CgroupNamePattern().IsMatch(s) || s is "." or ".."))
        {
            problems.Add($"{key}:CgroupParent: '{parent}' is not a relative cgroup path (names of letters, digits, '.', '_' or '-' separated by '/', no '..')");
        }

        if (options.ReserveBytes < 0)
        {
            problems.Add($"{key}:ReserveBytes: {options.ReserveBytes} must not be negative");
        }
    }

    private static void CheckNetwork(NetworkOptions network, string key, List<string> problems)
    {
        string bridge = network.BridgeName ?? "";
        if (!InterfaceNamePattern().IsMatch(bridge) || bridge is "." or "..")
        {
            problems.Add($"{key}:BridgeName: '{bridge}' is not a network interface name (1-15 letters, digits, '.', '_' or '-')");
        }

        string subnet = network.Subnet ?? "";
        if (!Ipv4Text.TryParseCidr(subnet, out uint address, out int prefix))
        {
            problems.Add($"{key}:Subnet: '{subnet}' is not an IPv4 network with a prefix length (e.g. 10.89.0.0/24)");
        }
        else if (prefix is < 8 or > MaxSubnetPrefix)
        {
            problems.Add($"{key}:Subnet: /{prefix} does not fit: use a prefix from /8 to /{MaxSubnetPrefix} (the bridge takes one address, each container one)");
        }
        else if ((address & ~Ipv4Text.Mask(prefix)) != 0)
        {
            problems.Add($"{key}:Subnet: '{subnet}' has host bits set (the network of that address is {Network(address, prefix)})");
        }

        string table = network.NftTable ?? "";
        if (!NftTablePattern().IsMatch(table))
        {
            problems.Add($"{key}:NftTable: '{table}' is not an nftables table name (a letter, then up to 31 letters, digits, '_' or '-')");
        }

        foreach (string server in network.Nameservers ?? [])
        {
            if (!IPAddress.TryParse(server, out _) || (!server.Contains(':', StringComparison.Ordinal) && !Ipv4Text.TryParse(server, out _)))
            {
                problems.Add($"{key}:Nameservers: '{server}' is not an IP address");
            }
        }
    }

    private static void CheckRegistries(RegistryOptions registries, string key, List<string> problems)
    {
        var seen = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        List<RegistryCredential> credentials = registries.Credentials ?? [];
        for (int i = 0; i < credentials.Count; i++)
        {
            string at = $"{key}:Credentials:{i}";
            if (credentials[i] is not { } credential)
            {
                problems.Add($"{at} is empty (an entry is {{ \"Registry\": \"host[:port]\", \"Username\": …, \"Password\" or \"PasswordFile\": … }})");
                continue;
            }

            CheckCredential(credential, at, seen, i, problems);
        }

        foreach (string host in registries.Insecure ?? [])
        {
            if (!IsRegistry(host))
            {
                problems.Add($"{key}:Insecure: '{host}' is not a registry host (host or host:port)");
            }
        }

        if (!string.IsNullOrEmpty(registries.CaFile))
        {
            AgentOptionsValidator.CheckCa(registries.CaFile, $"{key}:CaFile", problems);
        }

        AgentOptionsValidator.Positive(registries.RequestTimeoutSeconds, $"{key}:RequestTimeoutSeconds", problems);
    }

/// <summary>One entry of <c>Registries:Credentials</c>: a registry named once, a user, and a password or a file holding it.</summary>
    private static void CheckCredential(RegistryCredential credential, string at, Dictionary<string, int> seen, int index, List<string> problems)
    {
        string registry = credential.Registry ?? "";
        if (registry.Length == 0)
        {
            problems.Add($"{at}:Registry is required (host, for every port of it, or host:port)");
        }
        else if (!IsRegistry(registry))
        {
            problems.Add($"{at}:Registry: '{registry}' is not a registry host (host or host:port)");
        }
        else if (!seen.TryAdd(registry, index))
        {
            problems.Add($"{at}:Registry: '{registry}' already has a credential (entry {seen[registry]})");
        }

        if (string.IsNullOrEmpty(credential.Username))
        {
            problems.Add($"{at}:Username is required");
            return;
        }

        bool password = !string.IsNullOrEmpty(credential.Password);
        bool file = !string.IsNullOrEmpty(credential.PasswordFile);
        if (password == file)
        {
            problems.Add($"{at}: set either Password or PasswordFile{(password ? ", not both" : "")}");
        }
        else if (file && !File.Exists(credential.PasswordFile))
        {
            problems.Add($"{at}:PasswordFile: {credential.PasswordFile} does not exist");
        }
    }

    private static bool IsRegistry(string? registry) => !string.IsNullOrEmpty(registry) && ImageReference.IsRegistry(registry);

    private static string Network(uint address, int prefix)
    {
        uint network = address & Ipv4Text.Mask(prefix);
        return $"{network >> 24}.{(network >> 16) & 255}.{(network >> 8) & 255}.{network & 255}/{prefix}";
    }

    // IFNAMSIZ is 16 with the NUL; '/' and whitespace are what the kernel refuses.
    [GeneratedRegex(@"^[A-Za-z0-9_.-]{1,15}\z", RegexOptions.CultureInvariant)]
    private static partial Regex InterfaceNamePattern();

    [GeneratedRegex(@"^[A-Za-z][A-Za-z0-9_-]{0,31}\z", RegexOptions.CultureInvariant)]
    private static partial Regex NftTablePattern();

    [GeneratedRegex(@"^[A-Za-z0-9_.-]{1,64}\z", RegexOptions.CultureInvariant)]
    private static partial Regex CgroupNamePattern();
}
