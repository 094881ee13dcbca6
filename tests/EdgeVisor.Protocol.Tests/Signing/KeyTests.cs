using System.Security.Cryptography;

namespace EdgeVisor.Protocol.Tests.Signing;

/// <summary>Keys as operators handle them: PEM files, with errors that name the file.</summary>
public sealed class KeyTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("edgevisor-keys-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void A_generated_key_round_trips_through_pkcs8_and_spki_pem()
    {
        using var key = SigningKey.Generate();
        string privatePem = SigningKey.ExportPrivatePem(key);
        string publicPem = SigningKey.ExportPublicPem(key);

        Assert.StartsWith("-----BEGIN PRIVATE KEY-----", privatePem, StringComparison.Ordinal);
        Assert.StartsWith("-----BEGIN PUBLIC KEY-----", publicPem, StringComparison.Ordinal);

        using var loaded = SigningKey.ImportPrivatePem(privatePem, "key.pem");
        using var anchors = new TrustAnchors();
        string id = anchors.AddPem(publicPem, "key.pub.pem");
        Assert.Equal(KeyIds.Of(key), KeyIds.Of(loaded));
        Assert.Equal(KeyIds.Of(key), id);

        // Signed with the reloaded key, verified with the exported public key.
        var state = DeploymentSignature.Verify(Documents.Envelope(DeploymentSignature.Sign(Documents.Desired(), loaded)), anchors, 1 << 20);
        Assert.Equal("greenhouse", state.DeploymentId);
    }

    [Fact]
    public void The_key_id_of_the_private_and_public_halves_is_the_same()
    {
        using var key = SigningKey.Generate();
        using var publicOnly = ECDsa.Create();
        publicOnly.ImportFromPem(SigningKey.ExportPublicPem(key));

        Assert.Equal(KeyIds.Of(key), KeyIds.Of(publicOnly));
    }

    [Fact]
    public void A_sec1_ec_private_key_as_openssl_writes_it_loads()
    {
        using var key = SigningKey.Generate();
        string sec1 = key.ExportECPrivateKeyPem();

        using var loaded = SigningKey.ImportPrivatePem(sec1, "openssl.pem");

        Assert.Equal(KeyIds.Of(key), KeyIds.Of(loaded));
    }

    [Fact]
    public void Loading_a_missing_key_file_names_the_file()
    {
        string path = Path.Combine(_directory, "missing.pem");

        var e = Assert.Throws<FormatException>(() => SigningKey.LoadPrivateFile(path));

        Assert.StartsWith($"{path}: cannot read the signing key", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Loading_a_file_that_is_not_a_key_names_the_file()
    {
        string path = Path.Combine(_directory, "notes.pem");
        File.WriteAllText(path, "hello\n");

        var e = Assert.Throws<FormatException>(() => SigningKey.LoadPrivateFile(path));

        Assert.StartsWith($"{path}: not an EC private key in PEM", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Loading_a_public_key_as_the_signing_key_says_so()
    {
        using var key = SigningKey.Generate();
        string path = Path.Combine(_directory, "key.pub.pem");
        File.WriteAllText(path, SigningKey.ExportPublicPem(key));

        var e = Assert.Throws<FormatException>(() => SigningKey.LoadPrivateFile(path));

        Assert.Equal($"{path}: a public key; signing needs the private key", e.Message);
    }

    [Fact]
    public void An_encrypted_private_key_says_so()
    {
        using var key = SigningKey.Generate();
        string pem = key.ExportEncryptedPkcs8PrivateKeyPem("secret", new PbeParameters(PbeEncryptionAlgorithm.Aes128Cbc, HashAlgorithmName.SHA256, 1000));

        var e = Assert.Throws<FormatException>(() => SigningKey.ImportPrivatePem(pem, "enc.pem"));

        Assert.StartsWith("enc.pem: an encrypted private key", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("nistP384")]
    [InlineData("secp256k1")]
    [InlineData("brainpoolP256r1")]
    public void Keys_on_other_curves_are_refused_even_at_256_bits(string curve)
    {
        using var other = ECDsa.Create(ECCurve.CreateFromFriendlyName(curve));
        using var anchors = new TrustAnchors();

        var privateError = Assert.Throws<FormatException>(() => SigningKey.ImportPrivatePem(other.ExportPkcs8PrivateKeyPem(), "other.pem"));
        var publicError = Assert.Throws<FormatException>(() => anchors.AddPem(other.ExportSubjectPublicKeyInfoPem(), "other.pub.pem"));

        Assert.Contains("deployments are signed with P-256", privateError.Message, StringComparison.Ordinal);
        Assert.StartsWith("other.pub.pem: a key on curve", publicError.Message, StringComparison.Ordinal);
        Assert.Equal(0, anchors.Count);
    }

    [Fact]
    public void An_rsa_key_is_refused_as_a_trusted_key()
    {
        using var rsa = RSA.Create(2048);
        using var anchors = new TrustAnchors();

        var e = Assert.Throws<FormatException>(() => anchors.AddPem(rsa.ExportSubjectPublicKeyInfoPem(), "rsa.pem"));

        Assert.StartsWith("rsa.pem: not an EC key in PEM", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Trusted_keys_load_from_a_file_holding_several_keys()
    {
        using var first = SigningKey.Generate();
        using var second = SigningKey.Generate();
        string path = Path.Combine(_directory, "trusted.pem");
        File.WriteAllText(path, $"# fleet keys\n{SigningKey.ExportPublicPem(first)}\n{SigningKey.ExportPublicPem(second)}");
        using var anchors = new TrustAnchors();

        anchors.AddFile(path);

        Assert.Equal(new[] { KeyIds.Of(first), KeyIds.Of(second) }.Order(), anchors.KeyIds.Order());
    }

    [Fact]
    public void A_bundle_with_one_bad_key_adds_none()
    {
        using var good = SigningKey.Generate();
        using var bad = ECDsa.Create(ECCurve.NamedCurves.nistP384);
        using var anchors = new TrustAnchors();

        var e = Assert.Throws<FormatException>(() => anchors.AddPem(SigningKey.ExportPublicPem(good) + "\n" + bad.ExportSubjectPublicKeyInfoPem(), "bundle.pem"));

        Assert.StartsWith("bundle.pem (key 2 of 2): a key on curve", e.Message, StringComparison.Ordinal);
        Assert.Equal(0, anchors.Count);
    }

    [Fact]
    public void A_trusted_private_key_keeps_only_its_public_half()
    {
        using var key = SigningKey.Generate();
        using var anchors = new TrustAnchors();

        string id = anchors.AddPem(SigningKey.ExportPrivatePem(key), "operator.pem");

        Assert.True(anchors.TryGet(id, out var trusted));
        Assert.ThrowsAny<CryptographicException>(() => trusted.ExportParameters(includePrivateParameters: true));
    }

    [Fact]
    public void Trusted_keys_option_entries_are_inline_pem_or_file_paths()
    {
        using var inline = SigningKey.Generate();
        using var fromFile = SigningKey.Generate();
        string path = Path.Combine(_directory, "k.pem");
        File.WriteAllText(path, SigningKey.ExportPublicPem(fromFile));
        using var anchors = new TrustAnchors();

        anchors.AddFileOrPem(SigningKey.ExportPublicPem(inline), "Agent:TrustedKeys:0");
        anchors.AddFileOrPem(path, "Agent:TrustedKeys:1");

        Assert.True(anchors.TryGet(KeyIds.Of(inline), out _));
        Assert.True(anchors.TryGet(KeyIds.Of(fromFile), out _));
        var e = Assert.Throws<FormatException>(() => anchors.AddFileOrPem(Path.Combine(_directory, "nope.pem"), "Agent:TrustedKeys:2"));
        Assert.Contains("nope.pem: cannot read the trusted key file", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_file_without_any_pem_block_is_refused()
    {
        using var anchors = new TrustAnchors();

        var e = Assert.Throws<FormatException>(() => anchors.AddPem("ssh-ed25519 AAAA... operator@laptop", "id.pub"));

        Assert.Equal("id.pub: no PEM key found (expected -----BEGIN PUBLIC KEY-----)", e.Message);
    }
}
