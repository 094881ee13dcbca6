using EdgeVisor.Protocol;

namespace EdgeVisor.Agent.Tests.Containers;

/// <summary>Container workloads and documents for the agent's end-to-end tests (busybox sh scripts, network mode none).</summary>
internal static class ContainerSpecs
{
    public static readonly TimeSpan Converge = TimeSpan.FromSeconds(40);

    /// <summary>
    /// A long-running container: runs <paramref name="script"/>, then idles. It leaves on SIGTERM (a shell as PID 1
    /// ignores it otherwise), so stops take a moment, not the grace.
    /// </summary>
    public static WorkloadSpec Service(string name, ArtifactRef image, string script, RestartPolicy? restart = null, ContainerSpec? container = null) =>
        Job(name, image, $"trap 'exit 0' TERM; {script}; while true; do sleep 0.2; done", restart ?? new RestartPolicy(), container);

    /// <summary>A container that runs <paramref name="script"/> and ends with it.</summary>
    public static WorkloadSpec Job(string name, ArtifactRef image, string script, RestartPolicy? restart = null, ContainerSpec? container = null) => new()
    {
        Name = name,
        Kind = WorkloadKinds.Container,
        Artifact = image,
        Restart = restart ?? new RestartPolicy { Mode = RestartModes.Never },
        Container = (container ?? new ContainerSpec()) with
        {
            Command = ["/bin/sh", "-c", script],
            Network = new ContainerNetwork { Mode = NetworkModes.None },
            StopGraceSeconds = 2,
        },
    };

    public static DesiredState Document(string deviceId, long version, params WorkloadSpec[] workloads) => new()
    {
        DeviceId = deviceId,
        DeploymentId = "containers",
        Version = version,
        IssuedAt = DateTimeOffset.UtcNow,
        Workloads = workloads,
    };

    /// <summary>Version <paramref name="version"/> is converged with every workload in <paramref name="states"/>'s state, running the given images.</summary>
    public static bool IsConverged(ReportedState report, long version, params (string Name, WorkloadState State, string Sha256)[] states) =>
        report.Version == version && report.Converged && report.Workloads.Count == states.Length
        && states.All(s => report.Workloads.Any(w => w.Name == s.Name && w.State == s.State && w.ArtifactSha256 == s.Sha256));
}
