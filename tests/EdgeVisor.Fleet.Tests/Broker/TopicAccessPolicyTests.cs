using EdgeVisor.Fleet.Broker;

namespace EdgeVisor.Fleet.Tests.Broker;

public sealed class TopicAccessPolicyTests
{
    private static readonly ClientIdentity Device = new("pi-01", ClientRole.Device);

    [Theory]
    [InlineData("edgevisor/v1/devices/pi-01/commands/+", true)]
    [InlineData("edgevisor/v1/devices/pi-01/commands/reboot-agent", true)]
    [InlineData("edgevisor/v1/devices/pi-01/commands/#", false)]
    [InlineData("edgevisor/v1/devices/pi-01/+", false)]
    [InlineData("edgevisor/v1/devices/+/commands/+", false)]
    [InlineData("edgevisor/v1/devices/pi-01/desired/extra", false)]
    public void Device_subscriptions_must_stay_inside_what_it_may_read(string filter, bool allowed) =>
        Assert.Equal(allowed, TopicAccessPolicy.CanSubscribe(Device, filter));

    [Theory]
    [InlineData("controller", ClientRole.Controller)]
    [InlineData("controller-7f3a", ClientRole.Controller)]
    [InlineData("controllers", ClientRole.Device)]
    [InlineData("pi-01", ClientRole.Device)]
    public void Names_decide_the_role(string name, ClientRole role) =>
        Assert.Equal(role, ClientIdentity.FromName(name)!.Role);

    [Fact]
    public void Controller_dash_alone_is_neither_a_controller_nor_refused_as_a_device() =>
        Assert.Equal(ClientRole.Device, ClientIdentity.FromName("controller-")!.Role);
}
