using EdgeVisor.Protocol;

namespace EdgeVisor.Workloads.Containers.Runtime;

/// <summary>What <see cref="ContainerWorkload.RunAsync"/> needs to run one prepared bundle.</summary>
public sealed record ContainerRun
{
    /// <summary>The runtime's container id.</summary>
    public required string Id { get; init; }

    /// <summary>The workload name (<see cref="IWorkload.Name"/>).</summary>
    public required string Name { get; init; }

    /// <summary>The bundle (config.json and rootfs); the init's pid file is written here too.</summary>
    public required string BundleDirectory { get; init; }

    public required WorkloadLog Log { get; init; }

    /// <summary>The signal a stop sends first (<see cref="Signals.Normalize"/>d).</summary>
    public string StopSignal { get; init; } = Signals.Term;

    /// <summary>Time between the stop signal and SIGKILL; null: the grace the caller of StopAsync passes.</summary>
    public TimeSpan? StopGrace { get; init; }

    public HealthCheckSpec? HealthCheck { get; init; }

    /// <summary>The container's address TCP health checks connect to (null: TCP checks cannot run).</summary>
    public string? Address { get; init; }

    /// <summary>Runs once after the container is deleted, however it ended: network, rootfs and bundle removal.</summary>
    public Func<Task>? TeardownAsync { get; init; }
}
