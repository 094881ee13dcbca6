using EdgeVisor.Emulation.Peripherals.I2c;

namespace EdgeVisor.Emulation.Peripherals.Tests.Stm32.I2c;

/// <summary>The I2cBus fix this controller needs: after a NACKed read the target has let go of SDA.</summary>
public class BusReleaseTests
{
    [Fact]
    public void Bytes_clocked_after_a_NACK_read_the_idle_bus_without_asking_the_target()
    {
        var bus = new I2cBus("i2c1", () => 0);
        var target = new RegisterFileTarget();
        target.Memory[0] = 0x11;
        target.Memory[1] = 0x22;
        bus.Attach(0x50, target);
        bus.Start(0x50, read: true);
        Assert.Equal(0x11, bus.Read(ack: false));
        Assert.Equal(0xFF, bus.Read(ack: false));
        bus.Start(0x50, read: true); // a repeated START addresses it again
        Assert.Equal(0x22, bus.Read(ack: false));
        bus.Stop();
        Assert.Equal(["S R", "R 11 nack", "S R", "R 22 nack", "P"], target.Log);
    }
}
