using EdgeVisor.Emulation.Boards;
using EdgeVisor.Emulation.Loading;
using EdgeVisor.Emulation.Machines;
using EdgeVisor.Emulation.Machines.Wiring;
using EdgeVisor.Hardware;
using EdgeVisor.Protocol;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace EdgeVisor.Workloads.Firmware;

/// <summary>
/// Runs <c>firmware</c> workloads: an emulated board (one of the boards bundled with EdgeVisor) loaded with the
/// workload's image, wired to simulated devices (and to host lines and buses only as far as the spec's
/// <c>hostAccess</c> allows), its console kept as the workload's log, on a thread of its own. Semihosting file
/// access is confined to the workload's data directory.
/// </summary>
public sealed class FirmwareDriver : IWorkloadDriver
{
    private readonly ILoggerFactory _loggers;

    /// <summary>Creates the driver; <paramref name="loggers"/> null logs nothing.</summary>
    public FirmwareDriver(ILoggerFactory? loggers = null)
    {
        _loggers = loggers ?? NullLoggerFactory.Instance;
    }

    public string Kind => WorkloadKinds.Firmware;

    public string? Validate(WorkloadSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        if (spec.Kind != WorkloadKinds.Firmware)
        {
            return $"kind: \"{spec.Kind}\" is not {WorkloadKinds.Firmware}";
        }

        if (spec.Firmware is not { } firmware)
        {
            return "firmware: missing (a firmware workload needs at least firmware.board)";
        }

        if (FindBoard(firmware.Board) is null)
        {
            return $"firmware.board: unknown board \"{firmware.Board}\" (known: {string.Join(", ", BoardCatalog.Names)})";
        }

        FirmwareSettings.Parse(spec.Configuration, out string? error);
        return error;
    }

    public Task<IWorkload> StartAsync(WorkloadLaunch launch, CancellationToken cancellation)
    {
        ArgumentNullException.ThrowIfNull(launch);
        // Reading the image and building the board is synchronous file and memory work: keep it off the caller's loop.
        return Task.Run(() => Start(launch), cancellation);
    }

    /// <summary>Only boards that ship with EdgeVisor: a deployment must not make the device read arbitrary local files as board descriptions.</summary>
    private static BoardDescription? FindBoard(string name) =>
        BoardCatalog.All.FirstOrDefault(b => string.Equals(b.Name, name, StringComparison.OrdinalIgnoreCase));

    private IWorkload Start(WorkloadLaunch launch)
    {
        var spec = launch.Spec;
        if (Validate(spec) is { } invalid)
        {
            throw new WorkloadStartException(invalid);
        }

        var firmware = spec.Firmware!;
        var settings = FirmwareSettings.Parse(spec.Configuration, out _)!;
        var board = FindBoard(firmware.Board)!;
        var image = LoadImage(launch, settings);
        var wiring = LoadWiring(launch);
        var hostOptions = FirmwareWiring.HostOptions(wiring, settings);

        Directory.CreateDirectory(launch.DataDirectory);
        // Host passthrough needs the machine's own pacing (it answers host edges at once); everything else is paced
        // by the workload, which idles far more cheaply (SlicedRealtimeRun).
        bool slicedRealtime = firmware.Realtime && wiring.Host is null;
        var machine = new Machine(board, new MachineOptions
        {
            ConsoleOutput = launch.Log.ConsoleStream,
            ErrorOutput = launch.Log.ConsoleStream,
            CommandLine = [spec.Name, .. firmware.Arguments],
            Realtime = firmware.Realtime && !slicedRealtime,
            SemihostingFileRoot = launch.DataDirectory,
        });
        MachineWiring? applied = null;
        try
        {
            machine.Load(image);
            applied = MachineWiring.Apply(machine, wiring, hostOptions);
            var limits = new RunLimits { MaxInstructions = settings.MaxInstructions };
            var logger = _loggers.CreateLogger<FirmwareDriver>();
            foreach (string note in applied.Notes)
            {
                launch.Log.Write(System.Text.Encoding.UTF8.GetBytes($"[edgevisor] wiring: {note}\n"));
            }

            return FirmwareWorkload.Start(spec.Name, machine, applied, limits, slicedRealtime, launch.Log, logger);
        }
        catch (Exception e)
        {
            applied?.Dispose();
            machine.Dispose();
            throw e switch
            {
                ImageFormatException bad => new WorkloadStartException($"image: {bad.Problem} ({launch.Spec.Artifact.Url})", e),
                WiringException => new WorkloadStartException($"wiring: {e.Message}", e),
                HostHardwareException => new WorkloadStartException($"host hardware: {e.Message}", e),
                _ => e,
            };
        }
    }

    private static FirmwareImage LoadImage(WorkloadLaunch launch, FirmwareSettings settings)
    {
        try
        {
            return ImageLoader.Load(launch.ArtifactPath ?? throw new WorkloadStartException("no firmware image was staged"), settings.LoadAddress);
        }
        catch (ImageFormatException e)
        {
            // The loader's hint names the CLI option; a deployment sets the load address in its configuration.
            string problem = e.Problem.Replace("--load-address", $"configuration.{FirmwareSettings.LoadAddressKey}", StringComparison.Ordinal);
            throw new WorkloadStartException($"image: {problem} ({launch.Spec.Artifact.Url})", e);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new WorkloadStartException($"image: cannot read the staged image of {launch.Spec.Artifact.Url}: {e.Message}", e);
        }
    }

    private static WiringDocument LoadWiring(WorkloadLaunch launch)
    {
        var reference = launch.Spec.Firmware!.Wiring;
        if (reference is null)
        {
            return WiringDocument.None;
        }

        if (!launch.AuxiliaryPaths.TryGetValue("wiring", out string? path))
        {
            throw new WorkloadStartException($"wiring: {reference.Url} was not staged for this workload");
        }

        return FirmwareWiring.Load(path, reference);
    }
}
