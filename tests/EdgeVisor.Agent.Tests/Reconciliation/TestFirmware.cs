using System.Security.Cryptography;
using EdgeVisor.Protocol;

namespace EdgeVisor.Agent.Tests.Reconciliation;

/// <summary>
/// The committed sample images (firmware-images/) as deployable workloads: sensor-monitor runs forever and prints a
/// line a second; hello prints and exits 0; verdict with the argument "fail" exits 1 (a failed run).
/// </summary>
internal static class TestFirmware
{
    private static readonly Lazy<string> Root = new(FindImages);

    public static string SensorMonitorPath => Path.Combine(Root.Value, "stm32f4-discovery", "sensor-monitor.elf");

    public static string SensorWiringPath => Path.Combine(Root.Value, "stm32f4-discovery", "sensor-monitor.wiring.json");

    public static string HelloPath => Path.Combine(Root.Value, "mps2-an385", "hello.elf");

    public static string VerdictPath => Path.Combine(Root.Value, "mps2-an385", "verdict.elf");

    /// <summary>A local-file artifact reference (what an air-gapped device gets), with its digest.</summary>
    public static ArtifactRef Local(string path) => new()
    {
        Url = path,
        Sha256 = Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(path))),
        Size = new FileInfo(path).Length,
    };

    /// <summary>The demo firmware with its wiring (a TMP102 on i2c1); <paramref name="configuration"/> changes the spec without changing the image.</summary>
    public static WorkloadSpec SensorMonitor(string name, IReadOnlyDictionary<string, string>? configuration = null, ArtifactRef? artifact = null) => new()
    {
        Name = name,
        Kind = WorkloadKinds.Firmware,
        Artifact = artifact ?? Local(SensorMonitorPath),
        Configuration = configuration ?? new Dictionary<string, string>(),
        Firmware = new FirmwareSpec { Board = "stm32f4-discovery", Wiring = Local(SensorWiringPath), Realtime = true },
    };

    /// <summary>Prints a greeting and exits with code 0.</summary>
    public static WorkloadSpec Hello(string name, RestartPolicy? restart = null) => new()
    {
        Name = name,
        Kind = WorkloadKinds.Firmware,
        Artifact = Local(HelloPath),
        Restart = restart ?? new RestartPolicy(),
        Firmware = new FirmwareSpec { Board = "mps2-an385", Realtime = false },
    };

    /// <summary>Runs its self-checks with one deliberately broken, prints FAIL and exits with code 1.</summary>
    public static WorkloadSpec FailingVerdict(string name, RestartPolicy? restart = null) => new()
    {
        Name = name,
        Kind = WorkloadKinds.Firmware,
        Artifact = Local(VerdictPath),
        Restart = restart ?? new RestartPolicy(),
        Firmware = new FirmwareSpec { Board = "mps2-an385", Realtime = false, Arguments = ["fail"] },
    };

    private static string FindImages()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            string candidate = Path.Combine(dir.FullName, "firmware-images");
            if (Directory.Exists(Path.Combine(candidate, "stm32f4-discovery")))
            {
                return candidate;
            }
        }

        throw new DirectoryNotFoundException($"firmware-images/ not found above {AppContext.BaseDirectory}");
    }
}
