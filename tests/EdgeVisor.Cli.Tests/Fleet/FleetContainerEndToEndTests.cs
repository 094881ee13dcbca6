using EdgeVisor.Cli.Tests.Firmware;
using EdgeVisor.Testing.Containers.Runtime;
using EdgeVisor.Testing.Processes;
using EdgeVisor.Tests.Containers.Images;
using EdgeVisor.Tests.Containers.Registry;

namespace EdgeVisor.Cli.Tests.Fleet;

/// <summary>
/// An operator ships a container image to a device with nothing but the <c>edgevisor</c> commands: the image in a
/// real docker-registry named by its tag (pinned to its digest at deploy time), `fleet deploy --wait` through a real
/// `fleet broker` to a real `edgevisor agent` running it on runc, `ps` and `logs` on the device, and removal.
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
        foreach (string mount in RuntimeLeftovers.MountsUnder(_dir))
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
        WriteManifest("missing-tag.json", $"\"{registry.Reference("apps/hello", "2")}\"");
        WriteManifest("deploy.json", $"\"{reference}\"");
        File.WriteAllText(Path.Combine(_dir, "remove.json"), """{ "deploymentId": "shop", "workloads": [] }""");
        using var broker = await FleetBrokerProcess.StartAsync();
        using var agent = EdgevisorProcess.StartAgent(
            _dir,
            broker,
            $"--Agent:ControlSocket={Socket}",
            $"--Agent:Containers:RuntimeRoot={RuntimeRoot}",
            $"--Agent:Containers:CgroupParent={CgroupParent}",
            "--Agent:Containers:ReserveBytes=0");

        var missing = await Edgevisor("fleet", "deploy", "--broker", broker.Address, "--device", "pi-01", "missing-tag.json", "--key", "ops.pem");
        Assert.True(missing.ExitCode == 78, Describe(missing));
        Assert.Contains("workloads[0].artifact: workload 'hello': ", missing.Stderr, StringComparison.Ordinal);
        Assert.Contains("cannot look up the digest of its tag: registry ", missing.Stderr, StringComparison.Ordinal);
        Assert.Contains("not found", missing.Stderr, StringComparison.Ordinal);

        var deploy = await Edgevisor("fleet", "deploy", "--broker", broker.Address, "--device", "pi-01", "deploy.json", "--key", "ops.pem", "--wait", "--timeout", "60s");
        Assert.True(deploy.ExitCode == 0, Describe(deploy) + "\nagent:\n" + agent.Output);
        Assert.Contains("pi-01 converged to version 1: hello running", ProcessRunner.AsText(deploy.Stdout), StringComparison.Ordinal);

        var status = await Edgevisor("fleet", "status", "--broker", broker.Address, "--device", "pi-01", "--json");
        Assert.Contains(image.PinnedSha256, ProcessRunner.AsText(status.Stdout), StringComparison.Ordinal); // the tag was pinned to what it named

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

    [Fact]
    public async Task Fleet_deploy_looks_tags_up_in_a_private_registry_with_the_operators_docker_login()
    {
        Assert.Equal(0, (await Edgevisor("fleet", "keygen", "--out", "ops.pem")).ExitCode);
        await using var registry = await DockerRegistry.StartWithBasicAuthAsync("ops", "s3cret");
        await registry.PushAsync("apps/hello", "1", BusyboxImage.Create());
        WriteManifest("deploy.json", $"\"{registry.Reference("apps/hello", "1")}\"");
        string login = Convert.ToBase64String("ops:s3cret"u8);
        File.WriteAllText(Path.Combine(_dir, "auth.json"), $$"""{ "auths": { "{{registry.Host}}": { "auth": "{{login}}" } } }""");
        using var broker = await FleetBrokerProcess.StartAsync();
        string[] deploy = ["fleet", "deploy", "--broker", broker.Address, "--device", "pi-01", "deploy.json", "--key", "ops.pem"];

        var anonymous = await EdgeVisorCommand.RunInWithAsync(["REGISTRY_AUTH_FILE=" + Path.Combine(_dir, "no-such-auth.json"), "DOCKER_CONFIG=" + _dir], deploy, _dir);
        var loggedIn = await EdgeVisorCommand.RunInWithAsync(["REGISTRY_AUTH_FILE=" + Path.Combine(_dir, "auth.json")], deploy, _dir);

        Assert.True(anonymous.ExitCode == 78, Describe(anonymous));
        Assert.Contains("cannot look up the digest of its tag: registry ", anonymous.Stderr, StringComparison.Ordinal);
        Assert.Contains("unauthorized", anonymous.Stderr, StringComparison.Ordinal);
        Assert.True(loggedIn.ExitCode == 0, Describe(loggedIn));
        Assert.Contains("deployed shop version 1 to pi-01: 1 workload(s)", ProcessRunner.AsText(loggedIn.Stdout), StringComparison.Ordinal);
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
