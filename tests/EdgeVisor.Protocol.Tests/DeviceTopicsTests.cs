namespace EdgeVisor.Protocol.Tests;

/// <summary>The topic layout (docs/protocol.md) and the name rule that keeps every name one topic level.</summary>
public class DeviceTopicsTests
{
    [Fact]
    public void Every_topic_of_a_device_is_under_its_subtree()
    {
        Assert.Equal("edgevisor/v1/devices/pi-01/desired", DeviceTopics.Desired("pi-01"));
        Assert.Equal("edgevisor/v1/devices/pi-01/reported", DeviceTopics.Reported("pi-01"));
        Assert.Equal("edgevisor/v1/devices/pi-01/status", DeviceTopics.Status("pi-01"));
        Assert.Equal("edgevisor/v1/devices/pi-01/commands/get-logs", DeviceTopics.Command("pi-01", CommandNames.GetLogs));
        Assert.Equal("edgevisor/v1/devices/pi-01/commands/+", DeviceTopics.AllCommands("pi-01"));
        Assert.Equal("edgevisor/v1/devices/pi-01/events", DeviceTopics.Events("pi-01"));
        Assert.Equal("edgevisor/v1/devices/pi-01/telemetry/agent", DeviceTopics.Telemetry("pi-01", "agent"));
        Assert.Equal("edgevisor/v1/devices/pi-01/logs/sensor", DeviceTopics.Logs("pi-01", "sensor"));
        Assert.Equal("edgevisor/v1/devices/pi-01/replies/controller-ops", DeviceTopics.Replies("pi-01", "controller-ops"));
        Assert.Equal("edgevisor/v1/devices/+/status", DeviceTopics.AllStatus);
    }

    [Theory]
    [InlineData("pi-01/desired")]
    [InlineData("#")]
    [InlineData("a+")]
    [InlineData("pi-01\n")]
    [InlineData("")]
    [InlineData(".")]
    [InlineData("..")]
    public void A_name_that_would_change_the_topic_is_refused(string name)
    {
        Assert.False(Names.IsValid(name));
        Assert.Throws<ArgumentException>(() => DeviceTopics.Desired(name));
        Assert.Throws<ArgumentException>(() => DeviceTopics.Command("pi-01", name));
        Assert.Throws<ArgumentException>(() => DeviceTopics.Logs("pi-01", name));
        Assert.Throws<ArgumentException>(() => DeviceTopics.Telemetry("pi-01", name));
        Assert.Throws<ArgumentException>(() => DeviceTopics.Replies("pi-01", name));
    }

    [Fact]
    public void The_single_level_wildcard_is_accepted_as_the_last_level_for_subscriptions()
    {
        Assert.Equal("edgevisor/v1/devices/pi-01/logs/+", DeviceTopics.Logs("pi-01", "+"));
        Assert.Equal("edgevisor/v1/devices/pi-01/telemetry/+", DeviceTopics.Telemetry("pi-01", "+"));
        Assert.Equal(DeviceTopics.AllCommands("pi-01"), DeviceTopics.Command("pi-01", "+"));
        Assert.False(Names.IsValid("+"));
        Assert.Throws<ArgumentException>(() => DeviceTopics.Desired("+"));
    }

    [Fact]
    public void Names_are_1_to_64_characters()
    {
        Assert.True(Names.IsValid(new string('a', 64)));
        Assert.False(Names.IsValid(new string('a', 65)));
        Assert.True(Names.IsValid("_x.y-Z9"));
    }

    [Theory]
    [InlineData("edgevisor/v1/devices/pi-01/commands/ping", true, "pi-01", "commands/ping")]
    [InlineData("edgevisor/v1/devices/pi-01", true, "pi-01", "")]
    [InlineData("edgevisor/v1/devices/bad+id/status", false, "bad+id", "status")]
    [InlineData("edgevisor/v2/devices/pi-01/status", false, "", "")]
    [InlineData("other/pi-01", false, "", "")]
    public void A_received_topic_splits_into_device_and_rest(string topic, bool ok, string deviceId, string rest)
    {
        Assert.Equal(ok, DeviceTopics.TryParse(topic, out string parsedId, out string parsedRest));
        Assert.Equal((deviceId, rest), (parsedId, parsedRest));
    }
}
