using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using EdgeVisor.Emulation.Machines.Testing;
using EdgeVisor.Emulation.Machines.Wiring;
using EdgeVisor.Emulation.Peripherals.Devices;

namespace EdgeVisor.Emulation.Machines.Tests.Stm32Samples;

/// <summary>
/// The samples with their wiring as a user gets it: the board's own devices (LEDs LD3-LD6, button B1), the
/// committed wiring files in firmware-images/stm32f4-discovery/, and stimulus scripts on virtual time.
/// </summary>
public partial class WiredSampleTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromMilliseconds(50);

    [Fact]
    public void A_stimulus_press_of_b1_at_2_ms_prints_press_1_and_lights_ld6()
    {
        using var session = FirmwareSession.Start(Stm32Images.Board, Stm32Images.Path("button"), WiringDocument.None);
        session.Stimulate("2ms press b1\n2.5ms release b1\n");

        var press = session.WaitForUartLine("press 1", Wait);

        var ld6 = session.Device<Led>("ld6");
        Assert.True(ld6.IsOn);
        var (on, cycle) = Assert.Single(ld6.Changes);
        Assert.True(on);
        Assert.InRange(cycle, 2 * Stm32Images.CyclesPerMillisecond, 2 * Stm32Images.CyclesPerMillisecond + 1_680); // within 10 µs of the press
        Assert.True(press.Cycle > cycle);
    }

    [Fact]
    public void The_button_stimulus_file_gives_two_presses_and_ld6_ends_off()
    {
        using var session = FirmwareSession.Start(Stm32Images.Board, Stm32Images.Path("button"), WiringDocument.None);
        session.Stimulate(File.ReadAllText(Stm32Images.File("button.stimulus")));

        session.RunFor(TimeSpan.FromMilliseconds(100));

        Assert.Equal(["press 1", "press 2"], session.UartLines.Where(l => l.Text.StartsWith("press", StringComparison.Ordinal)).Select(l => l.Text));
        Assert.False(session.Device<Led>("ld6").IsOn);
        Assert.Equal(2, session.Device<Led>("ld6").ChangeCount);
    }

    [Fact]
    public void Blink_drives_the_boards_ld4_and_ld3_leds()
    {
        using var session = FirmwareSession.Start(Stm32Images.Board, Stm32Images.Path("blink"), WiringDocument.None);

        session.RunFor(TimeSpan.FromMilliseconds(520));

        Assert.Equal([true, false, true, false, true], session.Device<Led>("ld4").Changes.Select(c => c.On));
        Assert.Equal([true, false], session.Device<Led>("ld3").Changes.Select(c => c.On));
        Assert.Empty(session.Device<Led>("ld5").Changes);
        Assert.Equal(1.0, session.Device("ld4").Get("on"));
    }

    [Fact]
    public void I2c_sensors_with_the_sample_wiring_prints_the_values_the_test_sets()
    {
        // The sensors' result registers hold what they sensed at power-up; a later Set shows at their next conversion.
        var wiring = WithQuantities(
            WiringFile.Load(Stm32Images.File("i2c-sensors.wiring.json")),
            ("thermometer", "temperature", 31.5),
            ("weather", "temperature", 18.75),
            ("weather", "pressure", 1002.5),
            ("weather", "humidity", 71.25));
        using var session = FirmwareSession.Start(Stm32Images.Board, Stm32Images.Path("i2c-sensors"), wiring);

        Assert.Equal(0, session.WaitForExit(TimeSpan.FromMilliseconds(200)));

        string console = session.ConsoleText;
        Assert.Contains("tmp102: 31.50 C\r\n", console, StringComparison.Ordinal);
        var bme = BmeLine().Match(console);
        Assert.True(bme.Success, console);
        Assert.Equal(18.75, Number(bme, "t"), 0.02); // within the sensor's resolution at x1 oversampling
        Assert.Equal(1002.5, Number(bme, "p"), 0.05);
        Assert.Equal(71.25, Number(bme, "h"), 0.03);
        Assert.Contains("read back EdgeVisr: match", console, StringComparison.Ordinal);
        Assert.Contains("done: 0 failed", console, StringComparison.Ordinal);
        var eeprom = session.Device<Eeprom24Cxx>("eeprom");
        Assert.Equal("EdgeVisr", Encoding.ASCII.GetString(eeprom.Contents.Slice(0x10, 8)));
        Assert.Equal(1, eeprom.Writes);
        Assert.True(session.Device<Ssd1306>("display").Lit);
    }

    [Fact]
    public void Uart_console_temp_follows_a_stimulus_change_of_the_thermometer_after_its_next_conversion()
    {
        using var session = FirmwareSession.Start(Stm32Images.Board, Stm32Images.Path("uart-console"), Stm32Images.File("uart-console.wiring.json"));
        session.Stimulate("10ms set thermometer temperature 31.5\n");
        TypeAt(session, TimeSpan.FromMilliseconds(5), "temp\r");
        TypeAt(session, TimeSpan.FromMilliseconds(300), "temp\r"); // after the TMP102's 4 Hz conversion at 250 ms

        Assert.Equal("temp: 21.50 C", session.WaitForUartLine("temp: ", Wait).Text);
        var second = session.WaitForUartLine("temp: ", TimeSpan.FromMilliseconds(400));

        Assert.Equal("temp: 31.50 C", second.Text);
        Assert.True(second.At > TimeSpan.FromMilliseconds(300));
    }

    /// <summary>Types <paramref name="text"/> into USART2's receiver from <paramref name="at"/>, one character per 200 µs (115200 baud takes 87).</summary>
    private static void TypeAt(FirmwareSession session, TimeSpan at, string text)
    {
        var uart = session.Machine.ConsoleUart!;
        for (int i = 0; i < text.Length; i++)
        {
            byte c = (byte)text[i];
            session.At(at + (TimeSpan.FromMicroseconds(200) * i), () => uart.Receive(c));
        }
    }

    [GeneratedRegex(@"bme280: T=(?<t>-?\d+\.\d\d) C P=(?<p>\d+\.\d\d) hPa H=(?<h>\d+\.\d\d) %RH")]
    private static partial Regex BmeLine();

    private static double Number(Match match, string group) => double.Parse(match.Groups[group].Value, CultureInfo.InvariantCulture);

    private static WiringDocument WithQuantities(WiringDocument wiring, params (string Device, string Quantity, double Value)[] values) =>
        wiring with
        {
            Devices =
            [
                .. wiring.Devices.Select(d =>
                {
                    var properties = new Dictionary<string, JsonElement>(d.Properties, StringComparer.OrdinalIgnoreCase);
                    foreach (var (_, quantity, value) in values.Where(v => v.Device == d.Name))
                    {
                        properties[quantity] = JsonSerializer.SerializeToElement(value);
                    }

                    return d with { Properties = properties };
                }),
            ],
        };
}
