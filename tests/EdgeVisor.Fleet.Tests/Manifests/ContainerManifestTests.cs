using System.Security.Cryptography;
using EdgeVisor.Fleet.Manifests;
using EdgeVisor.Fleet.Tests.Support;
using EdgeVisor.Protocol;

namespace EdgeVisor.Fleet.Tests.Manifests;

/// <summary>Container workloads in the operator's deployment file: the protocol's container section, images pinned by digest.</summary>
public sealed class ContainerManifestTests : IDisposable
{
    private static readonly string Digest = Convert.ToHexStringLower(SHA256.HashData("an image index"u8));
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void A_container_section_is_read_as_the_protocol_reads_it_and_an_image_is_pinned_by_the_digest_in_its_reference()
    {
        string file = _dir.Write("web.json", $$"""
            { "workloads": [ {
                "name": "web", "kind": "container", "artifact": "oci://registry.local:5000/apps/web:1.4@sha256:{{Digest}}",
                "restart": { "mode": "always" },
                "container": {
                  "command": ["httpd", "-f", "-p", "8080"],
                  "environment": { "GREETING": "hello" },
                  "readOnlyRootfs": true,
                  "volumes": [ { "name": "data", "path": "/var/www" } ],
                  "limits": { "memoryBytes": 67108864, "cpus": 0.5 },
                  "network": { "mode": "nat", "ports": [ { "hostPort": 8080, "containerPort": 8080 } ] },
                  "healthCheck": { "tcpPort": 8080, "intervalSeconds": 5 }
                } } ] }
            """);

        var manifest = DeploymentManifest.Load(file);
        var state = manifest.ToDesiredState("pi-01", 1, DateTimeOffset.UnixEpoch);

        var web = Assert.Single(state.Workloads);
        Assert.Equal(new ArtifactRef { Url = $"oci://registry.local:5000/apps/web:1.4@sha256:{Digest}", Sha256 = Digest }, web.Artifact);
        var container = web.Container!;
        Assert.Equal(["httpd", "-f", "-p", "8080"], container.Command);
        Assert.Equal("hello", container.Environment!["GREETING"]);
        Assert.True(container.ReadOnlyRootfs);
        Assert.Equal("/var/www", Assert.Single(container.Volumes!).Path);
        Assert.Equal((67108864L, 0.5), (container.Limits.MemoryBytes, container.Limits.Cpus));
        Assert.Equal(8080, Assert.Single(container.Network.Ports!).HostPort);
        Assert.Equal(5, container.HealthCheck!.IntervalSeconds);
    }

    [Fact]
    public void A_tagged_image_with_its_sha256_and_a_local_image_tarball_are_pinned_too()
    {
        string tarball = _dir.Write("images/app.tar", "tar bytes");
        string file = _dir.Write("m.json", $$"""
            { "workloads": [
              { "name": "tagged", "kind": "container", "artifact": { "url": "oci://registry.local/apps/web:1.4", "sha256": "{{Digest.ToUpperInvariant()}}" }, "container": {} },
              { "name": "offline", "kind": "container", "artifact": "images/app.tar", "container": { "network": { "mode": "none" } } } ] }
            """);

        var workloads = DeploymentManifest.Load(file).ToDesiredState("pi-01", 1, DateTimeOffset.UnixEpoch).Workloads;

        Assert.Equal(Digest, workloads[0].Artifact.Sha256);
        Assert.Equal(tarball, workloads[1].Artifact.Url);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(tarball))), workloads[1].Artifact.Sha256);
        Assert.Equal(NetworkModes.None, workloads[1].Container!.Network.Mode);
    }

    [Theory]
    [InlineData("\"oci://registry.local/apps/web:1.4\"", "{}", "workloads[0].artifact: workload 'web': 'oci://registry.local/apps/web:1.4' names a tag, which can move: pin the image by its digest")]
    [InlineData("\"oci://registry.local/apps/web@sha256:abc\"", "{}", "workloads[0].artifact: workload 'web': 'oci://registry.local/apps/web@sha256:abc': the digest after @sha256: is not 64 hex digits")]
    [InlineData("{ \"url\": \"oci://registry.local/apps/web@sha256:DIGEST\", \"sha256\": \"0000000000000000000000000000000000000000000000000000000000000000\" }", "{}", "workloads[0].artifact.sha256: workload 'web': 0000000000000000000000000000000000000000000000000000000000000000 is not the digest in")]
    [InlineData("\"oci://registry.local/apps/web@sha256:DIGEST\"", null, "workloads[0].container: required for a container workload")]
    [InlineData("\"oci://registry.local/apps/web@sha256:DIGEST\"", "[]", "workloads[0].container: must be an object")]
    [InlineData("\"oci://registry.local/apps/web@sha256:DIGEST\"", "{ \"network\": { \"mdoe\": \"nat\" } }", "workloads[0].container.network.mdoe: unknown field")]
    [InlineData("\"oci://registry.local/apps/web@sha256:DIGEST\"", "{ \"limits\": { \"memoryBytes\": \"64M\" } }", "workloads[0].container.limits.memoryBytes: expected an integer")]
    [InlineData("\"oci://registry.local/apps/web@sha256:DIGEST\"", "{ \"volumes\": [ { \"name\": \"data\" } ] }", "workloads[0].container.volumes[0]: missing required field")]
    [InlineData("\"oci://registry.local/apps/web@sha256:DIGEST\"", "{ \"network\": { \"mode\": \"none\", \"ports\": [ { \"hostPort\": 80, \"containerPort\": 80 } ] } }", "workloads[0].container.network.ports: ")]
    public void Every_container_mistake_is_one_line_naming_the_file_and_json_path(string artifact, string? container, string expectedStart)
    {
        string section = container is null ? "" : $", \"container\": {container}";
        string file = _dir.Write("bad.json", $$"""
            { "workloads": [ { "name": "web", "kind": "container", "artifact": {{artifact.Replace("DIGEST", Digest, StringComparison.Ordinal)}}{{section}} } ] }
            """);

        var e = Assert.Throws<ManifestException>(() => DeploymentManifest.Load(file).ToDesiredState("pi-01", 1, DateTimeOffset.UnixEpoch));

        Assert.True(e.Message.StartsWith($"{file}: {expectedStart}", StringComparison.Ordinal), e.Message);
        Assert.DoesNotContain('\n', e.Message);
    }
}
