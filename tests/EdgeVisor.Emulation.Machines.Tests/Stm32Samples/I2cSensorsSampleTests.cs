using System.Globalization;
using System.Text.RegularExpressions;
using EdgeVisor.Emulation.Machines.Testing;
using EdgeVisor.Emulation.Peripherals.Devices;

namespace EdgeVisor.Emulation.Machines.Tests.Stm32Samples;

/// <summary>
/// i2c-sensors: the sample's HAL-style polling I2C driver on I2C1 reads the simulated devices the test puts on
/// the bus; what it prints is what the devices were set to (within each sensor's resolution), the EEPROM page
/// it writes reads back after acknowledge polling through the write cycle, and absent devices are reported
/// absent.
/// </summary>
public partial class I2cSensorsSampleTests
{
    private static readonly TimeSpan RunTime = TimeSpan.FromMilliseconds(200);

    [Theory]
    [InlineData(31.5, "31.50")]
    [InlineData(-12.25, "-12.25")]
    [InlineData(0.0625, "0.06")]
    public void The_tmp102_temperature_the_test_sets_is_the_one_printed(double celsius, string printed)
    {
        using var session = Start();
        Stm32Images.AttachToI2c1(session, "thermometer", "tmp102", 0x48, ("temperature", celsius));

        Assert.Equal(0, session.WaitForExit(RunTime));
        Assert.Contains($"tmp102: {printed} C\r\n", session.ConsoleText, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(31.5, 987.65, 62.3)]
    [InlineData(-5.25, 1030.0, 12.5)]
    public void The_bme280_compensated_values_match_the_set_quantities(double celsius, double hectopascal, double humidity)
    {
        using var session = Start();
        Stm32Images.AttachToI2c1(session, "weather", "bme280", 0x76, ("temperature", celsius), ("pressure", hectopascal), ("humidity", humidity));

        Assert.Equal(0, session.WaitForExit(RunTime));
        Assert.Contains("bme280: chip id 0x60", session.ConsoleText, StringComparison.Ordinal);
        var match = BmeLine().Match(session.ConsoleText);
        Assert.True(match.Success, session.ConsoleText);
        // x1 oversampling: 0.005 degC, 2.6 Pa and 0.008 %RH steps, plus the firmware's rounding to hundredths.
        Assert.Equal(celsius, Number(match, "t"), 0.02);
        Assert.Equal(hectopascal, Number(match, "p"), 0.05);
        Assert.Equal(humidity, Number(match, "h"), 0.03);
    }

    [Fact]
    public void The_eeprom_page_reads_back_after_acknowledge_polling_through_the_write_cycle()
    {
        using var session = Start();
        Stm32Images.AttachToI2c1(session, "eeprom", "24c02", 0x50);

        Assert.Equal(0, session.WaitForExit(RunTime));
        var line = session.UartLines.Single(l => l.Text.StartsWith("24c02:", StringComparison.Ordinal));
        var match = EepromLine().Match(line.Text);
        Assert.True(match.Success, line.Text);
        // The part NACKs its address during its write cycle; more than one addressing proves the firmware waited.
        Assert.True(int.Parse(match.Groups["polls"].Value, CultureInfo.InvariantCulture) > 1, line.Text);
        Assert.Equal("EdgeVisr", match.Groups["data"].Value);
        Assert.Equal("match", match.Groups["verdict"].Value);
    }

    [Fact]
    public void The_ssd1306_shows_the_border_and_diagonals_the_firmware_drew()
    {
        using var session = Start();
        var display = (Ssd1306)Stm32Images.AttachToI2c1(session, "display", "ssd1306", 0x3C);

        Assert.Equal(0, session.WaitForExit(RunTime));
        Assert.Contains("ssd1306: drew a border and both diagonals", session.ConsoleText, StringComparison.Ordinal);
        Assert.True(display.Lit, "the init sequence turns the charge pump and the display on");

        // The drawing is symmetric under the segment remap and COM scan flips the init selects, so the panel shows it as drawn.
        var panel = display.Render();
        var drawn = new bool[Ssd1306.Width, 64];
        for (int x = 0; x < Ssd1306.Width; x++)
        {
            drawn[x, 0] = drawn[x, 63] = drawn[x, x / 2] = drawn[x, 63 - (x / 2)] = true;
        }

        for (int y = 0; y < 64; y++)
        {
            drawn[0, y] = drawn[Ssd1306.Width - 1, y] = true;
        }

        for (int y = 0; y < 64; y++)
        {
            for (int x = 0; x < Ssd1306.Width; x++)
            {
                Assert.True(drawn[x, y] == panel[x, y], $"pixel ({x}, {y}) should be {(drawn[x, y] ? "lit" : "dark")}\n{panel.ToAscii()}");
            }
        }
    }

    [Fact]
    public void Without_devices_every_address_is_reported_absent_and_the_run_still_succeeds()
    {
        using var session = Start();

        Assert.Equal(0, session.WaitForExit(RunTime));
        string console = session.ConsoleText;
        Assert.Contains("tmp102: not present at 0x48", console, StringComparison.Ordinal);
        Assert.Contains("bme280: not present at 0x76", console, StringComparison.Ordinal);
        Assert.Contains("24c02: not present at 0x50", console, StringComparison.Ordinal);
        Assert.Contains("ssd1306: not present at 0x3c", console, StringComparison.Ordinal);
        Assert.Contains("done: 0 failed", console, StringComparison.Ordinal);
    }

    [GeneratedRegex(@"bme280: T=(?<t>-?\d+\.\d\d) C P=(?<p>\d+\.\d\d) hPa H=(?<h>\d+\.\d\d) %RH")]
    private static partial Regex BmeLine();

    [GeneratedRegex(@"^24c02: wrote 8 bytes at 0x10, ready after (?<polls>\d+) polls, read back (?<data>.{8}): (?<verdict>match|mismatch)$")]
    private static partial Regex EepromLine();

    private static double Number(Match match, string group) => double.Parse(match.Groups[group].Value, CultureInfo.InvariantCulture);

    private static FirmwareSession Start() => FirmwareSession.Start(Stm32Images.Board, Stm32Images.Path("i2c-sensors"));
}
