using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using EdgeVisor.Emulation.Memory;

namespace EdgeVisor.Emulation.Boards;

/// <summary>
/// A board as data: its core, memory map and peripherals. Adding a board is adding one of these
/// files; only a new kind of peripheral needs code. Addresses and sizes may be written as numbers
/// or as strings in hex ("0x40004000") with optional K/M suffixes for sizes ("64K").
/// </summary>
public sealed record BoardDescription
{
    public required string Name { get; init; }

    public string Description { get; init; } = "";

    public required CpuDescription Cpu { get; init; }

    public required IReadOnlyList<MemoryDescription> Memory { get; init; }

    public IReadOnlyList<PeripheralDescription> Peripherals { get; init; } = [];

    /// <summary>
    /// Parts on the board itself (LEDs, buttons) in the wiring file's device schema ({ "name", "type", "pin" | "bus",
    /// "address", properties }); the wiring reads and checks them, and a wiring file adds to or replaces them.
    /// </summary>
    public IReadOnlyList<JsonElement> Devices { get; init; } = [];

    private static readonly JsonSerializerOptions Options = new()
    {
        PropertyNameCaseInsensitive = true,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
        Converters = { new AddressConverter(), new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    /// <summary>Parses a board file; throws <see cref="FormatException"/> with the source name and the JSON path of the problem.</summary>
    public static BoardDescription Parse(string json, string source)
    {
        BoardDescription? board;
        try
        {
            board = JsonSerializer.Deserialize<BoardDescription>(json, Options);
        }
        catch (JsonException e)
        {
            throw new FormatException($"{source}: {e.Path}: {e.InnerException?.Message ?? e.Message}", e);
        }

        if (board is null)
        {
            throw new FormatException($"{source}: empty board description");
        }

        board.Validate(source);
        return board;
    }

    private void Validate(string source)
    {
        if (Cpu.ClockHz == 0)
        {
            throw new FormatException($"{source}: cpu.clockHz must be positive");
        }

        foreach (var m in Memory)
        {
            if (m.Size == 0)
            {
                throw new FormatException($"{source}: memory {m.Name}: size must be positive");
            }
        }
    }

    /// <summary>Reads addresses as numbers or hex strings, sizes with K/M suffixes.</summary>
    private sealed class AddressConverter : JsonConverter<uint>
    {
        public override uint Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            if (reader.TokenType == JsonTokenType.Number)
            {
                return reader.GetUInt32();
            }

            string text = reader.GetString() ?? throw new JsonException("expected a number");
            return ParseNumber(text) ?? throw new JsonException($"'{text}' is not a number (use 123, 0x7B, 64K or 4M)");
        }

        public override void Write(Utf8JsonWriter writer, uint value, JsonSerializerOptions options) =>
            writer.WriteStringValue($"0x{value:X8}");
    }

    /// <summary>Parses "123", "0x7B", "64K", "4M"; null if it is none of these.</summary>
    public static uint? ParseNumber(string text)
    {
        text = text.Trim();
        ulong multiplier = 1;
        if (text.EndsWith('K') || text.EndsWith('k'))
        {
            multiplier = 1024;
            text = text[..^1];
        }
        else if (text.EndsWith('M') || text.EndsWith('m'))
        {
            multiplier = 1024 * 1024;
            text = text[..^1];
        }

        bool ok = text.StartsWith("0x", StringComparison.OrdinalIgnoreCase)
            ? ulong.TryParse(text.AsSpan(2), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out ulong value)
            : ulong.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value);
        return ok && value * multiplier <= uint.MaxValue ? (uint)(value * multiplier) : null;
    }
}

/// <summary>The core: model name, clock, and the interrupt controller's shape.</summary>
public sealed record CpuDescription
{
    /// <summary>"cortex-m0", "cortex-m0plus", "cortex-m3", "cortex-m4", "cortex-m4f", "cortex-m7".</summary>
    public required string Model { get; init; }

    public required ulong ClockHz { get; init; }

    /// <summary>SysTick's reference clock (CLKSOURCE=0) in Hz; 0 means none (STM32F4: HCLK/8).</summary>
    public ulong SysTickReferenceHz { get; init; } = 1_000_000;

    /// <summary>Number of implemented NVIC priority bits (3 on MPS2 M3/M4, 4 on STM32F4).</summary>
    public int PriorityBits { get; init; } = 3;

    /// <summary>Number of external interrupt lines.</summary>
    public int Interrupts { get; init; } = 32;

    /// <summary>Vector table address at reset (VTOR reset value).</summary>
    public uint InitialVtor { get; init; }
}

/// <summary>A memory window: fresh RAM/ROM, or an alias of another window's memory.</summary>
public sealed record MemoryDescription
{
    public required string Name { get; init; }

    public required uint Base { get; init; }

    public required uint Size { get; init; }

    public RegionKind Kind { get; init; } = RegionKind.Ram;

    /// <summary>If set, this window shows the memory already mapped at this address instead of new memory.</summary>
    public uint? AliasOf { get; init; }
}

/// <summary>A peripheral instance: which model, where, its interrupt lines and model-specific properties.</summary>
public sealed record PeripheralDescription
{
    public required string Name { get; init; }

    /// <summary>The model's type name in the peripheral catalog ("cmsdk-apb-uart").</summary>
    public required string Type { get; init; }

    public required uint Base { get; init; }

    public uint Size { get; init; } = 0x1000;

    /// <summary>Named interrupt outputs of the model mapped to NVIC line numbers ("rx": 0).</summary>
    public IReadOnlyDictionary<string, int> Interrupts { get; init; } = new Dictionary<string, int>();

    /// <summary>Model-specific settings ("console": true).</summary>
    public IReadOnlyDictionary<string, JsonElement> Properties { get; init; } = new Dictionary<string, JsonElement>();
}
