using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Text;
using EdgeVisor.Testing.Processes;

namespace EdgeVisor.Protocol.Tests.Signing;

/// <summary>
/// The signing rules of docs/protocol.md checked against another implementation, the openssl command: keys it
/// makes are trusted with the documented key id, what it signs (context, zero byte, payload) verifies, and what
/// the agent's code signs verifies in openssl. The only difference is the signature encoding (openssl writes DER,
/// the envelope carries P1363 r||s), converted here as the documentation tells other tools to.
/// </summary>
public sealed class OpensslInteropTests : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    private readonly string _directory = Directory.CreateTempSubdirectory("edgevisor-openssl-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task A_document_signed_by_openssl_verifies_and_its_key_id_matches_openssls_digest()
    {
        await OpensslAsync("ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", "key.pem");
        await OpensslAsync("ec", "-in", "key.pem", "-pubout", "-out", "pub.pem");
        await OpensslAsync("pkey", "-pubin", "-in", "pub.pem", "-outform", "DER", "-out", "pub.der");
        string digest = Encoding.ASCII.GetString((await OpensslAsync("dgst", "-sha256", "-r", "pub.der")).Stdout).Split(' ')[0];

        byte[] payload = ProtocolJson.Serialize(Documents.Desired());
        await File.WriteAllBytesAsync(Path.Combine(_directory, "signed.bin"), SignedBytes(payload));
        await OpensslAsync("dgst", "-sha256", "-sign", "key.pem", "-out", "sig.der", "signed.bin");
        byte[] p1363 = DerToP1363(await File.ReadAllBytesAsync(Path.Combine(_directory, "sig.der")));

        using var anchors = new TrustAnchors();
        string keyId = anchors.AddFile(Path.Combine(_directory, "pub.pem"));
        var envelope = new SignedDocument { KeyId = keyId, Payload = Convert.ToBase64String(payload), Signature = Convert.ToBase64String(p1363) };
        var state = DeploymentSignature.Verify(ProtocolJson.Serialize(envelope), anchors, 1 << 20);

        Assert.Equal(digest[..16], keyId);
        Assert.Equal("greenhouse", state.DeploymentId);
    }

    [Fact]
    public async Task A_document_signed_by_edgevisor_verifies_in_openssl()
    {
        using var key = SigningKey.Generate();
        await File.WriteAllTextAsync(Path.Combine(_directory, "pub.pem"), SigningKey.ExportPublicPem(key));
        var envelope = DeploymentSignature.Sign(Documents.Desired(), key);
        await File.WriteAllBytesAsync(Path.Combine(_directory, "signed.bin"), SignedBytes(Convert.FromBase64String(envelope.Payload)));
        await File.WriteAllBytesAsync(Path.Combine(_directory, "sig.der"), P1363ToDer(Convert.FromBase64String(envelope.Signature)));

        var verified = await OpensslAsync("dgst", "-sha256", "-verify", "pub.pem", "-signature", "sig.der", "signed.bin");

        Assert.Equal("Verified OK", Encoding.ASCII.GetString(verified.Stdout).Trim());
    }

    [Fact]
    public async Task An_openssl_pkcs8_signing_key_loads_and_a_p384_one_is_refused_naming_the_file()
    {
        await OpensslAsync("genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", "p256.pem");
        await OpensslAsync("genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-384", "-out", "p384.pem");

        using var p256 = SigningKey.LoadPrivateFile(Path.Combine(_directory, "p256.pem"));
        var e = Assert.Throws<FormatException>(() => SigningKey.LoadPrivateFile(Path.Combine(_directory, "p384.pem")));

        Assert.True(SigningKey.IsP256(p256));
        Assert.StartsWith(Path.Combine(_directory, "p384.pem") + ": a key on curve", e.Message, StringComparison.Ordinal);
    }

    private static byte[] SignedBytes(byte[] payload) => [.. Encoding.ASCII.GetBytes(DeploymentSignature.Context), 0, .. payload];

    private static byte[] DerToP1363(byte[] der)
    {
        var sequence = new AsnReader(der, AsnEncodingRules.DER).ReadSequence();
        byte[] signature = new byte[64];
        FixedWidth(sequence.ReadIntegerBytes().Span).CopyTo(signature.AsSpan(0, 32));
        FixedWidth(sequence.ReadIntegerBytes().Span).CopyTo(signature.AsSpan(32, 32));
        return signature;
    }

    private static byte[] P1363ToDer(byte[] p1363)
    {
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            writer.WriteIntegerUnsigned(p1363.AsSpan(0, 32));
            writer.WriteIntegerUnsigned(p1363.AsSpan(32, 32));
        }

        return writer.Encode();
    }

    /// <summary>A DER INTEGER (minimal, maybe with a leading zero) as exactly 32 big-endian bytes.</summary>
    private static byte[] FixedWidth(ReadOnlySpan<byte> integer)
    {
        integer = integer.TrimStart((byte)0);
        byte[] fixedWidth = new byte[32];
        integer.CopyTo(fixedWidth.AsSpan(32 - integer.Length));
        return fixedWidth;
    }

    private async Task<ProcessResult> OpensslAsync(params string[] arguments)
    {
        var result = await ProcessRunner.RunAsync("openssl", arguments, _directory, Timeout);
        Assert.True(result.ExitCode == 0, $"{result.CommandLine} exited {result.ExitCode}: {result.Stderr}");
        return result;
    }
}
