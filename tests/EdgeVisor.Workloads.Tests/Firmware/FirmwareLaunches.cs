using System.Text;
using EdgeVisor.Protocol;

namespace EdgeVisor.Workloads.Tests.Firmware;

/// <summary>
/// Builds what the agent would hand the firmware driver: a spec, the staged image, wiring, a data directory and a
/// log, all in a temporary directory that <see cref="Dispose"/> removes.
/// </summary>
internal sealed class FirmwareLaunches : IDisposable
{
    private readonly List<WorkloadLog> _logs = [];

    public FirmwareLaunches()
    {
        Root = Directory.CreateTempSubdirectory("edgevisor-workloads-tests-").FullName;
    }

    public string Root { get; }

    /// <summary>The repository's firmware-images folder.</summary>
    public static string Images { get; } = FindImages();

    public static string Image(string board, string name) => Path.Combine(Images, board, name);

    public static WorkloadSpec Spec(string name, string board, string imageUrl, bool realtime = false,
        IReadOnlyDictionary<string, string>? configuration = null, IReadOnlyList<string>? arguments = null, string? wiringUrl = null) => new()
    {
        Name = name,
        Kind = WorkloadKinds.Firmware,
        Artifact = new ArtifactRef { Url = imageUrl, Sha256 = new string('0', 64) },
        Configuration = configuration ?? new Dictionary<string, string>(),
        Firmware = new FirmwareSpec
        {
            Board = board,
            Realtime = realtime,
            Arguments = arguments ?? [],
            Wiring = wiringUrl is null ? null : new ArtifactRef { Url = wiringUrl, Sha256 = new string('0', 64) },
        },
    };

    /// <summary>A launch of <paramref name="spec"/> from <paramref name="imagePath"/> (and a wiring file, if given).</summary>
    public WorkloadLaunch Launch(WorkloadSpec spec, string imagePath, string? wiringPath = null)
    {
        var log = new WorkloadLog(Path.Combine(Root, spec.Name, "logs"));
        _logs.Add(log);
        return new WorkloadLaunch
        {
            Spec = spec,
            ArtifactPath = imagePath,
            AuxiliaryPaths = wiringPath is null ? new Dictionary<string, string>() : new Dictionary<string, string> { ["wiring"] = wiringPath },
            DataDirectory = Path.Combine(Root, spec.Name, "data"),
            Log = log,
        };
    }

    /// <summary>Writes a file into the temporary directory and returns its path.</summary>
    public string File(string name, byte[] content)
    {
        string path = Path.Combine(Root, name);
        System.IO.File.WriteAllBytes(path, content);
        return path;
    }

    public string File(string name, string content) => File(name, Encoding.UTF8.GetBytes(content));

    public void Dispose()
    {
        foreach (var log in _logs)
        {
            log.Dispose();
        }

        Directory.Delete(Root, recursive: true);
    }

    private static string FindImages()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            string candidate = Path.Combine(dir.FullName, "firmware-images");
            if (System.IO.File.Exists(Path.Combine(candidate, "stm32f4-discovery", "sensor-monitor.elf")))
            {
                return candidate;
            }
        }

        throw new DirectoryNotFoundException($"firmware-images/stm32f4-discovery/sensor-monitor.elf not found above {AppContext.BaseDirectory}");
    }
}
