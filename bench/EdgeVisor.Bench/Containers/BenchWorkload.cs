using System.Security.Cryptography;
using EdgeVisor.Protocol;
using EdgeVisor.Workloads.Containers;

namespace EdgeVisor.Bench.Containers;

/// <summary>
/// What every part of the containers benchmark runs: the same container spec — busybox printing "ready MARKER" and
/// then idling until SIGTERM — with no network (so neither side pays for a bridge), the run's own names for every
/// host object (runtime root, cgroup parent, bridge, nft table) so a run never touches a real agent's, and a
/// signing key generated for the run.
/// </summary>
internal sealed class BenchWorkload : IDisposable
{
    private readonly ECDsa _key = ECDsa.Create(ECCurve.NamedCurves.nistP256);

    public BenchWorkload(string runtime)
    {
        Runtime = runtime;
        Suffix = Guid.NewGuid().ToString("N")[..6];
    }

    /// <summary>The OCI runtime (path or name on PATH).</summary>
    public string Runtime { get; }

    /// <summary>Six hex digits naming this run's host objects.</summary>
    public string Suffix { get; }

    public string TrustedKeyPem => _key.ExportSubjectPublicKeyInfoPem();

    /// <summary>The line the container prints first (what "first output line" waits for).</summary>
    public static string ReadyLine(string marker) => $"ready {marker}";

    /// <summary>
    /// The container: prints its ready line, then waits; SIGTERM ends it at once (a shell as PID 1 would otherwise
    /// ignore it and every stop would cost the whole grace period).
    /// </summary>
    public static ContainerSpec Spec(string marker) => new()
    {
        Command = ["/bin/sh", "-c", $"trap 'exit 0' TERM; echo '{ReadyLine(marker)}'; sleep 3600 & wait"],
        Network = new ContainerNetwork { Mode = NetworkModes.None },
        StopGraceSeconds = 5,
    };

    /// <summary>Container options of this run under <paramref name="directory"/>: nothing shared with an agent of the machine.</summary>
    public ContainerOptions Options(string directory, string registryHost) => new()
    {
        Runtime = Runtime,
        RuntimeRoot = Path.Combine(directory, "runc"),
        Directory = Path.Combine(directory, "containers"),
        CgroupParent = $"edgevisor-bench-{Suffix}",
        Registries = new RegistryOptions { Insecure = [registryHost] },
        Network = new NetworkOptions { BridgeName = $"evb{Suffix}", Subnet = "10.213.7.0/24", NftTable = $"evbench{Suffix}" },
    };

    /// <summary>A signed desired state for <paramref name="device"/> with one container per name in <paramref name="workloads"/>.</summary>
    public byte[] SignedFor(string device, long version, ArtifactRef image, IEnumerable<(string Name, string Marker)> workloads)
    {
        var state = new DesiredState
        {
            DeviceId = device,
            DeploymentId = "containers-bench",
            Version = version,
            IssuedAt = DateTimeOffset.UtcNow,
            Workloads = workloads.Select(w => new WorkloadSpec
            {
                Name = w.Name,
                Kind = WorkloadKinds.Container,
                Artifact = image,
                Container = Spec(w.Marker),
            }).ToArray(),
        };
        return ProtocolJson.Serialize(DeploymentSignature.Sign(state, _key));
    }

    public void Dispose() => _key.Dispose();
}
