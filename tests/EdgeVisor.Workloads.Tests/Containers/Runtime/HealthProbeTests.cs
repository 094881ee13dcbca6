using EdgeVisor.Protocol;
using EdgeVisor.Workloads.Containers.Runtime;

namespace EdgeVisor.Workloads.Tests.Containers.Runtime;

/// <summary>The health check's counting rules, with a scripted probe (the runc tests cover the real exec and TCP probes).</summary>
public sealed class HealthProbeTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Failures_within_the_start_period_do_not_count_and_a_success_heals()
    {
        var sick = true;
        var check = new HealthCheckSpec { IntervalSeconds = 0.05, Retries = 2, StartPeriodSeconds = 0.6 };
        await using var probe = HealthProbe.Start(check, _ => Task.FromResult(sick ? "not yet" : null));

        await Task.Delay(TimeSpan.FromSeconds(0.4));
        Assert.Null(probe.Status); // failing, but inside the start period
        await WaitUntilAsync(() => probe.Status is not null);
        Assert.StartsWith("health check failed ", probe.Status);
        Assert.EndsWith(" times: not yet", probe.Status);

        sick = false;
        await WaitUntilAsync(() => probe.Status is null);
    }

    [Fact]
    public async Task A_probe_that_hangs_past_its_timeout_counts_as_a_failure()
    {
        var check = new HealthCheckSpec { IntervalSeconds = 0.05, TimeoutSeconds = 0.1, Retries = 1 };
        await using var probe = HealthProbe.Start(check, HealthProbe.Tcp("192.0.2.1", 9, TimeSpan.FromSeconds(0.1)));

        await WaitUntilAsync(() => probe.Status is not null);

        // 192.0.2.0/24 is TEST-NET-1: unroutable here, so the connection attempt hangs or is refused by routing.
        Assert.StartsWith("health check failed 1 times: tcp 192.0.2.1:9: ", probe.Status);
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        using var deadline = new CancellationTokenSource(Patience);
        while (!condition())
        {
            await Task.Delay(20, deadline.Token);
        }
    }
}
