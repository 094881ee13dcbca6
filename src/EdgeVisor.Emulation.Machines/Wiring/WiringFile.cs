using System.Text;
using System.Text.Json;

namespace EdgeVisor.Emulation.Machines.Wiring;

/// <summary>
/// Reads wiring files: JSON with comments and trailing commas (any extension but .yaml/.yml), or YAML. The shape
/// (docs/wiring.md):
/// <code>
/// {
///   "devices": [
///     { "name": "sensor", "type": "tmp102", "bus": "i2c1", "address": "0x48" },
///     { "name": "led1", "type": "led", "pin": "gpiod.12" }
///   ],
///   "host": {
///     "backend": "gpiod",
///     "gpio": [ { "pin": "gpiod.13", "chip": 0, "line": 17 } ],
///     "i2c": [ { "bus": "i2c1", "address": "0x76", "hostBus": 1, "hostAddress": "0x76" } ]
///   }
/// }
/// </code>
/// Every error is a <see cref="WiringException"/> naming the file, the line and the JSON path.
/// </summary>
public static class WiringFile
{
    private static readonly string[] TopLevelKeys = ["devices", "host", "boardDevices"];
    private static readonly string[] DeviceKeys = ["name", "type", "pin", "bus", "address"];
    private static readonly string[] HostKeys = ["backend", "gpio", "i2c"];
    private static readonly string[] HostGpioKeys = ["pin", "chip", "line"];
    private static readonly string[] HostI2cKeys = ["bus", "address", "hostBus", "hostAddress"];

    /// <summary>Reads and parses a wiring file; <paramref name="path"/> is also the name errors use.</summary>
    public static WiringDocument Load(string path)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new WiringException($"{path}: cannot read the wiring file: {e.Message}", e);
        }

        return IsYaml(path) ? ParseYaml(text, path) : Parse(text, path);
    }

    /// <summary>True for .yaml/.yml paths.</summary>
    public static bool IsYaml(string path) =>
        path.EndsWith(".yaml", StringComparison.OrdinalIgnoreCase) || path.EndsWith(".yml", StringComparison.OrdinalIgnoreCase);

    /// <summary>Parses JSON wiring text; <paramref name="source"/> names it in errors.</summary>
    public static WiringDocument Parse(string json, string source)
    {
        byte[] utf8 = Encoding.UTF8.GetBytes(json);
        JsonDocument document;
        JsonLineMap lines;
        try
        {
            document = JsonDocument.Parse(utf8, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
            lines = JsonLineMap.Build(utf8);
        }
        catch (JsonException e)
        {
            long line = (e.LineNumber ?? 0) + 1;
            throw new WiringException($"{source}:{line}: not valid JSON: {FirstSentence(e.Message)}", e);
        }

        using (document)
        {
            return FromElement(document.RootElement, new WiringOrigin(source, lines));
        }
    }

    /// <summary>Parses YAML wiring text (same keys as JSON); <paramref name="source"/> names it in errors.</summary>
    public static WiringDocument ParseYaml(string yaml, string source)
    {
        var (json, lines) = YamlToJson.Convert(yaml, source);
        using var document = JsonDocument.Parse(json);
        return FromElement(document.RootElement, new WiringOrigin(source, lines));
    }

    /// <summary>Parses a document's root object.</summary>
    public static WiringDocument FromElement(JsonElement root, WiringOrigin origin)
    {
        var top = new JsonObjectReader(root, origin, "");
        top.RejectUnknown(TopLevelKeys);
        var devices = ParseDevices(top.OptionalArray("devices"), origin, "devices");
        HostWiring? host = top.OptionalValue("host") is { } hostElement ? ParseHost(hostElement, origin) : null;
        return new WiringDocument
        {
            Origin = origin,
            Devices = devices,
            Host = host,
            BoardDevices = top.OptionalBool("boardDevices") ?? true,
        };
    }

    /// <summary>Parses a list of device entries (a wiring file's "devices" or a board file's).</summary>
    public static IReadOnlyList<WiredDevice> ParseDevices(IReadOnlyList<JsonElement> entries, WiringOrigin origin, string path)
    {
        var devices = new List<WiredDevice>();
        for (int i = 0; i < entries.Count; i++)
        {
            string at = JsonLineMap.Element(path, i);
            var entry = new JsonObjectReader(entries[i], origin, at);
            string name = entry.RequiredString("name");
            string type = entry.RequiredString("type");
            string? pin = entry.OptionalString("pin");
            string? bus = entry.OptionalString("bus");
            int? address = entry.OptionalAddress("address");
            if (pin is null && bus is null)
            {
                throw new WiringException(origin.At(at), $"device {name}: give \"pin\" (a GPIO device) or \"bus\" with an optional \"address\" (an I2C device)");
            }

            if (bus is null && address is not null)
            {
                throw new WiringException(entry.At("address"), $"device {name}: \"address\" is for I2C devices (with \"bus\")");
            }

            devices.Add(new WiredDevice(name, type, pin, bus, address, entry.Rest(DeviceKeys), origin, at));
        }

        return devices;
    }

    private static HostWiring ParseHost(JsonElement element, WiringOrigin origin)
    {
        var host = new JsonObjectReader(element, origin, "host");
        host.RejectUnknown(HostKeys);
        string backend = host.RequiredString("backend");
        if (!HostWiring.Backends.Contains(backend))
        {
            throw new WiringException(host.At("backend"), $"unknown backend \"{backend}\" (backends: {string.Join(", ", HostWiring.Backends)})");
        }

        var gpio = new List<HostGpioMapping>();
        var gpioEntries = host.OptionalArray("gpio");
        for (int i = 0; i < gpioEntries.Count; i++)
        {
            string at = JsonLineMap.Element("host.gpio", i);
            var entry = new JsonObjectReader(gpioEntries[i], origin, at);
            entry.RejectUnknown(HostGpioKeys);
            gpio.Add(new HostGpioMapping(entry.RequiredString("pin"), entry.RequiredInt("chip", 0, 255), entry.RequiredInt("line", 0, 65535), origin, at));
        }

        var i2c = new List<HostI2cMapping>();
        var i2cEntries = host.OptionalArray("i2c");
        for (int i = 0; i < i2cEntries.Count; i++)
        {
            string at = JsonLineMap.Element("host.i2c", i);
            var entry = new JsonObjectReader(i2cEntries[i], origin, at);
            entry.RejectUnknown(HostI2cKeys);
            string bus = entry.RequiredString("bus");
            int address = entry.OptionalAddress("address") ?? throw new WiringException(origin.At(at), "missing \"address\"");
            int hostBus = entry.RequiredInt("hostBus", 0, 255);
            int hostAddress = entry.OptionalAddress("hostAddress") ?? address;
            i2c.Add(new HostI2cMapping(bus, address, hostBus, hostAddress, origin, at));
        }

        return new HostWiring(backend, gpio, i2c, origin, "host");
    }

    private static string FirstSentence(string message)
    {
        int end = message.IndexOf(" Path:", StringComparison.Ordinal);
        return (end > 0 ? message[..end] : message).Trim();
    }
}
