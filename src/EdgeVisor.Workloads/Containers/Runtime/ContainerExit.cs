namespace EdgeVisor.Workloads.Containers.Runtime;

/// <summary>Turns how a container's init ended into the <see cref="WorkloadExit"/> the agent reports.</summary>
public static class ContainerExit
{
    /// <param name="end">The init's exit code or signal.</param>
    /// <param name="oomKills">The container's OOM-kill count, read before the container was deleted.</param>
    /// <param name="memoryLimit">The memory limit in force (null: none).</param>
    /// <param name="requested">The end was asked for (<see cref="IWorkload.StopAsync"/>).</param>
    /// <param name="killedAfter">The grace after which a requested stop had to kill the container (null: it stopped in time).</param>
    public static WorkloadExit Describe(ProcessEnd end, long oomKills, long? memoryLimit, bool requested, TimeSpan? killedAfter = null)
    {
        string oom = $"out of memory: killed by the kernel OOM killer ({(memoryLimit is { } limit ? $"memory limit {limit} bytes" : "no memory limit")})";
        if (end.Signal == 9 && oomKills > 0 && killedAfter is null)
        {
            return new WorkloadExit(true, null, oom, requested);
        }

        if (requested)
        {
            string how = killedAfter is { } grace
                ? $"killed by SIGKILL after the {grace.TotalSeconds:0.###} s grace"
                : end switch
                {
                    { Signal: { } signal } => $"ended by {Signals.Name(signal)}",
                    { ExitCode: { } code } => $"exited with code {code}",
                    _ => "ended",
                };
            return new WorkloadExit(false, end.ExitCode, $"stopped: {how}", Requested: true);
        }

        return end switch
        {
            { ExitCode: 0 } => new WorkloadExit(false, 0, "exited with code 0"),
            { ExitCode: { } code } => new WorkloadExit(true, code, oomKills > 0
                ? $"exited with code {code} after the kernel OOM killer killed {oomKills} of its processes"
                : $"exited with code {code}"),
            { Signal: { } signal } => new WorkloadExit(true, null, $"killed by {Signals.Name(signal)}"),
            _ => new WorkloadExit(true, null, "ended (its exit status could not be collected)"),
        };
    }
}
