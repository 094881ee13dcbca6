#pragma warning disable CS9113 // a contract stub: the issue-6 helper that implements it removes this line
using EdgeVisor.Protocol;
using Microsoft.Extensions.Logging;

namespace EdgeVisor.Workloads.Containers;

/// <summary>
/// Runs <c>container</c> workloads: images from registries or tarballs (<see cref="Images.ImageStore"/>), a bundle per
/// start (<see cref="Bundles.BundleBuilder"/>), the device's OCI runtime (runc or crun) driven through its CLI, the
/// container's network (<see cref="Networking.ContainerNetworks"/>), logs, health checks and resource figures.
/// </summary>
public sealed class ContainerDriver(ContainerOptions options, string stateDirectory, HttpClient http, ILoggerFactory loggers) : IWorkloadDriver, IPreparesArtifacts
{
    public string Kind => WorkloadKinds.Container;

    public string? Validate(WorkloadSpec spec) => throw new NotImplementedException("issue 6: runtime helper");

    public Task<IWorkload> StartAsync(WorkloadLaunch launch, CancellationToken cancellation) => throw new NotImplementedException("issue 6: runtime helper");

    public Task CleanUpAfterCrashAsync(CancellationToken cancellation) => throw new NotImplementedException("issue 6: runtime helper");

    public bool NeedsArtifactFile(WorkloadSpec spec) => throw new NotImplementedException("issue 6: runtime helper");

    public Task PrepareAsync(WorkloadSpec spec, string? artifactFile, IProgress<long>? progress, CancellationToken cancellation) => throw new NotImplementedException("issue 6: runtime helper");

    public bool IsPrepared(WorkloadSpec spec) => throw new NotImplementedException("issue 6: runtime helper");

    public void CollectGarbage(IReadOnlyCollection<WorkloadSpec> inUse) => throw new NotImplementedException("issue 6: runtime helper");
}
