using EdgeVisor.Emulation.Interrupts;
using EdgeVisor.Emulation.Peripherals.Gpio;

namespace EdgeVisor.Emulation.Peripherals.Tests;

public class GpioTests
{
    private const uint Data = 0x000, DataOut = 0x004, OutEnSet = 0x010, OutEnClr = 0x014, AltSet = 0x018, AltClr = 0x01C;
    private const uint IntEnSet = 0x020, IntEnClr = 0x024, IntTypeSet = 0x028, IntPolSet = 0x030, IntPolClr = 0x034, IntStatus = 0x038;
    private const int Combined = 6, Pin0Line = 24;

    private readonly TestBench _bench = new();
    private readonly CmsdkAhbGpio _gpio;

    public GpioTests()
    {
        _gpio = new CmsdkAhbGpio("gpio0", _bench.Clock, _bench.Line(Combined), [.. Enumerable.Range(0, 8).Select(i => _bench.Line(Pin0Line + i))]);
        _gpio.Reset();
    }

    [Fact]
    public void Reset_state_all_inputs_low_and_identification()
    {
        Assert.All(_gpio.Pins, p => Assert.Equal(GpioDirection.Input, p.Direction));
        Assert.Equal(0u, _gpio.Read(Data, 4));
        Assert.Equal(0u, _gpio.Read(OutEnSet, 4));
        Assert.Equal(0x20u, _gpio.Read(0xFE0, 4));
        Assert.Equal(0xB8u, _gpio.Read(0xFE4, 4));
    }

    [Fact]
    public void Outputs_drive_pins_with_change_events_at_the_current_cycle()
    {
        var events = new List<(string, bool, ulong)>();
        _gpio.Pins[3].Changed += (p, level, cycle) => events.Add((p.Name, level, cycle));
        _gpio.Write(DataOut, 1 << 3, 4);
        Assert.False(_gpio.Pins[3].Level); // not an output yet
        _bench.Advance(500);
        _gpio.Write(OutEnSet, 1 << 3, 4);
        Assert.Equal(GpioDirection.Output, _gpio.Pins[3].Direction);
        Assert.True(_gpio.Pins[3].Level);
        _bench.Advance(250);
        _gpio.Write(DataOut, 0, 4);
        Assert.Equal([("gpio0.3", true, 500UL), ("gpio0.3", false, 750UL)], events);
        Assert.Equal(1u << 3, _gpio.Read(OutEnSet, 4));
        _gpio.Write(OutEnClr, 1 << 3, 4);
        Assert.Equal(0u, _gpio.Read(OutEnClr, 4));
    }

    [Fact]
    public void Data_reads_driven_inputs_and_output_levels()
    {
        _gpio.Pins[0].Drive(true);
        _gpio.Pins[15].Drive(true);
        _gpio.Write(OutEnSet, 0x0F00, 4);
        _gpio.Write(DataOut, 0x0500, 4);
        Assert.Equal(0x8501u, _gpio.Read(Data, 4));
        Assert.Equal(0x01u, _gpio.Read(Data, 1));
    }

    [Fact]
    public void Masked_byte_windows_write_and_read_only_the_masked_bits()
    {
        _gpio.Write(OutEnSet, 0xFFFF, 4);
        _gpio.Write(DataOut, 0xFFFF, 4);
        _gpio.Write(0x400 + (0x0F << 2), 0x0000, 4); // MASKLOWBYTE[0x0F]: clear bits 3:0 only
        Assert.Equal(0xFFF0u, _gpio.Read(DataOut, 4));
        _gpio.Write(0x800 + (0x81 << 2), 0x0000, 4); // MASKHIGHBYTE[0x81]: clear bits 15 and 8
        Assert.Equal(0x7EF0u, _gpio.Read(DataOut, 4));
        Assert.Equal(0x00F0u & 0x30u, _gpio.Read(0x400 + (0x30 << 2), 4)); // masked read of bits 5:4
        Assert.Equal(0x0600u, _gpio.Read(0x800 + (0x06 << 2), 4));
    }

    [Fact]
    public void Rising_edge_interrupt_latches_until_cleared_and_drives_pin_and_combined_lines()
    {
        _gpio.Write(IntTypeSet, 1, 4); // edge
        _gpio.Write(IntPolSet, 1, 4); // rising
        _gpio.Write(IntEnSet, 1, 4);
        _bench.Advance(42);
        _gpio.Pins[0].Drive(true);
        _gpio.Pins[0].Drive(false);
        Assert.Equal(1u, _gpio.Read(IntStatus, 4));
        Assert.Equal([42UL], _bench.Controller.Rises(Pin0Line));
        Assert.True(_bench.Controller.Level(Combined));
        _gpio.Write(IntStatus, 1, 4);
        Assert.Equal(0u, _gpio.Read(IntStatus, 4));
        Assert.False(_bench.Controller.Level(Pin0Line));
        Assert.False(_bench.Controller.Level(Combined));
    }

    [Fact]
    public void Falling_edge_interrupt_ignores_rising_edges()
    {
        _gpio.Pins[2].Drive(true);
        _gpio.Write(IntTypeSet, 1 << 2, 4);
        _gpio.Write(IntPolClr, 1 << 2, 4);
        _gpio.Write(IntEnSet, 1 << 2, 4);
        _gpio.Pins[2].Drive(false);
        Assert.Equal(1u << 2, _gpio.Read(IntStatus, 4));
        _gpio.Write(IntStatus, 1 << 2, 4);
        _gpio.Pins[2].Drive(true);
        Assert.Equal(0u, _gpio.Read(IntStatus, 4));
    }

    [Fact]
    public void Level_interrupt_follows_the_pin_and_cannot_be_cleared_while_active()
    {
        _gpio.Write(IntPolSet, 1 << 1, 4); // high level
        _gpio.Write(IntEnSet, 1 << 1, 4);
        Assert.Equal(0u, _gpio.Read(IntStatus, 4));
        _gpio.Pins[1].Drive(true);
        Assert.Equal(1u << 1, _gpio.Read(IntStatus, 4));
        _gpio.Write(IntStatus, 1 << 1, 4);
        Assert.Equal(1u << 1, _gpio.Read(IntStatus, 4));
        Assert.True(_bench.Controller.Level(Pin0Line + 1));
        _gpio.Pins[1].Drive(false);
        Assert.Equal(0u, _gpio.Read(IntStatus, 4));
        Assert.False(_bench.Controller.Level(Pin0Line + 1));
    }

    [Fact]
    public void Disabled_pins_do_not_latch_edges()
    {
        _gpio.Write(IntTypeSet, 1, 4);
        _gpio.Write(IntPolSet, 1, 4);
        _gpio.Pins[0].Drive(true);
        _gpio.Write(IntEnSet, 1, 4);
        Assert.Equal(0u, _gpio.Read(IntStatus, 4));
        _gpio.Write(IntEnClr, 1, 4);
        Assert.Equal(0u, _gpio.Read(IntEnSet, 4));
    }

    [Fact]
    public void Alternate_function_selects_read_back()
    {
        _gpio.Write(AltSet, 0x00FF, 4);
        _gpio.Write(AltClr, 0x000F, 4);
        Assert.Equal(0x00F0u, _gpio.Read(AltSet, 4));
    }

    [Fact]
    public void Pins_beyond_the_wired_lines_still_raise_the_combined_interrupt()
    {
        var gpio = new CmsdkAhbGpio("gpio1", _bench.Clock, _bench.Line(7), Array.Empty<InterruptLine>());
        gpio.Reset();
        gpio.Write(IntPolSet, 1 << 12, 4);
        gpio.Write(IntEnSet, 1 << 12, 4);
        gpio.Pins[12].Drive(true);
        Assert.True(_bench.Controller.Level(7));
    }
}
