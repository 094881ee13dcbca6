namespace EdgeVisor.Emulation.Semihosting;

/// <summary>What a semihosting call gives back to the core.</summary>
/// <param name="ReturnValue64">Value for X0 on a 64-bit core; errors (-1) are sign-extended.</param>
/// <param name="ExitCode">Non-null when the firmware asked to exit: the process exit code qemu-system-arm 7.2 would give.</param>
public readonly record struct SemihostingResult(ulong ReturnValue64, int? ExitCode)
{
    /// <summary>Value for R0 on a 32-bit core.</summary>
    public uint ReturnValue => (uint)ReturnValue64;

    /// <summary>True when the core should stop with <c>StopReason.Exited</c>.</summary>
    public bool Exited => ExitCode.HasValue;
}
