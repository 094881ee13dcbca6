using System.Globalization;

namespace EdgeVisor.Bench.Agents;

/// <summary>Percentiles of a set of durations (nearest-rank, so every figure is one that was measured).</summary>
internal sealed class LatencySummary
{
    private readonly double[] _sortedSeconds;

    public LatencySummary(IEnumerable<TimeSpan> samples)
    {
        _sortedSeconds = samples.Select(s => s.TotalSeconds).Order().ToArray();
    }

    public int Count => _sortedSeconds.Length;

    public double Percentile(double p)
    {
        if (_sortedSeconds.Length == 0)
        {
            return double.NaN;
        }

        int rank = (int)Math.Ceiling(p / 100 * _sortedSeconds.Length);
        return _sortedSeconds[Math.Clamp(rank - 1, 0, _sortedSeconds.Length - 1)];
    }

    public double Max => _sortedSeconds.Length == 0 ? double.NaN : _sortedSeconds[^1];

    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"p50 {Percentile(50):0.000} s, p90 {Percentile(90):0.000} s, p99 {Percentile(99):0.000} s, max {Max:0.000} s ({Count} devices)");
}
