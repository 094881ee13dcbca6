using System.Collections.Frozen;
using System.Globalization;
using System.Text.RegularExpressions;

namespace EdgeVisor.Protocol;

// The rules of a container workload: its image reference and its ContainerSpec. They check the shape of what the
// controller asked for; the container driver parses the image reference fully and checks what only the device
// knows (its runtime, its bridges).
public static partial class DesiredStateRules
{
    /// <summary>The smallest memory limit a container may have (below it even a shell cannot start).</summary>
    public const long MinContainerMemoryBytes = 4L * 1024 * 1024;

    /// <summary>Most CPUs a limit may name.</summary>
    public const double MaxContainerCpus = 1024;

    /// <summary>Longest stop grace a container may ask for (an hour).</summary>
    public const double MaxStopGraceSeconds = 3600;

    /// <summary>Most entries of one list in a container section (arguments, environment, mounts, devices, capabilities, ports).</summary>
    public const int MaxContainerListEntries = 256;

    private const string ImageScheme = "oci://";

    private static readonly FrozenSet<string> NetworkModeSet =
        new[] { NetworkModes.None, NetworkModes.Host, NetworkModes.Nat, NetworkModes.Bridged }.ToFrozenSet(StringComparer.Ordinal);

    private static readonly FrozenSet<string> PortProtocols = new[] { "tcp", "udp" }.ToFrozenSet(StringComparer.Ordinal);

    /// <summary>The signals a stop may be asked with by name; any signal number 1-64 is accepted too.</summary>
    private static readonly FrozenSet<string> StopSignalNames =
        new[] { "SIGTERM", "SIGINT", "SIGQUIT", "SIGHUP", "SIGUSR1", "SIGUSR2", "SIGKILL" }.ToFrozenSet(StringComparer.Ordinal);

    /// <summary>
    /// The image: <c>oci://host[:port]/repository[:tag]</c> (a registry), or an image tarball fetched like any
    /// artifact (http(s), file:// or an absolute path); either way pinned by the sha256.
    /// </summary>
    private static ArtifactRef CheckImageArtifact(string path, ArtifactRef? artifact)
    {
        if (artifact is null)
        {
            Fail(path, "missing");
        }

        string url = artifact.Url ?? "";
        if (url.Length > MaxUrlLength)
        {
            Fail($"{path}.url", $"{url.Length} characters; at most {MaxUrlLength}");
        }

        if (url.StartsWith(ImageScheme, StringComparison.Ordinal))
        {
            if (!IsImageReference(url[ImageScheme.Length..]))
            {
                Fail($"{path}.url", $"'{Shown(url)}' is not an image reference (oci://host[:port]/repository[:tag])");
            }
        }
        else if (!IsFetchable(url))
        {
            Fail($"{path}.url", $"'{Shown(url)}' is neither an oci:// image reference nor an http://, https:// or file:// URL or absolute path of an image tarball");
        }

        return CheckDigestAndSize(path, artifact);
    }

    /// <summary>A host, a '/', and a repository that is not empty before its optional tag or digest.</summary>
    private static bool IsImageReference(string reference)
    {
        if (reference.Any(c => char.IsControl(c) || char.IsWhiteSpace(c)))
        {
            return false;
        }

        int slash = reference.IndexOf('/', StringComparison.Ordinal);
        if (slash <= 0)
        {
            return false;
        }

        string repository = reference[(slash + 1)..];
        if (repository.IndexOf('@', StringComparison.Ordinal) is >= 0 and var at)
        {
            repository = repository[..at];
        }

        int colon = repository.LastIndexOf(':');
        if (colon > repository.LastIndexOf('/'))
        {
            repository = repository[..colon];
        }

        return repository.Length > 0 && !repository.Split('/').Contains("");
    }

    private static void CheckContainer(string path, ContainerSpec container)
    {
        CheckArgumentList($"{path}.entrypoint", container.Entrypoint);
        CheckArgumentList($"{path}.command", container.Command);
        CheckEnvironment($"{path}.environment", container.Environment);
        if (container.WorkingDirectory is { } workingDirectory)
        {
            CheckContainerPath($"{path}.workingDirectory", workingDirectory, mayBeRoot: true);
        }

        if (container.User is { } user)
        {
            CheckUser($"{path}.user", user);
        }

        if (container.Hostname is { } hostname && !HostnamePattern().IsMatch(hostname))
        {
            Fail($"{path}.hostname", $"'{Shown(hostname)}' is not a host name (1-63 letters, digits and '-' per label, not starting or ending with '-')");
        }

        CheckMounts(path, container.Volumes, container.Tmpfs);
        CheckEntries($"{path}.devices", container.Devices, DevicePattern(), "not a device this agent passes to containers (/dev/gpiochipN or /dev/i2c-N)", unique: true);
        CheckEntries($"{path}.addCapabilities", container.AddCapabilities, CapabilityPattern(), "not a capability name (CAP_ and capital letters, e.g. CAP_NET_RAW)", unique: true);
        CheckEntries($"{path}.dropCapabilities", container.DropCapabilities, CapabilityPattern(), "not a capability name (CAP_ and capital letters, e.g. CAP_NET_RAW)", unique: true);
        CheckLimits($"{path}.limits", container.Limits);
        CheckNetwork($"{path}.network", container.Network);
        if (container.HealthCheck is { } health)
        {
            CheckHealthCheck($"{path}.healthCheck", health, container.Network?.Mode);
        }

        if (container.StopSignal is { } signal && !IsStopSignal(signal))
        {
            Fail($"{path}.stopSignal", $"'{Shown(signal)}' is not a signal ({string.Join(", ", StopSignalNames.Order(StringComparer.Ordinal))} or a number 1-64)");
        }

        if (!double.IsFinite(container.StopGraceSeconds) || container.StopGraceSeconds is < 0 or > MaxStopGraceSeconds)
        {
            Fail($"{path}.stopGraceSeconds", $"{container.StopGraceSeconds} is not a grace in seconds (0 to {MaxStopGraceSeconds})");
        }
    }

    /// <summary>Null keeps the image's value; an empty list clears it. Entries may be empty strings but not null.</summary>
    private static void CheckArgumentList(string path, IReadOnlyList<string>? arguments)
    {
        if (arguments is null)
        {
            return;
        }

        CheckCount(path, arguments.Count, "arguments");
        for (int i = 0; i < arguments.Count; i++)
        {
            string argument = arguments[i] ?? Fail<string>($"{path}[{i}]", "null is not allowed here");
            CheckValueText($"{path}[{i}]", argument);
        }
    }

    private static void CheckEnvironment(string path, IReadOnlyDictionary<string, string>? environment)
    {
        if (environment is null)
        {
            Fail(path, "null is not allowed here");
        }

        CheckCount(path, environment.Count, "variables");
        foreach (var (name, value) in environment.OrderBy(e => e.Key, StringComparer.Ordinal))
        {
            if (!EnvironmentNamePattern().IsMatch(name))
            {
                Fail(path, $"'{Shown(name)}' is not a variable name (a letter or '_', then letters, digits or '_')");
            }

            CheckValueText($"{path}.{name}", value ?? Fail<string>($"{path}.{name}", "null is not allowed here"));
        }
    }

    private static void CheckValueText(string path, string value)
    {
        if (value.Length > MaxConfigurationValueLength)
        {
            Fail(path, $"{value.Length} characters; at most {MaxConfigurationValueLength}");
        }

        // The kernel passes arguments and the environment as NUL-terminated strings: a NUL would cut the value.
        if (value.Contains('\0', StringComparison.Ordinal))
        {
            Fail(path, "contains a NUL character");
        }
    }

    private static void CheckUser(string path, string user)
    {
        string[] parts = user.Split(':');
        if (parts.Length > 2 || parts.Any(p => p.Length == 0 || p.Length > 64 || p.Any(c => char.IsControl(c) || char.IsWhiteSpace(c))))
        {
            Fail(path, $"'{Shown(user)}' is not a user (uid[:gid] or name[:group])");
        }
    }

    /// <summary>Volumes and tmpfs mounts: absolute paths without '..', never '/', each path mounted once; volume names unique.</summary>
    private static void CheckMounts(string path, IReadOnlyList<VolumeSpec>? volumes, IReadOnlyList<string>? tmpfs)
    {
        if (volumes is null)
        {
            Fail($"{path}.volumes", "null is not allowed here");
        }

        if (tmpfs is null)
        {
            Fail($"{path}.tmpfs", "null is not allowed here");
        }

        CheckCount($"{path}.volumes", volumes.Count, "volumes");
        CheckCount($"{path}.tmpfs", tmpfs.Count, "mounts");
        var mountedAt = new Dictionary<string, string>(StringComparer.Ordinal);
        var names = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < volumes.Count; i++)
        {
            string at = $"{path}.volumes[{i}]";
            var volume = volumes[i] ?? Fail<VolumeSpec>(at, "null is not allowed here");
            CheckName($"{at}.name", volume.Name, "volume name");
            if (names.TryGetValue(volume.Name, out int first))
            {
                Fail($"{at}.name", $"'{volume.Name}' is already the name of volumes[{first}]");
            }

            names[volume.Name] = i;
            MountOnce($"{at}.path", volume.Path, $"volumes[{i}]", mountedAt);
        }

        for (int i = 0; i < tmpfs.Count; i++)
        {
            MountOnce($"{path}.tmpfs[{i}]", tmpfs[i], $"tmpfs[{i}]", mountedAt);
        }
    }

    private static void MountOnce(string path, string? mountPath, string what, Dictionary<string, string> mountedAt)
    {
        string normalised = CheckContainerPath(path, mountPath, mayBeRoot: false);
        if (mountedAt.TryGetValue(normalised, out string? earlier))
        {
            Fail(path, $"'{Shown(mountPath!)}' is already mounted by {earlier}");
        }

        mountedAt[normalised] = what;
    }

    /// <summary>An absolute path inside the container without '..'; returns it without a trailing '/' for comparisons.</summary>
    private static string CheckContainerPath(string path, string? value, bool mayBeRoot)
    {
        if (value is null)
        {
            Fail(path, "null is not allowed here");
        }

        if (value.Length is 0 or > 4096 || value[0] != '/' || value.Any(char.IsControl))
        {
            Fail(path, $"'{Shown(value)}' is not an absolute path inside the container");
        }

        string[] segments = value.Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (segments.Contains(".."))
        {
            Fail(path, $"'{Shown(value)}' must not contain '..'");
        }

        if (segments.Length == 0 && !mayBeRoot)
        {
            Fail(path, "'/' cannot be mounted over (name a directory inside the container)");
        }

        return "/" + string.Join('/', segments.Where(s => s != "."));
    }

    private static void CheckEntries(string path, IReadOnlyList<string>? entries, Regex pattern, string rule, bool unique)
    {
        if (entries is null)
        {
            Fail(path, "null is not allowed here");
        }

        CheckCount(path, entries.Count, "entries");
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (int i = 0; i < entries.Count; i++)
        {
            string entry = entries[i] ?? Fail<string>($"{path}[{i}]", "null is not allowed here");
            if (!pattern.IsMatch(entry))
            {
                Fail($"{path}[{i}]", $"'{Shown(entry)}' is {rule}");
            }

            if (unique && !seen.Add(entry))
            {
                Fail($"{path}[{i}]", $"'{entry}' is listed twice");
            }
        }
    }

    private static void CheckCount(string path, int count, string what)
    {
        if (count > MaxContainerListEntries)
        {
            Fail(path, $"{count} {what}; at most {MaxContainerListEntries}");
        }
    }

    private static void CheckLimits(string path, ContainerLimits? limits)
    {
        if (limits is null)
        {
            Fail(path, "null is not allowed here");
        }

        if (limits.MemoryBytes is long memory && memory < MinContainerMemoryBytes)
        {
            Fail($"{path}.memoryBytes", $"{memory} is less than the smallest limit, {MinContainerMemoryBytes} bytes (4 MiB)");
        }

        if (limits.Cpus is double cpus && (!double.IsFinite(cpus) || cpus <= 0 || cpus > MaxContainerCpus))
        {
            Fail($"{path}.cpus", $"{cpus} is not a CPU limit (more than 0, at most {MaxContainerCpus})");
        }

        if (limits.Pids is int pids && pids < 1)
        {
            Fail($"{path}.pids", $"{pids} is not a process limit (1 or more, or leave it out for none)");
        }
    }

    private static void CheckNetwork(string path, ContainerNetwork? network)
    {
        if (network is null)
        {
            Fail(path, "null is not allowed here");
        }

        string mode = network.Mode ?? "";
        if (!NetworkModeSet.Contains(mode))
        {
            Fail($"{path}.mode", $"'{Shown(mode)}' is not a network mode ({string.Join(", ", NetworkModeSet.Order(StringComparer.Ordinal))})");
        }

        CheckPorts($"{path}.ports", network.Ports, mode);
        if (mode == NetworkModes.Bridged)
        {
            CheckBridged(path, network);
            return;
        }

        foreach (var (field, value) in new[] { ("bridge", network.Bridge), ("address", network.Address), ("gateway", network.Gateway) })
        {
            if (value is not null)
            {
                Fail($"{path}.{field}", $"only with mode 'bridged', not '{mode}'");
            }
        }
    }

    private static void CheckPorts(string path, IReadOnlyList<PortForward>? ports, string mode)
    {
        if (ports is null)
        {
            Fail(path, "null is not allowed here");
        }

        if (ports.Count > 0 && mode != NetworkModes.Nat)
        {
            Fail(path, $"ports are forwarded only with mode 'nat', not '{mode}'");
        }

        CheckCount(path, ports.Count, "ports");
        var seen = new Dictionary<(int, string), int>();
        for (int i = 0; i < ports.Count; i++)
        {
            var port = ports[i] ?? Fail<PortForward>($"{path}[{i}]", "null is not allowed here");
            CheckPort($"{path}[{i}].hostPort", port.HostPort);
            CheckPort($"{path}[{i}].containerPort", port.ContainerPort);
            string protocol = port.Protocol ?? "";
            if (!PortProtocols.Contains(protocol))
            {
                Fail($"{path}[{i}].protocol", $"'{Shown(protocol)}' is not tcp or udp");
            }

            if (seen.TryGetValue((port.HostPort, protocol), out int first))
            {
                Fail($"{path}[{i}].hostPort", $"{protocol} port {port.HostPort} is already forwarded by ports[{first}]");
            }

            seen[(port.HostPort, protocol)] = i;
        }
    }

    private static void CheckPort(string path, int port)
    {
        if (port is < 1 or > 65535)
        {
            Fail(path, $"{port} is not a port (1-65535)");
        }
    }

    private static void CheckBridged(string path, ContainerNetwork network)
    {
        string bridge = network.Bridge ?? Fail<string>($"{path}.bridge", "required for mode 'bridged' (the host bridge the container joins)");

        if (!InterfaceNamePattern().IsMatch(bridge) || bridge is "." or "..")
        {
            Fail($"{path}.bridge", $"'{Shown(bridge)}' is not a network interface name (1-15 letters, digits, '.', '_' or '-')");
        }

        string address = network.Address ?? Fail<string>($"{path}.address", "required for mode 'bridged' (the container's address with prefix, e.g. 192.168.1.50/24)");

        // A /0 "interface address" would put the whole Internet on the bridge's link.
        if (!Ipv4Text.TryParseCidr(address, out uint host, out int prefix) || prefix == 0)
        {
            Fail($"{path}.address", $"'{Shown(address)}' is not an IPv4 address with a prefix length (e.g. 192.168.1.50/24)");
        }

        uint mask = Ipv4Text.Mask(prefix);

        // /31 and /32 links have no network or broadcast address (RFC 3021).
        if (prefix < 31 && ((host & ~mask) == 0 || (host | mask) == uint.MaxValue))
        {
            Fail($"{path}.address", $"{address} is the network or broadcast address of its subnet, not a host's");
        }

        if (network.Gateway is { } gateway)
        {
            if (!Ipv4Text.TryParse(gateway, out uint router))
            {
                Fail($"{path}.gateway", $"'{Shown(gateway)}' is not an IPv4 address");
            }

            if ((router & mask) != (host & mask))
            {
                Fail($"{path}.gateway", $"{gateway} is not in the network of {address}");
            }

            if (router == host)
            {
                Fail($"{path}.gateway", $"{gateway} is the container's own address");
            }
        }
    }

    private static void CheckHealthCheck(string path, HealthCheckSpec health, string? mode)
    {
        bool exec = health.Exec is not null;
        bool tcp = health.TcpPort is not null;
        if (exec == tcp)
        {
            Fail(path, "name exactly one probe: exec (a command) or tcpPort");
        }

        if (health.Exec is { } command)
        {
            if (command.Count == 0 || string.IsNullOrEmpty(command[0]))
            {
                Fail($"{path}.exec", "the command is empty");
            }

            CheckArgumentList($"{path}.exec", command);
        }

        if (health.TcpPort is int port)
        {
            CheckPort($"{path}.tcpPort", port);
            if (mode == NetworkModes.None)
            {
                Fail($"{path}.tcpPort", "a TCP probe cannot reach a container with network mode 'none' (use exec)");
            }
        }

        foreach (var (field, seconds) in new[] { ("intervalSeconds", health.IntervalSeconds), ("timeoutSeconds", health.TimeoutSeconds) })
        {
            if (!double.IsFinite(seconds) || seconds <= 0 || seconds > MaxBackoffSeconds)
            {
                Fail($"{path}.{field}", $"{seconds} is not a duration in seconds (more than 0, at most {MaxBackoffSeconds})");
            }
        }

        if (health.Retries < 1)
        {
            Fail($"{path}.retries", $"{health.Retries} is not a count of failed probes (1 or more)");
        }

        CheckSeconds($"{path}.startPeriodSeconds", health.StartPeriodSeconds);
    }

    private static bool IsStopSignal(string signal) =>
        StopSignalNames.Contains(signal)
        || (signal.Length is > 0 and <= 2 && signal.All(char.IsAsciiDigit) && int.Parse(signal, CultureInfo.InvariantCulture) is >= 1 and <= 64);

    [GeneratedRegex(@"^[A-Za-z_][A-Za-z0-9_]*\z", RegexOptions.CultureInvariant)]
    private static partial Regex EnvironmentNamePattern();

    [GeneratedRegex(@"^CAP_[A-Z_]+\z", RegexOptions.CultureInvariant)]
    private static partial Regex CapabilityPattern();

    [GeneratedRegex(@"^/dev/(gpiochip|i2c-)[0-9]{1,4}\z", RegexOptions.CultureInvariant)]
    private static partial Regex DevicePattern();

    // HOST_NAME_MAX is 64 bytes: one or more labels, 63 characters in all at most.
    [GeneratedRegex(@"^(?=.{1,63}\z)[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*\z", RegexOptions.CultureInvariant)]
    private static partial Regex HostnamePattern();

    // IFNAMSIZ is 16 with the NUL; '/' and whitespace are what the kernel refuses.
    [GeneratedRegex(@"^[A-Za-z0-9_.-]{1,15}\z", RegexOptions.CultureInvariant)]
    private static partial Regex InterfaceNamePattern();
}
