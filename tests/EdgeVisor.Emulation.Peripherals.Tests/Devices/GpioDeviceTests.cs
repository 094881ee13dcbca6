using EdgeVisor.Emulation.Peripherals.Devices;
using EdgeVisor.Emulation.Peripherals.Gpio;

namespace EdgeVisor.Emulation.Peripherals.Tests.Devices;

public sealed class GpioDeviceTests
{
    private readonly TestBench _bench = new(1_000_000);

    private GpioPin NewPin(string name = "gpiod.12") => new(name, 12, () => _bench.Clock.Now);

    [Fact]
    public void Led_follows_the_pin_and_records_each_change_with_its_cycle()
    {
        var pin = NewPin();
        var led = new Led("green", pin);
        pin.SetOutput(GpioDirection.Output, true);
        _bench.Advance(500);
        pin.SetOutput(GpioDirection.Output, false);
        _bench.Advance(250);
        pin.SetOutput(GpioDirection.Output, true);

        Assert.Equal(1, led.Get("on"));
        Assert.Equal([(true, 0UL), (false, 500UL), (true, 750UL)], led.Changes);
    }

    [Fact]
    public void Active_low_led_lights_when_the_pin_is_low()
    {
        var pin = NewPin();
        var led = new Led("red", pin, activeLow: true);
        pin.SetOutput(GpioDirection.Output, true);
        Assert.Equal(0, led.Get("on"));
        pin.SetOutput(GpioDirection.Output, false);
        Assert.Equal(1, led.Get("on"));
    }

    [Fact]
    public void Led_on_is_read_only()
    {
        var led = new Led("green", NewPin());
        var e = Assert.Throws<ArgumentException>(() => led.Set("on", 1));
        Assert.Contains("green", e.Message, StringComparison.Ordinal);
        Assert.Contains("read-only", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Led_duty_cycle_measures_pwm_brightness()
    {
        var pin = NewPin();
        var led = new Led("dimmed", pin);
        pin.SetOutput(GpioDirection.Output, false);
        for (int period = 0; period < 10; period++)
        {
            pin.SetOutput(GpioDirection.Output, true);
            _bench.Advance(25);
            pin.SetOutput(GpioDirection.Output, false);
            _bench.Advance(75);
        }

        Assert.Equal(0.25, led.DutyCycle(0, 1000), 3);
        Assert.Equal(0.3, led.DutyCycle(10, 60), 3); // lit 10..25 of 10..60
    }

    [Fact]
    public void Led_history_keeps_the_latest_changes_of_a_long_pwm_run()
    {
        var pin = NewPin();
        var led = new Led("pwm", pin);
        pin.SetOutput(GpioDirection.Output, false);
        int toggles = Led.HistoryLimit + 1000;
        for (int i = 0; i < toggles; i++)
        {
            pin.SetOutput(GpioDirection.Output, i % 2 == 0);
            _bench.Advance(10);
        }

        Assert.Equal(toggles, led.ChangeCount);
        Assert.InRange(led.Changes.Count, Led.HistoryLimit / 2, Led.HistoryLimit);
        Assert.Equal((ulong)(toggles - 1) * 10, led.Changes[^1].Cycle);
        ulong end = _bench.Clock.Now;
        Assert.Equal(0.5, led.DutyCycle(end - 1000, end), 3);
    }

    [Fact]
    public void Button_drives_high_when_pressed_and_the_board_pull_down_level_when_released()
    {
        var pin = NewPin("gpioa.0");
        pin.Configure(GpioDirection.Input, false, false, GpioPull.Up); // even against the MCU's pull-up
        var button = new Button("user", pin, _bench.Clock);
        Assert.False(pin.Level);
        button.Set("pressed", 1);
        Assert.True(pin.Level);
        Assert.Equal(1, button.Get("pressed"));
        button.Set("pressed", 0);
        Assert.False(pin.Level);
    }

    [Fact]
    public void Active_low_button_without_external_pull_floats_to_the_mcu_pull_up_when_released()
    {
        var pin = NewPin("gpioc.13");
        pin.Configure(GpioDirection.Input, false, false, GpioPull.Up);
        var button = new Button("b", pin, _bench.Clock, activeLow: true, externalPull: false);
        Assert.True(pin.Level);
        Assert.False(pin.ExternallyDriven);
        button.Press(true);
        Assert.False(pin.Level);
        button.Press(false);
        Assert.True(pin.Level);
        Assert.False(pin.ExternallyDriven);
    }

    [Fact]
    public void Bouncing_button_chatters_within_a_millisecond_then_settles()
    {
        var pin = NewPin("gpioa.0");
        var edges = new List<(bool Level, ulong Cycle)>();
        var button = new Button("user", pin, _bench.Clock, bounce: true);
        pin.Changed += (_, level, cycle) => edges.Add((level, cycle));
        button.Press(true);
        _bench.Advance(2000);

        Assert.True(pin.Level);
        Assert.True(edges.Count >= 5, $"only {edges.Count} edges");
        Assert.All(edges, e => Assert.True(e.Cycle <= 1000));
        Assert.Equal(4, edges.Count(e => e.Level)); // one press, four rising edges
        Assert.Equal(3, edges.Count(e => !e.Level));
    }
}
