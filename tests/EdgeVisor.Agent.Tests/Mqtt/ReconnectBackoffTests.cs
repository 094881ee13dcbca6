using EdgeVisor.Agent.Mqtt;

namespace EdgeVisor.Agent.Tests.Mqtt;

/// <summary>Reconnect delays: doubling to the cap, jittered ±25 % so a fleet does not come back in lockstep, reset after success.</summary>
public sealed class ReconnectBackoffTests
{
    [Fact]
    public void Delays_double_up_to_the_maximum_within_a_quarter_either_way_and_start_over_after_a_reset()
    {
        var backoff = new ReconnectBackoff(1, 8, new Random(7));
        double[] nominal = [1, 2, 4, 8, 8, 8];
        foreach (double expected in nominal)
        {
            double seconds = backoff.Next().TotalSeconds;
            Assert.InRange(seconds, expected * 0.75, expected * 1.25);
        }

        backoff.Reset();
        Assert.InRange(backoff.Next().TotalSeconds, 0.75, 1.25);
    }

    [Fact]
    public void Devices_that_lost_the_broker_together_spread_their_reconnects()
    {
        var delays = Enumerable.Range(0, 50).Select(seed => new ReconnectBackoff(1, 60, new Random(seed)).Next().TotalSeconds).ToList();
        Assert.True(delays.Max() - delays.Min() > 0.3, $"first delays spread only from {delays.Min():0.000} to {delays.Max():0.000} s");
    }
}
