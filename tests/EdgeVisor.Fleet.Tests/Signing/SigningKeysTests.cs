using System.Security.Cryptography;
using EdgeVisor.Fleet.Signing;
using EdgeVisor.Fleet.Tests.Support;
using EdgeVisor.Protocol;

namespace EdgeVisor.Fleet.Tests.Signing;

public sealed class SigningKeysTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public void A_generated_key_is_private_to_its_owner_and_its_public_half_is_what_devices_trust()
    {
        string privatePath = _dir.File("ops.pem");
        var (keyId, publicPath) = SigningKeys.Generate(privatePath);

        Assert.Equal(_dir.File("ops.pub.pem"), publicPath);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(privatePath));
        Assert.Contains("BEGIN PRIVATE KEY", File.ReadAllText(privatePath), StringComparison.Ordinal);
        Assert.Contains("BEGIN PUBLIC KEY", File.ReadAllText(publicPath), StringComparison.Ordinal);

        using var anchors = new TrustAnchors();
        Assert.Equal(keyId, anchors.AddPem(File.ReadAllText(publicPath), publicPath));
        using var key = SigningKeys.LoadPrivate(privatePath);
        var state = new DesiredState { DeviceId = "pi-01", DeploymentId = "d", Version = 1, Workloads = [] };
        var verified = DeploymentSignature.Verify(ProtocolJson.Serialize(DeploymentSignature.Sign(state, key)), anchors, 1 << 20);
        Assert.Equal(1, verified.Version);
    }

    [Fact]
    public void Generating_over_an_existing_key_is_refused_and_keeps_the_old_key()
    {
        string privatePath = _dir.File("ops.pem");
        SigningKeys.Generate(privatePath);
        string before = File.ReadAllText(privatePath);
        var e = Assert.Throws<SigningKeyException>(() => SigningKeys.Generate(privatePath));
        Assert.Contains("already exists", e.Message, StringComparison.Ordinal);
        Assert.Equal(before, File.ReadAllText(privatePath));
    }

    [Fact]
    public void Keys_that_cannot_sign_are_refused_naming_the_file()
    {
        SigningKeys.Generate(_dir.File("ops.pem"));
        using var p384 = ECDsa.Create(ECCurve.NamedCurves.nistP384);
        string big = _dir.Write("p384.pem", p384.ExportPkcs8PrivateKeyPem());
        string garbage = _dir.Write("garbage.pem", "hello");

        Assert.Equal($"{_dir.File("none.pem")}: no such key file", Assert.Throws<SigningKeyException>(() => SigningKeys.LoadPrivate(_dir.File("none.pem"))).Message);
        Assert.StartsWith($"{big}: a key on curve", Assert.Throws<SigningKeyException>(() => SigningKeys.LoadPrivate(big)).Message, StringComparison.Ordinal);
        Assert.StartsWith($"{garbage}: not an EC private key in PEM", Assert.Throws<SigningKeyException>(() => SigningKeys.LoadPrivate(garbage)).Message, StringComparison.Ordinal);
        string publicOnly = _dir.File("ops.pub.pem");
        Assert.StartsWith($"{publicOnly}: a public key; signing needs the private key", Assert.Throws<SigningKeyException>(() => SigningKeys.LoadPrivate(publicOnly)).Message, StringComparison.Ordinal);
    }
}
