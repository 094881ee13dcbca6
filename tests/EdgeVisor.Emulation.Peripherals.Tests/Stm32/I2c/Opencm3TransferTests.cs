using static EdgeVisor.Emulation.Peripherals.Stm32.I2c.Stm32I2cRegisters;

namespace EdgeVisor.Emulation.Peripherals.Tests.Stm32.I2c;

/// <summary>libopencm3's i2c_transfer7 against a register-file device.</summary>
public class Opencm3TransferTests
{
    private const int Device = 0x50;

    private readonly I2cRig _rig = new();
    private readonly RegisterFileTarget _target;
    private readonly Opencm3StyleDriver _driver;

    public Opencm3TransferTests()
    {
        _rig.Init(ccr: 35 | FastMode, trise: 13); // 400 kHz fast mode
        _target = _rig.Attach(Device);
        _driver = new Opencm3StyleDriver(_rig);
        _target.Memory[0x05] = 0x12;
        _target.Memory[0x06] = 0x34;
    }

    [Fact]
    public void Write_one_register_address_then_read_two_bytes_with_a_repeated_start()
    {
        var buffer = new byte[2];
        _driver.Transfer7(Device, [0x05], buffer);
        _rig.Settle();
        Assert.Equal([0x12, 0x34], buffer);

        // The device sees a pointer write, a repeated START and two reads, the last NACKed, then STOP.
        Assert.Equal(["S W", "W 05", "S R", "R 12 ack", "R 34 nack", "P"], _target.Log);

        // libopencm3 sets STOP only after reading the last byte, so the controller has already begun clocking the
        // next one; the device let go of SDA after the NACK, so that byte is the idle bus's 0xFF.
        Assert.Equal(
            ["i2c1: S 0x50 W ACK", "i2c1: W 0x05 ACK", "i2c1: Sr 0x50 R ACK", "i2c1: R 0x12 ACK", "i2c1: R 0x34 NACK", "i2c1: R 0xFF NACK", "i2c1: P"],
            _rig.Traffic);
        Assert.Equal(0u, _rig.Read(Sr2) & (Busy | Msl));
    }

    [Fact]
    public void Write_only_transfer_ends_with_STOP_after_the_last_BTF()
    {
        _driver.Transfer7(Device, [0x40, 0xAA, 0xBB], []);
        _rig.Settle();
        Assert.Equal([0xAA, 0xBB], _target.Memory[0x40..0x42]);
        Assert.Equal(["S W", "W 40", "W AA", "W BB", "P"], _target.Log);
    }

    [Fact]
    public void Two_transfers_in_a_row_each_wait_for_the_bus_to_be_free()
    {
        var first = new byte[1];
        var second = new byte[1];
        _driver.Transfer7(Device, [0x05], first);
        _driver.Transfer7(Device, [0x06], second);
        _rig.Settle();
        Assert.Equal(0x12, first[0]);
        Assert.Equal(0x34, second[0]);
        Assert.Equal(2, _rig.Traffic.Count(t => t == "i2c1: S 0x50 W ACK"));
        Assert.Equal(2, _rig.Traffic.Count(t => t == "i2c1: P"));
    }
}
