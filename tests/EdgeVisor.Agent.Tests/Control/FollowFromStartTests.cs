using EdgeVisor.Agent.Control;
using EdgeVisor.Agent.Tests.Reconciliation;
using EdgeVisor.Protocol;
using Microsoft.Extensions.Logging.Abstractions;

namespace EdgeVisor.Agent.Tests.Control;

/// <summary>
/// <c>edgevisor logs --follow</c> asked for before the workload has started (its log does not exist yet) gets the
/// workload's very first line: a real reconciler whose image download is held until the follower is in place, and a
/// container that writes that line as it starts.
/// </summary>
public sealed class FollowFromStartTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task A_follower_from_before_the_start_sees_the_workloads_first_line()
    {
        string directory = Path.Combine(Path.GetTempPath(), "edgevisor-follow-" + Guid.NewGuid().ToString("N")[..8]);
        await using var download = new ArtifactHttpServer(TestFirmware.HelloPath, hold: true);
        // Its containers write their first line the moment they start: no time for a follower to come looking.
        var driver = new PreparingDriver { FirstLine = "first words" };
        await using var harness = ReconcilerHarness.Start(extraDriver: driver);
        var server = new ControlServer(Path.Combine(directory, "agent.sock"), harness.Reconciler, NullLogger<ControlServer>.Instance);
        try
        {
            server.Start();
            var early = new WorkloadSpec
            {
                Name = "early",
                Kind = WorkloadKinds.Container,
                Artifact = TestFirmware.Local(TestFirmware.HelloPath) with { Url = download.Url },
                Container = new ContainerSpec(),
            };
            harness.Deploy(1, early);
            await harness.WaitUntilAsync(() => download.Requests >= 1, "the image download to start");
            using var cts = new CancellationTokenSource(Timeout);
            using var client = await ControlClient.SendAsync(Path.Combine(directory, "agent.sock"),
                new ControlRequest { Command = ControlCommands.Logs, Workload = early.Name, Tail = 0, Follow = true }, cts.Token);
            Assert.Equal(ControlStatus.Ok, client.Reply.Status);

            download.Release();
            string? first = await client.ReadLineAsync(cts.Token);

            Assert.Equal("first words", first);
            Assert.Equal(["first words"], harness.Reconciler.Logs(early.Name, 100));
        }
        finally
        {
            await server.DisposeAsync();
            if (Directory.Exists(directory))
            {
                Directory.Delete(directory, recursive: true);
            }
        }
    }
}
