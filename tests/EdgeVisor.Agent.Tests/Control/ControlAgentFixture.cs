using System.Globalization;
using System.Text.RegularExpressions;
using EdgeVisor.Agent.Control;
using EdgeVisor.Agent.Tests.Reconciliation;
using EdgeVisor.Protocol;
using Microsoft.Extensions.Logging.Abstractions;

namespace EdgeVisor.Agent.Tests.Control;

/// <summary>
/// One real reconciler (LiteDB, artifact store, firmware driver) running the sensor-monitor firmware — a line a
/// second, "sensor-monitor: tick N …" — and the hello firmware (prints, exits 0), with a control server on a
/// socket of its own in a fresh temp directory. Shared by the control tests, which only read from it.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Reliability", "CA1001", Justification = "xunit disposes it through IAsyncLifetime.DisposeAsync")]
public sealed partial class ControlAgentFixture : IAsyncLifetime
{
    public const string Sensor = "sensor";
    public const string Hello = "hello";

    private ReconcilerHarness? _harness;
    private ControlServer? _server;

    /// <summary>A directory of this fixture's own (removed at the end); the socket lives in it.</summary>
    public string Directory { get; } = Path.Combine(Path.GetTempPath(), "edgevisor-control-" + Guid.NewGuid().ToString("N")[..8]);

    public string SocketPath => Path.Combine(Directory, "run", "agent.sock");

    internal ReconcilerHarness Harness => _harness ?? throw new InvalidOperationException("the fixture is not started");

    public async Task InitializeAsync()
    {
        _harness = ReconcilerHarness.Start();
        _harness.Deploy(1, TestFirmware.SensorMonitor(Sensor), TestFirmware.Hello(Hello, new RestartPolicy { Mode = RestartModes.Never }));
        await _harness.WaitForReportAsync(r => r.Workloads.Any(w => w.Name == Sensor && w.State == WorkloadState.Running), "the sensor running", 30);
        await _harness.WaitUntilAsync(() => (_harness.Reconciler.Logs(Sensor, 10)?.Count ?? 0) >= 2, "two sensor console lines", 30);
        _server = new ControlServer(SocketPath, _harness.Reconciler, NullLogger<ControlServer>.Instance);
        _server.Start();
    }

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }

        if (_harness is not null)
        {
            await _harness.DisposeAsync();
        }

        if (System.IO.Directory.Exists(Directory))
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
    }

    /// <summary>The tick number of a sensor-monitor line; null for any other line.</summary>
    public static int? TickOf(string line) =>
        TickPattern().Match(line) is { Success: true } match ? int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture) : null;

    [GeneratedRegex(@"sensor-monitor: tick (\d+)")]
    private static partial Regex TickPattern();
}

[CollectionDefinition(Name)]
public sealed class ControlAgentCollection : ICollectionFixture<ControlAgentFixture>
{
    public const string Name = "control agent";
}
