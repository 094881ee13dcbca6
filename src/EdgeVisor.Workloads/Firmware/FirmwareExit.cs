using EdgeVisor.Emulation.Machines;

namespace EdgeVisor.Workloads.Firmware;

/// <summary>
/// Turns the end of a machine run into what the agent reports: a clean semihosting exit (code 0) and a requested
/// stop are not failures; a non-zero exit, a fault, a lockup, a core asleep for good, a limit or an emulator error
/// are, each with one line saying which.
/// </summary>
internal static class FirmwareExit
{
    /// <summary>The reason given when a sleeping core can never wake (see <see cref="FirmwareWorkload"/>'s sleep check).</summary>
    public const string AsleepForGood = "asleep: the core sleeps (WFI/WFE) with no timer armed and nothing that could wake it";

    /// <summary>How <paramref name="result"/> ends the workload; <paramref name="machine"/> supplies the PC and lockup reason.</summary>
    public static WorkloadExit From(MachineRunResult result, Machine machine, bool stopRequested, bool asleepForGood)
    {
        string where = $"pc 0x{machine.Cpu.Pc:X8}";
        return result.Outcome switch
        {
            MachineOutcome.Exited when result.ExitCode == 0 => new WorkloadExit(false, 0, "exited with code 0"),
            MachineOutcome.Exited => new WorkloadExit(true, result.ExitCode, $"exited with code {result.ExitCode}"),
            MachineOutcome.Stopped when asleepForGood => new WorkloadExit(true, null, $"{AsleepForGood} ({where})"),
            MachineOutcome.Stopped => new WorkloadExit(false, null, "stopped on request", Requested: stopRequested),
            MachineOutcome.Lockup => new WorkloadExit(true, null, $"lockup: {machine.Cpu.LockupReason ?? "the core locked up"} ({where})"),
            MachineOutcome.UnhandledFault => new WorkloadExit(true, null, $"unhandled fault: {result.Message} ({where})"),
            MachineOutcome.Asleep => new WorkloadExit(true, null, $"{AsleepForGood} ({where})"),
            _ => new WorkloadExit(true, null, $"{result.Outcome.ToString().ToLowerInvariant()}: {result.Message}"),
        };
    }

    /// <summary>The emulator itself threw (a model bug or an unsupported instruction path): the workload failed.</summary>
    public static WorkloadExit FromError(Exception error) =>
        new(true, null, $"emulator error: {error.GetType().Name}: {FirstLine(error.Message)}");

    private static string FirstLine(string text)
    {
        int newline = text.IndexOf('\n', StringComparison.Ordinal);
        return newline < 0 ? text : text[..newline].TrimEnd('\r');
    }
}
