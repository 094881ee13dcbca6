using System.Security.Cryptography;
using System.Text;

namespace EdgeVisor.Protocol.Tests.Signing;

/// <summary>What a device accepts on its desired topic: only documents a trusted key signed, byte for byte, and valid.</summary>
public sealed class DeploymentSignatureTests : IDisposable
{
    private const int MaxBytes = 256 * 1024;

    private readonly TrustAnchors _anchors;
    private readonly ECDsa _key;

    public DeploymentSignatureTests() => (_anchors, _key) = Documents.TrustedKey();

    public void Dispose()
    {
        _anchors.Dispose();
        _key.Dispose();
    }

    [Fact]
    public void A_signed_document_verifies_to_the_same_state()
    {
        var state = Documents.Desired();

        var verified = DeploymentSignature.Verify(Documents.Envelope(DeploymentSignature.Sign(state, _key)), _anchors, MaxBytes);

        Assert.Equal(Documents.Text(ProtocolJson.Serialize(state)), Documents.Text(ProtocolJson.Serialize(verified)));
    }

    [Fact]
    public void The_envelope_names_the_signing_key_and_carries_a_64_byte_p1363_signature()
    {
        var envelope = DeploymentSignature.Sign(Documents.Desired(), _key);

        Assert.Equal(KeyIds.Of(_key), envelope.KeyId);
        Assert.Matches("^[0-9a-f]{16}$", envelope.KeyId);
        Assert.Equal("ES256", envelope.Algorithm);
        Assert.Equal(64, Convert.FromBase64String(envelope.Signature).Length);
        Assert.Equal(ProtocolJson.Serialize(Documents.Desired()), Convert.FromBase64String(envelope.Payload));
    }

    [Fact]
    public void The_signature_covers_the_context_then_a_zero_byte_then_the_payload_bytes()
    {
        // What docs/protocol.md tells other implementations to verify.
        var envelope = DeploymentSignature.Sign(Documents.Desired(), _key);
        byte[] signed = [.. Encoding.ASCII.GetBytes("edgevisor/v1/desired-state"), 0, .. Convert.FromBase64String(envelope.Payload)];

        Assert.True(_key.VerifyData(signed, Convert.FromBase64String(envelope.Signature), HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation));
    }

    [Fact]
    public void Flipping_one_payload_bit_is_a_bad_signature()
    {
        var envelope = DeploymentSignature.Sign(Documents.Desired(), _key);
        byte[] payload = Convert.FromBase64String(envelope.Payload);
        int at = Documents.DesiredJson().IndexOf("\"version\":3", StringComparison.Ordinal) + 10;
        payload[at] ^= 0x01; // version 3 -> 2: still valid JSON, still a valid document

        var e = Reject(envelope with { Payload = Convert.ToBase64String(payload) });

        Assert.Equal(RejectionReason.BadSignature, e.Reason);
        Assert.Equal($"signature: does not match the payload for key {KeyIds.Of(_key)}", e.Message);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(31)]
    [InlineData(63)]
    public void Flipping_one_signature_bit_is_a_bad_signature(int index)
    {
        var envelope = DeploymentSignature.Sign(Documents.Desired(), _key);
        byte[] signature = Convert.FromBase64String(envelope.Signature);
        signature[index] ^= 0x80;

        Assert.Equal(RejectionReason.BadSignature, Reject(envelope with { Signature = Convert.ToBase64String(signature) }).Reason);
    }

    [Fact]
    public void A_signature_from_one_envelope_does_not_verify_another_payload()
    {
        var first = DeploymentSignature.Sign(Documents.Desired(), _key);
        var second = DeploymentSignature.Sign(Documents.Desired() with { Version = 4, Workloads = [] }, _key);

        Assert.Equal(RejectionReason.BadSignature, Reject(first with { Payload = second.Payload }).Reason);
        Assert.Equal(RejectionReason.BadSignature, Reject(second with { Signature = first.Signature }).Reason);
    }

    [Fact]
    public void Re_encoding_the_payload_with_different_whitespace_breaks_the_signature()
    {
        var envelope = DeploymentSignature.Sign(Documents.Desired(), _key);
        string pretty = Documents.DesiredJson().Replace(",", ", ", StringComparison.Ordinal);
        Assert.Equal("pi-01", ProtocolJson.Parse<DesiredState>(Documents.Utf8(pretty)).DeviceId);

        var e = Reject(envelope with { Payload = Convert.ToBase64String(Documents.Utf8(pretty)) });

        Assert.Equal(RejectionReason.BadSignature, e.Reason);
    }

    [Fact]
    public void A_key_the_device_does_not_trust_is_an_unknown_key()
    {
        using var stranger = SigningKey.Generate();

        var e = Reject(DeploymentSignature.Sign(Documents.Desired(), stranger));

        Assert.Equal(RejectionReason.UnknownKey, e.Reason);
        Assert.Equal($"keyId: '{KeyIds.Of(stranger)}' is not a trusted key", e.Message);
    }

    [Fact]
    public void A_trusted_key_id_on_a_signature_made_with_another_key_is_a_bad_signature()
    {
        using var attacker = SigningKey.Generate();
        var forged = DeploymentSignature.Sign(Documents.Desired(), attacker) with { KeyId = KeyIds.Of(_key) };

        Assert.Equal(RejectionReason.BadSignature, Reject(forged).Reason);
    }

    [Fact]
    public void A_bare_desired_state_without_an_envelope_is_unsigned()
    {
        var e = Reject(ProtocolJson.Serialize(Documents.Desired()));

        Assert.Equal(RejectionReason.Unsigned, e.Reason);
        Assert.StartsWith("not a signed envelope (no 'signature' field)", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_envelope_with_an_empty_signature_is_unsigned()
    {
        var envelope = DeploymentSignature.Sign(Documents.Desired(), _key) with { Signature = "" };

        Assert.Equal(RejectionReason.Unsigned, Reject(envelope).Reason);
    }

    [Theory]
    [InlineData("none")]
    [InlineData("HS256")]
    [InlineData("ES384")]
    [InlineData("es256")]
    public void Any_algorithm_but_es256_is_refused(string algorithm)
    {
        var envelope = DeploymentSignature.Sign(Documents.Desired(), _key) with { Algorithm = algorithm };

        var e = Reject(envelope);

        Assert.Equal(RejectionReason.BadSignature, e.Reason);
        Assert.Equal($"algorithm: '{algorithm}' is not supported (only ES256)", e.Message);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(63)]
    [InlineData(65)]
    [InlineData(72)]
    public void A_signature_of_the_wrong_length_is_refused_with_its_length(int length)
    {
        var envelope = DeploymentSignature.Sign(Documents.Desired(), _key);
        byte[] signature = new byte[length];
        Convert.FromBase64String(envelope.Signature).AsSpan(0, Math.Min(length, 64)).CopyTo(signature);
        if (length == 0)
        {
            signature = [0];
        }

        var e = Reject(envelope with { Signature = Convert.ToBase64String(signature) });

        Assert.Equal(RejectionReason.BadSignature, e.Reason);
        Assert.Equal($"signature: {signature.Length} bytes; an ES256 signature is 64 (P1363 r||s)", e.Message);
    }

    [Fact]
    public void A_der_encoded_signature_is_refused()
    {
        var envelope = DeploymentSignature.Sign(Documents.Desired(), _key);
        byte[] der = _key.SignData(Convert.FromBase64String(envelope.Payload), HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence);

        Assert.Equal(RejectionReason.BadSignature, Reject(envelope with { Signature = Convert.ToBase64String(der) }).Reason);
    }

    [Fact]
    public void A_signature_over_the_bare_payload_without_the_context_is_refused()
    {
        // A signature the same key made for some other purpose over the same bytes must not count.
        var envelope = DeploymentSignature.Sign(Documents.Desired(), _key);
        byte[] bare = _key.SignData(Convert.FromBase64String(envelope.Payload), HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);

        Assert.Equal(RejectionReason.BadSignature, Reject(envelope with { Signature = Convert.ToBase64String(bare) }).Reason);
    }

    [Fact]
    public void An_envelope_with_a_second_payload_field_is_malformed()
    {
        // Two payloads: one reader might check the signature of the first and another apply the second.
        var signed = DeploymentSignature.Sign(Documents.Desired(), _key);
        var other = DeploymentSignature.Sign(Documents.Desired() with { Version = 99, Workloads = [] }, _key);
        string json = Documents.Text(Documents.Envelope(signed));
        json = json.Replace("\"signature\":", $"\"payload\":\"{other.Payload}\",\"signature\":", StringComparison.Ordinal);

        var e = Reject(Documents.Utf8(json));

        Assert.Equal(RejectionReason.Malformed, e.Reason);
        Assert.Equal("payload: field 'payload' is given twice in one object", e.Message);
    }

    [Fact]
    public void Payload_or_signature_that_is_not_base64_is_malformed()
    {
        var envelope = DeploymentSignature.Sign(Documents.Desired(), _key);

        Assert.Equal("payload: not base64", Reject(envelope with { Payload = "%%%" }).Message);
        Assert.Equal("signature: not base64", Reject(envelope with { Signature = "%%%" }).Message);
    }

    [Fact]
    public void A_signed_payload_that_is_another_record_is_malformed()
    {
        var reported = new ReportedState { DeviceId = "pi-01", DeploymentId = "greenhouse", Version = 9, Workloads = [new WorkloadReport { Name = "a", Kind = "firmware", State = WorkloadState.Running }] };
        var envelope = DeploymentSignature.SignPayload(ProtocolJson.Serialize(reported), _key);

        var e = Reject(envelope);

        Assert.Equal(RejectionReason.Malformed, e.Reason);
        Assert.Equal("workloads[0]: missing required field 'artifact'", e.Message);
    }

    [Fact]
    public void A_signed_envelope_inside_an_envelope_is_malformed()
    {
        var inner = DeploymentSignature.Sign(Documents.Desired(), _key);
        var outer = DeploymentSignature.SignPayload(Documents.Envelope(inner), _key);

        Assert.Equal(RejectionReason.Malformed, Reject(outer).Reason);
    }

    [Fact]
    public void A_signed_but_invalid_document_is_invalid_and_says_which_deployment_it_was()
    {
        var bad = Documents.Desired(Documents.Firmware("a"), Documents.Firmware("a"));

        var e = Reject(DeploymentSignature.Sign(bad, _key));

        Assert.Equal(RejectionReason.Invalid, e.Reason);
        Assert.Equal("workloads[1].name: 'a' is already the name of workloads[0]", e.Message);
        var rejection = e.ToRejection(Documents.Noon);
        Assert.Equal((RejectionReason.Invalid, "greenhouse", (long?)3), (rejection.Reason, rejection.DeploymentId, rejection.Version));
    }

    [Fact]
    public void Verification_checks_the_kinds_the_device_runs()
    {
        var container = Documents.Container();
        byte[] message = Documents.Envelope(DeploymentSignature.Sign(Documents.Desired(container), _key));

        Assert.Equal(RejectionReason.Invalid, Assert.Throws<ProtocolException>(() => DeploymentSignature.Verify(message, _anchors, MaxBytes)).Reason);
        Assert.Equal(WorkloadKinds.Container, DeploymentSignature.Verify(message, _anchors, MaxBytes, new HashSet<string> { WorkloadKinds.Container }).Workloads[0].Kind);
    }

    [Fact]
    public void An_oversized_envelope_is_too_large()
    {
        byte[] message = Documents.Envelope(DeploymentSignature.Sign(Documents.Desired(), _key));

        var e = Assert.Throws<ProtocolException>(() => DeploymentSignature.Verify(message, _anchors, maxBytes: 200));

        Assert.Equal(RejectionReason.TooLarge, e.Reason);
    }

    [Fact]
    public void An_envelope_of_a_newer_schema_is_unsupported()
    {
        var envelope = DeploymentSignature.Sign(Documents.Desired(), _key) with { Schema = 2 };

        Assert.Equal(RejectionReason.UnsupportedSchema, Reject(envelope).Reason);
    }

    [Fact]
    public void Signing_with_a_key_on_another_curve_is_refused()
    {
        using var p384 = ECDsa.Create(ECCurve.NamedCurves.nistP384);

        var e = Assert.Throws<ArgumentException>(() => DeploymentSignature.Sign(Documents.Desired(), p384));

        Assert.Contains("P-256", e.Message, StringComparison.Ordinal);
    }

    private ProtocolException Reject(SignedDocument envelope) => Reject(Documents.Envelope(envelope));

    private ProtocolException Reject(byte[] message) =>
        Assert.Throws<ProtocolException>(() => DeploymentSignature.Verify(message, _anchors, MaxBytes));
}
