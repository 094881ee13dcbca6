using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace EdgeVisor.Tests.Containers.Registry;

/// <summary>
/// A test CA and a server certificate it signed for 127.0.0.1, ::1 and localhost, as PEM files: the certificate and
/// key for docker-registry's <c>http.tls</c>, the CA for clients' <c>CaFile</c>. CA and leaf share one validity
/// window, computed once (a leaf must never outlive its CA because a second ticked between two "now"s).
/// Dispose deletes the files.
/// </summary>
public sealed class RegistryCertificates : IDisposable
{
    private RegistryCertificates(string directory) => Directory = directory;

    public string Directory { get; }

    /// <summary>The CA certificate (PEM): what a client configures as <c>CaFile</c>.</summary>
    public string CaFile => Path.Combine(Directory, "ca.pem");

    /// <summary>The server certificate (PEM).</summary>
    public string CertificateFile => Path.Combine(Directory, "server.pem");

    /// <summary>The server's private key (PKCS#8 PEM).</summary>
    public string KeyFile => Path.Combine(Directory, "server.key");

    public static RegistryCertificates Create()
    {
        var certificates = new RegistryCertificates(System.IO.Directory.CreateTempSubdirectory("edgevisor-registry-tls-").FullName);
        DateTimeOffset notBefore = DateTimeOffset.UtcNow.AddDays(-1);
        DateTimeOffset notAfter = notBefore.AddDays(30);

        using var caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var caRequest = new CertificateRequest("CN=EdgeVisor test registry CA", caKey, HashAlgorithmName.SHA256);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(certificateAuthority: true, hasPathLengthConstraint: true, pathLengthConstraint: 0, critical: true));
        caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, critical: true));
        caRequest.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(caRequest.PublicKey, critical: false));
        using X509Certificate2 ca = caRequest.CreateSelfSigned(notBefore, notAfter);

        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=127.0.0.1", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        names.AddIpAddress(IPAddress.IPv6Loopback);
        names.AddDnsName("localhost");
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(certificateAuthority: false, hasPathLengthConstraint: false, pathLengthConstraint: 0, critical: true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, critical: true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], critical: false)); // server authentication
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(ca, includeKeyIdentifier: true, includeIssuerAndSerial: false));
        byte[] serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7f; // a positive serial number
        using X509Certificate2 leaf = request.Create(ca, notBefore, notAfter, serial);

        File.WriteAllText(certificates.CaFile, ca.ExportCertificatePem() + "\n");
        File.WriteAllText(certificates.CertificateFile, leaf.ExportCertificatePem() + "\n");
        File.WriteAllText(certificates.KeyFile, key.ExportPkcs8PrivateKeyPem() + "\n");
        return certificates;
    }

    /// <summary>A chain policy trusting exactly this CA (for the fixture's own pushes).</summary>
    public X509ChainPolicy TrustPolicy()
    {
        var policy = new X509ChainPolicy { TrustMode = X509ChainTrustMode.CustomRootTrust, RevocationMode = X509RevocationMode.NoCheck };
        policy.CustomTrustStore.ImportFromPemFile(CaFile);
        return policy;
    }

    public void Dispose() => System.IO.Directory.Delete(Directory, recursive: true);
}
