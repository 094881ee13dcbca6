using System.Globalization;

namespace EdgeVisor.Hardware;

/// <summary>
/// Which host GPIO lines and I2C buses/addresses a machine may use. The rules, always applied:
/// a line must exist on its chip and a bus must exist; one host line (or one bus address) serves one user;
/// I2C addresses 0x00–0x07 and 0x78–0x7F (general call, CBUS, high-speed and 10-bit prefixes) are refused.
/// On top of those an allow-list, set by the CLI or the agent: once any line of a chip is allowed
/// (<see cref="AllowLines"/>), only allowed lines are usable on any chip; likewise for buses and addresses
/// (<see cref="AllowI2c"/>). With no allow-list every existing line and bus is usable.
/// <see cref="Validate"/> checks a whole wiring before anything is claimed, so nothing is half-applied.
/// </summary>
public sealed class HostAccessPolicy
{
    /// <summary>Highest address of the low reserved block (0x00–0x07).</summary>
    public const int LastLowReservedAddress = 0x07;

    /// <summary>Lowest address of the high reserved block (0x78–0x7F).</summary>
    public const int FirstHighReservedAddress = 0x78;

    private readonly Dictionary<int, SortedSet<int>> _allowedLines = [];
    private readonly Dictionary<int, SortedSet<int>?> _allowedBuses = []; // null set: every address on that bus

    /// <summary>True once an allow-list of lines was set.</summary>
    public bool RestrictsLines => _allowedLines.Count > 0;

    /// <summary>True once an allow-list of I2C buses was set.</summary>
    public bool RestrictsI2c => _allowedBuses.Count > 0;

    /// <summary>
    /// The lines a Raspberry Pi's 40-pin header brings out: BCM GPIO 2–27 on gpiochip0 (0 and 1 are the HAT ID
    /// EEPROM's bus and stay out), and I2C bus 1 (the header's SDA1/SCL1).
    /// </summary>
    public static HostAccessPolicy RaspberryPiHeader() =>
        new HostAccessPolicy().AllowLines(0, Enumerable.Range(2, 26)).AllowI2c(1);

    /// <summary>
    /// Parses a comma-separated allow-list: "gpiochip0:2-27", "0:17" (lines), "i2c-1" (a whole bus),
    /// "i2c-1:0x48" or "i2c-1:0x40-0x4F" (addresses). Throws <see cref="FormatException"/> naming the bad item.
    /// </summary>
    public static HostAccessPolicy Parse(string text)
    {
        var policy = new HostAccessPolicy();
        foreach (string raw in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (raw.StartsWith("i2c-", StringComparison.OrdinalIgnoreCase))
            {
                string rest = raw[4..];
                int colon = rest.IndexOf(':', StringComparison.Ordinal);
                int bus = ParseNumber(colon < 0 ? rest : rest[..colon], raw);
                policy.AllowI2c(bus, colon < 0 ? null : ParseRange(rest[(colon + 1)..], raw));
                continue;
            }

            int separator = raw.IndexOf(':', StringComparison.Ordinal);
            if (separator < 0)
            {
                throw new FormatException($"host access policy item \"{raw}\": expected gpiochipN:LINES or i2c-N[:ADDRESSES]");
            }

            string chipText = raw[..separator];
            if (chipText.StartsWith("gpiochip", StringComparison.OrdinalIgnoreCase))
            {
                chipText = chipText[8..];
            }

            policy.AllowLines(ParseNumber(chipText, raw), ParseRange(raw[(separator + 1)..], raw));
        }

        return policy;
    }

    /// <summary>Allows <paramref name="lines"/> of gpiochip<paramref name="chip"/> (and, from now on, only allowed lines).</summary>
    public HostAccessPolicy AllowLines(int chip, IEnumerable<int> lines)
    {
        if (!_allowedLines.TryGetValue(chip, out SortedSet<int>? set))
        {
            set = [];
            _allowedLines[chip] = set;
        }

        set.UnionWith(lines);
        return this;
    }

    /// <summary>Allows I2C bus <paramref name="bus"/>: every address on it, or only <paramref name="addresses"/>.</summary>
    public HostAccessPolicy AllowI2c(int bus, IEnumerable<int>? addresses = null)
    {
        if (addresses is null)
        {
            _allowedBuses[bus] = null;
        }
        else if (!_allowedBuses.TryGetValue(bus, out SortedSet<int>? set) || set is not null)
        {
            set ??= [];
            set.UnionWith(addresses);
            _allowedBuses[bus] = set;
        }

        return this;
    }

    /// <summary>True for the addresses I2C reserves (0x00–0x07, 0x78–0x7F), which no wiring may use.</summary>
    public static bool IsReservedAddress(int address) => address is <= LastLowReservedAddress or >= FirstHighReservedAddress;

    /// <summary>
    /// Checks every requested line and device against the rules and, when given, the host's backends (existence).
    /// Returns one message per problem (empty: all allowed); each names the owner, the host pin or address, and the rule.
    /// </summary>
    public IReadOnlyList<string> Validate(IEnumerable<HostPinUse> pins, IEnumerable<HostI2cUse> devices, IHostGpio? gpio = null, IHostI2c? i2c = null)
    {
        var problems = new List<string>();
        var linesSeen = new Dictionary<HostPin, string>();
        foreach (HostPinUse use in pins)
        {
            string? problem = CheckPin(use.Pin, use.Owner, gpio);
            if (problem is null && !linesSeen.TryAdd(use.Pin, use.Owner))
            {
                problem = $"{use.Owner}: {use.Pin} is already used by {linesSeen[use.Pin]} (one host line serves one guest pin)";
            }

            if (problem is not null)
            {
                problems.Add(problem);
            }
        }

        var devicesSeen = new Dictionary<(int, int), string>();
        foreach (HostI2cUse use in devices)
        {
            string? problem = CheckI2c(use.Bus, use.Address, use.Owner, i2c);
            if (problem is null && !devicesSeen.TryAdd((use.Bus, use.Address), use.Owner))
            {
                problem = $"{use.Owner}: i2c-{use.Bus} address 0x{use.Address:X2} is already used by {devicesSeen[(use.Bus, use.Address)]}";
            }

            if (problem is not null)
            {
                problems.Add(problem);
            }
        }

        return problems;
    }

    /// <summary>Why <paramref name="owner"/> may not use <paramref name="pin"/>, or null if it may (duplicates aside).</summary>
    public string? CheckPin(HostPin pin, string owner, IHostGpio? gpio = null)
    {
        if (pin.Chip < 0 || pin.Line < 0)
        {
            return $"{owner}: {pin} is not a GPIO line (chip and line are numbers from 0)";
        }

        if (gpio is not null)
        {
            int? count = gpio.LineCount(pin.Chip);
            if (count is null)
            {
                return $"{owner}: {pin}: this host has no gpiochip{pin.Chip}";
            }

            if (pin.Line >= count)
            {
                return $"{owner}: {pin} does not exist (gpiochip{pin.Chip} has lines 0-{count - 1})";
            }
        }

        if (RestrictsLines && !(_allowedLines.TryGetValue(pin.Chip, out SortedSet<int>? allowed) && allowed.Contains(pin.Line)))
        {
            return $"{owner}: {pin} is not allowed by the host access policy (allowed: {DescribeAllowedLines()})";
        }

        return null;
    }

    /// <summary>Why <paramref name="owner"/> may not use the device, or null if it may (duplicates aside).</summary>
    public string? CheckI2c(int bus, int address, string owner, IHostI2c? i2c = null)
    {
        if (bus < 0)
        {
            return $"{owner}: i2c-{bus} is not an I2C bus number";
        }

        if (address is < 0 or > 0x7F)
        {
            return $"{owner}: 0x{address:X} is not a 7-bit I2C address";
        }

        if (IsReservedAddress(address))
        {
            return $"{owner}: i2c-{bus} address 0x{address:X2} is reserved by the I2C specification (0x00-0x07 and 0x78-0x7F are refused)";
        }

        if (i2c is not null && !i2c.BusExists(bus))
        {
            return $"{owner}: this host has no I2C bus i2c-{bus}";
        }

        if (RestrictsI2c)
        {
            if (!_allowedBuses.TryGetValue(bus, out SortedSet<int>? addresses))
            {
                return $"{owner}: i2c-{bus} is not allowed by the host access policy (allowed: {DescribeAllowedI2c()})";
            }

            if (addresses is not null && !addresses.Contains(address))
            {
                return $"{owner}: i2c-{bus} address 0x{address:X2} is not allowed by the host access policy (allowed: {DescribeAllowedI2c()})";
            }
        }

        return null;
    }

    /// <summary>The allow-list in <see cref="Parse"/>'s syntax ("gpiochip0:2-27, i2c-1"), or "any existing line and bus".</summary>
    public override string ToString() => RestrictsLines || RestrictsI2c
        ? string.Join(", ", new[] { DescribeAllowedLines(), DescribeAllowedI2c() }.Where(s => s.Length > 0 && s != "none"))
        : "any existing line and bus";

    private string DescribeAllowedLines() => _allowedLines.Count == 0
        ? "none"
        : string.Join(", ", _allowedLines.OrderBy(p => p.Key).Select(p => $"gpiochip{p.Key}:{DescribeRanges(p.Value, false)}"));

    private string DescribeAllowedI2c() => _allowedBuses.Count == 0
        ? "none"
        : string.Join(", ", _allowedBuses.OrderBy(p => p.Key).Select(p => p.Value is null ? $"i2c-{p.Key}" : $"i2c-{p.Key}:{DescribeRanges(p.Value, true)}"));

    private static string DescribeRanges(SortedSet<int> values, bool hex)
    {
        var parts = new List<string>();
        int? start = null;
        int previous = 0;
        foreach (int value in values.Append(int.MinValue))
        {
            if (start is not null && value == previous + 1)
            {
                previous = value;
                continue;
            }

            if (start is not null)
            {
                parts.Add(start == previous ? Format(previous) : $"{Format(start.Value)}-{Format(previous)}");
            }

            start = value;
            previous = value;
        }

        return string.Join(";", parts);

        string Format(int v) => hex ? $"0x{v:X2}" : v.ToString(CultureInfo.InvariantCulture);
    }

    private static IEnumerable<int> ParseRange(string text, string item)
    {
        int dash = text.IndexOf('-', StringComparison.Ordinal);
        int first = ParseNumber(dash < 0 ? text : text[..dash], item);
        int last = dash < 0 ? first : ParseNumber(text[(dash + 1)..], item);
        if (last < first)
        {
            throw new FormatException($"host access policy item \"{item}\": range ends before it starts");
        }

        return Enumerable.Range(first, last - first + 1);
    }

    private static int ParseNumber(string text, string item)
    {
        text = text.Trim();
        bool ok = text.StartsWith("0x", StringComparison.OrdinalIgnoreCase)
            ? int.TryParse(text[2..], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out int value)
            : int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value);
        return ok ? value : throw new FormatException($"host access policy item \"{item}\": \"{text}\" is not a number");
    }
}
