using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using EdgeVisor.Protocol;

namespace EdgeVisor.Fleet.Broker;

/// <summary>Loads the broker's certificate and checks client certificates against exactly the configured CA.</summary>
internal sealed class BrokerTls : IDisposable
{
    private readonly X509Certificate2Collection _clientCas;

    private BrokerTls(X509Certificate2 serverCertificate, X509Certificate2Collection clientCas)
    {
        ServerCertificate = serverCertificate;
        _clientCas = clientCas;
    }

    public X509Certificate2 ServerCertificate { get; }

    public bool RequiresClientCertificates => _clientCas.Count > 0;

    /// <summary>Reads the PEM files; a missing or unreadable file is a <see cref="BrokerConfigurationException"/> naming it.</summary>
    public static BrokerTls Load(string certificateFile, string keyFile, string? clientCaFile)
    {
        X509Certificate2 certificate;
        try
        {
            certificate = X509Certificate2.CreateFromPemFile(certificateFile, keyFile);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or CryptographicException or ArgumentException)
        {
            throw new BrokerConfigurationException($"TLS certificate {certificateFile} with key {keyFile}: {e.Message}", e);
        }

        var cas = new X509Certificate2Collection();
        if (clientCaFile is not null)
        {
            try
            {
                cas.ImportFromPemFile(clientCaFile);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or CryptographicException or ArgumentException)
            {
                certificate.Dispose();
                throw new BrokerConfigurationException($"client CA {clientCaFile}: {e.Message}", e);
            }

            if (cas.Count == 0)
            {
                certificate.Dispose();
                throw new BrokerConfigurationException($"client CA {clientCaFile}: no certificate in it");
            }
        }

        return new BrokerTls(certificate, cas);
    }

    /// <summary>
    /// The TLS handshake's client-certificate check: a certificate must be present and chain to one of the
    /// configured CAs (the system store is not consulted: a public CA must not be able to mint device identities).
    /// </summary>
    public bool ValidateClientCertificate(object sender, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        if (!RequiresClientCertificates)
        {
            return true;
        }

        if (certificate is null)
        {
            return false;
        }

        // Only the certificate itself is checked against the CAs; the intermediates the client sent are not used.
        return FleetCaTrust.ChainsTo(certificate, _clientCas, presentedChain: null, out _);
    }

    public void Dispose()
    {
        ServerCertificate.Dispose();
        foreach (var ca in _clientCas)
        {
            ca.Dispose();
        }
    }
}

/// <summary>The broker cannot start with its options (bad TLS files, unreadable data directory, port in use).</summary>
public sealed class BrokerConfigurationException : Exception
{
    public BrokerConfigurationException()
    {
    }

    public BrokerConfigurationException(string message)
        : base(message)
    {
    }

    public BrokerConfigurationException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
