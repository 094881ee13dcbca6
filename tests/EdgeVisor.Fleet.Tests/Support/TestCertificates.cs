using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace EdgeVisor.Fleet.Tests.Support;

/// <summary>
/// A throw-away CA with server and client certificates, written as PEM files the way provisioning's test CA
/// script writes them (certificate and key in separate files), made with .NET's CertificateRequest.
/// </summary>
public sealed class TestCertificates : IDisposable
{
    private readonly TempDirectory _directory = new();
    private readonly ECDsa _caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);

    public TestCertificates(string caName = "EdgeVisor Test CA")
    {
        var request = new CertificateRequest($"CN={caName}", _caKey, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        Ca = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
        CaFile = _directory.Write("ca.pem", Ca.ExportCertificatePem() + "\n");
    }

    public X509Certificate2 Ca { get; }

    public string CaFile { get; }

    public string Directory => _directory.Path;

    /// <summary>Issues a certificate with this CN (server: for localhost/127.0.0.1); returns the PEM file paths and the loaded certificate.</summary>
    public (string CertificateFile, string KeyFile, X509Certificate2 Certificate) Issue(string commonName, bool server = false)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={commonName}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(
            [new Oid(server ? "1.3.6.1.5.5.7.3.1" : "1.3.6.1.5.5.7.3.2")], false));
        if (server)
        {
            var names = new SubjectAlternativeNameBuilder();
            names.AddDnsName("localhost");
            names.AddIpAddress(System.Net.IPAddress.Loopback);
            request.CertificateExtensions.Add(names.Build());
        }

        // The CA's own window, not "now + 30 days" again: a second boundary between the two clocks reads made
        // the leaf outlive its issuer, which CertificateRequest refuses.
        using var issued = request.Create(Ca, Ca.NotBefore, Ca.NotAfter, RandomNumberGenerator.GetBytes(8));
        string certificateFile = _directory.Write($"{commonName}.crt", issued.ExportCertificatePem() + "\n");
        string keyFile = _directory.Write($"{commonName}.key", key.ExportPkcs8PrivateKeyPem() + "\n");
        return (certificateFile, keyFile, X509Certificate2.CreateFromPemFile(certificateFile, keyFile));
    }

    public void Dispose()
    {
        Ca.Dispose();
        _caKey.Dispose();
        _directory.Dispose();
    }
}
