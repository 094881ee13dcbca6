using EdgeVisor.Protocol;

namespace EdgeVisor.Fleet.Client;

/// <summary>How a controller (the <c>edgevisor fleet</c> commands, the demo) reaches the broker.</summary>
public sealed class FleetConnectionOptions
{
    public string Host { get; set; } = "localhost";

    /// <summary>0: 8883 with TLS, 1883 without.</summary>
    public int Port { get; set; }

    public bool UseTls { get; set; }

    /// <summary>PEM CA that signed the broker's certificate; null: the system store.</summary>
    public string? CaFile { get; set; }

    /// <summary>PEM client certificate and key (CN <c>controller…</c>) for brokers that require client certificates.</summary>
    public string? CertificateFile { get; set; }

    public string? KeyFile { get; set; }

    /// <summary>This connection's name: MQTT client id and the last level of its reply topics (unique per run, so two operators never share a session).</summary>
    public string ControllerId { get; set; } = "controller-" + Convert.ToHexStringLower(Guid.NewGuid().ToByteArray().AsSpan(0, 4));

    /// <summary>
    /// The controller identity presented as MQTT user name (brokers without TLS take it as the identity; with a
    /// client certificate the CN counts). <c>controller</c> is the one mosquitto's shipped ACL knows by default.
    /// </summary>
    public string UserName { get; set; } = "controller";

    /// <summary>The controller password when the broker requires one (<c>fleet broker --controller-password-file</c>).</summary>
    public string? Password { get; set; }

    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How long to wait for the broker to hand over retained messages (a safety net; a barrier message normally ends the wait).</summary>
    public TimeSpan RetainedReadTimeout { get; set; } = TimeSpan.FromSeconds(5);

    public int EffectivePort => Port != 0 ? Port : BrokerPorts.Default(UseTls);

    /// <summary><c>host:port</c>, as messages show it.</summary>
    public string Endpoint => Host.Contains(':', StringComparison.Ordinal) ? $"[{Host}]:{EffectivePort}" : $"{Host}:{EffectivePort}";
}
