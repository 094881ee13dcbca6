using EdgeVisor.Emulation.Peripherals.I2c;

namespace EdgeVisor.Emulation.Peripherals.Tests.Foundation;

public class I2cBusTests
{
    private readonly I2cBus _bus = new("i2c1", () => 42);
    private readonly List<I2cBusEvent> _traffic = [];

    public I2cBusTests() => _bus.Traffic += _traffic.Add;

    [Fact]
    public void Nothing_at_an_address_is_a_NACK_and_reads_as_the_idle_bus()
    {
        Assert.False(_bus.Start(0x48, read: true));
        Assert.Equal(0xFF, _bus.Read(ack: false));
        _bus.Stop();
        Assert.Equal("i2c1: S 0x48 R NACK", _traffic[0].ToString());
        Assert.False(_bus.Busy);
    }

    [Fact]
    public void A_transaction_reaches_only_the_addressed_target_in_order()
    {
        var a = new RecordingTarget();
        var b = new RecordingTarget();
        _bus.Attach(0x48, a);
        _bus.Attach(0x50, b);
        Assert.True(_bus.Start(0x50, read: false));
        Assert.True(_bus.Write(0x10));
        Assert.True(_bus.Start(0x50, read: true)); // repeated START to the same device
        Assert.Equal(0xA5, _bus.Read(ack: false));
        _bus.Stop();
        Assert.Empty(a.Log);
        Assert.Equal(["S W", "W 10", "S R", "R nack", "P"], b.Log);
        Assert.True(_traffic[2].Repeated);
        Assert.Equal(42ul, _traffic[^1].Cycle);
    }

    [Fact]
    public void A_repeated_start_to_another_device_ends_the_first_ones_transfer()
    {
        var a = new RecordingTarget();
        var b = new RecordingTarget();
        _bus.Attach(0x48, a);
        _bus.Attach(0x50, b);
        _bus.Start(0x48, read: false);
        _bus.Start(0x50, read: true);
        _bus.Stop();
        Assert.Equal(["S W", "P"], a.Log);
        Assert.Equal(["S R", "P"], b.Log);
    }

    [Fact]
    public void Attaching_twice_or_outside_seven_bits_is_refused_with_the_address()
    {
        _bus.Attach(0x48, new RecordingTarget());
        var e = Assert.Throws<ArgumentException>(() => _bus.Attach(0x48, new RecordingTarget()));
        Assert.Contains("0x48", e.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentOutOfRangeException>(() => _bus.Attach(0x80, new RecordingTarget()));
    }

    private sealed class RecordingTarget : II2cTarget
    {
        public List<string> Log { get; } = [];

        public bool Start(bool read)
        {
            Log.Add(read ? "S R" : "S W");
            return true;
        }

        public bool Write(byte value)
        {
            Log.Add($"W {value:X2}");
            return true;
        }

        public byte Read(bool ack)
        {
            Log.Add(ack ? "R ack" : "R nack");
            return 0xA5;
        }

        public void Stop() => Log.Add("P");
    }
}
