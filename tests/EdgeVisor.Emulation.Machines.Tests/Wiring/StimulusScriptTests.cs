using EdgeVisor.Emulation.Machines.Stimulus;
using EdgeVisor.Emulation.Machines.Testing;
using EdgeVisor.Emulation.Machines.Wiring;

namespace EdgeVisor.Emulation.Machines.Tests.Wiring;

/// <summary>Stimulus scripts: times, ordering, and errors that name file:line before anything is scheduled.</summary>
public class StimulusScriptTests
{
    [Fact]
    public void Steps_are_ordered_by_time_keeping_file_order_at_the_same_instant_and_plus_is_relative()
    {
        var script = StimulusScript.Parse(
            """
            # comment line
            10ms set sensor temperature 31.5   # trailing comment
            2ms  press b1
            +500us release b1
            2ms  drive gpioa.1 HIGH
            1.5s release gpioa.1
            250ns drive gpioa.2 0
            """,
            "stim.txt");

        Assert.Equal(
            ["0.00025ms drive gpioa.2 low", "2ms press b1", "2ms drive gpioa.1 high", "2.5ms release b1", "10ms set sensor temperature 31.5", "1500ms release gpioa.1"],
            script.Steps.Select(s => s.ToString()));
        Assert.Equal([7, 3, 5, 4, 2, 6], script.Steps.Select(s => s.Line));
    }

    [Theory]
    [InlineData("2 press b1", "stim.txt:1: '2' is not a time")]
    [InlineData("\n\n2ms", "stim.txt:3: nothing to do at 2ms")]
    [InlineData("2ms push b1", "stim.txt:1: unknown action 'push' (press, release, set, drive)")]
    [InlineData("2ms press", "stim.txt:1: expected 'press NAME'")]
    [InlineData("2ms set sensor temperature", "stim.txt:1: expected 'set DEVICE QUANTITY VALUE'")]
    [InlineData("2ms set sensor temperature warm", "stim.txt:1: 'warm' is not a number")]
    [InlineData("2ms drive gpioa.1 on", "stim.txt:1: 'on' is not a level (high, low, 1, 0)")]
    [InlineData("-2ms press b1", "stim.txt:1: '-2ms' is not a time")]
    public void A_bad_line_is_refused_naming_file_and_line(string text, string expected)
    {
        var e = Assert.Throws<StimulusException>(() => StimulusScript.Parse(text, "stim.txt"));

        Assert.StartsWith(expected, e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("1ms press led9", "stim.txt:1: no device or pin 'led9' (devices: button1, led1; pins are named like gpio0.0)")]
    [InlineData("1ms press led1", "stim.txt:1: led1 is a led, which cannot be pressed (it has: on)")]
    [InlineData("1ms set button1 temperature 3", "stim.txt:1: button1 (button) has no quantity 'temperature' (it has: pressed)")]
    [InlineData("1ms drive button1 high", "stim.txt:1: button1 is a device; 'drive' takes a pin such as gpioa.1")]
    [InlineData("1ms press gpio0.7", "stim.txt:1: gpio0.7 is a pin; use 'drive gpio0.7 high|low' and 'release gpio0.7'")]
    [InlineData("1ms drive gpio9.7 high", "stim.txt:1: no device or pin 'gpio9.7'")]
    public void A_target_the_wiring_does_not_have_is_refused_before_anything_is_scheduled(string text, string expected)
    {
        using var session = Session();
        var script = StimulusScript.Parse("0ms press button1\n" + text.Replace("stim.txt:1", "", StringComparison.Ordinal), "stim.txt");

        var e = Assert.Throws<StimulusException>(() => session.Stimulate(script));

        Assert.StartsWith(expected.Replace("stim.txt:1", "stim.txt:2", StringComparison.Ordinal), e.Message, StringComparison.Ordinal);
        session.RunFor(TimeSpan.FromMilliseconds(1));
        Assert.Equal(0.0, session.Device("button1").Get("pressed")); // the valid first line was not scheduled either
    }

    [Fact]
    public void Pin_steps_drive_and_release_at_their_virtual_times()
    {
        using var session = Session();
        session.Machine.Pin("gpio0", 7).Configure(Peripherals.Gpio.GpioDirection.Input, false, false, Peripherals.Gpio.GpioPull.Up);
        session.Stimulate("250us drive gpio0.7 low\n750us release gpio0.7");

        session.RunFor(TimeSpan.FromMilliseconds(1));

        var edges = session.PinEdges.Where(e => e.Pin == "gpio0.7" && e.Cycle > 0).Select(e => (e.Level, e.At)).ToList();
        Assert.Equal([(false, TimeSpan.FromMicroseconds(250)), (true, TimeSpan.FromMicroseconds(750))], edges);
    }

    [Fact]
    public void A_value_the_device_refuses_fails_the_run_naming_the_line()
    {
        using var session = Session();
        session.Stimulate(StimulusScript.Parse("\n1ms set button1 pressed 7", "stim.txt"));

        var e = Assert.Throws<StimulusException>(() => session.RunFor(TimeSpan.FromMilliseconds(2)));

        Assert.StartsWith("stim.txt:2: ", e.Message, StringComparison.Ordinal);
    }

    private static FirmwareSession Session()
    {
        string elf = TinyFirmware.Build("stimulus-idle", "reset:\n    wfi\n    b reset\n");
        var wiring = WiringFile.Parse(
            """{ "devices": [ { "name": "led1", "type": "led", "pin": "gpio0.4" }, { "name": "button1", "type": "button", "pin": "gpio0.3" } ] }""",
            "wiring.json");
        return FirmwareSession.Start("mps2-an385", elf, wiring);
    }
}
