using EdgeVisor.Emulation.Peripherals.Devices;
using EdgeVisor.Emulation.Peripherals.I2c;

namespace EdgeVisor.Emulation.Peripherals.Tests.Devices;

/// <summary>
/// Firmware can send any byte sequence: a buggy driver must see whatever the part would answer, never crash the
/// emulator. Random transactions (writes, reads, repeated STARTs, missing STOPs, time passing) against every I2C part.
/// </summary>
public sealed class FirmwareMisuseTests
{
    [Theory]
    [InlineData("tmp102", 0x48)]
    [InlineData("bme280", 0x76)]
    [InlineData("24c02", 0x50)]
    [InlineData("ssd1306", 0x3C)]
    public void Random_transactions_never_throw_and_the_part_keeps_answering(string type, int address)
    {
        var bench = new TestBench(1_000_000);
        var bus = new I2cBus("i2c1", () => bench.Clock.Now);
        var device = SimulatedDeviceCatalog.Create(new DeviceSpec("dut", type), DeviceConnection.OnBus(bus, address), bench.Clock);
        var random = new Random(1234);

        for (int transaction = 0; transaction < 3000; transaction++)
        {
            if (bus.Start(address, read: random.Next(3) == 0))
            {
                int bytes = random.Next(0, 40);
                for (int i = 0; i < bytes; i++)
                {
                    if (random.Next(2) == 0)
                    {
                        bus.Write((byte)random.Next(256));
                    }
                    else
                    {
                        bus.Read(ack: random.Next(4) != 0);
                    }
                }
            }

            if (random.Next(5) != 0)
            {
                bus.Stop();
            }

            bench.Advance((ulong)random.Next(0, 3000));
        }

        bus.Stop();
        bench.Advance(20_000); // any write cycle ends
        Assert.True(bus.Start(address, read: true), $"{type} stopped answering");
        bus.Read(ack: false);
        bus.Stop();
        foreach (string quantity in device.Quantities)
        {
            Assert.False(double.IsNaN(device.Get(quantity)));
        }
    }
}
