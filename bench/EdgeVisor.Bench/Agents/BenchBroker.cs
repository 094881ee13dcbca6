using EdgeVisor.Fleet.Broker;
using EdgeVisor.Testing.Mqtt;

namespace EdgeVisor.Bench.Agents;

/// <summary>
/// The broker the agents and the controller meet on: Debian's mosquitto started from the shipped configuration with
/// its per-device ACL (identity = MQTT username, no TLS), or EdgeVisor's embedded MQTTnet broker in this process.
/// </summary>
internal sealed class BenchBroker : IAsyncDisposable
{
    private readonly MosquittoBroker? _mosquitto;
    private readonly EmbeddedBroker? _embedded;

    private BenchBroker(MosquittoBroker mosquitto)
    {
        _mosquitto = mosquitto;
        Port = mosquitto.Port;
        ProcessId = ProcessWithArgument(mosquitto.ConfigFile);
        Description = $"mosquitto (shipped config + ACL, plain) on 127.0.0.1:{Port}, pid {ProcessId}";
    }

    private BenchBroker(EmbeddedBroker embedded)
    {
        _embedded = embedded;
        Port = embedded.Port;
        Description = $"the embedded MQTTnet broker (ACL by username) on {embedded.Endpoint}, in this process";
    }

    public int Port { get; }

    /// <summary>The broker's own process, whose CPU time is reported separately (null: it runs inside the bench).</summary>
    public int? ProcessId { get; }

    public string Description { get; }

    public static async Task<BenchBroker> StartAsync(string kind, CancellationToken ct) => kind switch
    {
        "mosquitto" => new BenchBroker(MosquittoBroker.StartPlain(acl: true)),
        "embedded" => new BenchBroker(await EmbeddedBroker.StartAsync(new EmbeddedBrokerOptions { Port = 0 }, logger: null, ct)),
        _ => throw new ArgumentException($"--broker {kind}: expected mosquitto or embedded"),
    };

    /// <summary>The broker's log, for a failure message (empty for the embedded broker).</summary>
    public string Describe() => _mosquitto?.Describe() ?? "";

    public async ValueTask DisposeAsync()
    {
        _mosquitto?.Dispose();
        if (_embedded is not null)
        {
            await _embedded.DisposeAsync();
        }
    }

    /// <summary>The pid of the process whose command line contains <paramref name="argument"/> (MosquittoBroker does not expose its process).</summary>
    private static int? ProcessWithArgument(string argument)
    {
        foreach (string directory in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(directory), out int pid))
            {
                try
                {
                    if (File.ReadAllText(Path.Combine(directory, "cmdline")).Split('\0').Contains(argument))
                    {
                        return pid;
                    }
                }
                catch (IOException)
                {
                    // the process ended while we looked
                }
                catch (UnauthorizedAccessException)
                {
                    // not ours
                }
            }
        }

        return null;
    }
}
