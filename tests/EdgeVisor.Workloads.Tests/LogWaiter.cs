namespace EdgeVisor.Workloads.Tests;

/// <summary>Waits for a line to appear in a workload log, failing with what the log held when time ran out.</summary>
internal static class LogWaiter
{
    /// <summary>
    /// Watches every line as it is written (subscribed before the tail is read, so none is missed): a firmware that
    /// is not paced prints thousands of lines a second and would scroll the wanted one out of any polled tail.
    /// </summary>
    public static async Task WaitForLine(WorkloadLog log, string expected, TimeSpan timeout, bool prefixOnly = false)
    {
        var seen = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        void OnLine(string line)
        {
            if (Matches(line))
            {
                seen.TrySetResult();
            }
        }

        log.LineWritten += OnLine;
        try
        {
            if (log.Tail(200).Any(Matches))
            {
                return;
            }

            try
            {
                await seen.Task.WaitAsync(timeout);
            }
            catch (TimeoutException)
            {
                Assert.Fail($"no line \"{expected}\" within {timeout.TotalSeconds} s; the log's last lines:\n{string.Join("\n", log.Tail(20))}");
            }
        }
        finally
        {
            log.LineWritten -= OnLine;
        }

        bool Matches(string line) => prefixOnly ? line.StartsWith(expected, StringComparison.Ordinal) : line == expected;
    }
}
