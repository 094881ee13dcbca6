namespace EdgeVisor.Workloads.Tests;

/// <summary>Waits for a line to appear in a workload log, failing with what the log held when time ran out.</summary>
internal static class LogWaiter
{
    public static async Task WaitForLine(WorkloadLog log, string expected, TimeSpan timeout, bool prefixOnly = false)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (log.Tail(200).Any(Matches))
            {
                return;
            }

            await Task.Delay(50);
        }

        Assert.Fail($"no line \"{expected}\" within {timeout.TotalSeconds} s; the log's last lines:\n{string.Join("\n", log.Tail(20))}");

        bool Matches(string line) => prefixOnly ? line.StartsWith(expected, StringComparison.Ordinal) : line == expected;
    }
}
