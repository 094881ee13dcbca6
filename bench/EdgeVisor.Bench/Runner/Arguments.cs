using System.Globalization;

namespace EdgeVisor.Bench.Runner;

/// <summary>The runners' few "--name value" options.</summary>
internal static class Arguments
{
    public static int Int(string[] args, string name, int fallback)
    {
        int i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length && int.TryParse(args[i + 1], CultureInfo.InvariantCulture, out int value) ? value : fallback;
    }
}
