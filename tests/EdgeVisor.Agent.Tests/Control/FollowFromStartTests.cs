using EdgeVisor.Agent.Control;
using EdgeVisor.Agent.Tests.Reconciliation;
using EdgeVisor.Protocol;
using Microsoft.Extensions.Logging.Abstractions;

namespace EdgeVisor.Agent.Tests.Control;

/// <summary>
/// <c>edgevisor logs --follow</c> asked for before the workload has started (its log does not exist yet) gets the
/// workload's very first line: a real reconciler whose firmware download is held until the follower is in place.
/// </summary>
public sealed class FollowFromStartTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task A_follower_from_before_the_start_sees_the_workloads_first_line()
    {
        string directory = Path.Combine(Path.GetTempPath(), "edgevisor-follow-" + Guid.NewGuid().ToString("N")[..8]);
        await using var download = new ArtifactHttpServer(TestFirmware.HelloPath, hold: true);
        await using var harness = ReconcilerHarness.Start();
        var server = new ControlServer(Path.Combine(directory, "agent.sock"), harness.Reconciler, NullLogger<ControlServer>.Instance);
        try
        {
            server.Start();
            var hello = TestFirmware.Hello("early", new RestartPolicy { Mode = RestartModes.Never });
            harness.Deploy(1, hello with { Artifact = hello.Artifact with { Url = download.Url } });
            await harness.WaitUntilAsync(() => download.Requests >= 1, "the firmware download to start");
            using var cts = new CancellationTokenSource(Timeout);
            using var client = await ControlClient.SendAsync(Path.Combine(directory, "agent.sock"),
                new ControlRequest { Command = ControlCommands.Logs, Workload = hello.Name, Tail = 0, Follow = true }, cts.Token);
            Assert.Equal(ControlStatus.Ok, client.Reply.Status);

            download.Release();
            string? first = await client.ReadLineAsync(cts.Token);

            var written = harness.Reconciler.Logs(hello.Name, 100);
            Assert.NotNull(first);
            Assert.NotNull(written);
            Assert.Equal(written[0], first);
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
