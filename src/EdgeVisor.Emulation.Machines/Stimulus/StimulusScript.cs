using System.Globalization;

namespace EdgeVisor.Emulation.Machines.Stimulus;

/// <summary>What a stimulus step does.</summary>
public enum StimulusVerb
{
    /// <summary>"press b1": a button device's "pressed" to 1.</summary>
    Press,

    /// <summary>"release b1": a button's "pressed" to 0; "release gpioa.1": stop driving a pin (it floats to its pull).</summary>
    Release,

    /// <summary>"set sensor temperature 31.5": a device quantity, in its physical unit.</summary>
    Set,

    /// <summary>"drive gpioa.1 high": drive a pin from outside.</summary>
    Drive,
}

/// <summary>
/// One line of a stimulus script: at <paramref name="Nanoseconds"/> of virtual time since reset, do
/// <paramref name="Verb"/> to <paramref name="Target"/> (a device name or a pin).
/// </summary>
public sealed record StimulusStep(ulong Nanoseconds, StimulusVerb Verb, string Target, string? Quantity, double Value, int Line)
{
    /// <summary>The step's time (TimeSpan has 100 ns resolution; <see cref="Nanoseconds"/> is exact).</summary>
    public TimeSpan At => TimeSpan.FromTicks((long)(Nanoseconds / 100));

    /// <summary>The virtual cycle of the step on a core clocked at <paramref name="clockHz"/>.</summary>
    public ulong CycleAt(ulong clockHz) => (ulong)((UInt128)Nanoseconds * clockHz / 1_000_000_000);

    public override string ToString()
    {
        string at = (Nanoseconds / 1e6).ToString("0.######", CultureInfo.InvariantCulture) + "ms";
        return Verb switch
        {
            StimulusVerb.Set => $"{at} set {Target} {Quantity} {Value.ToString(CultureInfo.InvariantCulture)}",
            StimulusVerb.Drive => $"{at} drive {Target} {(Value != 0 ? "high" : "low")}",
            _ => $"{at} {Verb.ToString().ToLowerInvariant()} {Target}",
        };
    }
}

/// <summary>
/// A parsed stimulus script: steps in time order (steps at the same time keep their file order). The format, one
/// step per line (docs/wiring.md):
/// <code>
/// # press the user button at 2 ms for half a millisecond
/// 2ms    press b1
/// +0.5ms release b1
/// 10ms   set sensor temperature 31.5
/// 5ms    drive gpioa.1 high        # lines may come in any order; "+" is relative to the line above
/// 6ms    release gpioa.1
/// </code>
/// </summary>
public sealed record StimulusScript(string Source, IReadOnlyList<StimulusStep> Steps)
{
    private static readonly (string Suffix, double Nanoseconds)[] Units = [("ns", 1), ("us", 1e3), ("µs", 1e3), ("ms", 1e6), ("s", 1e9)];

    /// <summary>Reads a script file; <paramref name="path"/> is also the name errors use.</summary>
    public static StimulusScript Load(string path)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new StimulusException($"{path}: cannot read the stimulus script: {e.Message}", e);
        }

        return Parse(text, path);
    }

    /// <summary>Parses script text; <paramref name="source"/> names it in errors.</summary>
    public static StimulusScript Parse(string text, string source)
    {
        var steps = new List<StimulusStep>();
        string[] lines = text.Split('\n');
        ulong previous = 0;
        for (int i = 0; i < lines.Length; i++)
        {
            int lineNumber = i + 1;
            string line = lines[i];
            int hash = line.IndexOf('#', StringComparison.Ordinal);
            if (hash >= 0)
            {
                line = line[..hash];
            }

            string[] words = line.Split([' ', '\t', '\r'], StringSplitOptions.RemoveEmptyEntries);
            if (words.Length == 0)
            {
                continue;
            }

            var step = ParseStep(words, previous, lineNumber, source);
            previous = step.Nanoseconds;
            steps.Add(step);
        }

        // Stable: steps at the same instant keep the order of the file.
        return new StimulusScript(source, [.. steps.OrderBy(s => s.Nanoseconds)]);
    }

    private static StimulusStep ParseStep(string[] words, ulong previous, int line, string source)
    {
        string where = $"{source}:{line}";
        var at = ParseTime(words[0], previous) ?? throw new StimulusException(
            $"{where}: '{words[0]}' is not a time (write 2ms, 2.5ms, 150us, 1s, or +1ms after the line above)");
        if (words.Length < 2)
        {
            throw new StimulusException($"{where}: nothing to do at {words[0]} (press, release, set, drive)");
        }

        string verb = words[1].ToLowerInvariant();
        string[] args = words[2..];
        return verb switch
        {
            "press" => new StimulusStep(at, StimulusVerb.Press, Single(args, where, "press NAME"), null, 1, line),
            "release" => new StimulusStep(at, StimulusVerb.Release, Single(args, where, "release NAME|PIN"), null, 0, line),
            "set" when args.Length == 3 => new StimulusStep(at, StimulusVerb.Set, args[0], args[1], ParseValue(args[2], where), line),
            "set" => throw new StimulusException($"{where}: expected 'set DEVICE QUANTITY VALUE' (e.g. set sensor temperature 31.5)"),
            "drive" when args.Length == 2 => new StimulusStep(at, StimulusVerb.Drive, args[0], null, ParseLevel(args[1], where), line),
            "drive" => throw new StimulusException($"{where}: expected 'drive PIN high|low' (e.g. drive gpioa.1 high)"),
            _ => throw new StimulusException($"{where}: unknown action '{words[1]}' (press, release, set, drive)"),
        };
    }

    private static string Single(string[] args, string where, string usage) =>
        args.Length == 1 ? args[0] : throw new StimulusException($"{where}: expected '{usage}'");

    private static double ParseValue(string text, string where) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double value) && double.IsFinite(value)
            ? value
            : throw new StimulusException($"{where}: '{text}' is not a number (use a decimal point: 31.5)");

    private static double ParseLevel(string text, string where) => text.ToLowerInvariant() switch
    {
        "high" or "1" => 1,
        "low" or "0" => 0,
        _ => throw new StimulusException($"{where}: '{text}' is not a level (high, low, 1, 0)"),
    };

    /// <summary>"2ms", "2.5ms", "150us", "1s", "+1ms" (after <paramref name="previous"/>) in nanoseconds; null if it is none of these.</summary>
    private static ulong? ParseTime(string text, ulong previous)
    {
        bool relative = text.StartsWith('+');
        string body = relative ? text[1..] : text;
        foreach (var (suffix, nanoseconds) in Units)
        {
            if (body.EndsWith(suffix, StringComparison.Ordinal)
                && double.TryParse(body.AsSpan(0, body.Length - suffix.Length), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out double value)
                && value * nanoseconds < 1e18)
            {
                ulong span = (ulong)Math.Round(value * nanoseconds);
                return relative ? previous + span : span;
            }
        }

        return null;
    }
}
