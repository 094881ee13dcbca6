namespace EdgeVisor.Agent.Commands;

/// <summary>What fleet commands may do to the agent. <see cref="AgentRuntime"/> implements it over the reconciler.</summary>
public interface IAgentControl
{
    /// <summary>Stops and starts one workload; null when done, else one line saying why not.</summary>
    Task<string?> RestartWorkloadAsync(string workload, CancellationToken cancellation);

    /// <summary>The last <paramref name="lines"/> console lines of a workload; null when there is no such workload.</summary>
    IReadOnlyList<string>? Logs(string workload, int lines);

    /// <summary>Asks the process to stop so its service manager starts it again (exit code 75).</summary>
    void RequestRestart();
}
