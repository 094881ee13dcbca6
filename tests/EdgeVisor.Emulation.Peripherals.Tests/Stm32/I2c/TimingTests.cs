using static EdgeVisor.Emulation.Peripherals.Stm32.I2c.Stm32I2cRegisters;

namespace EdgeVisor.Emulation.Peripherals.Tests.Stm32.I2c;

/// <summary>Wire timing in virtual time: SCL from CCR and PCLK1, nine SCL periods per byte, START/STOP one period.</summary>
public class TimingTests
{
    private readonly I2cRig _rig = new();

    public TimingTests() => _rig.Attach(0x48);

    private uint Sr1Now() => _rig.I2c.Read(Sr1, 4);

    /// <summary>Runs START and the write address, returns with ADDR cleared and the transmitter idle.</summary>
    private void AddressForWrite()
    {
        _rig.Set(Cr1, Start);
        _rig.WaitSr1(Sb);
        _rig.Write(Dr, 0x48 << 1);
        _rig.WaitSr1(Addr);
        _rig.Read(Sr2);
    }

    /// <summary>Cycles from writing a data byte to BTF (the byte and its ACK bit on the wire).</summary>
    private ulong CyclesToBtf()
    {
        ulong written = _rig.Now;
        _rig.I2c.Write(Dr, 0x00, 4);
        while ((Sr1Now() & Btf) == 0)
        {
            _rig.Bench.Advance(1);
        }

        return _rig.Now - written;
    }

    [Fact]
    public void Standard_mode_100kHz_SB_after_one_SCL_period_and_BTF_after_nine()
    {
        _rig.Init(ccr: 210); // 42 MHz / (2 * 210) = 100 kHz: one SCL period is 10 us = 1680 core cycles
        Assert.Equal(100_000, _rig.I2c.SclHz, 3);
        ulong start = _rig.Now;
        _rig.I2c.Write(Cr1, Pe | Start, 4);
        Assert.Equal(Busy, _rig.I2c.Read(Sr2, 4) & Busy); // BUSY at once, SB when the START condition is done
        _rig.Bench.AdvanceTo(start + 1679);
        Assert.Equal(0u, Sr1Now() & Sb);
        _rig.Bench.AdvanceTo(start + 1680);
        Assert.Equal(Sb, Sr1Now() & Sb);

        ulong address = _rig.Now;
        _rig.I2c.Write(Dr, 0x48 << 1, 4);
        _rig.Bench.AdvanceTo(address + (9 * 1680) - 1);
        Assert.Equal(0u, Sr1Now() & Addr);
        _rig.Bench.AdvanceTo(address + (9 * 1680));
        Assert.Equal(Addr, Sr1Now() & Addr);
        _rig.Read(Sr2);

        Assert.Equal(9ul * 1680, CyclesToBtf());
    }

    [Fact]
    public void Fast_mode_timing_follows_DUTY()
    {
        _rig.Init(ccr: FastMode | 35); // 1:2 duty: 3 * 35 PCLK ticks = 400 kHz
        Assert.Equal(400_000, _rig.I2c.SclHz, 3);
        AddressForWrite();
        Assert.Equal(9ul * 105 * 4, CyclesToBtf());

        _rig.Clear(Cr1, Pe);
        _rig.Write(Ccr, FastMode | Duty | 4); // 16:9 duty: 25 * 4 PCLK ticks = 420 kHz
        _rig.Set(Cr1, Pe);
        AddressForWrite();
        Assert.Equal(9ul * 100 * 4, CyclesToBtf());
    }

    [Fact]
    public void Byte_time_follows_PCLK1_when_RCC_changes_it()
    {
        _rig.Init(ccr: 210);
        AddressForWrite();
        Assert.Equal(9ul * 1680, CyclesToBtf());
        _rig.Clocks.Pclk1Hz = 21_000_000; // firmware halved APB1; CCR unchanged, so SCL halves to 50 kHz
        Assert.Equal(9ul * 1680 * 2, CyclesToBtf());
    }

    [Fact]
    public void BUSY_stays_set_for_the_STOP_condition_and_the_log_has_virtual_times()
    {
        _rig.Init(ccr: 210);
        AddressForWrite();
        ulong stop = _rig.Now;
        _rig.I2c.Write(Cr1, Pe | Stop, 4);
        _rig.Bench.AdvanceTo(stop + 1679);
        Assert.Equal(Busy | Msl, _rig.I2c.Read(Sr2, 4) & (Busy | Msl));
        Assert.Equal(Stop, _rig.I2c.Read(Cr1, 4) & Stop);
        _rig.Bench.AdvanceTo(stop + 1680);
        Assert.Equal(0u, _rig.I2c.Read(Sr2, 4) & (Busy | Msl));
        Assert.Equal(0u, _rig.I2c.Read(Cr1, 4) & Stop); // cleared by hardware when the STOP is done
    }

    [Fact]
    public void Without_an_RCC_FREQ_is_taken_as_PCLK1()
    {
        var bench = new TestBench(168_000_000);
        var i2c = new EdgeVisor.Emulation.Peripherals.Stm32.I2c.Stm32I2c("i2c2", bench.Clock, null, bench.Line(33), bench.Line(34));
        i2c.Reset();
        i2c.Write(Cr2, 16, 4);
        i2c.Write(Ccr, 80, 4);
        Assert.Equal(100_000, i2c.SclHz, 3);
    }
}
