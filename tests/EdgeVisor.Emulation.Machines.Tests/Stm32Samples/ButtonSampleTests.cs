using EdgeVisor.Emulation.Machines.Testing;
using EdgeVisor.Emulation.Peripherals.Gpio;

namespace EdgeVisor.Emulation.Machines.Tests.Stm32Samples;

/// <summary>
/// button: PA0's rising edge reaches the core as EXTI0 (SYSCFG_EXTICR1 routes port A to line 0); each press
/// toggles LD6 (PD15) in the handler and prints "press N"; contact bounce never counts twice.
/// </summary>
public class ButtonSampleTests
{
    [Fact]
    public void A_press_at_2_ms_prints_press_1_and_toggles_ld6_at_once()
    {
        using var session = FirmwareSession.Start(Stm32Images.Board, Stm32Images.Path("button"));
        RunUntil(session, TimeSpan.FromMilliseconds(2)); // EXTI0 is armed before the banner starts to go out

        Button(session).Drive(true);
        var press = session.WaitForUartLine("press 1", TimeSpan.FromMilliseconds(5));
        var led = session.WaitForPinEdge("gpiod", 15, Edge.Rising, TimeSpan.FromMilliseconds(1));

        Assert.Equal("press 1", press.Text);
        Assert.InRange(led.At, TimeSpan.FromMilliseconds(2), TimeSpan.FromMilliseconds(2.01)); // the EXTI0 handler, not a poll
        Assert.True(press.Cycle > led.Cycle);
    }

    [Fact]
    public void Every_debounced_press_toggles_ld6_and_counts_up()
    {
        using var session = FirmwareSession.Start(Stm32Images.Board, Stm32Images.Path("button"));
        var pin = Button(session);

        for (int n = 1; n <= 3; n++)
        {
            RunUntil(session, TimeSpan.FromMilliseconds(50 * n));
            pin.Drive(true);
            session.WaitForUartLine($"press {n}", TimeSpan.FromMilliseconds(5));
            session.RunFor(TimeSpan.FromMilliseconds(10));
            pin.Drive(false);
        }

        session.RunFor(TimeSpan.FromMilliseconds(30));
        var ld6 = session.PinEdges.Where(e => e.Pin == "gpiod.15").Select(e => e.Level).ToList();
        Assert.Equal([true, false, true], ld6);
        Assert.Equal(["press 1", "press 2", "press 3"], session.UartLines.Where(l => l.Text.StartsWith("press", StringComparison.Ordinal)).Select(l => l.Text));
    }

    [Fact]
    public void Bounces_on_press_and_release_count_as_one_press()
    {
        using var session = FirmwareSession.Start(Stm32Images.Board, Stm32Images.Path("button"));
        var pin = Button(session);
        RunUntil(session, TimeSpan.FromMilliseconds(5));

        // Five closures within a millisecond, held for 20 ms, then a bouncy release.
        foreach (bool level in new[] { true, false, true, false, true, false, true, false, true })
        {
            pin.Drive(level);
            session.RunFor(TimeSpan.FromMicroseconds(100));
        }

        session.RunFor(TimeSpan.FromMilliseconds(20));
        foreach (bool level in new[] { false, true, false, true, false })
        {
            pin.Drive(level);
            session.RunFor(TimeSpan.FromMicroseconds(150));
        }

        session.RunFor(TimeSpan.FromMilliseconds(40));
        Assert.Equal(["press 1"], session.UartLines.Where(l => l.Text.StartsWith("press", StringComparison.Ordinal)).Select(l => l.Text));
        Assert.Single(session.PinEdges, e => e.Pin == "gpiod.15");
    }

    private static GpioPin Button(FirmwareSession session) => session.Machine.Pin("gpioa", 0);

    private static void RunUntil(FirmwareSession session, TimeSpan at)
    {
        if (at > session.VirtualTime)
        {
            session.RunFor(at - session.VirtualTime);
        }
    }
}
