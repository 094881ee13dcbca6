using EdgeVisor.Emulation.Machines;
using EdgeVisor.Emulation.Machines.Wiring;
using Microsoft.Extensions.Logging;

namespace EdgeVisor.Workloads.Firmware;

/// <summary>
/// One firmware workload: a <see cref="Machine"/> running on a thread of its own (named <c>firmware:&lt;name&gt;</c>).
/// The machine thread owns the machine: when the run ends it flushes the console, releases the wiring (host lines
/// back to inputs) and the machine's memory, and only then completes <see cref="Exited"/>. A stop that takes longer
/// than its grace gives up on the thread (a background thread, so it cannot keep the agent alive) but still
/// returns host lines to a safe state at once.
/// </summary>
internal sealed partial class FirmwareWorkload : IWorkload
{
    /// <summary>How often buffered console output is pushed to the log and a sleeping core is checked for a way to wake.</summary>
    private static readonly TimeSpan HousekeepingPeriod = TimeSpan.FromSeconds(1);

    /// <summary>The interpreter keeps no deep recursion; a modest stack keeps 200 machines in one process cheap.</summary>
    private const int ThreadStackBytes = 512 * 1024;

    private readonly Machine _machine;
    private readonly MachineWiring _wiring;
    private readonly RunLimits _limits;
    private readonly SlicedRealtimeRun? _sliced;
    private readonly WorkloadLog _log;
    private readonly ILogger _logger;
    private readonly Thread _thread;
    private readonly TaskCompletionSource<WorkloadExit> _exited = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Lock _gate = new();
    private readonly Timer _housekeeping;
    private volatile bool _stopRequested;
    private volatile bool _asleepForGood;
    private bool _released;
    private bool _wiringReleased;

    private FirmwareWorkload(string name, Machine machine, MachineWiring wiring, RunLimits limits, bool slicedRealtime, WorkloadLog log, ILogger logger)
    {
        Name = name;
        _machine = machine;
        _wiring = wiring;
        _limits = limits;
        _sliced = slicedRealtime ? new SlicedRealtimeRun(machine, limits) : null;
        _log = log;
        _logger = logger;
        if (machine.ConsoleUart is { } uart)
        {
            // Runs on the machine thread, between UART writes: a line reaches the log as soon as it is complete.
            uart.ByteTransmitted += (value, _) =>
            {
                if (value == (byte)'\n')
                {
                    machine.FlushConsole();
                }
            };
        }

        _housekeeping = new Timer(_ => Housekeeping(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        _thread = new Thread(RunMachine, ThreadStackBytes) { IsBackground = true, Name = $"firmware:{name}" };
    }

    public string Name { get; }

    public Task<WorkloadExit> Exited => _exited.Task;

    /// <summary>
    /// Starts the machine thread of a built, loaded and wired machine; the workload owns both from here on. With
    /// <paramref name="slicedRealtime"/> the workload paces the machine to the wall clock itself (<see cref="SlicedRealtimeRun"/>).
    /// </summary>
    public static FirmwareWorkload Start(string name, Machine machine, MachineWiring wiring, RunLimits limits, bool slicedRealtime, WorkloadLog log, ILogger logger)
    {
        var workload = new FirmwareWorkload(name, machine, wiring, limits, slicedRealtime, log, logger);
        workload._thread.Start();
        workload._housekeeping.Change(HousekeepingPeriod, HousekeepingPeriod);
        return workload;
    }

    public async Task StopAsync(TimeSpan grace, CancellationToken cancellation)
    {
        if (_exited.Task.IsCompleted)
        {
            return;
        }

        _stopRequested = true;
        if (_sliced is not null)
        {
            _sliced.RequestStop();
        }
        else
        {
            _machine.RequestStop();
        }

        try
        {
            await _exited.Task.WaitAsync(grace, cancellation).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            Log.StopTimedOut(_logger, Name, grace.TotalSeconds);
            ReleaseWiring();
            _exited.TrySetResult(new WorkloadExit(true, null, $"did not stop within {grace.TotalSeconds:0.#} s; its machine thread was abandoned", Requested: true));
        }
    }

    public string? CheckHealth()
    {
        if (_exited.Task.IsCompleted)
        {
            return $"not running: {_exited.Task.Result.Reason}";
        }

        return _thread.IsAlive ? null : "not running: the machine thread has ended";
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync(TimeSpan.FromSeconds(5), CancellationToken.None).ConfigureAwait(false);
    }

    private void RunMachine()
    {
        WorkloadExit exit;
        string? state = null;
        try
        {
            var result = _sliced is not null ? _sliced.Run() : _machine.Run(_limits);
            exit = FirmwareExit.From(result, _machine, _stopRequested, _asleepForGood);
            state = result.State;
        }
        catch (Exception e)
        {
            // The emulator threw: the workload failed, the agent carries on and reports it.
            Log.EmulatorError(_logger, e, Name);
            exit = FirmwareExit.FromError(e);
        }

        try
        {
            WriteEnding(exit, state);
        }
        finally
        {
            Release();
            if (exit.Failed && !exit.Requested)
            {
                Log.Failed(_logger, Name, exit.Reason);
            }
            else
            {
                Log.Ended(_logger, Name, exit.Reason);
            }

            _exited.TrySetResult(exit);
        }
    }

    /// <summary>The end of the run in the workload's own log, where a user reading the console looks first.</summary>
    private void WriteEnding(WorkloadExit exit, string? state)
    {
        _machine.FlushConsole();
        var text = new System.Text.StringBuilder();
        text.Append($"\n[edgevisor] firmware ended: {exit.Reason}\n");
        if (!string.IsNullOrWhiteSpace(state))
        {
            foreach (string line in state.Split('\n', StringSplitOptions.RemoveEmptyEntries))
            {
                text.Append($"[edgevisor] {line}\n");
            }
        }

        _log.Write(System.Text.Encoding.UTF8.GetBytes(text.ToString()));
    }

    /// <summary>
    /// Every second: push console output that has no line end yet (semihosting writes) to the log, and notice a
    /// realtime machine whose core went to sleep with nothing armed to wake it (without pacing, the run loop itself
    /// ends such a run as asleep). Both run on the machine thread through <see cref="Machine.Post"/>.
    /// </summary>
    private void Housekeeping()
    {
        lock (_gate)
        {
            if (_released)
            {
                return;
            }

            _machine.Post(() =>
            {
                _machine.FlushConsole();
                if (_machine.Cpu.Sleeping && _machine.Clock.NextEventAt == ulong.MaxValue && !_machine.HasExternalInputs)
                {
                    // Posted work runs inside Machine.Run, so this stop ends the current run (sliced or not).
                    _asleepForGood = true;
                    _machine.RequestStop();
                }
            });
        }
    }

    private void Release()
    {
        lock (_gate)
        {
            _released = true;
            _housekeeping.Dispose();
        }

        ReleaseWiring();
        _machine.Dispose();
    }

    /// <summary>Host lines back to inputs and released; safe from the machine thread and from a stop that gave up.</summary>
    private void ReleaseWiring()
    {
        lock (_gate)
        {
            if (_wiringReleased)
            {
                return;
            }

            _wiringReleased = true;
        }

        _wiring.Dispose();
    }

    private static partial class Log
    {
        [LoggerMessage(1100, LogLevel.Information, "firmware workload {Name} ended: {Reason}")]
        public static partial void Ended(ILogger logger, string name, string reason);

        [LoggerMessage(1101, LogLevel.Warning, "firmware workload {Name} failed: {Reason}")]
        public static partial void Failed(ILogger logger, string name, string reason);

        [LoggerMessage(1102, LogLevel.Error, "firmware workload {Name}: the emulator threw")]
        public static partial void EmulatorError(ILogger logger, Exception error, string name);

        [LoggerMessage(1103, LogLevel.Warning, "firmware workload {Name} did not stop within {GraceSeconds} s; its host lines were released and its machine thread abandoned")]
        public static partial void StopTimedOut(ILogger logger, string name, double graceSeconds);
    }
}
