namespace EdgeVisor.Agent.Hosting;

/// <summary>How <c>edgevisor agent</c> ends (sysexits, so systemd units and scripts can tell them apart).</summary>
public static class AgentExitCodes
{
    /// <summary>Stopped on request (SIGTERM, Ctrl-C) after stopping its workloads.</summary>
    public const int Success = 0;

    /// <summary>The agent could not run (e.g. another agent holds the state directory); the log says why.</summary>
    public const int Software = 70;

    /// <summary>A <c>reboot-agent</c> command: exit non-zero so systemd's <c>Restart=on-failure</c> starts the agent again.</summary>
    public const int RestartRequested = 75;

    /// <summary>Bad configuration: every problem is printed on its own line; nothing was created or started.</summary>
    public const int BadConfiguration = 78;
}
