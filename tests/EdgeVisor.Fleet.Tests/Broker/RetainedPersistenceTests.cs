using System.Text;
using EdgeVisor.Fleet.Broker;
using EdgeVisor.Fleet.Tests.Support;
using EdgeVisor.Protocol;

namespace EdgeVisor.Fleet.Tests.Broker;

public sealed class RetainedPersistenceTests
{
    [Fact]
    public async Task Desired_reported_and_status_survive_a_broker_restart_with_a_data_directory()
    {
        using var data = new TempDirectory();
        byte[] desired = Encoding.UTF8.GetBytes("{\"version\":7}");
        byte[] reported = Encoding.UTF8.GetBytes("{\"converged\":true}");
        byte[] cleared = Encoding.UTF8.GetBytes("{\"gone\":true}");
        await using (var broker = await EmbeddedBroker.StartAsync(new EmbeddedBrokerOptions { Port = 0, DataDirectory = data.Path }))
        {
            await using var controller = await TestDevice.ConnectAsync(broker.Port, "controller");
            await controller.PublishAsync(DeviceTopics.Desired("pi-01"), desired, retain: true);
            await controller.PublishAsync(DeviceTopics.Desired("pi-09"), cleared, retain: true);
            await controller.PublishAsync(DeviceTopics.Desired("pi-09"), [], retain: true); // an empty retained message clears it
            await using var device = await TestDevice.ConnectAsync(broker.Port, "pi-01");
            await device.PublishAsync(DeviceTopics.Reported("pi-01"), reported, retain: true);
        }

        Assert.True(File.Exists(data.File("retained.json")), "the broker wrote no retained.json on stop");
        await using (var restarted = await EmbeddedBroker.StartAsync(new EmbeddedBrokerOptions { Port = 0, DataDirectory = data.Path }))
        {
            await using var device = await TestDevice.ConnectAsync(restarted.Port, "pi-01");
            await device.SubscribeAsync(DeviceTopics.Desired("pi-01"));
            var message = await device.NextAsync(DeviceTopics.Desired("pi-01"));
            Assert.Equal(desired, TestDevice.PayloadOf(message));
            Assert.True(message.Retain);

            await using var controller = await TestDevice.ConnectAsync(restarted.Port, "controller");
            await controller.SubscribeAsync("edgevisor/v1/devices/+/+");
            Assert.Equal(reported, TestDevice.PayloadOf(await controller.NextAsync(DeviceTopics.Reported("pi-01"))));
            Assert.DoesNotContain(DeviceTopics.Desired("pi-09"), await controller.TopicsWithinAsync(TimeSpan.FromMilliseconds(300)));
        }
    }

    [Fact]
    public async Task Without_a_data_directory_a_restart_forgets_retained_messages()
    {
        int port;
        await using (var broker = await EmbeddedBroker.StartAsync(new EmbeddedBrokerOptions { Port = 0 }))
        {
            port = broker.Port;
            await using var controller = await TestDevice.ConnectAsync(port, "controller");
            await controller.PublishAsync(DeviceTopics.Desired("pi-01"), [1, 2, 3], retain: true);
        }

        await using var restarted = await EmbeddedBroker.StartAsync(new EmbeddedBrokerOptions { Port = port });
        await using var device = await TestDevice.ConnectAsync(restarted.Port, "pi-01");
        await device.SubscribeAsync(DeviceTopics.Desired("pi-01"));
        Assert.Empty(await device.TopicsWithinAsync(TimeSpan.FromMilliseconds(300)));
    }

    [Fact]
    public async Task A_damaged_retained_file_stops_the_broker_with_the_file_named()
    {
        using var data = new TempDirectory();
        data.Write("retained.json", "{ not json");
        var e = await Assert.ThrowsAsync<BrokerConfigurationException>(() => EmbeddedBroker.StartAsync(new EmbeddedBrokerOptions { Port = 0, DataDirectory = data.Path }));
        Assert.Contains(data.File("retained.json"), e.Message, StringComparison.Ordinal);
    }
}
