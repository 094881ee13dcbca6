using System.Globalization;

namespace EdgeVisor.Bench.Agents;

/// <summary>
/// The whole machine's CPU use between two readings of /proc/stat's aggregate line, so a figure says how busy the
/// host was (other processes included) while it was measured.
/// </summary>
internal readonly record struct MachineCpu(long Busy, long Total)
{
    public static MachineCpu Read()
    {
        string line = File.ReadLines("/proc/stat").First(l => l.StartsWith("cpu ", StringComparison.Ordinal));
        long[] ticks = line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1..].Select(t => long.Parse(t, CultureInfo.InvariantCulture)).ToArray();
        long total = ticks.Take(8).Sum(); // user nice system idle iowait irq softirq steal (guest time is already in user)
        long idle = ticks[3] + ticks[4];
        return new MachineCpu(total - idle, total);
    }

    /// <summary>Busy share of all cores since <paramref name="earlier"/>, in percent of the whole machine.</summary>
    public double BusyPercentSince(MachineCpu earlier) =>
        Total == earlier.Total ? 0 : 100.0 * (Busy - earlier.Busy) / (Total - earlier.Total);
}
