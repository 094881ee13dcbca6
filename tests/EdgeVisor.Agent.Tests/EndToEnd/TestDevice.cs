using System.Text;
using System.Text.Json.Nodes;

namespace EdgeVisor.Agent.Tests.EndToEnd;

/// <summary>
/// One device of an end-to-end test: a temporary directory with its agent.json (broker, certificate, trusted key,
/// short test timings) and its state directory, which every <see cref="StartAgent"/> reuses, so a restart after a
/// crash finds the LiteDB file, the journal and the artifact store the previous process left.
/// </summary>
public sealed class TestDevice : IDisposable
{
    private readonly List<AgentProcess> _processes = [];

    /// <param name="deviceId">The device's id (and its certificate's CN).</param>
    /// <param name="broker">Where its agent connects.</param>
    /// <param name="trustedKeyPem">The deployment key its agent trusts.</param>
    /// <param name="containers">The <c>Agent:Containers</c> section (null: the defaults; a container test gives every device its own runtime root, cgroup, bridge and table).</param>
    public TestDevice(string deviceId, BrokerEndpoint broker, string trustedKeyPem, JsonObject? containers = null)
    {
        DeviceId = deviceId;
        Broker = broker;
        Directory = Path.Combine(Path.GetTempPath(), $"edgevisor-e2e-{deviceId}-{Guid.NewGuid():N}"[..48]);
        System.IO.Directory.CreateDirectory(StateDirectory);
        File.WriteAllText(TrustedKeyFile, trustedKeyPem);
        var configuration = Configuration();
        if (containers is not null)
        {
            configuration[AgentOptions.Section]![nameof(AgentOptions.Containers)] = containers;
        }

        File.WriteAllText(ConfigFile, configuration.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true }));
    }

    public string DeviceId { get; }

    public BrokerEndpoint Broker { get; }

    public string Directory { get; }

    public string StateDirectory => Path.Combine(Directory, "state");

    public string ConfigFile => Path.Combine(Directory, "agent.json");

    public string TrustedKeyFile => Path.Combine(Directory, "trusted.pem");

    /// <summary>This device's agent's control socket (<c>edgevisor ps</c>), in its own directory so agents never share one.</summary>
    public string ControlSocket => Path.Combine(Directory, "agent.sock");

    /// <summary>Every process started for this device, oldest first.</summary>
    public IReadOnlyList<AgentProcess> Processes => _processes;

    /// <summary>Starts <c>edgevisor agent</c> for this device with <paramref name="extraArguments"/> (e.g. <c>--Agent:KillAt=after-fetch</c>).</summary>
    public AgentProcess StartAgent(params string[] extraArguments)
    {
        AgentProcess process = AgentProcess.Start(ConfigFile, Path.Combine(Directory, $"agent-{_processes.Count + 1}"), extraArguments);
        _processes.Add(process);
        return process;
    }

    /// <summary>The last processes' output and the broker's log, for failure messages.</summary>
    public string Describe()
    {
        var text = new StringBuilder();
        foreach (AgentProcess process in _processes.TakeLast(2))
        {
            text.AppendLine(process.Describe());
        }

        return text.ToString();
    }

    /// <summary>
    /// Every line of every console log file under the state directory that mentions <paramref name="marker"/>, in
    /// file order (rotated files first). The log layout belongs to the agent; the test only needs the lines.
    /// </summary>
    public IReadOnlyList<string> ConsoleLines(string marker)
    {
        var lines = new List<string>();
        foreach (string file in System.IO.Directory.EnumerateFiles(StateDirectory, "console.log*", SearchOption.AllDirectories)
                     .Where(f => !f.EndsWith(".part", StringComparison.Ordinal))
                     .OrderByDescending(f => f, StringComparer.Ordinal))
        {
            using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            using var reader = new StreamReader(stream);
            while (reader.ReadLine() is { } line)
            {
                if (line.Contains(marker, StringComparison.Ordinal))
                {
                    lines.Add(line);
                }
            }
        }

        return lines;
    }

    public void Dispose()
    {
        foreach (AgentProcess process in _processes)
        {
            process.Dispose();
        }

        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // a process may still hold a file for a moment; temp cleanup is best effort
        }
    }

    private JsonObject Configuration()
    {
        var broker = new JsonObject
        {
            [nameof(BrokerOptions.Host)] = Broker.Host,
            [nameof(BrokerOptions.Port)] = Broker.Port,
            [nameof(BrokerOptions.UseTls)] = Broker.UsesTls,
            [nameof(BrokerOptions.KeepAliveSeconds)] = 5,
            // Fast reconnects keep broker-restart tests short; the jitter and doubling are the agent's own.
            [nameof(BrokerOptions.ReconnectInitialSeconds)] = 0.2,
            [nameof(BrokerOptions.ReconnectMaxSeconds)] = 1,
            [nameof(BrokerOptions.ConnectTimeoutSeconds)] = 5,
        };
        if (Broker.Ca is { } ca)
        {
            broker[nameof(BrokerOptions.CaFile)] = ca.CaFile;
            broker[nameof(BrokerOptions.CertificateFile)] = ca.DeviceCertificateFile(DeviceId);
            broker[nameof(BrokerOptions.KeyFile)] = ca.DeviceKeyFile(DeviceId);
        }
        else
        {
            broker[nameof(BrokerOptions.Username)] = DeviceId;
        }

        return new JsonObject
        {
            ["Logging"] = new JsonObject { ["LogLevel"] = new JsonObject { ["Default"] = "Information" } },
            [AgentOptions.Section] = new JsonObject
            {
                [nameof(AgentOptions.DeviceId)] = DeviceId,
                [nameof(AgentOptions.StateDirectory)] = StateDirectory,
                [nameof(AgentOptions.Broker)] = broker,
                [nameof(AgentOptions.TrustedKeys)] = new JsonArray(TrustedKeyFile),
                [nameof(AgentOptions.ControlSocket)] = ControlSocket,
                [nameof(AgentOptions.Reconcile)] = new JsonObject
                {
                    [nameof(ReconcileOptions.HealthCheckSeconds)] = 0.3,
                    [nameof(ReconcileOptions.RetryInitialSeconds)] = 0.2,
                    [nameof(ReconcileOptions.RetryMaxSeconds)] = 2,
                    [nameof(ReconcileOptions.StopGraceSeconds)] = 2,
                },
                [nameof(AgentOptions.Artifacts)] = new JsonObject { [nameof(ArtifactOptions.AllowLocalFiles)] = true, [nameof(ArtifactOptions.MinFreeBytes)] = 1024 * 1024 },
            },
        };
    }
}
