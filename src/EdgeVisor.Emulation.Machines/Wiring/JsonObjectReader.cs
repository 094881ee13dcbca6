using System.Globalization;
using System.Text.Json;

namespace EdgeVisor.Emulation.Machines.Wiring;

/// <summary>
/// Reads the keys of one JSON object of a wiring file with errors that name the file, line and path of the bad
/// value and say what was expected. Keys are matched exactly (case-sensitive), as they are documented.
/// </summary>
internal sealed class JsonObjectReader
{
    private readonly JsonElement _element;
    private readonly WiringOrigin _origin;

    public JsonObjectReader(JsonElement element, WiringOrigin origin, string path)
    {
        _element = element;
        _origin = origin;
        Path = path;
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw new WiringException(origin.At(path), $"expected an object {{ … }}, found {Describe(element)}");
        }
    }

    public string Path { get; }

    public SourceLocation At(string key) => _origin.At(JsonLineMap.Child(Path, key));

    public bool Has(string key) => _element.TryGetProperty(key, out _);

    /// <summary>Throws for the first key not in <paramref name="known"/>, listing the known ones.</summary>
    public void RejectUnknown(IReadOnlyCollection<string> known)
    {
        foreach (var property in _element.EnumerateObject())
        {
            if (!known.Contains(property.Name))
            {
                throw new WiringException(At(property.Name), $"unknown key (known: {string.Join(", ", known)})");
            }
        }
    }

    /// <summary>Every key not in <paramref name="taken"/>, with its value (a device's own properties).</summary>
    public Dictionary<string, JsonElement> Rest(IReadOnlyCollection<string> taken)
    {
        var rest = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        foreach (var property in _element.EnumerateObject())
        {
            if (!taken.Contains(property.Name))
            {
                rest[property.Name] = property.Value.Clone();
            }
        }

        return rest;
    }

    public string RequiredString(string key) =>
        OptionalString(key) ?? throw new WiringException(_origin.At(Path), $"missing \"{key}\"");

    public string? OptionalString(string key)
    {
        if (!_element.TryGetProperty(key, out var value))
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.String || value.GetString() is not { Length: > 0 } text)
        {
            throw new WiringException(At(key), $"expected a non-empty string, found {Describe(value)}");
        }

        return text;
    }

    public bool? OptionalBool(string key)
    {
        if (!_element.TryGetProperty(key, out var value))
        {
            return null;
        }

        return value.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => throw new WiringException(At(key), $"expected true or false, found {Describe(value)}"),
        };
    }

    /// <summary>A whole number in [min, max], written as a number or a decimal/hex string.</summary>
    public int RequiredInt(string key, int min, int max) =>
        OptionalInt(key, min, max) ?? throw new WiringException(_origin.At(Path), $"missing \"{key}\"");

    public int? OptionalInt(string key, int min, int max)
    {
        if (!_element.TryGetProperty(key, out var value))
        {
            return null;
        }

        long? number = value.ValueKind switch
        {
            JsonValueKind.Number when value.TryGetInt64(out long n) => n,
            JsonValueKind.String => ParseInteger(value.GetString()!),
            _ => null,
        };
        if (number is not { } n2 || n2 < min || n2 > max)
        {
            throw new WiringException(At(key), $"expected a whole number from {min} to {max}, found {Describe(value)}");
        }

        return (int)n2;
    }

    /// <summary>A 7-bit I2C address ("0x48" or 72) that is not one of I2C's reserved ones (0x00–0x07, 0x78–0x7F).</summary>
    public int? OptionalAddress(string key)
    {
        if (!_element.TryGetProperty(key, out var value))
        {
            return null;
        }

        long? number = value.ValueKind switch
        {
            JsonValueKind.Number when value.TryGetInt64(out long n) => n,
            JsonValueKind.String => ParseInteger(value.GetString()!),
            _ => null,
        };
        if (number is not { } address || address < 0 || address > 0x7F)
        {
            throw new WiringException(At(key), $"expected a 7-bit I2C address such as \"0x48\", found {Describe(value)}");
        }

        if (address is < 0x08 or > 0x77)
        {
            throw new WiringException(At(key), $"0x{address:X2} is a reserved I2C address (devices use 0x08–0x77)");
        }

        return (int)address;
    }

    /// <summary>The array at <paramref name="key"/> (empty if absent).</summary>
    public IReadOnlyList<JsonElement> OptionalArray(string key)
    {
        if (!_element.TryGetProperty(key, out var value))
        {
            return [];
        }

        if (value.ValueKind != JsonValueKind.Array)
        {
            throw new WiringException(At(key), $"expected a list [ … ], found {Describe(value)}");
        }

        return [.. value.EnumerateArray()];
    }

    public JsonElement? OptionalValue(string key) => _element.TryGetProperty(key, out var value) ? value : null;

    /// <summary>"0x48", "72" → the number; null if it is neither.</summary>
    public static long? ParseInteger(string text)
    {
        text = text.Trim();
        bool ok = text.StartsWith("0x", StringComparison.OrdinalIgnoreCase)
            ? long.TryParse(text.AsSpan(2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out long value)
            : long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value);
        return ok ? value : null;
    }

    /// <summary>A short description of a JSON value for messages: "the string \"x\"", "the number 3", "an object".</summary>
    public static string Describe(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => $"\"{value.GetString()}\"",
        JsonValueKind.Number => value.GetRawText(),
        JsonValueKind.True => "true",
        JsonValueKind.False => "false",
        JsonValueKind.Null => "null",
        JsonValueKind.Array => "a list",
        JsonValueKind.Object => "an object",
        _ => "nothing",
    };
}
