using System.Security.Cryptography;
using EdgeVisor.Protocol;

namespace EdgeVisor.Bench.Agents;

/// <summary>
/// The benchmark's deployment: the demo firmware (sensor-monitor on stm32f4-discovery, realtime, with its wiring
/// file), referenced by absolute path (agents accept local files: no HTTP server in the measurement) and signed
/// with a key generated for the run. A new round changes the firmware's arguments, which makes it a different
/// workload spec, so every device really stops the old machine and starts a new one.
/// </summary>
internal sealed class SensorMonitorDeployment : IDisposable
{
    public const string WorkloadName = "sensor-monitor";
    public const string Board = "stm32f4-discovery";

    private readonly ECDsa _key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    private readonly ArtifactRef _image;
    private readonly ArtifactRef _wiring;

    public SensorMonitorDeployment(string imagePath, string wiringPath)
    {
        _image = Reference(imagePath);
        _wiring = Reference(wiringPath);
    }

    /// <summary>The public key in PEM, for the agents' <c>TrustedKeys</c>.</summary>
    public string TrustedKeyPem => _key.ExportSubjectPublicKeyInfoPem();

    public static (string Image, string Wiring) DefaultPaths(string repositoryRoot)
    {
        string folder = Path.Combine(repositoryRoot, "firmware-images", Board);
        return (Path.Combine(folder, "sensor-monitor.elf"), Path.Combine(folder, "sensor-monitor.wiring.json"));
    }

    /// <summary>The signed envelope bytes for <paramref name="device"/>, as published on its desired topic.</summary>
    public byte[] SignedFor(string device, long version)
    {
        var state = new DesiredState
        {
            DeviceId = device,
            DeploymentId = "bench",
            Version = version,
            IssuedAt = DateTimeOffset.UtcNow,
            Workloads =
            [
                new WorkloadSpec
                {
                    Name = WorkloadName,
                    Kind = WorkloadKinds.Firmware,
                    Artifact = _image,
                    Firmware = new FirmwareSpec { Board = Board, Wiring = _wiring, Realtime = true, Arguments = [$"round-{version}"] },
                },
            ],
        };
        return ProtocolJson.Serialize(DeploymentSignature.Sign(state, _key));
    }

    public void Dispose() => _key.Dispose();

    private static ArtifactRef Reference(string path)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"{path}: missing (the sensor-monitor firmware and wiring come from firmware-images/; --image and --wiring choose others)", path);
        }

        byte[] bytes = File.ReadAllBytes(path);
        return new ArtifactRef { Url = Path.GetFullPath(path), Sha256 = Convert.ToHexStringLower(SHA256.HashData(bytes)), Size = bytes.Length };
    }
}
