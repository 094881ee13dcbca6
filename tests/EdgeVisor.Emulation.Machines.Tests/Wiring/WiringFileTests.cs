using EdgeVisor.Emulation.Machines.Wiring;

namespace EdgeVisor.Emulation.Machines.Tests.Wiring;

/// <summary>The wiring file's shape: what a user writes is read as written, and every mistake names file, line and path.</summary>
public class WiringFileTests
{
    private const string Example = """
        {
          // two parts on the board
          "devices": [
            { "name": "sensor", "type": "tmp102", "bus": "i2c1", "address": "0x48", "temperature": 21.5 },
            { "name": "led1", "type": "led", "pin": "gpiod.12", "activeLow": true },
          ],
          "host": {
            "backend": "simulated",
            "gpio": [ { "pin": "gpiod.13", "chip": 0, "line": 17 } ],
            "i2c": [ { "bus": "i2c1", "address": "0x76", "hostBus": 1 } ]
          }
        }
        """;

    [Fact]
    public void A_json_file_with_comments_gives_devices_properties_and_host_mappings()
    {
        var wiring = WiringFile.Parse(Example, "wiring.json");

        Assert.Equal(2, wiring.Devices.Count);
        var sensor = wiring.Devices[0];
        Assert.Equal(("sensor", "tmp102", "i2c1", 0x48), (sensor.Name, sensor.Type, sensor.Bus, sensor.Address!.Value));
        Assert.Equal(21.5, sensor.Properties["temperature"].GetDouble());
        Assert.DoesNotContain("address", sensor.Properties.Keys);
        var led = wiring.Devices[1];
        Assert.Equal(("led1", "gpiod.12"), (led.Name, led.Pin));
        Assert.True(led.Properties["activeLow"].GetBoolean());
        Assert.Equal("simulated", wiring.Host!.Backend);
        Assert.Equal(("gpiod.13", 0, 17), (wiring.Host.Gpio[0].Pin, wiring.Host.Gpio[0].Chip, wiring.Host.Gpio[0].Line));
        var i2c = wiring.Host.I2c[0];
        Assert.Equal(("i2c1", 0x76, 1, 0x76), (i2c.Bus, i2c.Address, i2c.HostBus, i2c.HostAddress)); // hostAddress defaults to the guest's
        Assert.True(wiring.BoardDevices);
    }

    [Fact]
    public void The_same_wiring_in_yaml_reads_the_same()
    {
        const string yaml = """
            # two parts on the board
            devices:
              - name: sensor
                type: tmp102
                bus: i2c1
                address: 0x48
                temperature: 21.5
              - { name: led1, type: led, pin: gpiod.12, activeLow: true }
            host:
              backend: simulated
              gpio:
                - pin: gpiod.13
                  chip: 0
                  line: 17
              i2c:
                - { bus: i2c1, address: "0x76", hostBus: 1 }
            """;

        var fromYaml = WiringFile.ParseYaml(yaml, "wiring.yaml");
        var fromJson = WiringFile.Parse(Example, "wiring.json");

        Assert.Equal(Summary(fromJson), Summary(fromYaml));
        Assert.Equal(21.5, fromYaml.Devices[0].Properties["temperature"].GetDouble());
        Assert.True(fromYaml.Devices[1].Properties["activeLow"].GetBoolean());
    }

    [Fact]
    public void Yaml_errors_name_the_yaml_line()
    {
        const string yaml = """
            devices:
              - name: sensor
                type: tmp102
                bus: i2c1
                address: 0x90
            """;

        var e = Assert.Throws<WiringException>(() => WiringFile.ParseYaml(yaml, "wiring.yaml"));

        Assert.StartsWith("wiring.yaml:5: devices[0].address:", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{ "devices": [ { "name": "a", "type": "led", "pin": "gpiod.1" }, { "type": "led", "pin": "gpiod.2" } ] }""", "wiring.json:1: devices[1]: missing \"name\"")]
    [InlineData("{ \"devices\": [\n  { \"name\": \"a\", \"type\": \"led\" }\n] }", "wiring.json:2: devices[0]: device a: give \"pin\"")]
    [InlineData("{ \"devices\": [\n  { \"name\": \"a\", \"type\": \"led\", \"pin\": \"gpiod.1\",\n    \"address\": \"0x48\" }\n] }", "wiring.json:3: devices[0].address: device a: \"address\" is for I2C devices")]
    [InlineData("""{ "devices": [ { "name": "t", "type": "tmp102", "bus": "i2c1", "address": "0x148" } ] }""", "devices[0].address: expected a 7-bit I2C address")]
    [InlineData("""{ "devices": [ { "name": "t", "type": "tmp102", "bus": "i2c1", "address": 3 } ] }""", "devices[0].address: 0x03 is a reserved I2C address")]
    [InlineData("""{ "devices": [ { "name": "t", "type": "tmp102", "bus": 1 } ] }""", "devices[0].bus: expected a non-empty string, found 1")]
    [InlineData("""{ "devices": { "name": "t" } }""", "wiring.json:1: devices: expected a list")]
    [InlineData("""{ "device": [] }""", "wiring.json:1: device: unknown key (known: devices, host, boardDevices)")]
    [InlineData("{\n \"host\": { \"backend\": \"sysfs\" } }", "wiring.json:2: host.backend: unknown backend \"sysfs\" (backends: gpiod, simulated)")]
    [InlineData("""{ "host": { "backend": "gpiod", "gpio": [ { "pin": "gpiod.1", "chip": 0 } ] } }""", "host.gpio[0]: missing \"line\"")]
    [InlineData("""{ "host": { "backend": "gpiod", "gpio": [ { "pin": "gpiod.1", "chip": 0, "line": -1 } ] } }""", "host.gpio[0].line: expected a whole number from 0 to 65535, found -1")]
    [InlineData("""{ "host": { "backend": "gpiod", "gpio": [ { "pin": "gpiod.1", "chip": 0, "line": 1, "pull": "up" } ] } }""", "host.gpio[0].pull: unknown key")]
    [InlineData("""{ "host": { "backend": "gpiod", "i2c": [ { "bus": "i2c1", "hostBus": 1 } ] } }""", "host.i2c[0]: missing \"address\"")]
    [InlineData("""{ "boardDevices": "no" }""", "boardDevices: expected true or false")]
    [InlineData("{\n\n  \"devices\": [ oops ]\n}", "wiring.json:3: not valid JSON")]
    public void Each_mistake_is_one_line_naming_file_line_and_path(string json, string expected)
    {
        var e = Assert.Throws<WiringException>(() => WiringFile.Parse(json, "wiring.json"));

        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
        Assert.StartsWith("wiring.json", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Fact]
    public void A_file_that_does_not_exist_is_a_wiring_error_naming_it()
    {
        var e = Assert.Throws<WiringException>(() => WiringFile.Load("/nonexistent/wiring.json"));

        Assert.StartsWith("/nonexistent/wiring.json: cannot read", e.Message, StringComparison.Ordinal);
    }

    private static string Summary(WiringDocument w) => string.Join(
        "; ",
        w.Devices.Select(d => $"{d.Name} {d.Type} {d.Pin} {d.Bus} {d.Address} [{string.Join(",", d.Properties.Keys)}]")
            .Concat(w.Host!.Gpio.Select(g => $"{g.Pin}>{g.Chip}:{g.Line}"))
            .Concat(w.Host.I2c.Select(i => $"{i.Bus}@{i.Address}>{i.HostBus}@{i.HostAddress}"))
            .Append(w.Host.Backend));
}
