using System.Globalization;
using EdgeVisor.Emulation.Machines.Testing;
using EdgeVisor.Emulation.Machines.Wiring;

namespace EdgeVisor.Emulation.Machines.Tests.Stm32Samples;

/// <summary>
/// What i2c-sensors' HAL-style polling driver puts on the wire, from the session's I2C log: register reads as a
/// pointer write and a repeated START whose last byte is NACKed before STOP, the EEPROM page write followed by
/// acknowledge polling that the part NACKs through its write cycle, and 100 kHz byte timing.
/// </summary>
public class I2cBusSequenceTests
{
    [Fact]
    public void The_tmp102_read_is_a_pointer_write_then_a_repeated_start_read_of_two_bytes_the_last_nacked()
    {
        var steps = Steps(Run());

        Assert.Equal(
            ["S 0x48 W ACK", "W 0x00 ACK", "Sr 0x48 R ACK", "R 0x15 ACK", "R 0x80 NACK", "P"], // 21.5 degC = 0x158 counts of 1/16
            steps.Take(6).Select(s => s.Text));
    }

    [Fact]
    public void The_eeprom_page_write_is_followed_by_acknowledge_polling_until_the_write_cycle_ends()
    {
        var steps = Steps(Run());

        int start = steps.FindIndex(s => s.Text == "S 0x50 W ACK");
        Assert.Equal(
            ["S 0x50 W ACK", "W 0x10 ACK", "W 0x45 ACK", "W 0x64 ACK", "W 0x67 ACK", "W 0x65 ACK", "W 0x56 ACK", "W 0x69 ACK", "W 0x73 ACK", "W 0x72 ACK", "P"],
            steps.Skip(start).Take(11).Select(s => s.Text));

        // Then addressings the part NACKs while it programs the page, each ended by STOP, until one is acknowledged.
        var polls = steps.Skip(start + 11).TakeWhile(s => s.Text != "S 0x50 W ACK").ToList();
        Assert.True(polls.Count >= 4, "the part was polled more than once");
        Assert.All(polls, s => Assert.Contains(s.Text, new[] { "S 0x50 W NACK", "P" }));
        var ready = steps[start + 11 + polls.Count];
        var written = steps[start + 10];
        Assert.InRange(ready.Milliseconds - written.Milliseconds, 4.0, 12.0); // the 24C02's write cycle, in virtual time
    }

    [Fact]
    public void Bytes_go_out_at_100_khz()
    {
        var steps = Steps(Run());

        // 8 data bits and the acknowledge: 9 SCL periods of 10 us between consecutive bytes of one transfer.
        int start = steps.FindIndex(s => s.Text == "W 0x10 ACK");
        double gap = steps[start + 1].Milliseconds - steps[start].Milliseconds;
        Assert.Equal(0.090, gap, 0.002);
    }

    private static FirmwareSession Run()
    {
        // The sample wiring without the display: its 1 KiB frame upload is 100 ms of polling these tests do not look at.
        var wiring = WiringFile.Load(Stm32Images.File("i2c-sensors.wiring.json"));
        wiring = wiring with { Devices = [.. wiring.Devices.Where(d => d.Type != "ssd1306")] };
        var session = FirmwareSession.Start(Stm32Images.Board, Stm32Images.Path("i2c-sensors"), wiring);
        try
        {
            Assert.Equal(0, session.WaitForExit(TimeSpan.FromMilliseconds(200)));
            return session;
        }
        catch
        {
            session.Dispose();
            throw;
        }
    }

    /// <summary>The log's steps on i2c1 as (virtual ms, "S 0x48 W ACK"); the session is disposed.</summary>
    private static List<(double Milliseconds, string Text)> Steps(FirmwareSession session)
    {
        using (session)
        {
            var steps = new List<(double, string)>();
            foreach (string line in session.I2cLog.Lines)
            {
                // "2.747905 ms i2c1: S 0x48 W ACK"
                int unit = line.IndexOf(" ms i2c1: ", StringComparison.Ordinal);
                Assert.True(unit > 0, line);
                steps.Add((double.Parse(line.AsSpan(0, unit), CultureInfo.InvariantCulture), line[(unit + " ms i2c1: ".Length)..]));
            }

            return steps;
        }
    }
}
