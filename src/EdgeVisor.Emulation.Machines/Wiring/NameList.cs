namespace EdgeVisor.Emulation.Machines.Wiring;

/// <summary>Lists names for messages, shortening runs that differ only in a last letter or digit: "gpioa…gpioi".</summary>
internal static class NameList
{
    public static string Describe(IEnumerable<string> names, string none = "none")
    {
        var sorted = names.ToList();
        if (sorted.Count == 0)
        {
            return none;
        }

        var parts = new List<string>();
        int start = 0;
        for (int i = 1; i <= sorted.Count; i++)
        {
            if (i < sorted.Count && Follows(sorted[i - 1], sorted[i]))
            {
                continue;
            }

            int length = i - start;
            if (length >= 3)
            {
                parts.Add($"{sorted[start]}…{sorted[i - 1]}");
            }
            else
            {
                parts.AddRange(sorted.GetRange(start, length));
            }

            start = i;
        }

        return string.Join(", ", parts);
    }

    /// <summary>"gpioa" → "gpiob", "i2c1" → "i2c2".</summary>
    private static bool Follows(string a, string b) =>
        a.Length == b.Length && a.Length > 1 && a[..^1] == b[..^1] && b[^1] == a[^1] + 1;
}
