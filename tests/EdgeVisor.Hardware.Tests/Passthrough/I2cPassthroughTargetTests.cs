using EdgeVisor.Emulation.Peripherals.I2c;
using EdgeVisor.Emulation.Peripherals.Passthrough;
using EdgeVisor.Hardware.Tests.Doubles;

namespace EdgeVisor.Hardware.Tests.Passthrough;

/// <summary>
/// A guest I2C bus address answered by a host device through the System.Device.I2c backend (test I2cDevice):
/// the guest's byte-level transfers become whole host transactions.
/// </summary>
public sealed class I2cPassthroughTargetTests : IDisposable
{
    private const int Address = 0x48;
    private readonly TestHost _host = new();
    private readonly I2cBus _bus = new("i2c1", () => 0);
    private readonly I2cPassthroughTarget _target;
    private readonly List<string> _log = [];

    public I2cPassthroughTargetTests()
    {
        _host.Preset[Address] = [.. Enumerable.Range(0, 64).Select(i => (byte)(0xA0 + i))];
        _target = new I2cPassthroughTarget(_host.Hardware.OpenI2c(1, Address, "i2c1@0x48")) { Log = _log.Add };
        _bus.Attach(Address, _target);
    }

    private TestI2cDevice Device => _host.Devices[Address];

    public void Dispose() => _host.Dispose();

    [Fact]
    public void A_write_transfer_is_sent_as_one_host_write_at_stop()
    {
        Assert.True(_bus.Start(Address, read: false));
        Assert.True(_bus.Write(0x01));
        Assert.True(_bus.Write(0x60));
        Assert.True(_bus.Write(0xA0));
        Assert.Empty(Device.Log); // nothing reaches the host before the transfer ends

        _bus.Stop();

        Assert.Equal(["W 01 60 a0"], Device.Log);
        Assert.Equal(0x60, Device.Registers[1]);
        Assert.Equal(0xA0, Device.Registers[2]);
    }

    [Fact]
    public void A_register_read_with_a_repeated_start_is_one_combined_write_read()
    {
        _bus.Start(Address, read: false);
        _bus.Write(0x05);
        Assert.True(_bus.Start(Address, read: true)); // repeated START
        byte first = _bus.Read(ack: true);
        byte second = _bus.Read(ack: false);
        _bus.Stop();

        Assert.Equal(["WR 05 / 32"], Device.Log);
        Assert.Equal(0xA5, first);
        Assert.Equal(0xA6, second);
    }

    [Fact]
    public void A_write_then_stop_then_read_stays_two_transactions()
    {
        _bus.Start(Address, read: false);
        _bus.Write(0x02);
        _bus.Stop();
        _bus.Start(Address, read: true);
        byte value = _bus.Read(ack: false);
        _bus.Stop();

        Assert.Equal(["W 02", "R 32"], Device.Log);
        Assert.Equal(0xA2, value);
    }

    [Fact]
    public void Reads_are_served_from_one_read_ahead_chunk_and_continue_with_another_past_its_end()
    {
        _target.ReadAheadLength = 4;
        _bus.Start(Address, read: false);
        _bus.Write(0x00);
        _bus.Start(Address, read: true);
        byte[] values = [.. Enumerable.Range(0, 6).Select(i => _bus.Read(ack: i < 5))];
        _bus.Stop();

        Assert.Equal(["WR 00 / 4", "R 4"], Device.Log);
        Assert.Equal([0xA0, 0xA1, 0xA2, 0xA3, 0xA4, 0xA5], values);
    }

    [Fact]
    public void A_host_error_on_a_read_is_an_address_nack_and_a_log_line_not_an_exception()
    {
        Device.Failing = true;
        var traffic = new List<string>();
        _bus.Traffic += e => traffic.Add(e.ToString());

        _bus.Start(Address, read: false);
        _bus.Write(0x00);
        bool ack = _bus.Start(Address, read: true);
        byte value = _bus.Read(ack: false);
        _bus.Stop();

        Assert.False(ack);
        Assert.Equal(0xFF, value); // the idle bus
        Assert.Contains("i2c1: Sr 0x48 R NACK", traffic);
        Assert.Equal(1, _target.Errors);
        Assert.Equal("i2c-1 address 0x48: write-read of 33 bytes failed: Error 121 performing I2C data transfer.", Assert.Single(_log));
    }

    [Fact]
    public void A_host_error_on_a_write_is_logged_at_stop_and_the_next_transfer_works()
    {
        Device.Failing = true;
        _bus.Start(Address, read: false);
        _bus.Write(0x01);
        _bus.Stop();
        Device.Failing = false;
        _bus.Start(Address, read: false);
        _bus.Write(0x01);
        _bus.Write(0x55);
        _bus.Stop();

        Assert.Equal(1, _target.Errors);
        Assert.Single(_log);
        Assert.Equal(0x55, Device.Registers[1]);
    }

    [Fact]
    public void Disposing_the_hardware_closes_the_host_device_and_later_transfers_nack()
    {
        _host.Hardware.Dispose();

        Assert.True(Device.Disposed);
        Assert.False(_bus.Start(Address, read: true));
        _bus.Stop();
        Assert.Equal(1, _target.Errors);
    }

    [Fact]
    public void A_bus_the_host_does_not_have_is_a_clear_error()
    {
        var error = Assert.Throws<HostHardwareException>(() => _host.Hardware.OpenI2c(3, 0x50, "i2c2@0x50"));

        Assert.Equal("i2c2@0x50: this host has no I2C bus i2c-3", error.Message);
    }
}
