using EdgeVisor.Emulation.CortexM.Debugging;
using EdgeVisor.Emulation.Debugging;

namespace EdgeVisor.Emulation.Machines.Debugging;

/// <summary>
/// A whole <see cref="Machine"/> as an <see cref="IDebugTarget"/>: registers, memory and debug points come from
/// the core (<see cref="CortexMDebugCore"/>); resuming runs the machine's own loop (<see cref="Machine.Run"/>:
/// clock events, timers and interrupts, sleep fast-forward, console input, real-time pacing), so firmware
/// behaves under the debugger as it does without one. Time stands still while the machine is halted.
/// </summary>
public sealed class MachineDebugTarget : IDebugTarget, IDisposable
{
    private readonly Machine _machine;
    private readonly CortexMDebugCore _core;
    private readonly MachineStepper _stepper;
    private readonly Lock _gate = new();
    private CancellationTokenSource? _running;
    private bool _interruptPending;

    // The core reports a watchpoint after the accessing instruction retired (as a Cortex-M DWT does), but gdb's ARM
    // support (and LLDB's) assumes the stop comes before the access and first single-steps over it with the
    // watchpoint removed. That step is already done: the first step after a watchpoint stop executes nothing, so
    // the debugger ends up exactly where it would on a stop-before target (the line after the store, as with QEMU).
    private bool _accessAlreadyRetired;

    public MachineDebugTarget(Machine machine)
    {
        _machine = machine;
        _core = new CortexMDebugCore(machine.Cpu);
        _stepper = new MachineStepper(machine);
    }

    /// <summary>The machine's last run result that ended in a lockup or an unhandled fault, for the final report.</summary>
    public MachineRunResult? LastRun { get; private set; }

    public string TargetDescriptionXml => _core.TargetDescriptionXml;

    public IReadOnlyList<int> RegisterSizes => _core.RegisterSizes;

    public IReadOnlyList<int> ExpeditedRegisters => _core.ExpeditedRegisters;

    public bool TryReadRegister(int number, Span<byte> value) => _core.TryReadRegister(number, value);

    public bool TryWriteRegister(int number, ReadOnlySpan<byte> value)
    {
        _accessAlreadyRetired = false; // the debugger moved the core elsewhere: a step is a real step again
        return _core.TryWriteRegister(number, value);
    }

    public bool TryReadMemory(ulong address, Span<byte> destination) => _core.TryReadMemory(address, destination);

    public bool TryWriteMemory(ulong address, ReadOnlySpan<byte> source) => _core.TryWriteMemory(address, source);

    public bool AddBreakpoint(ulong address) => _core.AddBreakpoint(address);

    public bool RemoveBreakpoint(ulong address) => _core.RemoveBreakpoint(address);

    public bool AddWatchpoint(ulong address, ulong length, WatchpointKind kind) => _core.AddWatchpoint(address, length, kind);

    public bool RemoveWatchpoint(ulong address, ulong length, WatchpointKind kind) => _core.RemoveWatchpoint(address, length, kind);

    public void SetDebuggerAttached(bool attached) => _machine.Cpu.DebuggerAttached = attached;

    public DebugStop Step() => RunInterruptibly(token =>
    {
        if (_accessAlreadyRetired)
        {
            return DebugStop.Stepped;
        }

        _core.ClearWatchHit();
        var reason = _stepper.Step(token);
        return reason is null ? DebugStop.Interrupted : _core.Translate(reason.Value) ?? DebugStop.Stepped;
    });

    public DebugStop Resume() => RunInterruptibly(token =>
    {
        _core.ClearWatchHit();
        while (true)
        {
            var result = _machine.Run(RunLimits.None, token);
            switch (result.Outcome)
            {
                case MachineOutcome.Exited:
                    return DebugStop.Exited(result.ExitCode ?? 0);
                case MachineOutcome.Lockup or MachineOutcome.UnhandledFault:
                    LastRun = result;
                    return DebugStop.Faulted(result.Message + "\n" + result.State);
                case MachineOutcome.Breakpoint:
                    return _core.Translate(_core.HasWatchHit ? StopReason.Watchpoint : StopReason.Breakpoint)!;
                case MachineOutcome.Asleep:
                    // Nothing can ever wake the core; to the debugger it is simply running until interrupted.
                    token.WaitHandle.WaitOne();
                    return DebugStop.Interrupted;
                case MachineOutcome.Stopped when token.IsCancellationRequested:
                    return DebugStop.Interrupted;
            }

            // Any other ending (a stop request that only served a system reset) means: keep running.
        }
    });

    public void Interrupt()
    {
        lock (_gate)
        {
            _interruptPending = true;
            _running?.Cancel();
        }
    }

    public void Reset()
    {
        _accessAlreadyRetired = false;
        _machine.Reset();
    }

    public string DescribeState() => _machine.Cpu.DescribeState();

    public void Dispose() => _core.Dispose();

    // Runs one resume or step with a token that Interrupt cancels. An interrupt that arrived while nothing ran
    // ends this run at once; any interrupt is used up when the run ends (its stop answers it).
    private DebugStop RunInterruptibly(Func<CancellationToken, DebugStop> run)
    {
        using var cancellation = new CancellationTokenSource();
        lock (_gate)
        {
            if (_interruptPending)
            {
                _interruptPending = false;
                return DebugStop.Interrupted;
            }

            _running = cancellation;
        }

        try
        {
            var stop = run(cancellation.Token);
            _accessAlreadyRetired = stop.Kind == DebugStopKind.Watchpoint;
            return stop;
        }
        finally
        {
            lock (_gate)
            {
                _running = null;
                _interruptPending = false;
            }

            _machine.FlushConsole();
        }
    }
}
