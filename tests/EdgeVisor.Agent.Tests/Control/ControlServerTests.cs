using System.Net.Sockets;
using System.Text;
using EdgeVisor.Agent.Control;
using EdgeVisor.Protocol;
using Microsoft.Extensions.Logging.Abstractions;

namespace EdgeVisor.Agent.Tests.Control;

/// <summary>
/// The control socket against a real reconciler running firmware: ps answers its report, logs its console tail and
/// then lines written after the request, and whatever is not a request gets one line saying why.
/// </summary>
[Collection(ControlAgentCollection.Name)]
public sealed class ControlServerTests(ControlAgentFixture agent)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(15);

    [Fact]
    public async Task Ps_answers_the_reconcilers_report_of_every_workload()
    {
        using var client = await ControlClient.SendAsync(agent.SocketPath, new ControlRequest { Command = ControlCommands.Ps }, Cts().Token);

        Assert.Equal(ControlStatus.Ok, client.Reply.Status);
        var state = Assert.IsType<ReportedState>(client.Reply.State);
        Assert.Equal(ReconcilerHarnessDevice, state.DeviceId);
        Assert.Equal(1, state.Version);
        var sensor = Assert.Single(state.Workloads, w => w.Name == ControlAgentFixture.Sensor);
        Assert.Equal(WorkloadState.Running, sensor.State);
        Assert.Equal(WorkloadKinds.Firmware, sensor.Kind);
        Assert.Contains(state.Workloads, w => w.Name == ControlAgentFixture.Hello);
        Assert.Null(await client.ReadLineAsync(Cts().Token));
    }

    [Fact]
    public async Task Logs_sends_the_tail_and_closes()
    {
        using var client = await ControlClient.SendAsync(agent.SocketPath, new ControlRequest { Command = ControlCommands.Logs, Workload = ControlAgentFixture.Sensor, Tail = 2 }, Cts().Token);

        Assert.Equal(ControlStatus.Ok, client.Reply.Status);
        var lines = await ReadToEndAsync(client);
        Assert.Equal(2, lines.Count);
        Assert.All(lines, line => Assert.NotNull(ControlAgentFixture.TickOf(line)));
        Assert.True(ControlAgentFixture.TickOf(lines[1]) > ControlAgentFixture.TickOf(lines[0]), string.Join('\n', lines));
    }

    [Fact]
    public async Task Logs_follow_sends_the_tail_then_lines_written_after_the_request()
    {
        using var cts = Cts();
        using var client = await ControlClient.SendAsync(agent.SocketPath, new ControlRequest { Command = ControlCommands.Logs, Workload = ControlAgentFixture.Sensor, Tail = 1, Follow = true }, cts.Token);
        Assert.Equal(ControlStatus.Ok, client.Reply.Status);
        string? tail = await client.ReadLineAsync(cts.Token);
        int lastTick = ControlAgentFixture.TickOf(tail!) ?? throw new Xunit.Sdk.XunitException($"not a tick line: {tail}");

        string? fresh = await client.ReadLineAsync(cts.Token);

        Assert.NotNull(fresh);
        Assert.True(ControlAgentFixture.TickOf(fresh) > lastTick, $"'{fresh}' after '{tail}'");
    }

    [Fact]
    public async Task An_unknown_workload_is_its_own_answer_for_tail_and_follow()
    {
        foreach (bool follow in new[] { false, true })
        {
            using var client = await ControlClient.SendAsync(agent.SocketPath, new ControlRequest { Command = ControlCommands.Logs, Workload = "nope", Follow = follow }, Cts().Token);

            Assert.Equal(ControlStatus.UnknownWorkload, client.Reply.Status);
            Assert.Equal("no workload named 'nope' on this device", client.Reply.Error);
            Assert.Null(await client.ReadLineAsync(Cts().Token));
        }
    }

    [Theory]
    [InlineData("not json\n", "not a request: ")]
    [InlineData("{\"command\":\"reboot\"}\n", "unknown command 'reboot' (this agent answers ps and logs)")]
    [InlineData("{\"workload\":\"sensor\"}\n", "not a request: ")]
    [InlineData("{\"command\":\"logs\"}\n", "logs: name a workload")]
    [InlineData("{\"command\":\"logs\",\"workload\":\"sensor\",\"tail\":-1}\n", "logs: tail -1 is not between 0 and 100000")]
    public async Task What_is_not_a_request_gets_one_line_saying_why(string request, string error)
    {
        string answer = await RawAsync(agent.SocketPath, Encoding.UTF8.GetBytes(request));

        var reply = ProtocolJson.Parse<ControlReply>(Encoding.UTF8.GetBytes(answer.TrimEnd('\n')));
        Assert.Equal(ControlStatus.BadRequest, reply.Status);
        Assert.StartsWith(error, reply.Error, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', reply.Error!);
        Assert.Single(answer.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public async Task A_request_longer_than_4_KiB_is_refused_without_reading_on()
    {
        string answer = await RawAsync(agent.SocketPath, Encoding.UTF8.GetBytes(new string('x', 10_000)));

        var reply = ProtocolJson.Parse<ControlReply>(Encoding.UTF8.GetBytes(answer.TrimEnd('\n')));
        Assert.Equal("the request is longer than 4096 bytes", reply.Error);
    }

    [Fact]
    public async Task Stopping_the_server_ends_a_follower_and_removes_its_socket()
    {
        string path = Path.Combine(agent.Directory, "stop-" + Guid.NewGuid().ToString("N")[..6] + ".sock");
        var server = new ControlServer(path, agent.Harness.Reconciler, NullLogger<ControlServer>.Instance);
        server.Start();
        using var cts = Cts();
        using var client = await ControlClient.SendAsync(path, new ControlRequest { Command = ControlCommands.Logs, Workload = ControlAgentFixture.Sensor, Tail = 0, Follow = true }, cts.Token);
        Assert.Equal(ControlStatus.Ok, client.Reply.Status);
        Assert.NotNull(await client.ReadLineAsync(cts.Token));

        await server.DisposeAsync().AsTask().WaitAsync(Timeout);

        await ReadToEndAsync(client);
        Assert.False(File.Exists(path), "the socket file is left behind");
        var error = await Assert.ThrowsAsync<ControlClientException>(() => ControlClient.SendAsync(path, new ControlRequest { Command = ControlCommands.Ps }, cts.Token));
        Assert.Equal(ControlFailure.NoAgent, error.Failure);
        Assert.Equal($"no agent is answering on {path} (is edgevisor-agent running?)", error.Message);
    }

    private const string ReconcilerHarnessDevice = Reconciliation.ReconcilerHarness.DeviceId;

    private static CancellationTokenSource Cts() => new(Timeout);

    private static async Task<List<string>> ReadToEndAsync(ControlClient client)
    {
        using var cts = Cts();
        var lines = new List<string>();
        while (await client.ReadLineAsync(cts.Token) is { } line)
        {
            lines.Add(line);
        }

        return lines;
    }

    /// <summary>Sends raw bytes (no request framing) and returns everything the server answers until it closes.</summary>
    internal static async Task<string> RawAsync(string path, byte[] bytes)
    {
        using var cts = Cts();
        using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        await socket.ConnectAsync(new UnixDomainSocketEndPoint(path), cts.Token);
        await socket.SendAsync(bytes, SocketFlags.None, cts.Token);
        using var answer = new MemoryStream();
        byte[] buffer = new byte[4096];
        int read;
        try
        {
            while ((read = await socket.ReceiveAsync(buffer, SocketFlags.None, cts.Token)) > 0)
            {
                answer.Write(buffer, 0, read);
            }
        }
        catch (SocketException)
        {
            // Reset: the server closed with unread bytes in its buffer (an oversized request); what came before counts.
        }

        return Encoding.UTF8.GetString(answer.ToArray());
    }
}
