using EdgeVisor.Emulation.Machines.Tracing;
using EdgeVisor.Emulation.Peripherals.I2c;

namespace EdgeVisor.Emulation.Machines.Tests.Wiring;

/// <summary>The I2C log: one line per step on the wire, stamped with virtual time.</summary>
public class I2cLogTests
{
    [Fact]
    public void A_register_read_logs_start_write_repeated_start_read_and_stop_with_virtual_times()
    {
        ulong now = 0;
        var bus = new I2cBus("i2c1", () => now);
        bus.Attach(0x48, new TwoByteRegister());
        var text = new StringWriter();
        using (var log = new I2cLog([bus], 16_000_000, text))
        {
            now = 197_536; // 12.346 ms at 16 MHz
            bus.Start(0x48, read: false);
            bus.Write(0x00);
            now += 16; // 1 µs later
            bus.Start(0x48, read: true);
            bus.Read(ack: true);
            bus.Read(ack: false);
            bus.Stop();
            now += 16_000;
            bus.Start(0x50, read: false); // nothing there
            bus.Stop();
            Assert.Equal(8, log.Events.Count);
        }

        Assert.Equal(
            """
            12.346000 ms i2c1: S 0x48 W ACK
            12.346000 ms i2c1: W 0x00 ACK
            12.347000 ms i2c1: Sr 0x48 R ACK
            12.347000 ms i2c1: R 0x19 ACK
            12.347000 ms i2c1: R 0x80 NACK
            12.347000 ms i2c1: P
            13.347000 ms i2c1: S 0x50 W NACK
            13.347000 ms i2c1: P

            """,
            text.ToString());
    }

    /// <summary>Answers every read with 0x19, 0x80 (25.0 °C on a TMP102).</summary>
    private sealed class TwoByteRegister : II2cTarget
    {
        private int _index;

        public bool Start(bool read)
        {
            _index = 0;
            return true;
        }

        public bool Write(byte value) => true;

        public byte Read(bool ack) => _index++ == 0 ? (byte)0x19 : (byte)0x80;

        public void Stop()
        {
        }
    }
}
