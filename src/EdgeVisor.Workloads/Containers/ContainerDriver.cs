using System.Text;
using EdgeVisor.Protocol;
using EdgeVisor.Workloads.Containers.Bundles;
using EdgeVisor.Workloads.Containers.Images;
using EdgeVisor.Workloads.Containers.Networking;
using EdgeVisor.Workloads.Containers.Registry;
using EdgeVisor.Workloads.Containers.Runtime;
using EdgeVisor.Workloads.Downloads;
using Microsoft.Extensions.Logging;

namespace EdgeVisor.Workloads.Containers;

/// <summary>
/// Runs <c>container</c> workloads: images from registries or tarballs (<see cref="Images.ImageStore"/>), a bundle per
/// start (<see cref="Bundles.BundleBuilder"/>), the device's OCI runtime (runc or crun) driven through its CLI, the
/// container's network (<see cref="Networking.ContainerNetworks"/>), logs, health checks and resource figures.
/// Everything lives under one directory: <c>images/</c>, <c>bundles/&lt;container id&gt;/</c> (config.json and the
/// rootfs mount) and <c>networks/</c>. A workload's container id is <c>ev-&lt;name&gt;</c>: the reconciler runs one
/// instance of a workload at a time.
/// </summary>
public sealed partial class ContainerDriver : IWorkloadDriver, IPreparesArtifacts
{
    private const string ContainerIdPrefix = "ev-";

    private readonly ContainerOptions _options;
    private readonly ImageStore _images;
    private readonly RegistryClient _registry;
    private readonly ContainerNetworks _networks;
    private readonly OciRuntime _runtime;
    private readonly string _bundles;
    private readonly ILoggerFactory _loggers;
    private readonly ILogger _logger;

    public ContainerDriver(ContainerOptions options, string stateDirectory, HttpClient http, ILoggerFactory loggers)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(loggers);
        _options = options;
        _loggers = loggers;
        _logger = loggers.CreateLogger<ContainerDriver>();
        string root = options.Directory ?? Path.Combine(stateDirectory, "containers");
        _images = new ImageStore(Path.Combine(root, "images"), options.ReserveBytes, loggers.CreateLogger<ImageStore>());
        _registry = new RegistryClient(http, options.Registries, loggers.CreateLogger<RegistryClient>());
        _networks = new ContainerNetworks(options.Network, Path.Combine(root, "networks"), loggers.CreateLogger<ContainerNetworks>());
        _runtime = new OciRuntime(options.Runtime, options.RuntimeRoot);
        _bundles = Path.Combine(root, "bundles");
    }

    public string Kind => WorkloadKinds.Container;

    /// <summary>The image store (for <c>edgevisor ps</c> and tests).</summary>
    public ImageStore Images => _images;

    /// <summary>The OCI runtime the driver drives.</summary>
    public OciRuntime Runtime => _runtime;

    /// <summary>The runtime's container id of workload <paramref name="workloadName"/>.</summary>
    public static string ContainerIdOf(string workloadName) => ContainerIdPrefix + workloadName;

    public string? Validate(WorkloadSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        if (ValidateSpec(spec) is { } invalid)
        {
            return invalid;
        }

        // The network names fields within its own section ("bridge: …"); the spec's path to it is container.network.
        return _networks.Validate(spec.Container!.Network) is { } error ? "container.network." + error : null;
    }

    /// <summary>Everything <see cref="Validate"/> checks but the host's network state (which a start re-checks as it attaches).</summary>
    private string? ValidateSpec(WorkloadSpec spec)
    {
        if (spec.Kind != WorkloadKinds.Container)
        {
            return $"kind: \"{spec.Kind}\" is not {WorkloadKinds.Container}";
        }

        if (spec.Container is not { } container)
        {
            return "container: missing (a container workload needs a container section, even an empty one)";
        }

        if (ImageSource.Of(spec) is { Error: { } artifactError })
        {
            return artifactError;
        }

        if (OciRuntime.Find(_options.Runtime) is null)
        {
            return $"container: the OCI runtime '{_options.Runtime}' is not installed (not a file, not on PATH)";
        }

        if (container.HealthCheck is { TcpPort: not null } && container.Network.Mode == NetworkModes.None)
        {
            return "container.healthCheck.tcpPort: a TCP health check needs a network; network.mode is none";
        }

        if (container.StopSignal is { } signal && Signals.Normalize(signal) is null)
        {
            return $"container.stopSignal: \"{signal}\" is not a signal";
        }

        return null;
    }

    public bool NeedsArtifactFile(WorkloadSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        return !ImageSource.IsRegistry(spec.Artifact.Url);
    }

    public async Task PrepareAsync(WorkloadSpec spec, string? artifactFile, IProgress<long>? progress, CancellationToken cancellation)
    {
        ArgumentNullException.ThrowIfNull(spec);
        if (IsPrepared(spec))
        {
            return;
        }

        var source = ImageSource.Of(spec);
        if (source.Error is { } error)
        {
            throw new ArtifactException(error, permanent: true);
        }

        string manifest;
        if (source.Reference is { } reference)
        {
            manifest = await _registry.PullAsync(reference, source.Digest, Platform.Host, _images.Blobs, progress, cancellation).ConfigureAwait(false);
        }
        else
        {
            string file = artifactFile ?? throw new ArtifactException($"artifact: {spec.Artifact.Url} was not fetched for import", permanent: true);
            manifest = await ImageArchive.ImportAsync(file, Platform.Host, source.ArchiveName, _images.Blobs, cancellation).ConfigureAwait(false);
        }

        // Pinned before unpacking so a garbage collection meanwhile keeps the blobs; IsPrepared also needs the snapshots.
        _images.Pin(source.Digest, manifest);
        await _images.UnpackAsync(manifest, cancellation).ConfigureAwait(false);
        try
        {
            // An image that cannot start fails here, where a retry is known to be useless, rather than at each start.
            ImageHealthCheck.Resolve(spec.Container!, FindImage(spec)!.Config, spec.Artifact.Url);
        }
        catch (ImageConfigException e)
        {
            throw new ArtifactException(e.Message, permanent: true, e);
        }

        Log.Prepared(_logger, spec.Name, spec.Artifact.Url, manifest);
    }

    public bool IsPrepared(WorkloadSpec spec) => FindImage(spec) is not null;

    public void CollectGarbage(IReadOnlyCollection<WorkloadSpec> inUse)
    {
        ArgumentNullException.ThrowIfNull(inUse);
        var keep = inUse.Where(s => s.Kind == WorkloadKinds.Container).Select(s => ImageSource.DigestOf(s)).ToHashSet(StringComparer.Ordinal);
        long freed = _images.CollectGarbage(keep);
        if (freed > 0)
        {
            Log.Collected(_logger, freed);
        }
    }

    public async Task<IWorkload> StartAsync(WorkloadLaunch launch, CancellationToken cancellation)
    {
        ArgumentNullException.ThrowIfNull(launch);
        var spec = launch.Spec;
        // Not the network's host checks: this workload's own previous instance may still hold its address until the leftovers go.
        if (ValidateSpec(spec) is { } invalid)
        {
            throw new WorkloadStartException(invalid);
        }

        var image = FindImage(spec) ?? throw new WorkloadStartException($"image {spec.Artifact.Url} is not prepared on this device");
        var container = spec.Container!;
        HealthCheckSpec? healthCheck;
        try
        {
            healthCheck = ImageHealthCheck.Resolve(container, image.Config, spec.Artifact.Url);
        }
        catch (ImageConfigException e)
        {
            throw new WorkloadStartException(e.Message, e);
        }

        string id = ContainerIdOf(spec.Name);
        string bundle = Path.Combine(_bundles, id);
        var undo = new Stack<Func<Task>>();
        try
        {
            await RemoveLeftoverAsync(id, bundle, cancellation).ConfigureAwait(false);

            string hostname = container.Hostname ?? spec.Name;
            var network = await _networks.AttachAsync(id, hostname, container.Network, cancellation).ConfigureAwait(false);
            undo.Push(() => _networks.DetachAsync(id, CancellationToken.None));

            Directory.CreateDirectory(bundle);
            undo.Push(() => RemoveBundleAsync(bundle));
            var rootfs = RootfsMount.Mount(image, bundle);
            undo.Push(() =>
            {
                rootfs.Dispose();
                return Task.CompletedTask;
            });

            var ignoredVolumes = BundleBuilder.Write(bundle, new BundleInput
            {
                ContainerId = id,
                WorkloadName = spec.Name,
                Container = container,
                Image = image.Config,
                RootfsPath = rootfs.Path,
                VolumesDirectory = Path.Combine(launch.DataDirectory, "volumes"),
                Network = network,
                CgroupsPath = $"{_options.CgroupParent}/{id}",
            });
            foreach (string ignored in ignoredVolumes)
            {
                // In the workload's own log too: that is where whoever wrote the image and the spec will look.
                Log.ImageVolumeIgnored(_logger, spec.Name, ignored);
                launch.Log.Write(Encoding.UTF8.GetBytes($"[edgevisor] {ignored}\n"));
            }

            var teardown = undo.ToArray(); // newest first: rootfs, bundle directory, network
            var run = new ContainerRun
            {
                Id = id,
                Name = spec.Name,
                BundleDirectory = bundle,
                Log = launch.Log,
                StopSignal = Signals.Normalize(container.StopSignal) ?? Signals.Normalize(image.Config.Config?.StopSignal) ?? Signals.Term,
                StopGrace = TimeSpan.FromSeconds(container.StopGraceSeconds),
                HealthCheck = healthCheck,
                Address = network.Address,
                TeardownAsync = () => UndoAsync(teardown, id),
            };
            return await ContainerWorkload.RunAsync(_runtime, run, _loggers.CreateLogger<ContainerWorkload>(), cancellation).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            await UndoAsync(undo.ToArray(), id).ConfigureAwait(false);
            if (e is WorkloadStartException || (e is OperationCanceledException && cancellation.IsCancellationRequested))
            {
                throw;
            }

            throw new WorkloadStartException(OneLine(e), e);
        }
    }

    public async Task CleanUpAfterCrashAsync(CancellationToken cancellation)
    {
        if (OciRuntime.Find(_options.Runtime) is not null && Directory.Exists(_runtime.Root))
        {
            foreach (var container in await _runtime.ListAsync(cancellation).ConfigureAwait(false))
            {
                await RemoveContainerAsync(container.Id, cancellation).ConfigureAwait(false);
                Log.RemovedOrphan(_logger, container.Id);
            }
        }

        if (Directory.Exists(_bundles))
        {
            foreach (string bundle in Directory.GetDirectories(_bundles))
            {
                await RemoveBundleAsync(bundle).ConfigureAwait(false);
            }
        }

        await _networks.CleanUpOrphansAsync(new HashSet<string>(), cancellation).ConfigureAwait(false);
    }

    /// <summary>What a start of the same workload may find after a crash or a failed stop: a container, a mount, a network.</summary>
    private async Task RemoveLeftoverAsync(string id, string bundle, CancellationToken cancellation)
    {
        if (await _runtime.StateAsync(id, cancellation).ConfigureAwait(false) is not null)
        {
            Log.RemovedLeftover(_logger, id);
            await RemoveContainerAsync(id, cancellation).ConfigureAwait(false);
        }

        if (Directory.Exists(bundle))
        {
            await RemoveBundleAsync(bundle).ConfigureAwait(false);
        }

        await _networks.DetachAsync(id, cancellation).ConfigureAwait(false);
    }

    private async Task RemoveContainerAsync(string id, CancellationToken cancellation)
    {
        try
        {
            await _runtime.KillAsync(id, Signals.Kill, all: true, cancellation).ConfigureAwait(false);
        }
        catch (OciRuntimeException)
        {
            // Already stopped: delete does the rest.
        }

        await _runtime.DeleteAsync(id, force: true, cancellation).ConfigureAwait(false);
    }

    private LocalImage? FindImage(WorkloadSpec spec) =>
        _images.ManifestFor(ImageSource.DigestOf(spec)) is { } manifest ? _images.Find(manifest) : null;

    /// <summary>Runs undo steps (newest first); a failing step is logged and the rest still run.</summary>
    private async Task UndoAsync(IEnumerable<Func<Task>> steps, string id)
    {
        foreach (var step in steps)
        {
            try
            {
                await step().ConfigureAwait(false);
            }
            catch (Exception e)
            {
                Log.UndoFailed(_logger, id, e.Message);
            }
        }
    }

    /// <summary>Unmounts whatever is still mounted in a bundle, then deletes it (never deleting through a live overlay).</summary>
    private static Task RemoveBundleAsync(string bundle)
    {
        if (Directory.Exists(bundle))
        {
            RootfsMount.Remove(bundle);
        }

        return Task.CompletedTask;
    }

    private static string OneLine(Exception e) => e.Message.ReplaceLineEndings(" ");

    private static partial class Log
    {
        [LoggerMessage(6320, LogLevel.Information, "container workload {Name}: image {Url} prepared (manifest {Manifest})")]
        public static partial void Prepared(ILogger logger, string name, string url, string manifest);

        [LoggerMessage(6321, LogLevel.Information, "container images: garbage collection freed {Bytes} bytes")]
        public static partial void Collected(ILogger logger, long bytes);

        [LoggerMessage(6322, LogLevel.Warning, "removed container {ContainerId} left by an earlier agent process")]
        public static partial void RemovedOrphan(ILogger logger, string containerId);

        [LoggerMessage(6323, LogLevel.Warning, "container {ContainerId} was still there from an earlier run; removed it before starting")]
        public static partial void RemovedLeftover(ILogger logger, string containerId);

        [LoggerMessage(6324, LogLevel.Warning, "container {ContainerId}: an undo step failed: {Message}")]
        public static partial void UndoFailed(ILogger logger, string containerId, string message);

        [LoggerMessage(6325, LogLevel.Warning, "container workload {Name}: {Note}")]
        public static partial void ImageVolumeIgnored(ILogger logger, string name, string note);
    }
}
