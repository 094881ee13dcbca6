namespace EdgeVisor.Workloads.Containers.Bundles;

/// <summary>The capabilities a container's process holds: the default set plus a spec's additions minus its drops.</summary>
internal static class CapabilitySet
{
    /// <summary>Accepted in AddCapabilities / DropCapabilities for "every capability".</summary>
    private const string All = "ALL";

    /// <summary>
    /// The default set − <paramref name="drop"/> + <paramref name="add"/>, in capability-number order: drops apply to
    /// the defaults and additions come after, so <c>drop: [ALL], add: [NET_BIND_SERVICE]</c> (the least-privilege
    /// idiom of Kubernetes and Docker) leaves exactly that one. Names are case-insensitive, with or without
    /// <c>CAP_</c>; an unknown one throws <see cref="WorkloadStartException"/>.
    /// </summary>
    public static IReadOnlyList<string> Resolve(IReadOnlyList<string> add, IReadOnlyList<string> drop)
    {
        var known = BundleDefaults.Capabilities.Known;
        var set = new HashSet<string>(BundleDefaults.Capabilities.Default, StringComparer.Ordinal);
        foreach (string name in drop)
        {
            set.ExceptWith(Expand(name, "drop"));
        }

        foreach (string name in add)
        {
            set.UnionWith(Expand(name, "add"));
        }

        return [.. set.OrderBy(name => known[name])];
    }

    /// <summary>The bit mask of a set, as /proc/&lt;pid&gt;/status shows CapEff and CapBnd.</summary>
    public static ulong Mask(IEnumerable<string> capabilities) =>
        capabilities.Aggregate(0UL, (mask, name) => mask | (1UL << BundleDefaults.Capabilities.Known[Normalise(name)]));

    private static IEnumerable<string> Expand(string name, string verb)
    {
        if (string.Equals(name.Trim(), All, StringComparison.OrdinalIgnoreCase))
        {
            return BundleDefaults.Capabilities.Known.Keys;
        }

        string normalised = Normalise(name);
        return BundleDefaults.Capabilities.Known.ContainsKey(normalised)
            ? [normalised]
            : throw new WorkloadStartException($"container capability to {verb} '{name}' is not a Linux capability (e.g. CAP_NET_RAW)");
    }

    private static string Normalise(string name)
    {
        string upper = name.Trim().ToUpperInvariant();
        return upper.StartsWith("CAP_", StringComparison.Ordinal) ? upper : "CAP_" + upper;
    }
}
