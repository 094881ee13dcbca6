using System.Globalization;

namespace EdgeVisor.Bench.Agents;

/// <summary>The agent benchmarks' "--name value" options (repeatable ones too).</summary>
internal static class BenchArguments
{
    public static int Int(string[] args, string name, int fallback) =>
        String(args, name) is { } text && int.TryParse(text, CultureInfo.InvariantCulture, out int value) ? value : fallback;

    public static string? String(string[] args, string name)
    {
        int i = Array.LastIndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }

    /// <summary>Every value given to a repeatable option, in order.</summary>
    public static IEnumerable<string> All(string[] args, string name)
    {
        for (int i = 0; i + 1 < args.Length; i++)
        {
            if (args[i] == name)
            {
                yield return args[i + 1];
            }
        }
    }
}
