namespace EdgeVisor.Workloads.Containers.Images;

/// <summary>
/// An image reference: <c>[oci://]registry[:port]/repository[:tag][@sha256:…]</c>. The registry part is required
/// (the device has no default registry); the repository is lowercase path components.
/// </summary>
/// <param name="Registry">Host or host:port.</param>
public sealed record ImageReference(string Registry, string Repository, string? Tag, string? Digest)
{
    /// <summary>The URL scheme container artifacts use in desired-state documents.</summary>
    public const string Scheme = "oci://";

    /// <summary>Parses a reference; throws <see cref="FormatException"/> with one line naming what is wrong.</summary>
    public static ImageReference Parse(string reference) => throw new NotImplementedException("issue 6: registry helper");

    public override string ToString() => $"{Registry}/{Repository}{(Tag is null ? "" : ":" + Tag)}{(Digest is null ? "" : "@" + Digest)}";
}
