using EdgeVisor.Protocol;
using EdgeVisor.Tests.Containers.Images;
using EdgeVisor.Tests.Containers.Registry;
using EdgeVisor.Workloads.Containers.Images;

namespace EdgeVisor.Agent.Tests.Containers;

/// <summary>
/// The images the agent's container tests deploy, built from the host's static busybox and pushed to a
/// docker-registry on loopback: <c>app:v1</c> and <c>app:v2</c> (each with /etc/release naming itself and
/// /etc/healthy), <c>app:sick</c> (no /etc/healthy, so an exec health check of it fails) and <c>app:sick-own-check</c>
/// (the same, with a HEALTHCHECK of its own testing for /etc/healthy).
/// </summary>
public sealed class ContainerImages : IAsyncLifetime
{
    public const string Repository = "edgevisor-e2e/app";

    private DockerRegistry? _registry;

    public DockerRegistry Registry => _registry ?? throw new InvalidOperationException("the registry is not started");

    public BuiltImage V1 { get; } = Build("v1", healthy: true);

    public BuiltImage V2 { get; } = Build("v2", healthy: true);

    public BuiltImage Sick { get; } = Build("sick", healthy: false);

    public BuiltImage SickByItsOwnCheck { get; } = Build("sick", healthy: false, new ImageHealthcheck
    {
        Test = ["CMD-SHELL", "test -f /etc/healthy"],
        Interval = 300_000_000,
        Timeout = 1_000_000_000,
        Retries = 2,
    });

    public async Task InitializeAsync()
    {
        _registry = await DockerRegistry.StartAsync();
        await _registry.PushAsync(Repository, "v1", V1);
        await _registry.PushAsync(Repository, "v2", V2);
        await _registry.PushAsync(Repository, "sick", Sick);
        await _registry.PushAsync(Repository, "sick-own-check", SickByItsOwnCheck);
    }

    public async Task DisposeAsync()
    {
        if (_registry is not null)
        {
            await _registry.DisposeAsync();
        }
    }

    /// <summary>The artifact of <paramref name="image"/> pushed as <paramref name="tag"/>, pinned by its manifest digest, reached through <paramref name="host"/> (default: the registry itself).</summary>
    public ArtifactRef Artifact(BuiltImage image, string tag, string? host = null) => new()
    {
        Url = $"oci://{host ?? Registry.Host}/{Repository}:{tag}",
        Sha256 = image.PinnedSha256,
    };

    private static BuiltImage Build(string release, bool healthy, ImageHealthcheck? healthcheck = null)
    {
        var layer = new TestLayer().File("etc/release", release + "\n");
        if (healthy)
        {
            layer.File("etc/healthy", "yes\n");
        }

        return BusyboxImage.Create([layer], image => image with { Labels = new Dictionary<string, string> { ["edgevisor.test.release"] = release }, Healthcheck = healthcheck });
    }
}
