using System.Security.Cryptography.X509Certificates;

namespace EdgeVisor.Protocol;

/// <summary>
/// The one certificate check of the fleet's TLS links, used by devices and controllers for the broker's certificate
/// and by the embedded broker for client certificates: a certificate is trusted when it chains to one of exactly
/// the configured CA certificates — never the system store, so a public CA can mint neither a broker nor a device
/// identity. Revocation is not checked (a fleet CA publishes no CRL or OCSP).
/// </summary>
public static class FleetCaTrust
{
    /// <summary>
    /// True when <paramref name="certificate"/> chains to one of <paramref name="roots"/>. Intermediates the peer sent
    /// in <paramref name="presentedChain"/> may complete the path; their trust is not taken. On false,
    /// <paramref name="status"/> lists why (the chain's status flags).
    /// </summary>
    public static bool ChainsTo(X509Certificate certificate, X509Certificate2Collection roots, X509Chain? presentedChain, out string status)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        using var leaf = X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(roots);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        if (presentedChain is not null)
        {
            foreach (var element in presentedChain.ChainElements)
            {
                chain.ChainPolicy.ExtraStore.Add(element.Certificate);
            }
        }

        bool trusted = chain.Build(leaf);
        status = trusted ? "" : string.Join(", ", chain.ChainStatus.Select(c => c.Status.ToString()).Distinct());
        return trusted;
    }
}
