using EdgeVisor.Cli.Tests.Firmware;
using EdgeVisor.Testing.Processes;

namespace EdgeVisor.Cli.Tests.Fleet;

/// <summary>
/// The operator's commands driving a real <c>edgevisor agent</c> process through a real <c>edgevisor fleet broker</c>:
/// deploy and wait for convergence, status and devices, commands, removal, and the offline status after a stop.
/// </summary>
public sealed class FleetAgentEndToEndTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("edgevisor-fleet-e2e-").FullName;

    public FleetAgentEndToEndTests()
    {
        foreach (string name in new[] { "sensor-monitor.elf", "sensor-monitor.wiring.json" })
        {
            File.Copy(Path.Combine(FirmwareTree.SourceDirectory, "stm32f4-discovery", name), Path.Combine(_dir, name));
        }

        File.WriteAllText(Path.Combine(_dir, "deploy.json"), """
            { "deploymentId": "greenhouse", "workloads": [
              { "name": "sensor", "kind": "firmware", "artifact": "sensor-monitor.elf",
                "firmware": { "board": "stm32f4-discovery", "wiring": "sensor-monitor.wiring.json" } } ] }
            """);
        File.WriteAllText(Path.Combine(_dir, "remove.json"), """{ "deploymentId": "greenhouse", "workloads": [] }""");
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private Task<ProcessResult> Edgevisor(params string[] arguments) => EdgeVisorCommand.RunInAsync(arguments, _dir);

    /// <summary>A real `edgevisor agent` for device pi-01 on <paramref name="broker"/>, trusting ops.pub.pem.</summary>
    private EdgevisorProcess StartAgent(FleetBrokerProcess broker) => EdgevisorProcess.StartAgent(_dir, broker);

    private static string Describe(ProcessResult result) =>
        $"{result.CommandLine}\nexit {result.ExitCode}\nstdout: {ProcessRunner.AsText(result.Stdout)}\nstderr: {result.Stderr}";

    [Fact]
    public async Task Deploy_wait_converges_a_real_agent_which_then_answers_commands_and_reports_offline_when_stopped()
    {
        Assert.Equal(0, (await Edgevisor("fleet", "keygen", "--out", "ops.pem")).ExitCode);
        using var broker = await FleetBrokerProcess.StartAsync();
        using var agent = StartAgent(broker);

        var deploy = await Edgevisor("fleet", "deploy", "--broker", broker.Address, "--device", "pi-01", "deploy.json", "--key", "ops.pem", "--wait", "--timeout", "40s");
        Assert.True(deploy.ExitCode == 0, Describe(deploy) + "\nagent:\n" + agent.Output);
        string deployed = ProcessRunner.AsText(deploy.Stdout);
        Assert.Contains("  sensor: running", deployed, StringComparison.Ordinal);
        Assert.Contains("pi-01 converged to version 1: sensor running", deployed, StringComparison.Ordinal);

        var status = await Edgevisor("fleet", "status", "--broker", broker.Address, "--device", "pi-01");
        Assert.Matches(@"pi-01\s+online\s+greenhouse\s+1\s+yes\n\s+sensor\s+running", ProcessRunner.AsText(status.Stdout));

        var ping = await Edgevisor("fleet", "command", "--broker", broker.Address, "--device", "pi-01", "ping");
        Assert.True(ping.ExitCode == 0, Describe(ping));
        var logs = await Edgevisor("fleet", "command", "--broker", broker.Address, "--device", "pi-01", "get-logs", "--arg", "workload=sensor", "--arg", "lines=5");
        Assert.True(logs.ExitCode == 0, Describe(logs));
        Assert.Contains("sensor-monitor: tick", ProcessRunner.AsText(logs.Stdout), StringComparison.Ordinal);
        var unknown = await Edgevisor("fleet", "command", "--broker", broker.Address, "--device", "pi-01", "get-logs", "--arg", "workload=nope");
        Assert.True(unknown.ExitCode == 1, Describe(unknown));

        var remove = await Edgevisor("fleet", "deploy", "--broker", broker.Address, "--device", "pi-01", "remove.json", "--key", "ops.pem", "--wait", "--timeout", "40s");
        Assert.True(remove.ExitCode == 0, Describe(remove));
        Assert.Contains("pi-01 converged to version 2: no workloads", ProcessRunner.AsText(remove.Stdout), StringComparison.Ordinal);

        Assert.Equal(0, await agent.StopAsync());
        var devices = await Edgevisor("fleet", "devices", "--broker", broker.Address);
        Assert.Matches(@"pi-01\s+offline", ProcessRunner.AsText(devices.Stdout));
    }

    [Fact]
    public async Task Deploy_wait_reports_a_deployment_signed_by_an_untrusted_key_as_rejected()
    {
        Assert.Equal(0, (await Edgevisor("fleet", "keygen", "--out", "ops.pem")).ExitCode);
        Assert.Equal(0, (await Edgevisor("fleet", "keygen", "--out", "intruder.pem")).ExitCode);
        using var broker = await FleetBrokerProcess.StartAsync();
        using var agent = StartAgent(broker);

        var deploy = await Edgevisor("fleet", "deploy", "--broker", broker.Address, "--device", "pi-01", "deploy.json", "--key", "intruder.pem", "--wait", "--timeout", "40s");
        Assert.True(deploy.ExitCode == 1, Describe(deploy) + "\nagent:\n" + agent.Output);
        Assert.Contains("pi-01 rejected version 1: unknown-key", deploy.Stderr, StringComparison.Ordinal);
    }
}
