using System.Security.Cryptography;
using EdgeVisor.Fleet.Manifests;
using EdgeVisor.Fleet.Tests.Support;
using EdgeVisor.Protocol;

namespace EdgeVisor.Fleet.Tests.Manifests;

public sealed class DeploymentManifestTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly string _firmware;
    private readonly string _firmwareSha;

    public DeploymentManifestTests()
    {
        _firmware = _dir.Write("images/sensor.elf", "not really an ELF, but bytes to hash");
        _dir.Write("images/sensor.wiring.json", "{}");
        _firmwareSha = Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(_firmware)));
    }

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Relative_paths_resolve_against_the_manifest_directory_with_digests_computed()
    {
        string file = _dir.Write("deploy.json", """
            {
              // comments are fine in a hand-written file
              "workloads": [ {
                "name": "sensor", "kind": "firmware", "artifact": "images/sensor.elf",
                "configuration": { "hostAccess": "gpiochip0:2-27" },
                "restart": { "mode": "always", "maxRestarts": 5 },
                "firmware": { "board": "stm32f4-discovery", "wiring": "images/sensor.wiring.json", "realtime": true }
              } ]
            }
            """);
        var manifest = DeploymentManifest.Load(file);

        Assert.Equal("deploy", manifest.DeploymentId);
        Assert.Null(manifest.Version);
        var workload = Assert.Single(manifest.Workloads);
        Assert.Equal(_firmware, workload.Artifact.Url);
        Assert.Equal(_firmwareSha, workload.Artifact.Sha256);
        Assert.Equal(new FileInfo(_firmware).Length, workload.Artifact.Size);
        Assert.Equal(_dir.File("images/sensor.wiring.json"), workload.Firmware!.Wiring!.Url);
        Assert.Equal("stm32f4-discovery", workload.Firmware.Board);
        Assert.Equal(RestartModes.Always, workload.Restart.Mode);
        Assert.Equal(5, workload.Restart.MaxRestarts);
        Assert.Equal("gpiochip0:2-27", workload.Configuration["hostAccess"]);

        var state = manifest.ToDesiredState("pi-01", 3, DateTimeOffset.UnixEpoch);
        Assert.Equal(("pi-01", 3L, "deploy"), (state.DeviceId, state.Version, state.DeploymentId));
    }

    [Fact]
    public void Explicit_ids_versions_urls_and_matching_digests_are_kept()
    {
        string sha = new('a', 64);
        string file = _dir.Write("m.json", $$"""
            { "deploymentId": "greenhouse", "version": 12, "workloads": [
              { "name": "a", "kind": "firmware", "artifact": { "url": "https://example.test/a.elf", "sha256": "{{sha.ToUpperInvariant()}}", "size": 10 },
                "firmware": { "board": "b" } },
              { "name": "b", "kind": "firmware", "artifact": { "url": "file://{{_firmware}}", "sha256": "{{_firmwareSha}}" }, "firmware": { "board": "b" } } ] }
            """);
        var manifest = DeploymentManifest.Load(file);
        Assert.Equal(("greenhouse", 12L), (manifest.DeploymentId, manifest.Version));
        Assert.Equal(new ArtifactRef { Url = "https://example.test/a.elf", Sha256 = sha, Size = 10 }, manifest.Workloads[0].Artifact);
        Assert.Equal(_firmware, manifest.Workloads[1].Artifact.Url);
    }

    [Fact]
    public void An_empty_workload_list_is_a_deployment_that_removes_everything() =>
        Assert.Empty(DeploymentManifest.Load(_dir.Write("empty.json", """{ "workloads": [] }""")).Workloads);

    [Theory]
    [InlineData("[]", "bad.json: the manifest must be a JSON object")]
    [InlineData("{ \"workloads\": [ ", "bad.json: line 1: not valid JSON")]
    [InlineData("{}", "bad.json: workloads: required")]
    [InlineData("{ \"workloads\": {} }", "bad.json: workloads: must be a list")]
    [InlineData("{ \"version\": 0, \"workloads\": [] }", "bad.json: version: 0 is out of range")]
    [InlineData("{ \"version\": \"7\", \"workloads\": [] }", "bad.json: version: must be a whole number")]
    [InlineData("{ \"deploymentId\": \"\", \"workloads\": [] }", "bad.json: deploymentId: must not be empty")]
    [InlineData("{ \"workload\": [] }", "bad.json: workload: unknown field")]
    [InlineData("{ \"workloads\": [ 3 ] }", "bad.json: workloads[0]: must be an object")]
    [InlineData("{ \"workloads\": [ { \"kind\": \"firmware\" } ] }", "bad.json: workloads[0].name: required")]
    [InlineData("{ \"workloads\": [ { \"name\": \"a b\", \"kind\": \"firmware\" } ] }", "bad.json: workloads[0].name: 'a b' is not a valid name")]
    [InlineData("{ \"workloads\": [ { \"name\": \"a\" } ] }", "bad.json: workloads[0].kind: required")]
    [InlineData("{ \"workloads\": [ { \"name\": \"a\", \"kind\": \"vm\" } ] }", "bad.json: workloads[0].kind: 'vm' is not a workload kind")]
    [InlineData("{ \"workloads\": [ { \"name\": \"a\", \"kind\": \"firmware\" } ] }", "bad.json: workloads[0].artifact: required")]
    [InlineData("{ \"workloads\": [ { \"name\": \"a\", \"kind\": \"firmware\", \"artifact\": \"images/sensor.elf\" } ] }", "bad.json: workloads[0].firmware: required for a firmware workload")]
    [InlineData("{ \"workloads\": [ { \"name\": \"a\", \"kind\": \"firmware\", \"artifact\": \"images/sensor.elf\", \"firmware\": {} } ] }", "bad.json: workloads[0].firmware.board: required")]
    [InlineData("{ \"workloads\": [ { \"name\": \"a\", \"kind\": \"firmware\", \"artifact\": \"images/sensor.elf\", \"firmware\": { \"board\": \"b\", \"wirng\": \"x\" } } ] }", "bad.json: workloads[0].firmware.wirng: unknown field")]
    [InlineData("{ \"workloads\": [ { \"name\": \"a\", \"kind\": \"firmware\", \"artifact\": \"images/sensor.elf\", \"firmware\": { \"board\": \"b\", \"realtime\": \"yes\" } } ] }", "bad.json: workloads[0].firmware.realtime: must be true or false")]
    [InlineData("{ \"workloads\": [ { \"name\": \"a\", \"kind\": \"firmware\", \"artifact\": \"images/sensor.elf\", \"firmware\": { \"board\": \"b\", \"arguments\": [1] } } ] }", "bad.json: workloads[0].firmware.arguments[0]: must be a string")]
    [InlineData("{ \"workloads\": [ { \"name\": \"a\", \"kind\": \"firmware\", \"artifact\": \"images/missing.elf\", \"firmware\": { \"board\": \"b\" } } ] }", "bad.json: workloads[0].artifact: workload 'a': ")]
    [InlineData("{ \"workloads\": [ { \"name\": \"a\", \"kind\": \"firmware\", \"artifact\": \"https://example.test/a.elf\", \"firmware\": { \"board\": \"b\" } } ] }", "bad.json: workloads[0].artifact: workload 'a': 'https://example.test/a.elf' is downloaded, so it needs a sha256")]
    [InlineData("{ \"workloads\": [ { \"name\": \"a\", \"kind\": \"firmware\", \"artifact\": \"ftp://example.test/a.elf\", \"firmware\": { \"board\": \"b\" } } ] }", "bad.json: workloads[0].artifact: workload 'a': 'ftp://example.test/a.elf' is neither a file path nor an http(s) URL")]
    [InlineData("{ \"workloads\": [ { \"name\": \"a\", \"kind\": \"firmware\", \"artifact\": { \"url\": \"images/sensor.elf\", \"sha256\": \"abc\" }, \"firmware\": { \"board\": \"b\" } } ] }", "bad.json: workloads[0].artifact.sha256: not 64 hex digits")]
    [InlineData("{ \"workloads\": [ { \"name\": \"a\", \"kind\": \"firmware\", \"artifact\": { \"sha256\": \"abc\" }, \"firmware\": { \"board\": \"b\" } } ] }", "bad.json: workloads[0].artifact.url: required")]
    [InlineData("{ \"workloads\": [ { \"name\": \"a\", \"kind\": \"firmware\", \"artifact\": 5, \"firmware\": { \"board\": \"b\" } } ] }", "bad.json: workloads[0].artifact: must be a path or URL string")]
    [InlineData("{ \"workloads\": [ { \"name\": \"a\", \"kind\": \"firmware\", \"artifact\": \"images/sensor.elf\", \"firmware\": { \"board\": \"b\", \"wiring\": \"nowhere.json\" } } ] }", "bad.json: workloads[0].firmware.wiring: workload 'a': ")]
    [InlineData("{ \"workloads\": [ { \"name\": \"a\", \"kind\": \"firmware\", \"artifact\": \"images/sensor.elf\", \"firmware\": { \"board\": \"b\" }, \"configuration\": { \"n\": 1 } } ] }", "bad.json: workloads[0].configuration.n: must be a string")]
    [InlineData("{ \"workloads\": [ { \"name\": \"a\", \"kind\": \"firmware\", \"artifact\": \"images/sensor.elf\", \"firmware\": { \"board\": \"b\" }, \"restart\": { \"mode\": \"sometimes\" } } ] }", "bad.json: workloads[0].restart.mode: 'sometimes' is not one of never, on-failure, always")]
    [InlineData("{ \"workloads\": [ { \"name\": \"a\", \"kind\": \"firmware\", \"artifact\": \"images/sensor.elf\", \"firmware\": { \"board\": \"b\" }, \"restart\": { \"backoffSeconds\": -1 } } ] }", "bad.json: workloads[0].restart.backoffSeconds: must not be negative")]
    [InlineData("{ \"workloads\": [ { \"name\": \"a\", \"kind\": \"firmware\", \"artifact\": \"images/sensor.elf\", \"firmware\": { \"board\": \"b\" }, \"restart\": { \"backoffSeconds\": 10, \"maxBackoffSeconds\": 5 } } ] }", "bad.json: workloads[0].restart.maxBackoffSeconds: 5 is less than backoffSeconds 10")]
    [InlineData("{ \"workloads\": [ { \"name\": \"a\", \"kind\": \"firmware\", \"artifact\": \"images/sensor.elf\", \"firmware\": { \"board\": \"b\" }, \"restart\": { \"maxRestarts\": -2 } } ] }", "bad.json: workloads[0].restart.maxRestarts: -2 is out of range")]
    [InlineData("{ \"workloads\": [ { \"name\": \"a\", \"kind\": \"firmware\", \"artifact\": \"images/sensor.elf\", \"firmware\": { \"board\": \"b\" }, \"extensions\": 1 } ] }", "bad.json: workloads[0].extensions: must be an object")]
    public void Every_mistake_is_one_line_naming_the_file_and_json_path(string json, string expectedStart)
    {
        string file = _dir.Write("bad.json", json);
        var e = Assert.Throws<ManifestException>(() => DeploymentManifest.Load(file));
        Assert.StartsWith(file + expectedStart["bad.json".Length..], e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Fact]
    public void Duplicate_workload_names_name_both_entries()
    {
        string file = _dir.Write("dup.json", """
            { "workloads": [
              { "name": "a", "kind": "firmware", "artifact": "images/sensor.elf", "firmware": { "board": "b" } },
              { "name": "a", "kind": "firmware", "artifact": "images/sensor.elf", "firmware": { "board": "b" } } ] }
            """);
        var e = Assert.Throws<ManifestException>(() => DeploymentManifest.Load(file));
        Assert.Equal($"{file}: workloads[1].name: 'a' is already the name of workloads[0]", e.Message);
    }

    [Fact]
    public void A_digest_that_does_not_match_the_local_file_names_the_workload_and_the_file()
    {
        string wrong = new('0', 64);
        string file = _dir.Write("sha.json", $$"""
            { "workloads": [ { "name": "sensor", "kind": "firmware", "artifact": { "url": "images/sensor.elf", "sha256": "{{wrong}}" }, "firmware": { "board": "b" } } ] }
            """);
        var e = Assert.Throws<ManifestException>(() => DeploymentManifest.Load(file));
        Assert.Equal($"{file}: workloads[0].artifact.sha256: workload 'sensor': {_firmware} has sha256 {_firmwareSha}, not {wrong} as the manifest says", e.Message);
    }

    [Fact]
    public void A_missing_manifest_file_is_named() =>
        Assert.Equal("nowhere/deploy.json: no such file", Assert.Throws<ManifestException>(() => DeploymentManifest.Load("nowhere/deploy.json")).Message);
}
