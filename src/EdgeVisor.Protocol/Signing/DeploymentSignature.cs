using System.Security.Cryptography;
using System.Text;

namespace EdgeVisor.Protocol;

/// <summary>
/// Signs desired-state documents (controller side) and opens signed envelopes (device side).
/// The signature (ES256: ECDSA P-256 over SHA-256, IEEE P1363 r||s, 64 bytes) covers
/// <see cref="Context"/>, one zero byte, then the exact payload bytes. The context keeps a signature made for a
/// desired state from being accepted as anything else the same key may sign later (update manifests), and the
/// other way round.
/// </summary>
public static class DeploymentSignature
{
    /// <summary>The only algorithm of schema 1.</summary>
    public const string Algorithm = "ES256";

    /// <summary>What the signed bytes start with (ASCII), followed by a zero byte and the payload.</summary>
    public const string Context = "edgevisor/v1/desired-state";

    /// <summary>Length of an ES256 signature in P1363 form (r and s, 32 bytes each).</summary>
    public const int SignatureLength = 64;

    /// <summary>Serialises <paramref name="state"/> and signs those bytes with <paramref name="privateKey"/> (P-256).</summary>
    public static SignedDocument Sign(DesiredState state, ECDsa privateKey) => SignPayload(ProtocolJson.Serialize(state), privateKey);

    /// <summary>
    /// Signs <paramref name="payload"/> exactly as given (a document as written, or test documents that are
    /// deliberately wrong). Throws <see cref="ArgumentException"/> for a key that is not P-256.
    /// </summary>
    public static SignedDocument SignPayload(ReadOnlySpan<byte> payload, ECDsa privateKey)
    {
        ArgumentNullException.ThrowIfNull(privateKey);
        if (!SigningKey.IsP256(privateKey))
        {
            throw new ArgumentException($"a {privateKey.KeySize}-bit key on another curve; deployments are signed with P-256", nameof(privateKey));
        }

        byte[] signature = privateKey.SignData(SignedBytes(payload), HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
        return new SignedDocument
        {
            KeyId = KeyIds.Of(privateKey),
            Payload = Convert.ToBase64String(payload),
            Signature = Convert.ToBase64String(signature),
        };
    }

    /// <summary>
    /// Opens an envelope received on the desired topic: parses it, checks the key is trusted and the signature
    /// matches, parses the payload and applies <see cref="DesiredStateRules.Check"/> — a returned document is
    /// authentic and valid (digests normalised to lowercase). Checks that depend on the device (id, last
    /// version) are <see cref="DesiredStateRules.CheckTarget"/>, the caller's. Throws
    /// <see cref="ProtocolException"/> with the reason (and, once the payload could be read, its deployment id
    /// and version) on any failure, and no other exception whatever the bytes.
    /// </summary>
    /// <param name="message">The raw MQTT payload.</param>
    /// <param name="anchors">The keys the device trusts.</param>
    /// <param name="maxBytes">Largest message (and payload) accepted.</param>
    /// <param name="supportedKinds">Workload kinds the device runs; null: <see cref="DesiredStateRules.DefaultSupportedKinds"/>.</param>
    public static DesiredState Verify(ReadOnlySpan<byte> message, TrustAnchors anchors, int maxBytes, IReadOnlySet<string>? supportedKinds = null)
    {
        ArgumentNullException.ThrowIfNull(anchors);
        var envelope = ParseEnvelope(message, maxBytes);
        if (envelope.Algorithm != Algorithm)
        {
            throw new ProtocolException(RejectionReason.BadSignature, $"algorithm: '{Shown(envelope.Algorithm)}' is not supported (only {Algorithm})");
        }

        if (!anchors.TryGet(envelope.KeyId, out var publicKey))
        {
            throw new ProtocolException(RejectionReason.UnknownKey, $"keyId: '{Shown(envelope.KeyId)}' is not a trusted key");
        }

        byte[] payload = DecodeBase64(envelope.Payload, "payload");
        byte[] signature = DecodeBase64(envelope.Signature, "signature");
        if (signature.Length != SignatureLength)
        {
            throw new ProtocolException(RejectionReason.BadSignature, $"signature: {signature.Length} bytes; an {Algorithm} signature is {SignatureLength} (P1363 r||s)");
        }

        if (!publicKey.VerifyData(SignedBytes(payload), signature, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation))
        {
            throw new ProtocolException(RejectionReason.BadSignature, $"signature: does not match the payload for key {envelope.KeyId}");
        }

        var state = ProtocolJson.Parse<DesiredState>(payload, maxBytes);
        try
        {
            return DesiredStateRules.Check(state, supportedKinds);
        }
        catch (ProtocolException e)
        {
            throw new ProtocolException(e.Reason, e.Message) { DeploymentId = state.DeploymentId, Version = state.Version };
        }
    }

    private static SignedDocument ParseEnvelope(ReadOnlySpan<byte> message, int maxBytes)
    {
        try
        {
            var envelope = ProtocolJson.Parse<SignedDocument>(message, maxBytes);
            if (envelope.Signature.Length == 0)
            {
                throw new ProtocolException(RejectionReason.Unsigned, "signature: empty; deployments must be signed");
            }

            return envelope;
        }
        catch (ProtocolException e) when (e.Reason == RejectionReason.Malformed && SchemaPeek.IsObject(message)
            && !SchemaPeek.HasTopLevelProperty(message, "signature"))
        {
            // A bare desired state (or anything else) published without the envelope.
            throw new ProtocolException(RejectionReason.Unsigned, "not a signed envelope (no 'signature' field): deployments must be signed, e.g. with 'edgevisor fleet deploy --key'");
        }
    }

    private static byte[] SignedBytes(ReadOnlySpan<byte> payload)
    {
        byte[] bytes = new byte[Context.Length + 1 + payload.Length];
        Encoding.ASCII.GetBytes(Context, bytes);
        payload.CopyTo(bytes.AsSpan(Context.Length + 1));
        return bytes;
    }

    private static byte[] DecodeBase64(string text, string field)
    {
        try
        {
            return Convert.FromBase64String(text);
        }
        catch (FormatException)
        {
            throw new ProtocolException(RejectionReason.Malformed, $"{field}: not base64");
        }
    }

    private static string Shown(string value)
    {
        string printable = string.Concat(value.Take(65).Select(c => char.IsControl(c) ? '?' : c));
        return printable.Length <= 64 ? printable : printable[..61] + "...";
    }
}
