using EdgeVisor.Emulation.Peripherals.Gpio;

namespace EdgeVisor.Emulation.Peripherals.Tests.Foundation;

public class GpioPinTests
{
    private ulong _now;

    private GpioPin NewPin() => new("gpioa.0", 0, () => _now);

    [Fact]
    public void An_undriven_input_reads_its_pull()
    {
        var pin = NewPin();
        Assert.False(pin.Level);
        pin.Configure(GpioDirection.Input, false, openDrain: false, GpioPull.Up);
        Assert.True(pin.Level);
        pin.Configure(GpioDirection.Input, false, openDrain: false, GpioPull.Down);
        Assert.False(pin.Level);
    }

    [Fact]
    public void Outside_drive_wins_over_the_pull_until_released()
    {
        var pin = NewPin();
        pin.Configure(GpioDirection.Input, false, openDrain: false, GpioPull.Up);
        pin.Drive(false);
        Assert.False(pin.Level);
        Assert.True(pin.ExternallyDriven);
        pin.Release();
        Assert.True(pin.Level);
        Assert.False(pin.ExternallyDriven);
    }

    [Fact]
    public void An_open_drain_output_pulls_low_and_lets_go_for_one()
    {
        var pin = NewPin();
        pin.Configure(GpioDirection.Output, false, openDrain: true, GpioPull.Up);
        Assert.False(pin.Level);
        Assert.True(pin.DrivenByModel);
        pin.Configure(GpioDirection.Output, true, openDrain: true, GpioPull.Up);
        Assert.True(pin.Level); // released: the pull-up
        Assert.False(pin.DrivenByModel);
        pin.Drive(false); // another device on the wire holds it low (wired-AND)
        Assert.False(pin.Level);
    }

    [Fact]
    public void A_push_pull_output_ignores_the_outside()
    {
        var pin = NewPin();
        pin.Drive(false);
        pin.SetOutput(GpioDirection.Output, true);
        Assert.True(pin.Level);
    }

    [Fact]
    public void Level_changes_are_reported_once_with_the_cycle_and_configuration_changes_separately()
    {
        var pin = NewPin();
        var changes = new List<(bool, ulong)>();
        int configurations = 0;
        pin.Changed += (_, level, cycle) => changes.Add((level, cycle));
        pin.ConfigurationChanged += _ => configurations++;
        _now = 10;
        pin.Configure(GpioDirection.Input, false, openDrain: false, GpioPull.Up); // level 0 -> 1, new pull
        _now = 20;
        pin.Drive(true); // no level change
        pin.Configure(GpioDirection.Input, false, openDrain: false, GpioPull.Up); // nothing changes
        _now = 30;
        pin.SetOutput(GpioDirection.Output, false); // 1 -> 0, new direction
        Assert.Equal([(true, 10ul), (false, 30ul)], changes);
        Assert.Equal(2, configurations);
    }
}
