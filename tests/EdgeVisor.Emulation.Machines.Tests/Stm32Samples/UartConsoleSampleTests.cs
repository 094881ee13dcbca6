using System.Text;
using EdgeVisor.Emulation.Machines.Testing;
using EdgeVisor.Emulation.Peripherals.Gpio;

namespace EdgeVisor.Emulation.Machines.Tests.Stm32Samples;

/// <summary>
/// uart-console: USART2's RX interrupt feeds a line editor; typed characters are echoed, backspace erases, and
/// each line is a command (help, led on/off, temp, uptime).
/// </summary>
public class UartConsoleSampleTests
{
    [Fact]
    public void Typed_commands_are_echoed_and_answered()
    {
        using var session = Start("help\rled on\rled off\ruptime\rblink\r");

        Assert.Equal("> help", session.WaitForUartLine("> help", Wait).Text);
        Assert.Equal("commands: help, led on, led off, temp, uptime", session.WaitForUartLine("commands:", Wait).Text);
        session.WaitForUartLine("> led on", Wait);
        session.WaitForUartLine("LD4 green on", Wait);
        var on = session.WaitForPinEdge("gpiod", 12, Edge.Rising, Wait);
        session.WaitForUartLine("LD4 green off", Wait);
        var off = session.WaitForPinEdge("gpiod", 12, Edge.Falling, Wait);
        var uptime = session.WaitForUartLine("uptime: ", Wait);
        var unknown = session.WaitForUartLine("unknown command", Wait);

        Assert.True(off.Cycle > on.Cycle);
        int reported = int.Parse(uptime.Text["uptime: ".Length..^" ms".Length], System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(reported, 0, (int)uptime.At.TotalMilliseconds);
        Assert.Equal("unknown command 'blink' (try help)", unknown.Text);
    }

    [Fact]
    public void Backspace_erases_the_last_character_before_the_line_is_run()
    {
        using var session = Start("helq\bp\r");

        session.WaitForUartLine("commands:", Wait);

        Assert.Contains("> helq\b \bp\r\n", session.ConsoleText, StringComparison.Ordinal);
    }

    [Fact]
    public void Temp_without_a_tmp102_on_i2c1_says_nothing_answers_at_0x48()
    {
        using var session = Start("temp\r");

        var answer = session.WaitForUartLine("temp: ", Wait);

        Assert.Equal("temp: no TMP102 at 0x48 (no acknowledge)", answer.Text);
    }

    [Fact]
    public void Temp_reads_the_tmp102_wired_to_i2c1()
    {
        var input = new MemoryStream(Encoding.ASCII.GetBytes("temp\r"));
        using var session = FirmwareSession.Start(Stm32Images.Board, Stm32Images.Path("uart-console"), new MachineOptions { ConsoleInput = input });
        Stm32Images.AttachToI2c1(session, "thermometer", "tmp102", 0x48, ("temperature", 31.5));

        Assert.Equal("temp: 31.50 C", session.WaitForUartLine("temp: ", Wait).Text);
    }

    private static readonly TimeSpan Wait = TimeSpan.FromMilliseconds(50);

    private static FirmwareSession Start(string typed) =>
        FirmwareSession.Start(Stm32Images.Board, Stm32Images.Path("uart-console"), new MachineOptions { ConsoleInput = new MemoryStream(Encoding.ASCII.GetBytes(typed)) });
}
