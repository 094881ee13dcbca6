using EdgeVisor.Hardware;

namespace EdgeVisor.Emulation.Machines.Wiring;

/// <summary>How a wiring reaches host hardware: the access policy, how a backend is opened, and shutdown hooks.</summary>
public sealed record HostWiringOptions
{
    /// <summary>Which host lines and buses may be used at all (null: any existing line and bus).</summary>
    public HostAccessPolicy? Policy { get; init; }

    /// <summary>Opens the backend the wiring names ("gpiod", "simulated"). Tests substitute prepared hardware here.</summary>
    public Func<string, HostAccessPolicy?, HostHardware> Open { get; init; } = HostHardware.Open;

    /// <summary>Return host lines to inputs on process exit, crashes and SIGTERM/SIGHUP/SIGQUIT too (the CLI sets this).</summary>
    public bool HookProcessShutdown { get; init; }
}
