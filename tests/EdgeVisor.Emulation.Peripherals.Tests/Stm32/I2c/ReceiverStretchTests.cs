using static EdgeVisor.Emulation.Peripherals.Stm32.I2c.Stm32I2cRegisters;

namespace EdgeVisor.Emulation.Peripherals.Tests.Stm32.I2c;

/// <summary>The master receiver pumps bytes on its own and stretches SCL (BTF) only when DR and the shift register are full.</summary>
public class ReceiverStretchTests
{
    private const ulong ByteCycles = 9 * 1680; // 100 kHz at PCLK1 42 MHz, 168 MHz core

    private readonly I2cRig _rig = new();
    private readonly RegisterFileTarget _target;

    public ReceiverStretchTests()
    {
        _rig.Init();
        _target = _rig.Attach(0x48);
        for (int i = 0; i < 8; i++)
        {
            _target.Memory[i] = (byte)(0x10 + i);
        }
    }

    private ulong AddressForRead()
    {
        _rig.Set(Cr1, Ack);
        _rig.Set(Cr1, Start);
        _rig.WaitSr1(Sb);
        _rig.Write(Dr, (0x48 << 1) | 1);
        _rig.WaitSr1(Addr);
        Assert.Equal(0x0003_0002u, _rig.LastEvent()); // I2C_EVENT_MASTER_RECEIVER_MODE_SELECTED; ADDR now cleared
        return _rig.Now;
    }

    [Fact]
    public void Unread_bytes_fill_DR_then_the_shift_register_and_the_bus_stops_there()
    {
        ulong released = AddressForRead();
        _rig.Bench.AdvanceTo(released + ByteCycles - 1);
        Assert.Equal(0u, _rig.I2c.Read(Sr1, 4) & RxNE);
        _rig.Bench.AdvanceTo(released + ByteCycles);
        Assert.Equal(RxNE, _rig.I2c.Read(Sr1, 4) & (RxNE | Btf));
        _rig.Bench.AdvanceTo(released + (2 * ByteCycles));
        Assert.Equal(RxNE | Btf, _rig.I2c.Read(Sr1, 4) & (RxNE | Btf)); // 0x40 | 0x04: I2C_EVENT_MASTER_BYTE_RECEIVED plus BTF

        _rig.Bench.Advance(50 * ByteCycles);
        Assert.Equal(["S R", "R 10 ack", "R 11 ack"], _target.Log); // SCL stretched: nothing more was clocked

        Assert.Equal(0x10u, _rig.Read(Dr)); // DR takes the held byte and the next one starts
        Assert.Equal(RxNE, _rig.I2c.Read(Sr1, 4) & (RxNE | Btf));
        _rig.Bench.Advance(ByteCycles);
        Assert.Equal(["S R", "R 10 ack", "R 11 ack", "R 12 ack"], _target.Log);
    }

    [Fact]
    public void With_POS_the_ACK_bit_cleared_during_ADDR_NACKs_the_second_byte_not_the_first()
    {
        _rig.Set(Cr1, Ack | Start);
        _rig.WaitSr1(Sb);
        _rig.Write(Dr, (0x48 << 1) | 1);
        _rig.WaitSr1(Addr);
        _rig.Write(Cr1, (_rig.Read(Cr1) & ~Ack) | Pos);
        _rig.Read(Sr2);
        _rig.WaitSr1(Btf);
        Assert.Equal(["S R", "R 10 ack", "R 11 nack"], _target.Log);
    }

    [Fact]
    public void Without_POS_the_ACK_bit_applies_to_the_byte_on_the_wire()
    {
        AddressForRead();
        _rig.Clear(Cr1, Ack); // while byte 1 is being clocked in
        _rig.Set(Cr1, Stop);
        _rig.WaitSr1(RxNE);
        _rig.Settle();
        Assert.Equal(["S R", "R 10 nack", "P"], _target.Log);
        Assert.Equal(0x10u, _rig.Read(Dr));
    }

    [Fact]
    public void A_repeated_START_requested_during_a_read_comes_after_the_byte_on_the_wire()
    {
        AddressForRead();
        _rig.Clear(Cr1, Ack);
        _rig.Set(Cr1, Start);
        _rig.WaitSr1(Sb);
        Assert.Equal(["S R", "R 10 nack"], _target.Log);
        Assert.Equal(0x10u, _rig.Read(Dr)); // the byte is still there to read
        _rig.Write(Dr, 0x48 << 1);
        _rig.WaitSr1(Addr);
        Assert.Contains("i2c1: Sr 0x48 W ACK", _rig.Traffic);
        Assert.Equal(0x0007_0082u, _rig.LastEvent());
    }
}
