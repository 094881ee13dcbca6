namespace EdgeVisor.Protocol;

/// <summary>
/// The envelope on the <c>desired</c> topic: the exact bytes of a <see cref="DesiredState"/> JSON document
/// (base64) and an ECDSA P-256 / SHA-256 signature over those bytes (IEEE P1363 r||s, base64), with the id of
/// the signing key. Signing bytes rather than a re-serialised object means no canonical-JSON rules: what was
/// signed is what is parsed.
/// </summary>
public sealed record SignedDocument
{
    public int Schema { get; init; } = ProtocolJson.SchemaVersion;

    /// <summary><see cref="KeyIds.Of"/> of the signing key's public half.</summary>
    public required string KeyId { get; init; }

    /// <summary>Always <c>ES256</c> in schema 1.</summary>
    public string Algorithm { get; init; } = DeploymentSignature.Algorithm;

    /// <summary>Base64 of the UTF-8 JSON of the <see cref="DesiredState"/>.</summary>
    public required string Payload { get; init; }

    /// <summary>Base64 of the 64-byte P1363 signature over the decoded payload bytes.</summary>
    public required string Signature { get; init; }
}
