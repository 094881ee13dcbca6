using System.Formats.Tar;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using EdgeVisor.Testing.Processes;
using EdgeVisor.Tests.Containers.Images;
using EdgeVisor.Tests.Containers.Registry;
using EdgeVisor.Workloads.Containers.Images;

namespace EdgeVisor.Workloads.Tests.Containers.Registry;

/// <summary>
/// The shared image builder and registry fixture, checked against independent tools: skopeo reads what the
/// builder writes and what the fixture pushed (it verifies every digest it copies), docker-registry accepts the
/// pushes under each kind of authentication.
/// </summary>
public sealed class TestFixtureTests : IDisposable
{
    private readonly string _work = Directory.CreateTempSubdirectory("edgevisor-fixtures-").FullName;

    public void Dispose() => Directory.Delete(_work, recursive: true);

    [Fact]
    public void Layers_are_deterministic_and_their_digests_name_their_content()
    {
        BuiltLayer first = new TestLayer().File("/a.txt", "hello").Directory("d", mode: 1777).Build();
        BuiltLayer second = new TestLayer().File("/a.txt", "hello").Directory("d", mode: 1777).Build();

        Assert.Equal(first.Digest, second.Digest);
        Assert.Equal(first.DiffId, second.DiffId);
        Assert.NotEqual(first.Digest, first.DiffId);
        using var reader = new TarReader(new MemoryStream(first.Tar));
        TarEntry file = reader.GetNextEntry()!;
        TarEntry directory = reader.GetNextEntry()!;
        Assert.Equal("a.txt", file.Name);
        Assert.Equal((UnixFileMode)Convert.ToInt32("644", 8), file.Mode);
        Assert.Equal("d/", directory.Name);
        Assert.Equal((UnixFileMode)Convert.ToInt32("1777", 8), directory.Mode);
    }

    [Fact]
    public void Whiteouts_and_devices_are_written_as_the_image_spec_names_them()
    {
        BuiltLayer layer = new TestLayer().Whiteout("/etc/motd").OpaqueDirectory("/var/cache").CharDevice("dev/null", 1, 3).Build(LayerCompression.None);

        Assert.Equal(layer.Tar, layer.Bytes);
        using var reader = new TarReader(new MemoryStream(layer.Tar));
        Assert.Equal("etc/.wh.motd", reader.GetNextEntry()!.Name);
        Assert.Equal("var/cache/.wh..wh..opq", reader.GetNextEntry()!.Name);
        var device = (PosixTarEntry)reader.GetNextEntry()!;
        Assert.Equal((TarEntryType.CharacterDevice, 1, 3), (device.EntryType, device.DeviceMajor, device.DeviceMinor));
    }

    [Fact]
    public async Task The_arm64_busybox_image_holds_an_aarch64_busybox_and_says_linux_arm64()
    {
        BuiltImage image = await BusyboxImage.Arm64Async();

        ImageConfig config = OciJson.Parse<ImageConfig>(image.ConfigBytes, "config");
        Assert.Equal(("linux", "arm64"), (config.Os, config.Architecture));
        using var reader = new TarReader(new System.IO.Compression.GZipStream(new MemoryStream(image.Layers[0].Bytes), System.IO.Compression.CompressionMode.Decompress));
        TarEntry busybox = reader.GetNextEntry()!.Name == "bin/" ? reader.GetNextEntry()! : throw new InvalidDataException("bin/ first");
        Assert.Equal("bin/busybox", busybox.Name);
        byte[] elf = new byte[20];
        busybox.DataStream!.ReadExactly(elf);
        Assert.Equal(0xB7, BitConverter.ToUInt16(elf, 18)); // e_machine EM_AARCH64
    }

    [Fact]
    public async Task Skopeo_reads_the_oci_archive_and_the_docker_save_of_the_busybox_image()
    {
        BuiltImage image = BusyboxImage.Create([new TestLayer().File("hello.txt", "hi")], i => i with { Cmd = ["echo", "hi"] });
        string archive = Path.Combine(_work, "image.oci.tar");
        string save = Path.Combine(_work, "image.docker.tar");
        image.WriteOciArchive(archive, "busybox:test");
        image.WriteDockerSave(save, "busybox:test");

        using JsonDocument oci = await SkopeoInspectAsync($"oci-archive:{archive}");
        using JsonDocument docker = await SkopeoInspectAsync($"docker-archive:{save}");

        Assert.Equal(Platform.Host.Architecture, oci.RootElement.GetProperty("Architecture").GetString());
        Assert.Equal(image.ManifestDigest, oci.RootElement.GetProperty("Digest").GetString());
        Assert.Equal(2, oci.RootElement.GetProperty("Layers").GetArrayLength());
        Assert.Equal(2, docker.RootElement.GetProperty("Layers").GetArrayLength());
    }

    [Fact]
    public async Task Pushed_images_and_indexes_are_served_by_digest_and_copied_by_skopeo()
    {
        await using DockerRegistry registry = await DockerRegistry.StartAsync();
        BuiltImage oci = BusyboxImage.Create();
        BuiltImage docker = (BusyboxImage.Template with { Format = ImageFormat.Docker, Cmd = ["true"] }).Build([.. oci.Layers]);
        BuiltIndex index = TestIndex.Of(oci, new TestImage { Layers = [new TestLayer().File("x", "y")], Platform = new Platform { Os = "linux", Architecture = "riscv64" } }.Build());

        await registry.PushAsync("fixtures/oci", "v1", oci);
        await registry.PushAsync("fixtures/docker", "v1", docker);
        await registry.PushAsync("fixtures/multi", "v1", index);

        using var http = new HttpClient();
        var request = new HttpRequestMessage(HttpMethod.Get, $"http://{registry.Host}/v2/fixtures/multi/manifests/{index.Digest}");
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(MediaTypes.OciIndex));
        using HttpResponseMessage response = await http.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(index.Bytes, await response.Content.ReadAsByteArrayAsync());

        ProcessResult copy = await ProcessRunner.RunAsync("skopeo",
            ["copy", "--src-tls-verify=false", $"docker://{registry.Host}/fixtures/docker:v1", $"oci:{Path.Combine(_work, "copy")}:x"], _work, TimeSpan.FromSeconds(60));
        Assert.True(copy.ExitCode == 0, copy.Stderr);
    }

    [Fact]
    public async Task Basic_and_token_registries_refuse_anonymous_clients_and_accept_the_fixture_pushes()
    {
        await using DockerRegistry basic = await DockerRegistry.StartWithBasicAuthAsync("alice", "s3cret");
        await using DockerRegistry token = await DockerRegistry.StartWithTokenAuthAsync("bob", "hunter2");
        BuiltImage image = new TestImage { Layers = [new TestLayer().File("a", "b")] }.Build();

        await basic.PushAsync("private/app", "1", image);
        await token.PushAsync("private/app", "1", image);

        using var http = new HttpClient();
        using HttpResponseMessage anonymous = await http.GetAsync(new Uri($"http://{basic.Host}/v2/private/app/manifests/1"));
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        using HttpResponseMessage challenge = await http.GetAsync(new Uri($"http://{token.Host}/v2/private/app/manifests/1"));
        Assert.Equal(HttpStatusCode.Unauthorized, challenge.StatusCode);
        Assert.Contains(token.Tokens!.Realm, challenge.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);

        ProcessResult inspect = await ProcessRunner.RunAsync("skopeo",
            ["inspect", "--raw", "--tls-verify=false", "--creds", "bob:hunter2", $"docker://{token.Host}/private/app:1"], _work, TimeSpan.FromSeconds(60));
        Assert.True(inspect.ExitCode == 0, inspect.Stderr);
        Assert.Equal(image.ManifestBytes, inspect.Stdout);
        Assert.Contains(token.Tokens.Requests, r => r.Username == "bob" && r.Scopes.Contains("repository:private/app:pull"));
    }

    [Fact]
    public async Task The_cutting_proxy_cuts_one_response_once_and_counts_range_requests()
    {
        await using DockerRegistry registry = await DockerRegistry.StartAsync();
        byte[] blob = new byte[256 * 1024];
        Random.Shared.NextBytes(blob);
        string digest = "sha256:" + Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(blob));
        await registry.PushBlobAsync("cut/me", digest, blob);
        await using var proxy = new CuttingProxy(registry.Host, cutAfterBytes: 64 * 1024);
        using var http = new HttpClient();
        var url = new Uri($"http://{proxy.Host}/v2/cut/me/blobs/{digest}");

        await Assert.ThrowsAnyAsync<Exception>(async () => await http.GetByteArrayAsync(url));
        var resume = new HttpRequestMessage(HttpMethod.Get, url);
        resume.Headers.Range = new RangeHeaderValue(100, null);
        using HttpResponseMessage rest = await http.SendAsync(resume);

        Assert.Equal(HttpStatusCode.PartialContent, rest.StatusCode);
        Assert.Equal(blob[100..], await rest.Content.ReadAsByteArrayAsync());
        Assert.Equal((1, 1), (proxy.Cuts, proxy.RangeRequests));
    }

    private async Task<JsonDocument> SkopeoInspectAsync(string source)
    {
        ProcessResult result = await ProcessRunner.RunAsync("skopeo", ["inspect", source], _work, TimeSpan.FromSeconds(60));
        Assert.True(result.ExitCode == 0, $"{result.CommandLine}: {result.Stderr}");
        return JsonDocument.Parse(result.Stdout);
    }
}
