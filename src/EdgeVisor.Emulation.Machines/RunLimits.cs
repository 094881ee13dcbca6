namespace EdgeVisor.Emulation.Machines;

/// <summary>When <see cref="Machine.Run"/> gives up; every limit is optional.</summary>
public sealed record RunLimits
{
    /// <summary>No limits: run until the firmware exits, locks up, faults unrecoverably or is stopped.</summary>
    public static RunLimits None { get; } = new();

    /// <summary>Wall-clock time for this call.</summary>
    public TimeSpan? WallTimeout { get; init; }

    /// <summary>Instructions for this call.</summary>
    public ulong? MaxInstructions { get; init; }

    /// <summary>Virtual time for this call (the machine stops exactly when this much simulated time has passed).</summary>
    public TimeSpan? VirtualTime { get; init; }
}
