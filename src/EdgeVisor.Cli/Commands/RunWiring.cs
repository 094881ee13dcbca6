using EdgeVisor.Emulation.Machines;
using EdgeVisor.Emulation.Machines.Stimulus;
using EdgeVisor.Emulation.Machines.Tracing;
using EdgeVisor.Emulation.Machines.Wiring;
using EdgeVisor.Emulation.Peripherals.Devices;
using EdgeVisor.Hardware;

namespace EdgeVisor.Cli.Commands;

/// <summary>The wiring-related options of <c>edgevisor run</c>.</summary>
internal sealed record WiringRequest(FileInfo? Wiring, string? HostAllow, FileInfo? TraceGpio, string? TraceI2c, FileInfo? Stimulus);

/// <summary>
/// The part of <c>edgevisor run</c> that connects a machine to the world: reads the wiring file, the host access
/// policy and the stimulus script before anything is built (<see cref="Prepare"/>), then applies the wiring
/// (the board's own devices always), opens the traces and schedules the stimulus (<see cref="Attach"/>). Each
/// failure is one line on stderr with its exit code: 78 for a bad file, 75 for host hardware that is missing or
/// busy, 73 for a trace file that cannot be created.
/// </summary>
internal sealed class RunWiring
{
    private readonly WiringRequest _request;
    private readonly WiringDocument _document;
    private readonly HostAccessPolicy? _policy;
    private readonly StimulusScript? _script;

    private RunWiring(WiringRequest request, WiringDocument document, HostAccessPolicy? policy, StimulusScript? script)
    {
        _request = request;
        _document = document;
        _policy = policy;
        _script = script;
    }

    /// <summary>Parses the files the options name; returns an exit code (after printing why) if one is wrong.</summary>
    public static int? Prepare(WiringRequest request, out RunWiring setup)
    {
        setup = null!;
        HostAccessPolicy? policy = null;
        try
        {
            if (request.HostAllow is { } allow)
            {
                policy = HostAccessPolicy.Parse(allow);
            }
        }
        catch (FormatException e)
        {
            return RunCommand.Fail(ExitCodes.Usage, $"--host-allow: {e.Message}");
        }

        foreach (var input in new[] { request.Wiring, request.Stimulus })
        {
            if (input is { Exists: false })
            {
                return RunCommand.Fail(ExitCodes.NoInput, $"{input}: no such file");
            }
        }

        try
        {
            var document = request.Wiring is { } file ? WiringFile.Load(file.ToString()) : WiringDocument.None;
            var script = request.Stimulus is { } stimulus ? StimulusScript.Load(stimulus.ToString()) : null;
            setup = new RunWiring(request, document, policy, script);
            return null;
        }
        catch (Exception e) when (e is WiringException or StimulusException)
        {
            return RunCommand.Fail(ExitCodes.BadConfiguration, e.Message);
        }
    }

    /// <summary>Applies the wiring to <paramref name="machine"/> and starts traces and stimulus; returns an exit code (after printing why) on failure.</summary>
    public int? Attach(Machine machine, out WiredRun run)
    {
        run = new WiredRun();
        try
        {
            run.Wiring = MachineWiring.Apply(machine, _document, new HostWiringOptions { Policy = _policy, HookProcessShutdown = true });
            foreach (string note in run.Wiring.Notes)
            {
                Console.Error.WriteLine($"edgevisor: note: {note}");
            }

            if (_request.TraceGpio is { } vcd)
            {
                run.Trace = new GpioTrace(machine, new StreamWriter(vcd.ToString()));
                foreach (var device in run.Wiring.Devices.Values.Where(d => !SimulatedDeviceCatalog.IsI2c(d.Type)))
                {
                    foreach (string quantity in device.Quantities)
                    {
                        run.Trace.AddProbe("devices." + device.Name, quantity, () => device.Get(quantity) != 0);
                    }
                }

                run.Trace.Start();
            }

            if (_request.TraceI2c is { } log)
            {
                run.I2cLog = log == "-"
                    ? new I2cLog(machine, Console.Error)
                    : new I2cLog(machine, new StreamWriter(log), ownsWriter: true);
            }

            if (_script is not null)
            {
                run.Stimulus = StimulusRunner.Schedule(machine, _script, run.Wiring.Devices);
                var trace = run.Trace;
                run.Stimulus.StepApplied += _ => trace?.SampleProbes();
            }

            return null;
        }
        catch (Exception e) when (e is WiringException or StimulusException)
        {
            run.Dispose();
            return RunCommand.Fail(ExitCodes.BadConfiguration, e.Message);
        }
        catch (HostHardwareException e)
        {
            run.Dispose();
            return RunCommand.Fail(ExitCodes.HostHardwareUnavailable, e.Message);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            run.Dispose();
            return RunCommand.Fail(ExitCodes.CannotCreate, $"cannot write a trace: {e.Message}");
        }
    }
}

/// <summary>What <see cref="RunWiring.Attach"/> set up for one run; disposing completes the traces and releases host hardware.</summary>
internal sealed class WiredRun : IDisposable
{
    public MachineWiring? Wiring { get; set; }

    public GpioTrace? Trace { get; set; }

    public I2cLog? I2cLog { get; set; }

    public StimulusRunner? Stimulus { get; set; }

    /// <summary>A stimulus step a device refused during the run, if any.</summary>
    public string? StimulusFailure => Stimulus?.Failure;

    public void Dispose()
    {
        Trace?.Dispose();
        I2cLog?.Dispose();
        Wiring?.Dispose();
    }
}
