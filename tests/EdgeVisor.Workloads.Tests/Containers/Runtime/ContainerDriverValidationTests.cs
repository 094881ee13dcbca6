using EdgeVisor.Protocol;
using EdgeVisor.Workloads.Containers;
using Microsoft.Extensions.Logging.Abstractions;

namespace EdgeVisor.Workloads.Tests.Containers.Runtime;

/// <summary>The driver's own checks of a spec, before anything is fetched.</summary>
public sealed class ContainerDriverValidationTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "ev-validate-" + Guid.NewGuid().ToString("N")[..12]);
    private readonly HttpClient _http = new();

    public void Dispose()
    {
        _http.Dispose();
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    [Fact]
    public void A_container_workload_without_a_container_section_is_refused()
    {
        var spec = Spec("file:///images/app.tar") with { Container = null };

        Assert.StartsWith("container: missing", Driver().Validate(spec));
    }

    [Theory]
    [InlineData("ftp://example.test/app.tar")]
    [InlineData("app.tar")]
    public void An_artifact_that_is_neither_a_reference_nor_a_tarball_is_refused(string url)
    {
        Assert.Equal(
            $"artifact.url: \"{url}\" is neither an oci:// image reference nor an image tarball (http(s), file:// or an absolute path)",
            Driver().Validate(Spec(url)));
    }

    [Fact]
    public void A_missing_runtime_is_named()
    {
        var driver = Driver(new ContainerOptions { Runtime = "/nonexistent/crun", Directory = _directory });

        Assert.Equal("container: the OCI runtime '/nonexistent/crun' is not installed (not a file, not on PATH)", driver.Validate(Spec("https://example.test/app.tar")));
    }

    [Fact]
    public void A_tcp_health_check_without_a_network_is_refused()
    {
        var spec = Spec("/images/app.tar") with
        {
            Container = new ContainerSpec { Network = new ContainerNetwork { Mode = NetworkModes.None }, HealthCheck = new HealthCheckSpec { TcpPort = 80 } },
        };

        Assert.Equal("container.healthCheck.tcpPort: a TCP health check needs a network; network.mode is none", Driver().Validate(spec));
    }

    [Fact]
    public void A_stop_signal_that_is_no_signal_is_refused()
    {
        var spec = Spec("/images/app.tar") with { Container = new ContainerSpec { StopSignal = "SIGNOPE" } };

        Assert.Equal("container.stopSignal: \"SIGNOPE\" is not a signal", Driver().Validate(spec));
    }

    [Fact]
    public void Network_problems_are_named_from_the_container_section()
    {
        var spec = Spec("/images/app.tar") with
        {
            Container = new ContainerSpec { Network = new ContainerNetwork { Mode = NetworkModes.Bridged, Bridge = "evnosuch0", Address = "192.168.7.5/24" } },
        };

        Assert.Equal("container.network.bridge: no interface 'evnosuch0' on this host", Driver().Validate(spec));
    }

    [Theory]
    [InlineData("oci://127.0.0.1:5000/app:1", false)]
    [InlineData("https://example.test/app.tar", true)]
    [InlineData("file:///images/app.tar#app:1", true)]
    public void Only_tarballs_need_the_agent_to_fetch_a_file(string url, bool needsFile)
    {
        Assert.Equal(needsFile, Driver().NeedsArtifactFile(Spec(url)));
    }

    private ContainerDriver Driver(ContainerOptions? options = null) =>
        new(options ?? new ContainerOptions { Directory = _directory }, _directory, _http, NullLoggerFactory.Instance);

    private static WorkloadSpec Spec(string url) => new()
    {
        Name = "app",
        Kind = WorkloadKinds.Container,
        Artifact = new ArtifactRef { Url = url, Sha256 = new string('a', 64) },
        Container = new ContainerSpec(),
    };
}
