using System.Globalization;
using System.Text.Json;

namespace EdgeVisor.Emulation.Peripherals.Devices;

/// <summary>Typed access to a <see cref="DeviceSpec"/>'s properties, with errors that name the device and the property.</summary>
internal sealed class DeviceProperties(DeviceSpec spec)
{
    public string DeviceName => spec.Name;

    /// <summary>The property names the spec gives.</summary>
    public IEnumerable<string> Names => spec.Properties.Keys;

    public bool Has(string name) => TryGet(name, out _);

    public bool Bool(string name, bool fallback)
    {
        if (!TryGet(name, out var element))
        {
            return fallback;
        }

        return element.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => throw Bad(name, "true or false"),
        };
    }

    public double Number(string name, double fallback) => TryGet(name, out var element) ? Number(element, name) : fallback;

    /// <summary>An integer given as a number or a string ("0x50").</summary>
    public int Integer(string name, int fallback, int min, int max)
    {
        if (!TryGet(name, out var element))
        {
            return fallback;
        }

        int value = element.ValueKind switch
        {
            JsonValueKind.Number when element.TryGetInt32(out int n) => n,
            JsonValueKind.String when ParseInteger(element.GetString()!) is { } n => n,
            _ => throw Bad(name, "an integer"),
        };
        return value < min || value > max ? throw Bad(name, $"within {min}…{max}") : value;
    }

    public string? Text(string name) =>
        !TryGet(name, out var element) ? null
        : element.ValueKind == JsonValueKind.String ? element.GetString()
        : throw Bad(name, "a string");

    /// <summary>Bytes given as an array of numbers or a hex string ("de ad be ef").</summary>
    public byte[]? Bytes(string name)
    {
        if (!TryGet(name, out var element))
        {
            return null;
        }

        const string expected = "an array of byte values or a hex string";
        if (element.ValueKind == JsonValueKind.Array)
        {
            return [.. element.EnumerateArray().Select(e => e.ValueKind == JsonValueKind.Number && e.TryGetByte(out byte b) ? b : throw Bad(name, expected))];
        }

        if (element.ValueKind == JsonValueKind.String)
        {
            string hex = string.Concat(element.GetString()!.Where(c => !char.IsWhiteSpace(c)));
            try
            {
                return Convert.FromHexString(hex);
            }
            catch (FormatException)
            {
                throw Bad(name, expected);
            }
        }

        throw Bad(name, expected);
    }

    /// <summary>The error for a property whose value is wrong.</summary>
    public FormatException Bad(string name, string expected) => new($"device {spec.Name}: property '{name}' must be {expected}");

    private double Number(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Number ? element.GetDouble()
        : element.ValueKind == JsonValueKind.True ? 1
        : element.ValueKind == JsonValueKind.False ? 0
        : throw Bad(name, "a number");

    private static int? ParseInteger(string text)
    {
        text = text.Trim();
        bool hex = text.StartsWith("0x", StringComparison.OrdinalIgnoreCase);
        return int.TryParse(hex ? text[2..] : text, hex ? NumberStyles.AllowHexSpecifier : NumberStyles.Integer, CultureInfo.InvariantCulture, out int value)
            ? value
            : null;
    }

    private bool TryGet(string name, out JsonElement element)
    {
        foreach (var pair in spec.Properties)
        {
            if (string.Equals(pair.Key, name, StringComparison.OrdinalIgnoreCase))
            {
                element = pair.Value;
                return true;
            }
        }

        element = default;
        return false;
    }
}
