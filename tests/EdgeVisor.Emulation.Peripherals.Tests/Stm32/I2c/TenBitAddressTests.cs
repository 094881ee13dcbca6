using static EdgeVisor.Emulation.Peripherals.Stm32.I2c.Stm32I2cRegisters;

namespace EdgeVisor.Emulation.Peripherals.Tests.Stm32.I2c;

/// <summary>
/// 10-bit addressing as the master puts it on the wire: header 11110xx0 (ADD10), second address byte (ADDR),
/// and for a read a repeated START with header 11110xx1. A 10-bit device answers the header at its 7-bit
/// pattern 0x78-0x7B, so a register-file target there stands in for one.
/// </summary>
public class TenBitAddressTests
{
    private readonly I2cRig _rig = new();

    public TenBitAddressTests() => _rig.Init();

    [Fact]
    public void Write_then_read_to_a_ten_bit_address_goes_header_ADD10_low_byte_ADDR()
    {
        var device = _rig.Attach(0x79); // address 0x2A5: header 0xF2 / 0xF3
        device.Memory[0xA5] = 0x3C; // the second address byte also sets this test double's pointer

        _rig.Set(Cr1, Start);
        _rig.WaitSr1(Sb);
        _rig.Write(Dr, 0xF2);
        _rig.WaitSr1(Add10);
        Assert.Equal(0x0003_0008u, _rig.LastEvent()); // ADD10, no ADDR yet
        _rig.Write(Dr, 0xA5); // SR1 was just read: clears ADD10 and sends the low address byte
        _rig.WaitSr1(Addr);
        Assert.Equal(0x0007_0082u, _rig.LastEvent()); // transmitter selected

        _rig.Set(Cr1, Start); // read direction: repeated START and the header with R/W = 1
        _rig.WaitSr1(Sb);
        _rig.Write(Dr, 0xF3);
        _rig.WaitSr1(Addr);
        _rig.Clear(Cr1, Ack);
        Assert.Equal(0x0003_0002u, _rig.LastEvent()); // receiver selected
        _rig.Set(Cr1, Stop);
        _rig.WaitSr1(RxNE);
        Assert.Equal(0x3Cu, _rig.Read(Dr));
        _rig.Settle();
        Assert.Equal(["i2c1: S 0x79 W ACK", "i2c1: W 0xA5 ACK", "i2c1: Sr 0x79 R ACK", "i2c1: R 0x3C NACK", "i2c1: P"], _rig.Traffic);
    }

    [Fact]
    public void A_ten_bit_header_nobody_answers_is_an_AF_without_ADD10()
    {
        _rig.Set(Cr1, Start);
        _rig.WaitSr1(Sb);
        _rig.Write(Dr, 0xF0);
        _rig.WaitSr1(Af);
        Assert.Equal(0u, _rig.Read(Sr1) & (Add10 | Addr));
    }
}
