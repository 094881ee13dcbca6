using System.Buffers;
using System.Text;
using System.Text.Json.Nodes;
using EdgeVisor.Agent.Commands;
using EdgeVisor.Agent.Tests.EndToEnd;
using EdgeVisor.Agent.Tests.Mqtt;
using EdgeVisor.Protocol;
using EdgeVisor.Testing.Mqtt;
using MQTTnet;
using MQTTnet.Protocol;

namespace EdgeVisor.Agent.Tests.Commands;

/// <summary>
/// A fake of what commands act on (the reconciler is tested on its own): records restarts and restart requests and
/// serves fixed log lines, so these tests are about the MQTT request/response round trip and argument handling.
/// </summary>
public sealed class FakeAgentControl : IAgentControl
{
    public List<string> Restarted { get; } = [];

    public TaskCompletionSource RestartRequested { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task<string?> RestartWorkloadAsync(string workload, CancellationToken cancellation)
    {
        lock (Restarted)
        {
            Restarted.Add(workload);
        }

        return Task.FromResult(workload == "sensor" ? null : $"no workload '{workload}' on this device");
    }

    public IReadOnlyList<string>? Logs(string workload, int lines) =>
        workload == "sensor" ? Enumerable.Range(1, 500).Select(i => $"tick {i}").TakeLast(lines).ToList() : null;

    public void RequestRestart() => RestartRequested.TrySetResult();
}

/// <summary>
/// Fleet commands over real mosquitto, the way a controller sends them: a request on <c>commands/&lt;name&gt;</c> with an
/// MQTT 5 response topic under the device's <c>replies/</c> level and correlation data; the reply comes back there
/// with the same correlation data.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Reliability", "CA1001", Justification = "xunit disposes the fields in IAsyncLifetime.DisposeAsync")]
public sealed class CommandTests : IAsyncLifetime
{
    private const string Device = "dev-cmd";
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(15);
    private readonly MosquittoBroker _broker = MosquittoBroker.StartPlain();
    private readonly FakeAgentControl _control = new();
    private LinkTestBed _bed = null!;
    private IMqttClient _controller = null!;
    private ReceivedMessages _replies = null!;

    private static string ReplyTopic => DeviceTopics.Replies(Device, "controller");

    public async Task InitializeAsync()
    {
        _bed = new LinkTestBed(Device, _broker.Host, _broker.Port);
        _bed.Start(new CommandDispatcher(Device, _control, () => _bed.Link.ConnectedSince, TimeProvider.System, _bed.Logs.CreateLogger("commands")));
        await _bed.WaitConnectedAsync(Timeout);
        _controller = await MqttTestClients.ConnectAsync(_broker, "controller");
        _replies = new ReceivedMessages(_controller);
        _controller.ApplicationMessageReceivedAsync += e =>
        {
            var message = new ReceivedMessage(e.ApplicationMessage.Topic, e.ApplicationMessage.Payload.ToArray(), e.ApplicationMessage.Retain, DateTimeOffset.UtcNow);
            lock (_correlations)
            {
                _correlations.Add((e.ApplicationMessage.CorrelationData ?? [], message));
            }

            return Task.CompletedTask;
        };
        await _controller.SubscribeAsync(DeviceTopics.Subtree(Device) + "/replies/#", MqttQualityOfServiceLevel.AtLeastOnce);
    }

    public async Task DisposeAsync()
    {
        _controller.Dispose();
        await _bed.DisposeAsync();
        _broker.Dispose();
    }

    [Fact]
    public async Task Ping_replies_with_the_device_id_agent_version_uptime_and_connection_time_under_the_requests_correlation_data()
    {
        var response = await SendAsync(CommandNames.Ping, "{}");
        Assert.True(response.Ok, response.Error);
        Assert.Equal(Device, (string?)response.Result!["deviceId"]);
        Assert.Equal(AgentVersion.Current, (string?)response.Result["agentVersion"]);
        Assert.True((double)response.Result["uptimeSeconds"]! >= 0);
        Assert.Equal(_bed.Link.ConnectedSince, DateTimeOffset.Parse((string)response.Result["connectedSince"]!, System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task Get_logs_returns_the_last_lines_asked_for_and_names_the_bad_argument_otherwise()
    {
        var tail = await SendAsync(CommandNames.GetLogs, """{"arguments":{"workload":"sensor","lines":"3"}}""");
        Assert.True(tail.Ok, tail.Error);
        Assert.Equal(["tick 498", "tick 499", "tick 500"], tail.Result!["lines"]!.AsArray().Select(n => (string?)n));

        var byDefault = await SendAsync(CommandNames.GetLogs, """{"arguments":{"workload":"sensor"}}""");
        Assert.Equal(CommandDispatcher.DefaultLogLines, byDefault.Result!["lines"]!.AsArray().Count);

        Assert.Equal("argument 'workload' is missing", (await SendAsync(CommandNames.GetLogs, "{}")).Error);
        Assert.Equal("argument 'lines': '5000' is not a whole number from 1 to 1000", (await SendAsync(CommandNames.GetLogs, """{"arguments":{"workload":"sensor","lines":"5000"}}""")).Error);
        Assert.Equal("argument 'workload': no workload 'pump' on this device", (await SendAsync(CommandNames.GetLogs, """{"arguments":{"workload":"pump"}}""")).Error);
    }

    [Fact]
    public async Task Restart_workload_restarts_it_and_passes_the_reason_back_when_it_cannot()
    {
        var done = await SendAsync(CommandNames.RestartWorkload, """{"arguments":{"workload":"sensor"}}""");
        Assert.True(done.Ok, done.Error);
        var refused = await SendAsync(CommandNames.RestartWorkload, """{"arguments":{"workload":"pump"}}""");
        Assert.False(refused.Ok);
        Assert.Equal("no workload 'pump' on this device", refused.Error);
        Assert.Equal(["sensor", "pump"], _control.Restarted);
    }

    [Fact]
    public async Task Unknown_commands_and_bodies_that_are_not_json_get_a_one_line_error_and_change_nothing()
    {
        var unknown = await SendAsync("format-disk", "{}");
        Assert.False(unknown.Ok);
        Assert.StartsWith("unknown command 'format-disk'", unknown.Error, StringComparison.Ordinal);

        var garbage = await SendAsync(CommandNames.RestartWorkload, "not json");
        Assert.False(garbage.Ok);
        Assert.StartsWith("request body:", garbage.Error, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', garbage.Error!);
        Assert.Empty(_control.Restarted);
    }

    [Fact]
    public async Task Reboot_agent_replies_first_and_then_asks_the_process_to_restart()
    {
        var response = await SendAsync(CommandNames.RebootAgent, "");
        Assert.True(response.Ok, response.Error);
        await _control.RestartRequested.Task.WaitAsync(Timeout);
    }

    [Fact]
    public async Task A_request_whose_response_topic_is_outside_the_devices_replies_level_is_not_executed_or_answered()
    {
        string foreign = DeviceTopics.Replies("other-device", "controller");
        await _controller.SubscribeAsync(foreign, MqttQualityOfServiceLevel.AtLeastOnce);
        await _controller.PublishAsync(Request(CommandNames.RestartWorkload, """{"arguments":{"workload":"sensor"}}""", foreign, [1]));
        await _controller.PublishAsync(Request(CommandNames.RestartWorkload, """{"arguments":{"workload":"sensor"}}""", null, [2]));

        // Requests are taken in order: once a later ping is answered, the two before it have been dealt with.
        var ping = await SendAsync(CommandNames.Ping, "{}");
        Assert.True(ping.Ok);
        Assert.Empty(_replies.On(foreign));
        Assert.Empty(_control.Restarted);
        Assert.Contains("not under", _bed.Logs.Text, StringComparison.Ordinal);
        Assert.Contains("no response topic", _bed.Logs.Text, StringComparison.Ordinal);
    }

    private async Task<CommandResponse> SendAsync(string name, string body)
    {
        byte[] correlation = Guid.NewGuid().ToByteArray();
        await _controller.PublishAsync(Request(name, body, ReplyTopic, correlation));
        var reply = await _replies.WaitForAsync(
            _ => Correlated(correlation),
            Timeout,
            $"the reply to {name}",
            () => _bed.Logs.Text);
        return ProtocolJson.Parse<CommandResponse>(reply.Payload);
    }

    private ReceivedMessage? Correlated(byte[] correlation)
    {
        lock (_correlations)
        {
            return _correlations.FirstOrDefault(pair => pair.Correlation.AsSpan().SequenceEqual(correlation)).Message;
        }
    }

    private readonly List<(byte[] Correlation, ReceivedMessage Message)> _correlations = [];

    private static MqttApplicationMessage Request(string name, string body, string? responseTopic, byte[] correlation)
    {
        var builder = new MqttApplicationMessageBuilder()
            .WithTopic(DeviceTopics.Command(Device, name))
            .WithPayload(Encoding.UTF8.GetBytes(body))
            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
            .WithCorrelationData(correlation);
        if (responseTopic is not null)
        {
            builder.WithResponseTopic(responseTopic);
        }

        return builder.Build();
    }
}
