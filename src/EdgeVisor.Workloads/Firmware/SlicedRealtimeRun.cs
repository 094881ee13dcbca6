using System.Diagnostics;
using EdgeVisor.Emulation.Machines;

namespace EdgeVisor.Workloads.Firmware;

/// <summary>
/// Real-time pacing for a firmware workload with only simulated devices: the machine runs unpaced for a slice of
/// virtual time (a sleeping core skips straight to the end of it), then this thread blocks until the wall clock has
/// caught up. An idle device thus costs some 50 short wake-ups a second. The machine's own pacing
/// (<see cref="MachineOptions.Realtime"/>) sleeps in 4 ms steps through a spinning wait, which measured at about a
/// fifth of a core per idle machine: fine for one machine on real pins, where it answers host edges at once, too
/// much for a device running many workloads. Workloads with host passthrough keep the machine's own pacing.
/// </summary>
internal sealed class SlicedRealtimeRun(Machine machine, RunLimits limits)
{
    /// <summary>Virtual time per slice: how far virtual time may run ahead of the wall clock, and how late a stop is noticed.</summary>
    public static readonly TimeSpan Slice = TimeSpan.FromMilliseconds(20);

    // A plain monitor wait, no spinning: the wait is the idle state of the workload, not a short hand-off.
    private readonly object _gate = new();   // a Monitor, for Wait/PulseAll
    private bool _stopRequested;

    /// <summary>Ends the run at the next slice boundary, or at once if the machine is running a slice. Safe from any thread.</summary>
    public void RequestStop()
    {
        lock (_gate)
        {
            _stopRequested = true;
            Monitor.PulseAll(_gate);
        }

        machine.RequestStop();
    }

    /// <summary>Runs until the firmware ends, a limit is reached or a stop is requested; the result is as <see cref="Machine.Run"/>'s.</summary>
    public MachineRunResult Run()
    {
        var wall = Stopwatch.StartNew();
        ulong startCycle = machine.Clock.Now;
        ulong startInstructions = machine.Cpu.InstructionsRetired;
        while (true)
        {
            // Machine.Run forgets a stop requested between two of its calls, so the flag is checked here too.
            if (Volatile.Read(ref _stopRequested))
            {
                return Stopped();
            }

            ulong? remaining = limits.MaxInstructions is { } max ? max - Math.Min(max, machine.Cpu.InstructionsRetired - startInstructions) : null;
            if (remaining == 0)
            {
                return new MachineRunResult
                {
                    Outcome = MachineOutcome.InstructionLimit,
                    Message = $"instruction limit of {limits.MaxInstructions:N0} reached",
                    Instructions = machine.Cpu.InstructionsRetired,
                    VirtualTime = machine.Clock.Elapsed,
                };
            }

            var result = machine.Run(new RunLimits { VirtualTime = Slice, MaxInstructions = remaining });
            if (result.Outcome == MachineOutcome.InstructionLimit)
            {
                return result with { Message = $"instruction limit of {limits.MaxInstructions:N0} reached" };
            }

            if (result.Outcome != MachineOutcome.VirtualTimeLimit)
            {
                return result;
            }

            var ahead = TimeSpan.FromSeconds((double)(machine.Clock.Now - startCycle) / machine.Clock.FrequencyHz) - wall.Elapsed;
            if (ahead > TimeSpan.Zero)
            {
                lock (_gate)
                {
                    if (!_stopRequested)
                    {
                        Monitor.Wait(_gate, ahead);
                    }
                }
            }
        }
    }

    private MachineRunResult Stopped() => new()
    {
        Outcome = MachineOutcome.Stopped,
        Message = "stopped on request",
        Instructions = machine.Cpu.InstructionsRetired,
        VirtualTime = machine.Clock.Elapsed,
    };
}
