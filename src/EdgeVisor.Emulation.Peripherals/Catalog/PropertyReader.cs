using System.Text.Json;
using EdgeVisor.Emulation.Boards;

namespace EdgeVisor.Emulation.Peripherals.Catalog;

/// <summary>Typed access to a peripheral description's model-specific properties, with errors that name the board entry.</summary>
internal sealed class PropertyReader(PeripheralDescription description)
{
    public bool Bool(string name, bool fallback = false)
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

    public uint Number(string name, uint fallback) => TryGet(name, out var element) ? Number(element, name) : fallback;

    public IReadOnlyList<uint> Numbers(string name, IReadOnlyList<uint> fallback)
    {
        if (!TryGet(name, out var element))
        {
            return fallback;
        }

        if (element.ValueKind != JsonValueKind.Array)
        {
            throw Bad(name, "an array of numbers");
        }

        return [.. element.EnumerateArray().Select(e => Number(e, name))];
    }

    /// <summary>An object of offset -> value ("0x50": "0x01180001").</summary>
    public IReadOnlyDictionary<uint, uint> NumberMap(string name)
    {
        var map = new Dictionary<uint, uint>();
        if (!TryGet(name, out var element))
        {
            return map;
        }

        if (element.ValueKind != JsonValueKind.Object)
        {
            throw Bad(name, "an object of offset: value pairs");
        }

        foreach (var pair in element.EnumerateObject())
        {
            uint key = BoardDescription.ParseNumber(pair.Name) ?? throw Bad(name, "offsets written as numbers (\"0x50\")");
            map[key] = Number(pair.Value, name);
        }

        return map;
    }

    private uint Number(JsonElement element, string name)
    {
        if (element.ValueKind == JsonValueKind.Number && element.TryGetUInt32(out uint value))
        {
            return value;
        }

        if (element.ValueKind == JsonValueKind.String && BoardDescription.ParseNumber(element.GetString()!) is { } parsed)
        {
            return parsed;
        }

        throw Bad(name, "a 32-bit number (123 or \"0x7B\")");
    }

    private bool TryGet(string name, out JsonElement element)
    {
        foreach (var pair in description.Properties)
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

    private FormatException Bad(string name, string expected) =>
        new($"peripheral {description.Name}: property '{name}' must be {expected}");
}
