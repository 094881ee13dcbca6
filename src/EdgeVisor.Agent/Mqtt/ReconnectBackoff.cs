namespace EdgeVisor.Agent.Mqtt;

/// <summary>
/// Delays between connection attempts: from the initial delay doubling to the maximum, each with ±25 % jitter so a
/// fleet that lost its broker at the same instant does not come back in lockstep. <see cref="Reset"/> after a
/// successful connection.
/// </summary>
public sealed class ReconnectBackoff
{
    private const double Jitter = 0.25;
    private readonly double _initialSeconds;
    private readonly double _maxSeconds;
    private readonly Random _random;
    private double _nextSeconds;

    public ReconnectBackoff(double initialSeconds, double maxSeconds, Random? random = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(initialSeconds);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxSeconds, initialSeconds);
        _initialSeconds = initialSeconds;
        _maxSeconds = maxSeconds;
        _random = random ?? Random.Shared;
        _nextSeconds = initialSeconds;
    }

    /// <summary>The delay before the next attempt; the one after it is twice as long (up to the maximum).</summary>
    public TimeSpan Next()
    {
        double factor = 1 + ((_random.NextDouble() * 2) - 1) * Jitter;
        double seconds = _nextSeconds * factor;
        _nextSeconds = Math.Min(_nextSeconds * 2, _maxSeconds);
        return TimeSpan.FromSeconds(seconds);
    }

    public void Reset() => _nextSeconds = _initialSeconds;
}
