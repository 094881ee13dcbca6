using System.Text.RegularExpressions;

namespace EdgeVisor.Workloads.Containers.Images;

/// <summary>
/// An image reference: <c>[oci://]registry[:port]/repository[:tag][@sha256:…]</c>. The registry part is required
/// (the device has no default registry); the repository is lowercase path components.
/// </summary>
/// <param name="Registry">Host or host:port.</param>
public sealed partial record ImageReference(string Registry, string Repository, string? Tag, string? Digest)
{
    /// <summary>The URL scheme container artifacts use in desired-state documents.</summary>
    public const string Scheme = "oci://";

    /// <summary>Parses a reference; throws <see cref="FormatException"/> with one line naming what is wrong.</summary>
    public static ImageReference Parse(string reference)
    {
        ArgumentNullException.ThrowIfNull(reference);
        string rest = reference.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase) ? reference[Scheme.Length..] : reference;

        string? digest = null;
        int at = rest.IndexOf('@', StringComparison.Ordinal);
        if (at >= 0)
        {
            digest = rest[(at + 1)..];
            rest = rest[..at];
            if (!Digests.IsValid(digest))
            {
                throw Bad(reference, $"digest '{digest}' is not sha256:<64 lowercase hex>");
            }
        }

        int slash = rest.IndexOf('/', StringComparison.Ordinal);
        string registry = slash < 0 ? "" : rest[..slash];
        if (slash < 0 || !(registry.Contains('.', StringComparison.Ordinal) || registry.Contains(':', StringComparison.Ordinal) || registry == "localhost"))
        {
            throw Bad(reference, "no registry host (write host[:port]/repository; a host has a '.' or a ':port', or is localhost)");
        }

        if (!IsRegistry(registry))
        {
            throw Bad(reference, $"registry '{registry}' is not a host name or address with an optional :port");
        }

        string path = rest[(slash + 1)..];
        string? tag = null;
        int colon = path.LastIndexOf(':');
        if (colon > path.LastIndexOf('/'))
        {
            tag = path[(colon + 1)..];
            path = path[..colon];
            if (!TagPattern().IsMatch(tag))
            {
                throw Bad(reference, $"tag '{tag}' is not 1-128 of [A-Za-z0-9_.-] starting with a letter, digit or '_'");
            }
        }

        if (path.Length == 0)
        {
            throw Bad(reference, "no repository after the registry host");
        }

        foreach (string component in path.Split('/'))
        {
            if (!ComponentPattern().IsMatch(component))
            {
                throw Bad(reference, $"repository component '{component}' is not lowercase letters and digits separated by '.', '_', '__' or '-'");
            }
        }

        return path.Length > 255
            ? throw Bad(reference, $"repository is {path.Length} characters, more than 255")
            : new ImageReference(registry.ToLowerInvariant(), path, tag, digest);
    }

    public override string ToString() => $"{Registry}/{Repository}{(Tag is null ? "" : ":" + Tag)}{(Digest is null ? "" : "@" + Digest)}";

    /// <summary>Whether <paramref name="registry"/> is a host name or address with an optional <c>:port</c> (1-65535).</summary>
    public static bool IsRegistry(string registry) => RegistryPattern().IsMatch(registry) && ValidPort(registry);

    private static FormatException Bad(string reference, string what) => new($"image reference '{reference}': {what}");

    private static bool ValidPort(string registry)
    {
        int colon = registry.LastIndexOf(':');
        return colon < 0 || registry.EndsWith(']') || (int.TryParse(registry.AsSpan(colon + 1), out int port) && port is > 0 and <= 65535);
    }

    // A DNS name (labels of letters, digits and inner hyphens) or a bracketed IPv6 address, then an optional port.
    [GeneratedRegex(@"^(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*)(:[0-9]{1,5})?$")]
    private static partial Regex RegistryPattern();

    // The distribution spec's path component: lowercase alphanumerics joined by '.', '_', '__' or runs of '-'.
    [GeneratedRegex("^[a-z0-9]+((\\.|_|__|-+)[a-z0-9]+)*$")]
    private static partial Regex ComponentPattern();

    [GeneratedRegex("^[A-Za-z0-9_][A-Za-z0-9._-]{0,127}$")]
    private static partial Regex TagPattern();
}
