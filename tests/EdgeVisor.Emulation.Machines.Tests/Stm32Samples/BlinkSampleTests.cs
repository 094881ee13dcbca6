using EdgeVisor.Emulation.Machines.Testing;

namespace EdgeVisor.Emulation.Machines.Tests.Stm32Samples;

/// <summary>
/// blink: LD4 (PD12) toggles every 100 ms and LD3 (PD13) every 250 ms of virtual time, counted by SysTick at
/// 1 kHz after the 168 MHz clock init. The pins change inside the SysTick handler, a fixed number of instructions
/// after the tick, so LD4's period is exact to the cycle; LD3's edge comes a few instructions later on the ticks
/// where LD4 toggles first in the same handler (500 ms, 1000 ms). Each toggle prints a line on USART2.
/// </summary>
public class BlinkSampleTests
{
    /// <summary>Slack for LD3 only: the instructions of LD4's toggle, when both happen in one handler.</summary>
    private const long HandlerBranchCycles = 32;

    [Fact]
    public void Ld4_and_ld3_toggle_at_their_periods_in_virtual_time()
    {
        using var session = FirmwareSession.Start(Stm32Images.Board, Stm32Images.Path("blink"));

        session.RunFor(TimeSpan.FromMilliseconds(1010));

        var green = Edges(session, "gpiod.12");
        var orange = Edges(session, "gpiod.13");
        Assert.Equal(10, green.Count);
        Assert.Equal(4, orange.Count);
        AssertAlternating(green);
        AssertAlternating(orange);
        AssertPeriod(green, 100, toleranceCycles: 0);
        AssertPeriod(orange, 250, HandlerBranchCycles);

        // The first edges come 100 and 250 SysTick milliseconds after a clock init of well under a millisecond.
        Assert.InRange(green[0].At, TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(101));
        long firstGap = (long)orange[0].Cycle - (long)green[0].Cycle;
        Assert.InRange(firstGap, (150 * (long)Stm32Images.CyclesPerMillisecond) - HandlerBranchCycles, (150 * (long)Stm32Images.CyclesPerMillisecond) + HandlerBranchCycles);
    }

    [Fact]
    public void Each_toggle_prints_its_line_on_usart2_after_the_edge()
    {
        using var session = FirmwareSession.Start(Stm32Images.Board, Stm32Images.Path("blink"));

        var banner = session.WaitForUartLine("blink: SYSCLK", TimeSpan.FromMilliseconds(20)); // 80 characters at 115200 baud
        var on = session.WaitForUartLine("LD4 green on at 100 ms", TimeSpan.FromMilliseconds(110));
        var off = session.WaitForUartLine("LD4 green off at 200 ms", TimeSpan.FromMilliseconds(110));
        var orange = session.WaitForUartLine("LD3 orange on at 250 ms", TimeSpan.FromMilliseconds(60));

        Assert.Equal("blink: SYSCLK 168000000 Hz, LD4 green every 100 ms, LD3 orange every 250 ms", banner.Text);
        Assert.Equal("usart2", banner.Uart);
        var firstEdge = Edges(session, "gpiod.12")[0];
        Assert.True(on.Cycle > firstEdge.Cycle, "the line follows the edge");
        Assert.InRange(on.At - firstEdge.At, TimeSpan.Zero, TimeSpan.FromMilliseconds(5));
        Assert.InRange(off.At, TimeSpan.FromMilliseconds(200), TimeSpan.FromMilliseconds(206));
        Assert.InRange(orange.At, TimeSpan.FromMilliseconds(250), TimeSpan.FromMilliseconds(256));
    }

    private static List<PinEdge> Edges(FirmwareSession session, string pin) => [.. session.PinEdges.Where(e => e.Pin == pin)];

    private static void AssertAlternating(List<PinEdge> edges)
    {
        for (int i = 0; i < edges.Count; i++)
        {
            Assert.Equal(i % 2 == 0, edges[i].Level); // LEDs start off: on, off, on, ...
        }
    }

    private static void AssertPeriod(List<PinEdge> edges, int milliseconds, long toleranceCycles)
    {
        long period = milliseconds * (long)Stm32Images.CyclesPerMillisecond;
        for (int i = 1; i < edges.Count; i++)
        {
            long gap = (long)edges[i].Cycle - (long)edges[i - 1].Cycle;
            Assert.InRange(gap, period - toleranceCycles, period + toleranceCycles);
        }
    }
}
