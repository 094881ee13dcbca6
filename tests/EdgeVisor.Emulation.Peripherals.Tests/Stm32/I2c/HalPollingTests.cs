using static EdgeVisor.Emulation.Peripherals.Stm32.I2c.Stm32I2cRegisters;

namespace EdgeVisor.Emulation.Peripherals.Tests.Stm32.I2c;

/// <summary>The ST HAL's polling master functions, register by register, against a register-file device.</summary>
public class HalPollingTests
{
    private const int Device = 0x48;

    private readonly I2cRig _rig = new();
    private readonly RegisterFileTarget _target;
    private readonly HalStyleDriver _hal;

    public HalPollingTests()
    {
        _rig.Init();
        _target = _rig.Attach(Device);
        _hal = new HalStyleDriver(_rig);
        for (int i = 0; i < 256; i++)
        {
            _target.Memory[i] = (byte)(0xA0 ^ i);
        }
    }

    [Fact]
    public void Master_transmit_shows_the_StdPeriph_events_and_reaches_the_device_in_order()
    {
        // The composite SR1|SR2<<16 values StdPeriph's I2C_CheckEvent waits for, at each step of a write.
        _rig.Set(Cr1, Start);
        Assert.Equal(Busy << 16, _rig.LastEvent() & ((Busy | Msl) << 16 | Sb)); // START pending: bus busy, not yet master
        _rig.WaitSr1(Sb);
        Assert.Equal(0x0003_0001u, _rig.LastEvent()); // I2C_EVENT_MASTER_MODE_SELECT
        _rig.Write(Dr, Device << 1);
        _rig.WaitSr1(Addr);
        Assert.Equal(0x0007_0082u, _rig.LastEvent()); // ..._TRANSMITTER_MODE_SELECTED (reading SR2 cleared ADDR)
        Assert.Equal(0x0007_0080u, _rig.LastEvent()); // ADDR gone, TxE: I2C_EVENT_MASTER_BYTE_TRANSMITTING
        _rig.Write(Dr, 0x10);
        Assert.Equal(0x0007_0080u, _rig.LastEvent()); // the byte went to the shift register: DR free again
        _rig.Write(Dr, 0x55);
        Assert.Equal(0x0007_0000u, _rig.LastEvent()); // DR now waits behind the byte on the wire: TxE = 0
        _rig.WaitSr1(Btf);
        Assert.Equal(0x0007_0084u, _rig.LastEvent()); // I2C_EVENT_MASTER_BYTE_TRANSMITTED
        _rig.Set(Cr1, Stop);
        _rig.Settle();
        Assert.Equal(0u, _rig.LastEvent()); // STOP: not master, bus free, TxE/BTF cleared
        Assert.Equal(0u, _rig.Read(Cr1) & Stop);
        Assert.Equal(["i2c1: S 0x48 W ACK", "i2c1: W 0x10 ACK", "i2c1: W 0x55 ACK", "i2c1: P"], _rig.Traffic);
        Assert.Equal(0x55, _target.Memory[0x10]);
    }

    [Fact]
    public void HAL_Master_Transmit_writes_every_byte_then_stops()
    {
        Assert.True(_hal.MasterTransmit(Device, [0x20, 1, 2, 3, 4]));
        _rig.Settle();
        Assert.Equal([1, 2, 3, 4], _target.Memory[0x20..0x24]);
        Assert.Equal(["S W", "W 20", "W 01", "W 02", "W 03", "W 04", "P"], _target.Log);
        Assert.Equal(0u, _rig.Read(Sr2) & (Busy | Msl));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(7)]
    public void HAL_Master_Receive_reads_N_bytes_NACKing_only_the_last_and_stopping_without_an_extra_byte(int count)
    {
        var buffer = new byte[count];
        Assert.True(_hal.MasterReceive(Device, buffer));
        _rig.Settle();
        Assert.Equal(_target.Memory[..count], buffer);

        // Exactly count reads on the wire: ACK on all but the last, which is NACKed, then STOP.
        var expected = new List<string> { "i2c1: S 0x48 R ACK" };
        expected.AddRange(Enumerable.Range(0, count).Select(i => $"i2c1: R 0x{_target.Memory[i]:X2} {(i == count - 1 ? "NACK" : "ACK")}"));
        expected.Add("i2c1: P");
        Assert.Equal(expected, _rig.Traffic);
        Assert.Equal(0u, _rig.Read(Sr2) & (Busy | Msl));
        Assert.Equal(0u, _rig.Read(Sr1) & (RxNE | Btf)); // everything was read
    }

    [Fact]
    public void HAL_Mem_Read_sends_the_register_address_then_reads_after_a_repeated_start()
    {
        var buffer = new byte[4];
        Assert.True(_hal.MemRead(Device, 0x30, buffer));
        _rig.Settle();
        Assert.Equal(_target.Memory[0x30..0x34], buffer);
        Assert.Equal(
            ["i2c1: S 0x48 W ACK", "i2c1: W 0x30 ACK", "i2c1: Sr 0x48 R ACK", "i2c1: R 0x90 ACK", "i2c1: R 0x91 ACK", "i2c1: R 0x92 ACK", "i2c1: R 0x93 NACK", "i2c1: P"],
            _rig.Traffic);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(6)]
    public void HAL_Mem_Read_of_N_bytes_returns_the_device_registers_from_the_given_address(int count)
    {
        var buffer = new byte[count];
        Assert.True(_hal.MemRead(Device, 0xD0, buffer));
        _rig.Settle();
        Assert.Equal(_target.Memory[0xD0..(0xD0 + count)], buffer);
        Assert.Equal(count, _target.Log.Count(l => l.StartsWith('R')));
        Assert.EndsWith("nack", _target.Log[^2], StringComparison.Ordinal);
        Assert.Equal("P", _target.Log[^1]);
    }

    [Fact]
    public void HAL_Mem_Write_then_Mem_Read_reads_back_what_was_written()
    {
        Assert.True(_hal.MemWrite(Device, 0x80, [0xDE, 0xAD, 0xBE, 0xEF]));
        var buffer = new byte[4];
        Assert.True(_hal.MemRead(Device, 0x80, buffer));
        _rig.Settle();
        Assert.Equal([0xDE, 0xAD, 0xBE, 0xEF], buffer);
        Assert.Equal(2, _target.Log.Count(l => l == "P"));
    }

    [Fact]
    public void A_read_of_two_bytes_uses_POS_so_the_first_is_ACKed_and_the_second_NACKed()
    {
        var buffer = new byte[2];
        Assert.True(_hal.MasterReceive(Device, buffer));
        _rig.Settle();
        Assert.Equal(["S R", "R A0 ack", "R A1 nack", "P"], _target.Log);
    }
}
