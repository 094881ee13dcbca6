using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using EdgeVisor.Protocol;

namespace EdgeVisor.Agent.Mqtt;

/// <summary>
/// Checks the broker's certificate against exactly the configured CA (<c>Agent:Broker:CaFile</c>), not the system
/// store: a device trusts its fleet's CA and nothing else. The host name (or IP) must still match the certificate.
/// </summary>
public sealed class BrokerCertificateValidator
{
    private readonly X509Certificate2Collection _roots;
    private readonly string _source;

    public BrokerCertificateValidator(X509Certificate2Collection roots, string source)
    {
        _roots = roots;
        _source = source;
    }

    /// <summary>Why the last certificate was refused (for the connection log line), or null.</summary>
    public string? LastFailure { get; private set; }

    /// <summary>Loads the CA bundle (PEM, one or more certificates).</summary>
    public static BrokerCertificateValidator FromPemFile(string caFile)
    {
        var roots = new X509Certificate2Collection();
        roots.ImportFromPemFile(caFile);
        if (roots.Count == 0)
        {
            throw new FormatException($"{caFile}: no certificate in PEM");
        }

        return new BrokerCertificateValidator(roots, caFile);
    }

    /// <summary>True when <paramref name="certificate"/> chains to one of the configured roots and names the host.</summary>
    /// <param name="certificate">What the broker presented.</param>
    /// <param name="presentedChain">The chain the TLS stack built (its intermediates are used, its trust is not).</param>
    /// <param name="errors">The TLS stack's verdict; only the name check and a missing certificate are taken from it.</param>
    public bool Validate(X509Certificate? certificate, X509Chain? presentedChain, SslPolicyErrors errors)
    {
        if (certificate is null || errors.HasFlag(SslPolicyErrors.RemoteCertificateNotAvailable))
        {
            LastFailure = "the broker presented no certificate";
            return false;
        }

        if (errors.HasFlag(SslPolicyErrors.RemoteCertificateNameMismatch))
        {
            LastFailure = $"the broker certificate ({certificate.Subject}) does not name the configured host";
            return false;
        }

        if (FleetCaTrust.ChainsTo(certificate, _roots, presentedChain, out string status))
        {
            LastFailure = null;
            return true;
        }

        LastFailure = $"the broker certificate ({certificate.Subject}) is not signed by the CA in {_source} ({status})";
        return false;
    }
}
