using System.Security.Cryptography;

namespace EdgeVisor.Protocol;

/// <summary>
/// Deployment signing keys: ECDSA on NIST P-256 (ES256), kept as PEM — the private key as PKCS#8
/// (<c>-----BEGIN PRIVATE KEY-----</c>, stays with the operator), the public key as SubjectPublicKeyInfo
/// (<c>-----BEGIN PUBLIC KEY-----</c>, goes into every device's trusted keys). <c>openssl ecparam -name prime256v1</c>
/// keys work too.
/// </summary>
public static class SigningKey
{
    /// <summary>The OID of NIST P-256 (secp256r1, prime256v1).</summary>
    public const string P256Oid = "1.2.840.10045.3.1.7";

    /// <summary>A new P-256 key pair.</summary>
    public static ECDsa Generate() => ECDsa.Create(ECCurve.NamedCurves.nistP256);

    /// <summary>The private key as unencrypted PKCS#8 PEM; protect the file (mode 0600).</summary>
    public static string ExportPrivatePem(ECDsa key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return key.ExportPkcs8PrivateKeyPem();
    }

    /// <summary>The public half as SubjectPublicKeyInfo PEM, what <see cref="TrustAnchors.AddPem"/> reads.</summary>
    public static string ExportPublicPem(ECDsa key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return key.ExportSubjectPublicKeyInfoPem();
    }

    /// <summary>
    /// Reads a private P-256 key from PEM (PKCS#8 or SEC1 <c>EC PRIVATE KEY</c>); <paramref name="source"/> names
    /// where it came from in the error. Throws <see cref="FormatException"/> for anything else: not PEM, a public
    /// key only, an encrypted key, another curve.
    /// </summary>
    public static ECDsa ImportPrivatePem(string pem, string source)
    {
        ArgumentNullException.ThrowIfNull(pem);
        var key = ECDsa.Create();
        try
        {
            key.ImportFromPem(pem);
            _ = key.ExportParameters(includePrivateParameters: true);
        }
        catch (Exception e) when (e is ArgumentException or CryptographicException)
        {
            key.Dispose();
            throw new FormatException(pem.Contains("ENCRYPTED", StringComparison.Ordinal)
                ? $"{source}: an encrypted private key; give an unencrypted PKCS#8 key (keep the file mode 0600)"
                : pem.Contains("PUBLIC KEY", StringComparison.Ordinal)
                    ? $"{source}: a public key; signing needs the private key"
                    : $"{source}: not an EC private key in PEM ({FirstLine(e.Message)})", e);
        }

        try
        {
            RequireP256(key, source);
        }
        catch
        {
            key.Dispose();
            throw;
        }

        return key;
    }

    /// <summary>Reads <see cref="ImportPrivatePem"/> from a file; the errors name the file.</summary>
    public static ECDsa LoadPrivateFile(string path)
    {
        string pem;
        try
        {
            pem = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new FormatException($"{path}: cannot read the signing key ({FirstLine(e.Message)})", e);
        }

        return ImportPrivatePem(pem, path);
    }

    /// <summary>True when <paramref name="key"/> is on NIST P-256.</summary>
    public static bool IsP256(ECDsa key)
    {
        ArgumentNullException.ThrowIfNull(key);
        var curve = key.ExportParameters(includePrivateParameters: false).Curve;
        return curve.IsNamed && (curve.Oid.Value == P256Oid || curve.Oid.FriendlyName is "nistP256" or "ECDSA_P256" or "secp256r1" or "prime256v1");
    }

    /// <summary>Throws <see cref="FormatException"/> naming <paramref name="source"/> when <paramref name="key"/> is not a P-256 key.</summary>
    public static void RequireP256(ECDsa key, string source)
    {
        if (!IsP256(key))
        {
            var curve = key.ExportParameters(includePrivateParameters: false).Curve;
            string name = curve.IsNamed ? curve.Oid.FriendlyName ?? curve.Oid.Value ?? "unnamed" : "an explicit";
            throw new FormatException($"{source}: a key on curve {name} ({key.KeySize} bits); deployments are signed with P-256 (ES256)");
        }
    }

    private static string FirstLine(string message) => message.Split('\n')[0].TrimEnd('.', ' ');
}
