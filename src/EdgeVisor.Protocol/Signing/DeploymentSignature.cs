using System.Security.Cryptography;

namespace EdgeVisor.Protocol;

/// <summary>Signs desired-state documents (controller side) and opens signed envelopes (device side).</summary>
public static class DeploymentSignature
{
    public const string Algorithm = "ES256";

    /// <summary>Serialises <paramref name="state"/> and signs those bytes with <paramref name="privateKey"/> (P-256).</summary>
    public static SignedDocument Sign(DesiredState state, ECDsa privateKey)
    {
        ArgumentNullException.ThrowIfNull(privateKey);
        byte[] payload = ProtocolJson.Serialize(state);
        byte[] signature = privateKey.SignData(payload, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
        return new SignedDocument
        {
            KeyId = KeyIds.Of(privateKey),
            Payload = Convert.ToBase64String(payload),
            Signature = Convert.ToBase64String(signature),
        };
    }

    /// <summary>
    /// Opens an envelope received on the desired topic: parses it, checks the key is trusted and the signature
    /// matches, then parses the payload. Checks that depend on the device (id, version) are the caller's.
    /// Throws <see cref="ProtocolException"/> with the reason on any failure.
    /// </summary>
    public static DesiredState Verify(ReadOnlySpan<byte> message, TrustAnchors anchors, int maxBytes)
    {
        ArgumentNullException.ThrowIfNull(anchors);
        var envelope = ProtocolJson.Parse<SignedDocument>(message, maxBytes);
        if (envelope.Algorithm != Algorithm)
        {
            throw new ProtocolException(RejectionReason.BadSignature, $"algorithm: '{envelope.Algorithm}' is not {Algorithm}");
        }

        if (!anchors.TryGet(envelope.KeyId, out var publicKey))
        {
            throw new ProtocolException(RejectionReason.UnknownKey, $"keyId: '{envelope.KeyId}' is not a trusted key");
        }

        byte[] payload = DecodeBase64(envelope.Payload, "payload");
        byte[] signature = DecodeBase64(envelope.Signature, "signature");
        if (!publicKey.VerifyData(payload, signature, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation))
        {
            throw new ProtocolException(RejectionReason.BadSignature, $"signature: does not match the payload for key {envelope.KeyId}");
        }

        return ProtocolJson.Parse<DesiredState>(payload, maxBytes);
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
}
