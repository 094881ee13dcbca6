using System.Globalization;

namespace EdgeVisor.Bench.Agents;

/// <summary>
/// Memory and CPU figures of a Linux process, read from /proc (what <c>ps</c> and <c>top</c> show), so the same
/// numbers come out for the bench's own process and for a separate agent process.
/// </summary>
internal sealed record ProcessStats
{
    /// <summary>Resident set size (VmRSS), bytes: anonymous + file-backed + shared memory pages in RAM now.</summary>
    public long Rss { get; init; }

    /// <summary>Peak resident set size (VmHWM), bytes.</summary>
    public long PeakRss { get; init; }

    /// <summary>Anonymous resident memory (RssAnon), bytes: the GC heap, JIT'd code, native allocations, stacks.</summary>
    public long RssAnon { get; init; }

    /// <summary>File-backed resident memory (RssFile), bytes: mapped assemblies and native libraries (shared with other processes).</summary>
    public long RssFile { get; init; }

    /// <summary>Proportional set size from smaps_rollup, bytes: shared pages divided among their users (0 if not readable).</summary>
    public long Pss { get; init; }

    public int Threads { get; init; }

    /// <summary>User + system CPU time consumed so far.</summary>
    public TimeSpan CpuTime { get; init; }

    public static ProcessStats Read(int pid)
    {
        var status = ReadKeyValues($"/proc/{pid}/status");
        var rollup = ReadKeyValues($"/proc/{pid}/smaps_rollup");
        return new ProcessStats
        {
            Rss = Kilobytes(status, "VmRSS"),
            PeakRss = Kilobytes(status, "VmHWM"),
            RssAnon = Kilobytes(status, "RssAnon"),
            RssFile = Kilobytes(status, "RssFile"),
            Pss = Kilobytes(rollup, "Pss"),
            Threads = status.TryGetValue("Threads", out string? threads) ? int.Parse(threads, CultureInfo.InvariantCulture) : 0,
            CpuTime = CpuTimeOf(pid),
        };
    }

    /// <summary>utime + stime from /proc/PID/stat (fields 14 and 15, in clock ticks of 1/100 s on Linux).</summary>
    public static TimeSpan CpuTimeOf(int pid)
    {
        string stat = File.ReadAllText($"/proc/{pid}/stat");
        // The command name (field 2) is in parentheses and may contain spaces; count fields after its closing one.
        string[] fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        long ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
        return TimeSpan.FromSeconds(ticks / 100.0);
    }

    /// <summary>The 1-minute load average and the number of runnable tasks, from /proc/loadavg.</summary>
    public static string LoadAverage()
    {
        string[] parts = File.ReadAllText("/proc/loadavg").Split(' ');
        return $"load {parts[0]} {parts[1]} {parts[2]}, runnable/total tasks {parts[3]}";
    }

    public static string Megabytes(long bytes) => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1048576.0:0.0} MB");

    public override string ToString() =>
        $"VmRSS {Megabytes(Rss)}, VmHWM {Megabytes(PeakRss)}, RssAnon {Megabytes(RssAnon)}, RssFile {Megabytes(RssFile)}, Pss {Megabytes(Pss)}, {Threads} threads";

    private static Dictionary<string, string> ReadKeyValues(string path)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        if (!File.Exists(path))
        {
            return values;
        }

        foreach (string line in File.ReadLines(path))
        {
            int colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon > 0)
            {
                values[line[..colon].Trim()] = line[(colon + 1)..].Trim();
            }
        }

        return values;
    }

    private static long Kilobytes(Dictionary<string, string> values, string key) =>
        values.TryGetValue(key, out string? text) && long.TryParse(text.Split(' ')[0], CultureInfo.InvariantCulture, out long kb) ? kb * 1024 : 0;
}
