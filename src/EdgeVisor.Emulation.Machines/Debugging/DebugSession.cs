using EdgeVisor.Emulation.Debugging;
using EdgeVisor.Emulation.Machines.Debugging;

// Kept in the Machines namespace so `edgevisor run --gdb` finds it next to Machine.Run.
namespace EdgeVisor.Emulation.Machines;

/// <summary>
/// <c>edgevisor run --gdb PORT [--wait]</c>: serves a loaded <see cref="Machine"/> to gdb until the machine ends,
/// and reports the end as <see cref="Machine.Run"/> would. Detaching lets the firmware run on (a later gdb may
/// attach again); gdb's "kill" ends the run with <see cref="MachineOutcome.Stopped"/>.
/// </summary>
public static class DebugSession
{
    /// <param name="machine">A machine with its firmware loaded (halted at the reset vector).</param>
    /// <param name="port">TCP port on 127.0.0.1.</param>
    /// <param name="waitForAttach">Stay halted at reset until gdb attaches and continues; otherwise run at once.</param>
    /// <param name="limits">Only <see cref="RunLimits.WallTimeout"/> applies: instruction and virtual-time limits would stop
    /// the firmware behind the debugger's back.</param>
    /// <param name="cancellation">Ends the session (host Ctrl-C).</param>
    /// <param name="messages">Where the server's one-line notices go (default: standard error).</param>
    /// <exception cref="IOException">The port cannot be listened on (message names the port).</exception>
    public static MachineRunResult Run(Machine machine, int port, bool waitForAttach, RunLimits limits, CancellationToken cancellation, TextWriter? messages = null)
    {
        using var timeout = limits.WallTimeout is { } wall ? new CancellationTokenSource(wall) : new CancellationTokenSource();
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellation, timeout.Token);
        using var target = new MachineDebugTarget(machine);
        var served = GdbServer.Serve(target, port, waitForAttach, linked.Token, messages ?? Console.Error);
        machine.FlushConsole();
        return served.Outcome switch
        {
            GdbServeOutcome.Exited => Result(machine, MachineOutcome.Exited, $"firmware exited with code {served.ExitCode}", served.ExitCode),
            GdbServeOutcome.Faulted => target.LastRun ?? Result(machine, MachineOutcome.UnhandledFault, served.Message ?? "fault"),
            GdbServeOutcome.Killed => Result(machine, MachineOutcome.Stopped, "killed by the debugger"),
            _ when timeout.IsCancellationRequested && !cancellation.IsCancellationRequested =>
                Result(machine, MachineOutcome.Timeout, $"wall-clock timeout of {limits.WallTimeout} reached"),
            _ => Result(machine, MachineOutcome.Stopped, "stopped on request"),
        };
    }

    private static MachineRunResult Result(Machine machine, MachineOutcome outcome, string message, int? exitCode = null) => new()
    {
        Outcome = outcome,
        ExitCode = exitCode,
        Instructions = machine.Cpu.InstructionsRetired,
        VirtualTime = machine.Clock.Elapsed,
        Message = message,
        State = outcome is MachineOutcome.Lockup or MachineOutcome.UnhandledFault ? machine.Cpu.DescribeState() : "",
    };
}
