using System.Globalization;

namespace EdgeVisor.Cli.Tests.Fleet;

/// <summary>
/// A real <c>edgevisor fleet broker</c> process on a free loopback port (<c>--port 0</c>, the chosen port read
/// from its first line), optionally with more options such as a data directory.
/// </summary>
public sealed class FleetBrokerProcess : IDisposable
{
    private const string Marker = "edgevisor fleet broker: listening on 127.0.0.1:";
    private readonly EdgevisorProcess _process;

    private FleetBrokerProcess(EdgevisorProcess process, int port)
    {
        _process = process;
        Port = port;
    }

    public int Port { get; }

    public string Address => $"127.0.0.1:{Port}";

    public string Output => _process.Output;

    public static async Task<FleetBrokerProcess> StartAsync(params string[] arguments)
    {
        var process = EdgevisorProcess.Start(AppContext.BaseDirectory, ["fleet", "broker", "--port", "0", .. arguments]);
        try
        {
            string line = await process.WaitForLineAsync(l => l.StartsWith(Marker, StringComparison.Ordinal), TimeSpan.FromSeconds(30), "where it listens");
            int port = int.Parse(line[Marker.Length..], CultureInfo.InvariantCulture);
            return new FleetBrokerProcess(process, port);
        }
        catch
        {
            process.Dispose();
            throw;
        }
    }

    /// <summary>SIGTERM, then the exit code (the broker writes its retained messages before it exits).</summary>
    public Task<int> StopAsync() => _process.StopAsync();

    public void Dispose() => _process.Dispose();
}
