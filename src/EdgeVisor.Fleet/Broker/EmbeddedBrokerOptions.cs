using System.Net;
using EdgeVisor.Protocol;

namespace EdgeVisor.Fleet.Broker;

/// <summary>How <see cref="EmbeddedBroker"/> listens and whom it lets in.</summary>
public sealed class EmbeddedBrokerOptions
{
    /// <summary>The TCP port; 0 picks a free one (<see cref="EmbeddedBroker.Port"/> tells which).</summary>
    public int Port { get; set; } = BrokerPorts.Plain;

    /// <summary>The address to listen on. Loopback by default: the single-site demo needs nothing else.</summary>
    public IPAddress BindAddress { get; set; } = IPAddress.Loopback;

    /// <summary>Where retained messages are kept across restarts (<c>retained.json</c>); null keeps them in memory only.</summary>
    public string? DataDirectory { get; set; }

    /// <summary>PEM server certificate (with its chain) and key: when set, the broker speaks only TLS on <see cref="Port"/>.</summary>
    public string? TlsCertificateFile { get; set; }

    public string? TlsKeyFile { get; set; }

    /// <summary>
    /// PEM CA bundle that signs client certificates. When set (with TLS), every client must present a certificate
    /// issued by it, and its CN is the client's identity (device id or controller name).
    /// </summary>
    public string? ClientCaFile { get; set; }

    /// <summary>
    /// The password a controller that has no client certificate must present. Null: any client calling itself
    /// <c>controller…</c> is a controller — acceptable on a loopback-only broker, not on a network.
    /// </summary>
    public string? ControllerPassword { get; set; }

    /// <summary>How often changed retained messages are written to disk at most (and once more on stop).</summary>
    public TimeSpan RetainedFlushInterval { get; set; } = TimeSpan.FromMilliseconds(200);

    public bool UsesTls => TlsCertificateFile is not null;
}
