using EdgeVisor.Protocol;
using EdgeVisor.Workloads.Containers;

namespace EdgeVisor.Agent;

/// <summary>
/// The agent's configuration: section <c>Agent</c> of /etc/edgevisor/agent.json, environment variables
/// (<c>EDGEVISOR_Agent__DeviceId</c>) and the command line (<c>--Agent:DeviceId=pi-01</c>), later sources winning.
/// Validated at start (<c>AgentOptionsValidator</c>): a bad value stops the agent with one line naming the key.
/// </summary>
public sealed class AgentOptions
{
    public const string Section = "Agent";

    /// <summary>This device's id (<see cref="Names"/> rules); also the MQTT client id and the topic subtree.</summary>
    public string DeviceId { get; set; } = "";

    /// <summary>Where the LiteDB file, artifact store, staged workloads, workload data and logs live.</summary>
    public string StateDirectory { get; set; } = "/var/lib/edgevisor";

    public BrokerOptions Broker { get; set; } = new();

    /// <summary>PEM files (or inline PEM) of the P-256 public keys deployments may be signed with.</summary>
    public List<string> TrustedKeys { get; set; } = [];

    public ReconcileOptions Reconcile { get; set; } = new();

    public ArtifactOptions Artifacts { get; set; } = new();

    /// <summary>Container workloads: the OCI runtime, registries, the nat network.</summary>
    public ContainerOptions Containers { get; set; } = new();

    /// <summary>
    /// The Unix socket <c>edgevisor ps</c> and <c>edgevisor logs</c> talk to (root only, 0600); null or empty: none.
    /// </summary>
    public string? ControlSocket { get; set; } = "/run/edgevisor/agent.sock";

    /// <summary>Largest desired-state message accepted, in bytes.</summary>
    public int MaxDocumentBytes { get; set; } = 256 * 1024;

    /// <summary>How often the <c>agent</c> telemetry stream (memory, CPU, workloads, outbox) is sampled, in seconds.</summary>
    public double TelemetrySeconds { get; set; } = 60;

    /// <summary>Most messages kept for the broker while it is unreachable; beyond it the oldest telemetry, then events, are dropped.</summary>
    public int OutboxMaxEntries { get; set; } = 10_000;

    /// <summary>How long a graceful stop (SIGTERM) may take: workloads in order, then the offline status.</summary>
    public double ShutdownTimeoutSeconds { get; set; } = 30;

    /// <summary>Fault injection for crash tests: the agent SIGKILLs itself at this point (see <c>FaultPoints</c>). Never set in production.</summary>
    public string? KillAt { get; set; }
}

public sealed class BrokerOptions
{
    public string Host { get; set; } = "localhost";

    /// <summary>0: 8883 with TLS, 1883 without.</summary>
    public int Port { get; set; }

    public bool UseTls { get; set; }

    /// <summary>PEM CA bundle that signed the broker's certificate (null: the system store).</summary>
    public string? CaFile { get; set; }

    /// <summary>PEM client certificate and key for mutual TLS (the device identity).</summary>
    public string? CertificateFile { get; set; }

    public string? KeyFile { get; set; }

    public string? Username { get; set; }

    public string? Password { get; set; }

    public int KeepAliveSeconds { get; set; } = 30;

    /// <summary>Reconnect backoff: first delay, doubling to the maximum, with ±25 % jitter.</summary>
    public double ReconnectInitialSeconds { get; set; } = 1;

    public double ReconnectMaxSeconds { get; set; } = 60;

    /// <summary>How long one connection attempt (TCP, TLS, CONNECT/CONNACK) may take.</summary>
    public double ConnectTimeoutSeconds { get; set; } = 10;

    /// <summary>How long the MQTT session (subscriptions, queued QoS 1 messages) outlives a disconnect.</summary>
    public uint SessionExpirySeconds { get; set; } = 7 * 24 * 3600;
}

public sealed class ReconcileOptions
{
    /// <summary>How long a started workload must keep running before the step "health-check" passes.</summary>
    public double HealthCheckSeconds { get; set; } = 1;

    /// <summary>Retry backoff for failed steps: first delay, doubling to the maximum.</summary>
    public double RetryInitialSeconds { get; set; } = 1;

    public double RetryMaxSeconds { get; set; } = 300;

    /// <summary>How long a stopping workload gets before it is forced.</summary>
    public double StopGraceSeconds { get; set; } = 10;
}

public sealed class ArtifactOptions
{
    /// <summary>Allow <c>file://</c> URLs and absolute paths (air-gapped devices).</summary>
    public bool AllowLocalFiles { get; set; } = true;

    /// <summary>Keep at most this many bytes of artifacts no workload references (garbage collection).</summary>
    public long MaxUnreferencedBytes { get; set; } = 64L * 1024 * 1024;

    /// <summary>Refuse a download that would leave less free space than this.</summary>
    public long MinFreeBytes { get; set; } = 32L * 1024 * 1024;

    public double DownloadTimeoutSeconds { get; set; } = 600;
}
