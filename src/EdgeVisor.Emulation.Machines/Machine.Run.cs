using System.Diagnostics;

namespace EdgeVisor.Emulation.Machines;

public sealed partial class Machine
{
    /// <summary>Set when posted work ran; the next realtime pacing sleep is skipped so its effect is handled first.</summary>
    private bool _postedWorkRan;

    /// <summary>Longest stretch of virtual time the core runs before the loop looks at limits, input and pacing.</summary>
    private ulong SliceCycles => Math.Max(10_000, Clock.FrequencyHz / 250);

    /// <summary>How long one byte of console input takes on the wire (10 bits at 115200 baud).</summary>
    private static readonly TimeSpan CharacterTime = TimeSpan.FromSeconds(10.0 / 115_200);

    /// <summary>
    /// Runs the machine until the firmware exits, a limit is reached, the core locks up or faults unrecoverably, or
    /// <see cref="RequestStop"/>/<paramref name="cancellation"/> stops it. The loop runs the core up to the next
    /// clock event (or the end of the slice), runs due events, feeds console input, and paces virtual time to wall
    /// time with <see cref="MachineOptions.Realtime"/>. A core asleep with nothing scheduled waits for console input;
    /// with no input source either, it can never wake and the run ends with <see cref="MachineOutcome.Asleep"/>.
    /// </summary>
    public MachineRunResult Run(RunLimits limits, CancellationToken cancellation = default)
    {
        var wall = Stopwatch.StartNew();
        ulong startInstructions = Cpu.InstructionsRetired;
        ulong startCycle = Clock.Now;
        ulong virtualEnd = limits.VirtualTime is { } v ? SaturatingAdd(startCycle, Clock.CyclesFor(v)) : ulong.MaxValue;
        var pacing = Options.Realtime ? new RealtimePacer(Clock, startCycle, wall, SleepUnlessPosted) : null;
        _stopRequested = false;
        using var cancelRegistration = cancellation.Register(RequestStop);
        try
        {
            while (true)
            {
                if (_stopRequested || cancellation.IsCancellationRequested)
                {
                    return Finish(MachineOutcome.Stopped, "stopped on request", pacing);
                }

                if (limits.WallTimeout is { } timeout && wall.Elapsed >= timeout)
                {
                    return Finish(MachineOutcome.Timeout, $"wall-clock timeout of {timeout} reached", pacing);
                }

                ulong target = Math.Min(SaturatingAdd(Clock.Now, SliceCycles), virtualEnd);
                if (limits.MaxInstructions is { } max)
                {
                    ulong done = Cpu.InstructionsRetired - startInstructions;
                    if (done >= max)
                    {
                        return Finish(MachineOutcome.InstructionLimit, $"instruction limit of {max:N0} reached", pacing);
                    }

                    // One cycle per instruction: a budget of the remaining instructions never overshoots.
                    target = Math.Min(target, SaturatingAdd(Clock.Now, max - done));
                }

                if (Clock.Now >= virtualEnd)
                {
                    return Finish(MachineOutcome.VirtualTimeLimit, $"virtual-time limit of {limits.VirtualTime} reached", pacing);
                }

                pacing?.WaitUntilDue(Clock.Now, RemainingWall(limits, wall));
                var reason = RunSlice(target);
                switch (reason)
                {
                    case StopReason.Exited:
                        return Finish(MachineOutcome.Exited, $"firmware exited with code {Cpu.ExitCode}", pacing, Cpu.ExitCode);
                    case StopReason.Lockup:
                        return Finish(MachineOutcome.Lockup, "the core locked up", pacing, state: Cpu.DescribeState());
                    case StopReason.UnhandledFault:
                        return Finish(MachineOutcome.UnhandledFault, "a fault that no handler could take", pacing, state: Cpu.DescribeState());
                    case StopReason.Breakpoint:
                    case StopReason.Watchpoint:
                        return Finish(MachineOutcome.Breakpoint, $"{reason.ToString().ToLowerInvariant()} at 0x{Cpu.Pc:X8}", pacing);
                    // Cpu.Sleeping is false again if the events that just ran pended an interrupt that wakes the core.
                    case StopReason.Sleeping when Clock.NextEventAt == ulong.MaxValue && !InputDeliverable && Cpu.Sleeping:
                        if (WaitWhileAsleep(limits, wall, virtualEnd, pacing) is { } asleep)
                        {
                            return asleep;
                        }

                        break;
                }
            }
        }
        finally
        {
            FlushConsole();
        }
    }

    /// <summary>
    /// One step of the run loop, for callers that drive the machine themselves (the GDB stub): feeds console input,
    /// runs the core no further than <paramref name="untilCycle"/> and the next clock event, runs the events that are
    /// due, and carries out reset requests (AIRCR.SYSRESETREQ, the watchdog). Returns why the core stopped.
    /// </summary>
    public StopReason RunSlice(ulong untilCycle)
    {
        _postedWorkRan |= RunPosted();
        DeliverConsoleInput();
        ulong target = Math.Min(untilCycle, Clock.NextEventAt);
        if (_input.HasData && _consoleUart is not null)
        {
            // More input is queued: the next byte arrives one character time (115200 baud, 8N1) later, so a core
            // that sleeps between bytes does not skip ahead to the end of the slice.
            target = Math.Min(target, Clock.Now + Clock.CyclesFor(CharacterTime));
        }

        var reason = _tracer is not null ? _tracer.Run(target) : Cpu.Run(Math.Max(target, Clock.Now));
        bool posted = RunPosted();
        _postedWorkRan |= posted;
        if (posted && reason is StopReason.Interrupted or StopReason.Sleeping && !_stopRequested)
        {
            // The core stopped only so posted work could run, or it went to sleep just before the work arrived:
            // that work (a host pin edge) may have made an interrupt pending, so the core must run again rather
            // than the loop waiting for the next post.
            reason = StopReason.Budget;
        }

        Clock.RunDueEvents();
        if (_resetRequested || Cpu.ResetRequestPending)
        {
            Reset();
            if (reason == StopReason.Interrupted && !_stopRequested)
            {
                reason = StopReason.Budget; // the stop only served to reach the reset
            }
        }

        return reason;
    }

    /// <summary>
    /// Realtime pacing sleeps through this: work posted from another thread (a host pin edge) ends the sleep, so it
    /// waits for the machine thread microseconds instead of up to a slice of pacing.
    /// </summary>
    private void SleepUnlessPosted(TimeSpan duration)
    {
        if (_postedWorkRan)
        {
            // Posted work just ran and may have made an interrupt pending: let the core handle it before pacing.
            _postedWorkRan = false;
            return;
        }

        var slept = Stopwatch.StartNew();
        while (_posted.IsEmpty && !_stopRequested)
        {
            var left = duration - slept.Elapsed;
            if (left <= TimeSpan.Zero)
            {
                return;
            }

            _postedSignal.Wait(left);
        }
    }

    private static ulong SaturatingAdd(ulong a, ulong b) => a > ulong.MaxValue - b ? ulong.MaxValue : a + b;

    private static TimeSpan? RemainingWall(RunLimits limits, Stopwatch wall) =>
        limits.WallTimeout is { } t ? t - wall.Elapsed : null;

    /// <summary>True when a queued input byte can be handed to the console UART now.</summary>
    private bool InputDeliverable => _input.HasData && _consoleUart?.CanReceive == true;

    /// <summary>Hands queued console input to the console UART while its receiver can take it without loss.</summary>
    private void DeliverConsoleInput()
    {
        if (_consoleUart is null)
        {
            return;
        }

        while (_consoleUart.CanReceive && _input.TryTake(out byte value))
        {
            _consoleUart.Receive(value);
        }
    }

    /// <summary>The core sleeps and no event is scheduled: only console input (or the passing of virtual time, up to a limit) can change anything.</summary>
    private MachineRunResult? WaitWhileAsleep(RunLimits limits, Stopwatch wall, ulong virtualEnd, RealtimePacer? pacing)
    {
        // Input can wake the core only through a console UART whose receiver is enabled and empty.
        if (_input.HasSource && !_input.Exhausted && _consoleUart?.CanReceive == true)
        {
            FlushConsole();
            var waitLimit = RemainingWall(limits, wall) ?? Timeout.InfiniteTimeSpan;
            if (waitLimit != Timeout.InfiniteTimeSpan && waitLimit < TimeSpan.Zero)
            {
                waitLimit = TimeSpan.Zero;
            }

            // Wait in short steps so a stop request is noticed.
            var step = TimeSpan.FromMilliseconds(50);
            while (!_stopRequested)
            {
                var chunk = waitLimit == Timeout.InfiniteTimeSpan || waitLimit > step ? step : waitLimit;
                if (_input.WaitForData(chunk))
                {
                    break;
                }

                if (waitLimit != Timeout.InfiniteTimeSpan)
                {
                    waitLimit -= chunk;
                    if (waitLimit <= TimeSpan.Zero)
                    {
                        break;
                    }
                }
            }

            if (pacing is not null)
            {
                // Virtual time kept pace with the wall clock while the core slept.
                Clock.AdvanceTo(Math.Min(virtualEnd, pacing.CycleForNow()));
            }

            return null;
        }

        if (HasExternalInputs)
        {
            // Only something posted from outside (a host pin edge) can wake the core: wait for it in short steps.
            FlushConsole();
            var waitLimit = RemainingWall(limits, wall);
            while (!_stopRequested && _posted.IsEmpty && (waitLimit is null || waitLimit > TimeSpan.Zero))
            {
                _postedSignal.Wait(TimeSpan.FromMilliseconds(50));
                waitLimit = RemainingWall(limits, wall);
            }

            if (pacing is not null)
            {
                Clock.AdvanceTo(Math.Min(virtualEnd, pacing.CycleForNow()));
            }

            return null;
        }

        if (virtualEnd != ulong.MaxValue)
        {
            Clock.AdvanceTo(virtualEnd);
            return null;
        }

        if (pacing is not null)
        {
            return null; // real time keeps passing; the wall-clock timeout or a stop ends the run
        }

        return Finish(MachineOutcome.Asleep, $"the core is asleep (WFI/WFE) at 0x{Cpu.Pc:X8} with no timer armed and no console input: it can never wake", pacing, state: Cpu.DescribeState());
    }

    private MachineRunResult Finish(MachineOutcome outcome, string message, RealtimePacer? pacing, int? exitCode = null, string state = "")
    {
        return new MachineRunResult
        {
            RealtimeWarning = pacing?.Report(),
            Outcome = outcome,
            ExitCode = exitCode,
            Instructions = Cpu.InstructionsRetired,
            VirtualTime = Clock.Elapsed,
            Message = message,
            State = state,
        };
    }
}
