using System.Security.Cryptography;
using EdgeVisor.Protocol;
using EdgeVisor.Testing.Mqtt;

namespace EdgeVisor.Agent.Tests.EndToEnd;

/// <summary>
/// The demo workload (firmware-images/stm32f4-discovery/sensor-monitor.elf with its simulated TMP102 wiring) as
/// local artifacts (<c>file://</c>, what an air-gapped device gets), and the desired states the tests deploy.
/// A second image (<see cref="ImageV2"/>) is the same program with bytes appended past the ELF's end: it runs the
/// same but has another sha256, which is what an update is to the agent.
/// </summary>
public sealed class SensorMonitorDeployments : IDisposable
{
    /// <summary>The workload name every test uses.</summary>
    public const string WorkloadName = "sensor";

    /// <summary>What the firmware prints once at start, and on every tick.</summary>
    public const string StartedLine = "sensor-monitor: started";

    public const string TickMarker = "sensor-monitor: tick ";

    public SensorMonitorDeployments()
    {
        System.IO.Directory.CreateDirectory(Directory);
        string firmware = Path.Combine(ProvisioningFiles.RepositoryRoot, "firmware-images", "stm32f4-discovery");
        byte[] image = File.ReadAllBytes(Path.Combine(firmware, "sensor-monitor.elf"));
        Image = Write("sensor-monitor.elf", image);
        ImageV2 = Write("sensor-monitor-v2.elf", [.. image, .. "\0edgevisor e2e v2\0"u8]);
        Wiring = Write("sensor-monitor.wiring.json", File.ReadAllBytes(Path.Combine(firmware, "sensor-monitor.wiring.json")));
    }

    public string Directory { get; } = Path.Combine(Path.GetTempPath(), "edgevisor-e2e-artifacts-" + Guid.NewGuid().ToString("N")[..12]);

    public ArtifactRef Image { get; }

    public ArtifactRef ImageV2 { get; }

    public ArtifactRef Wiring { get; }

    /// <summary>A desired state running sensor-monitor from <paramref name="image"/> (default <see cref="Image"/>).</summary>
    public DesiredState Running(string deviceId, long version, ArtifactRef? image = null, IReadOnlyDictionary<string, string>? configuration = null) => new()
    {
        DeviceId = deviceId,
        DeploymentId = "e2e-sensor",
        Version = version,
        IssuedAt = DateTimeOffset.UtcNow,
        Workloads =
        [
            new WorkloadSpec
            {
                Name = WorkloadName,
                Kind = WorkloadKinds.Firmware,
                Artifact = image ?? Image,
                Configuration = configuration ?? new Dictionary<string, string>(),
                Restart = new RestartPolicy { Mode = RestartModes.OnFailure, BackoffSeconds = 0.2, MaxBackoffSeconds = 1 },
                Firmware = new FirmwareSpec { Board = "stm32f4-discovery", Wiring = Wiring, Realtime = true },
            },
        ],
    };

    /// <summary>A desired state with no workloads: everything is removed.</summary>
    public static DesiredState Empty(string deviceId, long version) => new()
    {
        DeviceId = deviceId,
        DeploymentId = "e2e-sensor",
        Version = version,
        IssuedAt = DateTimeOffset.UtcNow,
        Workloads = [],
    };

    /// <summary>True when <paramref name="report"/> shows <paramref name="version"/> converged with the sensor running <paramref name="image"/>.</summary>
    public static bool RunsConverged(ReportedState report, long version, ArtifactRef image) =>
        report.Version == version && report.Converged
        && report.Workloads.Count(w => w.Name == WorkloadName) == 1
        && report.Workloads.Single(w => w.Name == WorkloadName) is { State: WorkloadState.Running } sensor
        && sensor.ArtifactSha256 == image.Sha256;

    public void Dispose() => System.IO.Directory.Delete(Directory, recursive: true);

    private ArtifactRef Write(string name, byte[] bytes)
    {
        string path = Path.Combine(Directory, name);
        File.WriteAllBytes(path, bytes);
        return new ArtifactRef { Url = new Uri(path).AbsoluteUri, Sha256 = Convert.ToHexStringLower(SHA256.HashData(bytes)), Size = bytes.Length };
    }
}
