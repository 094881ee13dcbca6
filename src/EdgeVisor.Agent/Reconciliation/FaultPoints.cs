using System.Diagnostics;

namespace EdgeVisor.Agent.Reconciliation;

/// <summary>
/// Fault injection for crash tests: named points on the reconciler's path where the agent can kill itself with
/// a real SIGKILL (<c>--Agent:KillAt=after-fetch</c>), so a test can start it again and check that it converges.
/// <c>accepted</c>: a desired document is stored, nothing is planned yet; <c>before-&lt;step&gt;</c> and
/// <c>after-&lt;step&gt;</c>: right after the journal entry that opens or closes the step is written. Every point is
/// reached by a simple deploy and by an update (<c>stop-old</c> is journaled even when nothing runs).
/// </summary>
public static class FaultPoints
{
    /// <summary>A desired document was stored; nothing is planned yet.</summary>
    public const string Accepted = "accepted";

    /// <summary>Every point, in the order a deploy reaches them.</summary>
    public static IReadOnlyList<string> All { get; } =
        [Accepted, .. RolloutSteps.All.SelectMany(step => new[] { Before(step), After(step) })];

    /// <summary>The point right after the journal says <paramref name="step"/> started.</summary>
    public static string Before(string step) => "before-" + step;

    /// <summary>The point right after the journal says <paramref name="step"/> ended.</summary>
    public static string After(string step) => "after-" + step;

    /// <summary>Kills the current process (SIGKILL, no cleanup of any kind) when <paramref name="point"/> is <paramref name="killAt"/>.</summary>
    public static void Hit(string? killAt, string point)
    {
        if (killAt is null || !string.Equals(killAt, point, StringComparison.Ordinal))
        {
            return;
        }

        using var self = Process.GetCurrentProcess();
        self.Kill();

        // The signal is on its way; nothing after this point may run, or the crash would not be at the point.
        Thread.Sleep(Timeout.Infinite);
    }
}
