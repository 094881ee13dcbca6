using static EdgeVisor.Emulation.Peripherals.Stm32.I2c.Stm32I2cRegisters;

namespace EdgeVisor.Emulation.Peripherals.Tests.Stm32.I2c;

/// <summary>Acknowledge failures: nobody at the address, a device refusing a data byte.</summary>
public class NackTests
{
    private readonly I2cRig _rig = new();
    private readonly HalStyleDriver _hal;

    public NackTests()
    {
        _rig.Init();
        _hal = new HalStyleDriver(_rig);
    }

    [Fact]
    public void An_address_nobody_answers_sets_AF_not_ADDR_and_STOP_then_frees_the_bus()
    {
        _rig.Set(Cr1, Start);
        _rig.WaitSr1(Sb);
        _rig.Write(Dr, 0x3C << 1);
        _rig.WaitSr1(Af);
        Assert.Equal(0x0003_0400u, _rig.LastEvent()); // AF; still master of a busy bus; no ADDR, no TxE
        _rig.Set(Cr1, Stop);
        _rig.Write(Sr1, ~Af & 0xFFFF); // AF is cleared by writing 0
        _rig.Settle();
        Assert.Equal(0u, _rig.LastEvent());
        Assert.Equal(["i2c1: S 0x3C W NACK", "i2c1: P"], _rig.Traffic);
    }

    [Fact]
    public void HAL_functions_report_failure_on_an_absent_device_and_the_next_transfer_works()
    {
        var target = _rig.Attach(0x48);
        Assert.False(_hal.MasterTransmit(0x49, [1, 2]));
        Assert.False(_hal.MasterReceive(0x49, new byte[2]));
        Assert.True(_hal.MasterTransmit(0x48, [0x00, 0x77]));
        _rig.Settle();
        Assert.Equal(0x77, target.Memory[0]);
        Assert.Equal(2, _rig.Traffic.Count(t => t.EndsWith("0x49 W NACK", StringComparison.Ordinal) || t.EndsWith("0x49 R NACK", StringComparison.Ordinal)));
    }

    [Fact]
    public void A_refused_data_byte_sets_AF_and_stops_the_transfer_there()
    {
        var target = _rig.Attach(0x48);
        target.NackDataByte = 2;
        Assert.False(_hal.MasterTransmit(0x48, [0x10, 0x01, 0x02, 0x03]));
        _rig.Settle();
        Assert.Equal(["S W", "W 10", "W 01", "W 02", "P"], target.Log); // 0x03 never went out
        Assert.Contains("i2c1: W 0x02 NACK", _rig.Traffic);
        Assert.Equal(0u, _rig.Read(Sr1) & Af); // the driver cleared it
        Assert.Equal(0u, _rig.Read(Sr2) & Busy);
    }

    [Fact]
    public void Writing_ones_to_SR1_leaves_the_error_flags_alone()
    {
        _rig.Set(Cr1, Start);
        _rig.WaitSr1(Sb);
        _rig.Write(Dr, 0x3C << 1);
        _rig.WaitSr1(Af);
        _rig.Write(Sr1, 0xFFFF);
        Assert.Equal(Af, _rig.Read(Sr1) & Af);
    }

    [Fact]
    public void Acknowledge_polling_retries_until_a_busy_device_answers_its_address()
    {
        // An EEPROM in its internal write cycle NACKs its address; HAL_I2C_IsDeviceReady-style polling sends
        // START + address, and on ADDR sets STOP before clearing ADDR, on AF sets STOP and clears AF.
        var eeprom = new BusyForAWhile(busyStarts: 3);
        _rig.I2c.Bus.Attach(0x50, eeprom);
        int attempts = 0;
        bool ready = false;
        while (!ready && attempts < 10)
        {
            attempts++;
            _rig.Poll(() => (_rig.Read(Sr2) & Busy) == 0, "bus free");
            _rig.Set(Cr1, Start);
            _rig.WaitSr1(Sb);
            _rig.Write(Dr, 0x50 << 1);
            uint sr1 = 0;
            _rig.Poll(() => ((sr1 = _rig.Read(Sr1)) & (Addr | Af)) != 0, "ADDR or AF");
            _rig.Set(Cr1, Stop);
            ready = (sr1 & Addr) != 0;
            if (ready)
            {
                _rig.Read(Sr2); // ADDR cleared after the STOP was requested
            }
            else
            {
                _rig.Write(Sr1, ~Af & 0xFFFF);
            }
        }

        _rig.Poll(() => (_rig.Read(Sr2) & Busy) == 0, "bus free");
        Assert.True(ready);
        Assert.Equal(4, attempts);
        Assert.Equal(0u, _rig.Read(Sr1));
        Assert.Equal(
            ["i2c1: S 0x50 W NACK", "i2c1: P", "i2c1: S 0x50 W NACK", "i2c1: P", "i2c1: S 0x50 W NACK", "i2c1: P", "i2c1: S 0x50 W ACK", "i2c1: P"],
            _rig.Traffic);
    }

    /// <summary>A device that NACKs its address for the first few STARTs (an EEPROM finishing a write cycle).</summary>
    private sealed class BusyForAWhile(int busyStarts) : EdgeVisor.Emulation.Peripherals.I2c.II2cTarget
    {
        private int _starts;

        public bool Start(bool read) => ++_starts > busyStarts;

        public bool Write(byte value) => true;

        public byte Read(bool ack) => 0;

        public void Stop()
        {
        }
    }
}
