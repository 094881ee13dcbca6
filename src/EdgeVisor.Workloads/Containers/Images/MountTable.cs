using System.Text;

namespace EdgeVisor.Workloads.Containers.Images;

/// <summary>This process's mount points, from /proc/self/mountinfo.</summary>
internal static class MountTable
{
    /// <summary>Mount points at or under <paramref name="directory"/>, deepest first (the order to unmount them in).</summary>
    public static IReadOnlyList<string> Under(string directory)
    {
        string root = Path.TrimEndingDirectorySeparator(Path.GetFullPath(directory));
        string prefix = root + "/";
        return File.ReadLines("/proc/self/mountinfo")
            .Select(MountPoint)
            .Where(p => p == root || p.StartsWith(prefix, StringComparison.Ordinal))
            .Distinct(StringComparer.Ordinal)
            .OrderByDescending(p => p.Length)
            .ToList();
    }

    /// <summary>The fifth field of a mountinfo line, with the kernel's octal escapes (\040 for a space) undone.</summary>
    private static string MountPoint(string line)
    {
        string field = line.Split(' ')[4];
        if (!field.Contains('\\', StringComparison.Ordinal))
        {
            return field;
        }

        var bytes = new List<byte>(field.Length);
        for (int i = 0; i < field.Length; i++)
        {
            if (field[i] == '\\' && IsOctal(field, i + 1))
            {
                bytes.Add(Convert.ToByte(field.Substring(i + 1, 3), 8));
                i += 3;
            }
            else
            {
                bytes.AddRange(Encoding.UTF8.GetBytes(field[i].ToString()));
            }
        }

        return Encoding.UTF8.GetString([.. bytes]);
    }

    private static bool IsOctal(string text, int start) =>
        start + 3 <= text.Length && text[start] is >= '0' and <= '7' && text[start + 1] is >= '0' and <= '7' && text[start + 2] is >= '0' and <= '7';
}
