using EdgeVisor.Cli.Tests.Firmware;
using EdgeVisor.Testing.Containers.Runtime;
using EdgeVisor.Testing.Processes;
using EdgeVisor.Tests.Containers.Images;
using EdgeVisor.Tests.Containers.Registry;

namespace EdgeVisor.Cli.Tests.Fleet;

/// <summary>
/// An operator ships a container image to a device with nothing but the <c>edgevisor</c> commands: the image in a
/// real docker-registry, `fleet deploy --wait` through a real `fleet broker` to a real `edgevisor agent` running it
/// on runc, `ps` and `logs` on the device, and removal.
/// </summary>
public sealed class FleetContainerEndToEndTests : IAsyncLifetime
{
    private readonly string _dir = Directory.CreateTempSubdirectory("edgevisor-fleet-ctr-").FullName;
    private readonly string _suffix = Guid.NewGuid().ToString("N")[..10];

    private string RuntimeRoot => $"/run/edgevisor-cli-e2e/{_suffix}";

    private string CgroupParent => $"edgevisor-cli-e2e-{_suffix}";

    private string Socket => Path.Combine(_dir, "agent.sock");

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        await RuntimeLeftovers.RemoveAsync("runc", RuntimeRoot, CgroupParent);
        foreach (string mount in File.ReadAllLines("/proc/self/mountinfo").Select(line => line.Split(' ')[4]).Where(point => point.StartsWith(_dir, StringComparison.Ordinal)))
        {
            await ProcessRunner.RunAsync("umount", ["-l", mount], "/", TimeSpan.FromSeconds(10));
        }

        Directory.Delete(_dir, recursive: true);
        if (Directory.Exists(RuntimeRoot))
        {
            Directory.Delete(RuntimeRoot, recursive: true);
        }
    }

    private Task<ProcessResult> Edgevisor(params string[] arguments) => EdgeVisorCommand.RunInAsync(arguments, _dir);

    private static string Describe(ProcessResult result) =>
        $"{result.CommandLine}\nexit {result.ExitCode}\nstdout: {ProcessRunner.AsText(result.Stdout)}\nstderr: {result.Stderr}";

    [Fact]
    public async Task An_image_deployed_with_fleet_deploy_runs_on_the_device_shows_in_ps_and_logs_and_is_removed_again()
    {
        Assert.Equal(0, (await Edgevisor("fleet", "keygen", "--out", "ops.pem")).ExitCode);
        await using var registry = await DockerRegistry.StartAsync();
        var image = BusyboxImage.Create(configure: t => t with { Cmd = ["sh", "-c", "echo hello from the fleet; sleep 600 & wait"] });
        await registry.PushAsync("apps/hello", "1", image);
        string reference = registry.Reference("apps/hello", "1");
        WriteManifest("tag-only.json", $"\"{reference}\"");
        WriteManifest("deploy.json", $"\"{reference}@sha256:{image.PinnedSha256}\"");
        File.WriteAllText(Path.Combine(_dir, "remove.json"), """{ "deploymentId": "shop", "workloads": [] }""");
        using var broker = await FleetBrokerProcess.StartAsync();
        using var agent = EdgevisorProcess.Start(
            _dir,
            "agent",
            "--Agent:DeviceId=pi-01",
            $"--Agent:StateDirectory={Path.Combine(_dir, "state")}",
            "--Agent:Broker:Host=127.0.0.1",
            $"--Agent:Broker:Port={broker.Port}",
            "--Agent:Broker:Username=pi-01",
            $"--Agent:TrustedKeys:0={Path.Combine(_dir, "ops.pub.pem")}",
            $"--Agent:ControlSocket={Socket}",
            $"--Agent:Containers:RuntimeRoot={RuntimeRoot}",
            $"--Agent:Containers:CgroupParent={CgroupParent}",
            "--Agent:Containers:ReserveBytes=0");

        var unpinned = await Edgevisor("fleet", "deploy", "--broker", broker.Address, "--device", "pi-01", "tag-only.json", "--key", "ops.pem");
        Assert.True(unpinned.ExitCode == 78, Describe(unpinned));
        Assert.Contains("workloads[0].artifact: workload 'hello': ", unpinned.Stderr, StringComparison.Ordinal);
        Assert.Contains("names a tag, which can move", unpinned.Stderr, StringComparison.Ordinal);

        var deploy = await Edgevisor("fleet", "deploy", "--broker", broker.Address, "--device", "pi-01", "deploy.json", "--key", "ops.pem", "--wait", "--timeout", "60s");
        Assert.True(deploy.ExitCode == 0, Describe(deploy) + "\nagent:\n" + agent.Output);
        Assert.Contains("pi-01 converged to version 1: hello running", ProcessRunner.AsText(deploy.Stdout), StringComparison.Ordinal);

        var ps = await Edgevisor("ps", "--socket", Socket);
        Assert.True(ps.ExitCode == 0, Describe(ps));
        Assert.Matches(@"hello\s+container\s+running", ProcessRunner.AsText(ps.Stdout));
        string logs = await LogsOnceTheLineIsThereAsync("hello from the fleet");
        Assert.Contains("hello from the fleet", logs, StringComparison.Ordinal);
        Assert.Single(await Containers());

        var remove = await Edgevisor("fleet", "deploy", "--broker", broker.Address, "--device", "pi-01", "remove.json", "--key", "ops.pem", "--wait", "--timeout", "60s");
        Assert.True(remove.ExitCode == 0, Describe(remove));
        Assert.Contains("pi-01 converged to version 2: no workloads", ProcessRunner.AsText(remove.Stdout), StringComparison.Ordinal);
        Assert.Empty(await Containers());
        Assert.Equal(0, await agent.StopAsync());
    }

    private void WriteManifest(string name, string artifact) => File.WriteAllText(Path.Combine(_dir, name), $$"""
        { "deploymentId": "shop", "workloads": [
          { "name": "hello", "kind": "container", "artifact": {{artifact}},
            "container": { "network": { "mode": "none" }, "stopGraceSeconds": 1 } } ] }
        """);

    /// <summary>`edgevisor logs hello` until its output has <paramref name="line"/> (the console is written as the container runs).</summary>
    private async Task<string> LogsOnceTheLineIsThereAsync(string line)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (true)
        {
            var logs = await Edgevisor("logs", "hello", "--socket", Socket);
            Assert.True(logs.ExitCode == 0, Describe(logs));
            string text = ProcessRunner.AsText(logs.Stdout);
            if (text.Contains(line, StringComparison.Ordinal) || DateTime.UtcNow > deadline)
            {
                return text;
            }

            await Task.Delay(200);
        }
    }

    /// <summary>The containers runc has in the agent's root.</summary>
    private async Task<string[]> Containers()
    {
        var list = await ProcessRunner.RunAsync("runc", ["--root", RuntimeRoot, "list", "-q"], "/", TimeSpan.FromSeconds(20));
        Assert.True(list.ExitCode == 0, Describe(list));
        return ProcessRunner.AsText(list.Stdout).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
    }
}
