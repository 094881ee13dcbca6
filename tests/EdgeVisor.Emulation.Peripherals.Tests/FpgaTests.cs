using EdgeVisor.Emulation.Peripherals.Fpga;
using EdgeVisor.Emulation.Peripherals.Gpio;

namespace EdgeVisor.Emulation.Peripherals.Tests;

public class FpgaTests
{
    private readonly TestBench _bench = new();

    [Fact]
    public void Fpgaio_counters_follow_virtual_time()
    {
        var io = new Mps2FpgaIo("fpgaio", _bench.Clock, 25_000_000);
        _bench.Advance(25_000_000 * 2 + 250_000 * 3); // 2.03 s
        Assert.Equal(2u, io.Read(0x10, 4)); // CLK1HZ
        Assert.Equal(203u, io.Read(0x14, 4)); // CLK100HZ
        io.Write(0x10, 100, 4);
        _bench.Advance(25_000_000);
        Assert.Equal(101u, io.Read(0x10, 4));
    }

    [Fact]
    public void Fpgaio_counter_increments_once_per_prescale_plus_one_ticks()
    {
        var io = new Mps2FpgaIo("fpgaio", _bench.Clock, 25_000_000);
        io.Write(0x1C, 4, 4); // PRESCALE
        io.Write(0x20, 4, 4); // PSCNTR
        _bench.Advance(3);
        Assert.Equal(1u, io.Read(0x20, 4));
        Assert.Equal(0u, io.Read(0x18, 4));
        _bench.Advance(2); // PSCNTR 1 -> 0 -> reload: COUNTER increments as it reloads
        Assert.Equal(1u, io.Read(0x18, 4));
        Assert.Equal(4u, io.Read(0x20, 4));
        _bench.Advance(50);
        Assert.Equal(11u, io.Read(0x18, 4));
    }

    [Fact]
    public void Fpgaio_leds_are_output_pins_and_buttons_read_as_pressed_when_driven()
    {
        var io = new Mps2FpgaIo("fpgaio", _bench.Clock, 25_000_000);
        var changes = new List<(string, bool)>();
        io.Leds[1].Changed += (p, l, _) => changes.Add((p.Name, l));
        io.Write(0x00, 0xFF, 4);
        Assert.Equal(3u, io.Read(0x00, 4)); // two LEDs
        Assert.True(io.Leds[0].Level);
        Assert.Equal([("fpgaio.led1", true)], changes);
        Assert.Equal(0u, io.Read(0x08, 4));
        io.Buttons[1].Drive(true);
        Assert.Equal(2u, io.Read(0x08, 4));
        Assert.Equal(GpioDirection.Input, io.Pins[3].Direction);
    }

    [Fact]
    public void Scc_identifies_the_fpga_image_and_reads_oscillators_over_sys_cfg()
    {
        var scc = new Mps2Scc("scc", _bench.Clock, new SccIdentity(0x41043850, 0x00200008, 2, [50_000_000, 24_576_000, 25_000_000]));
        Assert.Equal(0x41043850u, scc.Read(0xFFC, 4));
        Assert.Equal(0x00200008u, scc.Read(0xFF8, 4));
        Assert.Equal(2u, scc.Read(0x10, 4));
        Assert.Equal(0x100000u, scc.Read(0xA8, 4));
        Assert.Equal(0xFFFF0001u, scc.Read(0x100, 4));

        scc.Write(0xA8, 0x80100002, 4); // start, read, function 1 (OSCCLK), device 2
        Assert.Equal(1u, scc.Read(0xAC, 4)); // done, no error
        Assert.Equal(25_000_000u, scc.Read(0xA0, 4));
        Assert.Equal(0x00100002u, scc.Read(0xA8, 4)); // START does not stick

        scc.Write(0xA4, 12_345, 4);
        scc.Write(0xA8, 0xC0100001, 4); // write OSCCLK1
        scc.Write(0xA8, 0x80100001, 4);
        Assert.Equal(12_345u, scc.Read(0xA0, 4));

        scc.Write(0xA8, 0x80200000, 4); // function 2 does not exist
        Assert.Equal(3u, scc.Read(0xAC, 4)); // done + error
    }

    [Fact]
    public void Scc_cfg1_drives_the_scc_leds_and_dll_keeps_only_its_mask()
    {
        var scc = new Mps2Scc("scc", _bench.Clock, new SccIdentity(0x41043860, 0x00200008, 2, []));
        scc.Write(0x04, 0x81, 4);
        Assert.True(scc.Pins[0].Level);
        Assert.True(scc.Pins[7].Level);
        Assert.False(scc.Pins[1].Level);
        scc.Write(0x100, 0x12345678, 4);
        Assert.Equal(0x12FF0001u, scc.Read(0x100, 4));
    }
}
