using System.Security.Cryptography;
using EdgeVisor.Workloads.Containers.Images;

namespace EdgeVisor.Workloads.Containers.Registry;

public sealed partial class RegistryClient
{
    /// <summary>
    /// The digest (<c>sha256:…</c>) of the manifest or index <paramref name="reference"/>'s tag names now: what
    /// a controller pins a deployment to, so every device runs the same image even when the tag later moves.
    /// A reference that carries a digest is answered with it, after checking the registry has it. Throws
    /// <see cref="Downloads.ArtifactException"/> as pulls do (not found, unauthorized, unreachable).
    /// </summary>
    public async Task<string> ResolveAsync(ImageReference reference, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(reference);
        var session = new RegistrySession(_http, _unverified, _auth, _options, reference, _logger);
        byte[] document = await session.GetManifestAsync(reference.Digest ?? reference.Tag ?? "latest", ct).ConfigureAwait(false);
        IsIndex(document, reference.ToString()); // refuses what no device could pull (schema 1, not JSON)
        return Digests.Sha256Prefix + Convert.ToHexStringLower(SHA256.HashData(document));
    }
}
