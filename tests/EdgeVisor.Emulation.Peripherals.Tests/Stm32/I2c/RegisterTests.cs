using EdgeVisor.Emulation.Peripherals.I2c;
using static EdgeVisor.Emulation.Peripherals.Stm32.I2c.Stm32I2cRegisters;

namespace EdgeVisor.Emulation.Peripherals.Tests.Stm32.I2c;

/// <summary>Reset values, read-back masks, SWRST and PE.</summary>
public class RegisterTests
{
    private readonly I2cRig _rig = new();

    [Fact]
    public void Reset_values_match_RM0090()
    {
        foreach (uint offset in new[] { Cr1, Cr2, Oar1, Oar2, Dr, Sr1, Sr2, Ccr, Fltr })
        {
            Assert.Equal(0u, _rig.Read(offset));
        }

        Assert.Equal(2u, _rig.Read(Trise));
    }

    [Fact]
    public void Configuration_bits_read_back_and_reserved_bits_read_as_zero()
    {
        _rig.Write(Cr1, 0xFFFF & ~Swrst & ~(Start | Stop));
        Assert.Equal(0x3CFBu, _rig.Read(Cr1)); // PE SMBUS SMBTYPE ENARP ENPEC ENGC NOSTRETCH ACK POS PEC ALERT
        _rig.Write(Cr2, 0xFFFF);
        Assert.Equal(0x1F3Fu, _rig.Read(Cr2));
        _rig.Write(Oar1, 0xFFFF);
        Assert.Equal(0xC3FFu, _rig.Read(Oar1));
        _rig.Write(Oar2, 0xFFFF);
        Assert.Equal(0xFFu, _rig.Read(Oar2));
        _rig.Write(Ccr, 0xFFFF);
        Assert.Equal(0xCFFFu, _rig.Read(Ccr));
        _rig.Write(Trise, 0xFFFF);
        Assert.Equal(0x3Fu, _rig.Read(Trise));
        _rig.Write(Fltr, 0xFFFF);
        Assert.Equal(0x1Fu, _rig.Read(Fltr));
        Assert.Equal(0x3Fu, _rig.I2c.Read(Cr2, 1)); // narrow reads return the low byte
        Assert.Equal(0u, _rig.Read(0x28)); // past the last register
    }

    [Fact]
    public void START_STOP_and_ACK_cannot_be_set_while_the_peripheral_is_disabled()
    {
        _rig.Write(Cr1, Start | Stop | Ack | Pos);
        Assert.Equal(Pos, _rig.Read(Cr1));
        _rig.Settle();
        Assert.Equal(0u, _rig.Read(Sr1));
        Assert.Empty(_rig.Traffic);
    }

    [Fact]
    public void SWRST_mid_transfer_resets_every_register_releases_the_bus_and_the_next_transfer_works()
    {
        var target = _rig.Attach(0x48);
        _rig.Init();
        _rig.Set(Cr1, Start);
        _rig.WaitSr1(Sb);
        _rig.Write(Dr, 0x48 << 1);
        _rig.WaitSr1(Addr);
        _rig.Write(Cr1, Swrst | Pe);
        Assert.Equal(Swrst, _rig.Read(Cr1));
        Assert.Equal(0u, _rig.LastEvent());
        Assert.Equal(0u, _rig.Read(Cr2)); // configuration is reset too
        Assert.Equal(0u, _rig.Read(Ccr));
        Assert.Equal(2u, _rig.Read(Trise));
        Assert.Equal(["S W", "P"], target.Log); // the device is not left mid-transaction
        Assert.False(_rig.I2c.Bus.Busy);

        _rig.Write(Cr1, 0);
        _rig.Init();
        Assert.True(new HalStyleDriver(_rig).MasterTransmit(0x48, [0x01, 0x99]));
        _rig.Settle();
        Assert.Equal(0x99, target.Memory[1]);
    }

    [Fact]
    public void Clearing_PE_mid_transfer_ends_it_and_clears_the_status()
    {
        var target = _rig.Attach(0x48);
        _rig.Init();
        _rig.Set(Cr1, Start);
        _rig.WaitSr1(Sb);
        _rig.Write(Dr, 0x48 << 1);
        _rig.WaitSr1(Addr);
        _rig.Clear(Cr1, Pe);
        Assert.Equal(0u, _rig.LastEvent());
        Assert.Equal(210u, _rig.Read(Ccr)); // unlike SWRST, configuration stays
        Assert.Equal(["S W", "P"], target.Log);
    }

    [Fact]
    public void SB_needs_an_SR1_read_before_the_address_write_clears_it()
    {
        _rig.Attach(0x48);
        _rig.Init();
        _rig.Set(Cr1, Start);
        _rig.Bench.Advance(10_000);
        _rig.Write(Dr, 0x48 << 1); // without reading SR1 first: ignored
        _rig.Bench.Advance(200_000);
        Assert.Equal(Sb, _rig.Read(Sr1) & (Sb | Addr));
        _rig.Write(Dr, 0x48 << 1); // SR1 was just read
        _rig.WaitSr1(Addr);
        Assert.Equal(["i2c1: S 0x48 W ACK"], _rig.Traffic);
    }

    [Fact]
    public void The_controller_is_an_II2cController_whose_bus_has_the_instance_name()
    {
        II2cController controller = _rig.I2c;
        Assert.Equal("i2c1", controller.Name);
        Assert.Equal("i2c1", controller.Bus.Name);
    }
}
