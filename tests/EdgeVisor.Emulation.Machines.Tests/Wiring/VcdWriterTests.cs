using EdgeVisor.Emulation.Machines.Tracing;

namespace EdgeVisor.Emulation.Machines.Tests.Wiring;

/// <summary>The VCD a viewer such as GTKWave reads: a valid header, nested scopes, virtual nanoseconds.</summary>
public class VcdWriterTests
{
    [Fact]
    public void Header_declares_every_signal_once_in_nested_scopes_and_dumps_initial_values()
    {
        var text = new StringWriter();
        using (var vcd = new VcdWriter(text, 168_000_000, "stm32f4-discovery"))
        {
            var led = vcd.Declare("devices.ld4", "on", false);
            vcd.Declare("gpiod", "pin12", false);
            vcd.Declare("devices.b1", "pressed", true);
            vcd.Begin(0);
            vcd.Change(led, true, 168_000); // 1 ms
            vcd.End(336_000);
        }

        var dump = VcdDump.Parse(text.ToString());

        Assert.Equal("1 ns", dump.Timescale);
        Assert.Equal(
            ["stm32f4-discovery.devices.b1.pressed", "stm32f4-discovery.devices.ld4.on", "stm32f4-discovery.gpiod.pin12"],
            dump.Signals.Values.Order(StringComparer.Ordinal));
        Assert.Equal(1, dump.ScopeOpenings("devices")); // one "devices" scope holding both devices
        Assert.True(dump.Initial["stm32f4-discovery.devices.b1.pressed"]);
        Assert.Equal([(1_000_000UL, "stm32f4-discovery.devices.ld4.on", true)], dump.Changes);
        Assert.Equal(2_000_000UL, dump.LastTime);
    }

    [Fact]
    public void Cycles_become_nanoseconds_of_virtual_time_and_unchanged_values_write_nothing()
    {
        var text = new StringWriter();
        using (var vcd = new VcdWriter(text, 25_000_000, "mps2"))
        {
            var pin = vcd.Declare("gpio0", "pin0", false);
            vcd.Begin(0);
            vcd.Change(pin, false, 10); // no change
            vcd.Change(pin, true, 25); // 1 µs
            vcd.Change(pin, true, 30);
            vcd.Change(pin, false, 50);
            vcd.End(50);
        }

        var dump = VcdDump.Parse(text.ToString());

        Assert.Equal([(1000UL, "mps2.gpio0.pin0", true), (2000UL, "mps2.gpio0.pin0", false)], dump.Changes);
    }

    [Fact]
    public void Hundreds_of_signals_get_distinct_identifier_codes()
    {
        var text = new StringWriter();
        using var vcd = new VcdWriter(text, 1_000_000, "b");
        var codes = Enumerable.Range(0, 300).Select(i => vcd.Declare("p", "s" + i, false).Code).ToList();

        Assert.Equal(300, codes.Distinct(StringComparer.Ordinal).Count());
        Assert.All(codes, c => Assert.All(c, ch => Assert.InRange(ch, '!', '~')));
    }
}
