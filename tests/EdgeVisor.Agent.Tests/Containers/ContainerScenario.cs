using EdgeVisor.Agent.Tests.EndToEnd;
using static EdgeVisor.Agent.Tests.Containers.ContainerSpecs;

namespace EdgeVisor.Agent.Tests.Containers;

/// <summary>
/// The set-up every container end-to-end test starts from: a <see cref="ContainerHost"/>, a
/// <see cref="TestController"/> watching its device from before the agent starts (so it sees every report and
/// event), and the device's agent running. Disposing disconnects the controller, then disposes the host (which
/// stops the agent and removes what it left).
/// </summary>
public sealed class ContainerScenario : IAsyncDisposable
{
    private ContainerScenario(ContainerHost host, TestController controller, AgentProcess agent)
    {
        Host = host;
        Controller = controller;
        Agent = agent;
    }

    public ContainerHost Host { get; }

    public TestDevice Device => Host.Device;

    public TestController Controller { get; }

    /// <summary>The agent the scenario started (later restarts are the test's own <see cref="TestDevice.StartAgent"/>).</summary>
    public AgentProcess Agent { get; }

    /// <summary>
    /// A device named <paramref name="name"/> with its container plumbing, watched by a controller (its workloads'
    /// console lines and telemetry too with <paramref name="watchLogsAndTelemetry"/>), its agent started with
    /// <paramref name="agentArguments"/>.
    /// </summary>
    public static async Task<ContainerScenario> StartAsync(MosquittoFleetFixture fleet, string name, bool watchLogsAndTelemetry = false, params string[] agentArguments)
    {
        ArgumentNullException.ThrowIfNull(fleet);
        ContainerHost host = ContainerHost.Create(fleet, name);
        TestController? controller = null;
        try
        {
            controller = await TestController.ConnectAsync(fleet.Endpoint, fleet.SigningKey);
            await controller.WatchAsync(host.Device.DeviceId);
            if (watchLogsAndTelemetry)
            {
                await controller.WatchLogsAndTelemetryAsync(host.Device.DeviceId);
            }

            return new ContainerScenario(host, controller, host.Device.StartAgent(agentArguments));
        }
        catch
        {
            if (controller is not null)
            {
                await controller.DisposeAsync();
            }

            await host.DisposeAsync();
            throw;
        }
    }

    /// <summary>The agents' output and the broker's log, for failure messages.</summary>
    public string Context() => Device.Describe();

    /// <summary>Waits until a console line of the device's workloads mentions <paramref name="marker"/>.</summary>
    public async Task WaitForConsoleAsync(string marker)
    {
        var deadline = DateTimeOffset.UtcNow + Converge;
        while (Device.ConsoleLines(marker).Count == 0)
        {
            Assert.True(DateTimeOffset.UtcNow < deadline, $"no console line with '{marker}' within {Converge.TotalSeconds} s\n{Context()}");
            await Task.Delay(100);
        }
    }

    public void Deconstruct(out TestDevice device, out TestController controller) => (device, controller) = (Device, Controller);

    public async ValueTask DisposeAsync()
    {
        try
        {
            await Controller.DisposeAsync();
        }
        finally
        {
            await Host.DisposeAsync();
        }
    }
}
