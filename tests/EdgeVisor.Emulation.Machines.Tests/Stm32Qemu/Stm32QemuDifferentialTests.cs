using System.Text;
using EdgeVisor.Emulation.Machines.Testing;

namespace EdgeVisor.Emulation.Machines.Tests.Stm32Qemu;

/// <summary>
/// The same STM32F4 firmware on qemu-system-arm -M netduinoplus2 (STM32F405; USART1 is its first -serial) and on
/// EdgeVisor's stm32f4-discovery: the USART1 output and the exit code must match. The programs never touch RCC
/// (unimplemented in QEMU), so on EdgeVisor everything runs from the 16 MHz HSI, which also fixes silicon timing:
/// 115200 baud (BRR 139: 86.875 us per byte) and the timers' periods, checked here against virtual time.
/// </summary>
public class Stm32QemuDifferentialTests
{
    private const string Board = "stm32f4-discovery";
    private const double ByteMicroseconds = 10 * 139 / 16.0;

    private static (string Qemu, string EdgeVisor, FirmwareSession Session) RunBoth(string program, int expectedExit = 0)
    {
        string elf = Stm32DiffFirmware.Image(program);
        var (qemuOutput, qemuExit) = QemuReference.Run("netduinoplus2", elf, []);
        var session = FirmwareSession.Start(Board, elf);
        Assert.Equal(expectedExit, session.WaitForExit(TimeSpan.FromSeconds(1)));
        Assert.Equal(expectedExit, qemuExit);
        return (Encoding.ASCII.GetString(qemuOutput), Usart1Text(session), session);
    }

    private static string Usart1Text(FirmwareSession session) =>
        string.Concat(session.UartLines.Where(l => l.Uart == "usart1").Select(l => l.Text + "\n"));

    [Fact]
    public void Polled_usart1_output_matches_qemu_and_takes_one_frame_per_byte_at_115200_baud()
    {
        var (qemu, edgeVisor, session) = RunBoth("usart-poll");
        using (session)
        {
            Assert.Equal(qemu, edgeVisor);
            Assert.Contains("line 3: the quick brown fox\n", edgeVisor);
            Assert.Contains("idle sr txe|tc 0x000000c0\n", edgeVisor);

            // Every byte but the last starts one frame after the previous one; the run ends after the last frame.
            var lines = session.UartLines.Where(l => l.Uart == "usart1").ToList();
            double first = lines[0].At.TotalMicroseconds;
            double last = lines[^1].At.TotalMicroseconds;
            int bytesBetween = edgeVisor.Length - lines[0].Text.Length - 1;
            Assert.InRange(last - first, bytesBetween * ByteMicroseconds, (bytesBetween * ByteMicroseconds) + 50);
        }
    }

    [Fact]
    public void Timer_update_interrupts_of_tim2_to_tim5_match_qemu_and_come_at_the_hsi_rate()
    {
        var (qemu, edgeVisor, session) = RunBoth("timer-update-irq");
        using (session)
        {
            Assert.Equal(qemu, edgeVisor);
            Assert.Contains("tim5: 5 update interrupts, psc 0 arr 31999 cen 0 uif 0\n", edgeVisor);

            // Five periods per timer (tim2 1 kHz, tim3 and tim4 2 kHz, tim5 500 Hz), then its result line: the line's
            // newline enters the shift register one frame per character after the timer's fifth interrupt. The next
            // timer starts as soon as that newline is in DR, one frame before it moves on into the shift register.
            var lines = session.UartLines.Where(l => l.Uart == "usart1").ToList();
            Assert.Equal(4, lines.Count);
            double[] fivePeriodsMs = [5, 2.5, 2.5, 10];
            double frameMs = ByteMicroseconds / 1000;
            double timerStart = 0;
            for (int i = 0; i < lines.Count; i++)
            {
                double expected = timerStart + fivePeriodsMs[i] + (lines[i].Text.Length * frameMs);
                Assert.InRange(lines[i].At.TotalMilliseconds, expected, expected + 0.02);
                timerStart = lines[i].At.TotalMilliseconds - frameMs;
            }
        }
    }

    /// <summary>
    /// Sending from the TXE interrupt: EdgeVisor only. QEMU 7.2's stm32f2xx_usart raises its interrupt for RXNE alone,
    /// so under QEMU this program waits forever after "start"; on silicon (and here) TXE and TC interrupt as enabled.
    /// </summary>
    [Fact]
    public void Txe_interrupt_driven_output_sends_the_whole_message_with_one_interrupt_per_byte_plus_tc()
    {
        using var session = FirmwareSession.Start(Board, Stm32DiffFirmware.Image("usart-txe-irq"));
        Assert.Equal(0, session.WaitForExit(TimeSpan.FromSeconds(1)));
        Assert.Equal(
            "start\ninterrupt-driven output: TXE refills, TC ends\nsent 46 bytes in 47 interrupts\n",
            Usart1Text(session));
    }

    /// <summary>
    /// The timers QEMU's netduinoplus2 lacks (TIM1, TIM6-14): each update interrupt reaches its RM0090 vector, the
    /// shared ones included (TIM1_UP_TIM10 = 25, TIM8_UP_TIM13 = 44, ...). EdgeVisor only.
    /// </summary>
    [Fact]
    public void Every_timer_interrupts_on_its_own_or_shared_vector()
    {
        using var session = FirmwareSession.Start(Board, Stm32DiffFirmware.Image("timer-vectors"));
        Assert.Equal(0, session.WaitForExit(TimeSpan.FromSeconds(1)));
        Assert.Equal(
            """
            tim1: 3 update interrupts on irq 25
            tim6: 3 update interrupts on irq 54
            tim7: 3 update interrupts on irq 55
            tim8: 3 update interrupts on irq 44
            tim9: 3 update interrupts on irq 24
            tim10: 3 update interrupts on irq 25
            tim11: 3 update interrupts on irq 26
            tim12: 3 update interrupts on irq 43
            tim13: 3 update interrupts on irq 44
            tim14: 3 update interrupts on irq 45

            """,
            Usart1Text(session));
    }
}
