namespace EdgeVisor.Protocol.Tests.Validation;

/// <summary>One test per rule: a document broken in one place is Invalid, and the message starts with that place's path.</summary>
public class DesiredStateRulesTests
{
    [Fact]
    public void A_valid_document_passes_unchanged()
    {
        var state = Documents.Desired(Documents.Firmware("a"), Documents.Firmware("b"));

        var checkedState = DesiredStateRules.Check(state);

        Assert.Equal(Documents.Text(ProtocolJson.Serialize(state)), Documents.Text(ProtocolJson.Serialize(checkedState)));
    }

    [Fact]
    public void Removing_every_workload_is_a_valid_document()
    {
        var state = Documents.Desired() with { Workloads = [] };

        Assert.Empty(DesiredStateRules.Check(state).Workloads);
    }

    [Theory]
    [InlineData("")]
    [InlineData("-pi")]
    [InlineData("pi/01")]
    [InlineData("pi+")]
    [InlineData("pi 01")]
    public void Device_id_must_follow_the_name_rule(string deviceId)
    {
        AssertInvalid(Documents.Desired() with { DeviceId = deviceId }, $"deviceId: '{deviceId}' is not a valid device id (1-64 letters");
    }

    [Fact]
    public void Device_id_longer_than_64_characters_is_invalid()
    {
        AssertInvalid(Documents.Desired() with { DeviceId = new string('d', 65) }, "deviceId: 'ddd");
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public void Deployment_id_must_not_be_empty(string deploymentId)
    {
        AssertInvalid(Documents.Desired() with { DeploymentId = deploymentId }, "deploymentId: must not be empty");
    }

    [Fact]
    public void Deployment_id_is_bounded_and_printable()
    {
        AssertInvalid(Documents.Desired() with { DeploymentId = new string('x', 129) }, "deploymentId: 129 characters; at most 128");
        AssertInvalid(Documents.Desired() with { DeploymentId = "a\nb" }, "deploymentId: contains control characters");
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    public void Version_must_be_positive(long version)
    {
        AssertInvalid(Documents.Desired() with { Version = version }, $"version: {version} is not a valid version (1 or more)");
    }

    [Fact]
    public void Too_many_workloads_are_invalid()
    {
        var workloads = Enumerable.Range(0, 65).Select(i => Documents.Firmware($"w{i}")).ToArray();

        AssertInvalid(Documents.Desired(workloads), "workloads: 65 workloads; a device runs at most 64");
    }

    [Fact]
    public void Sixty_four_workloads_are_allowed()
    {
        var workloads = Enumerable.Range(0, 64).Select(i => Documents.Firmware($"w{i}")).ToArray();

        Assert.Equal(64, DesiredStateRules.Check(Documents.Desired(workloads)).Workloads.Count);
    }

    [Theory]
    [InlineData("")]
    [InlineData(".hidden")]
    [InlineData("a/b")]
    [InlineData("../etc")]
    [InlineData("sensor#1")]
    public void Workload_names_must_follow_the_name_rule(string name)
    {
        AssertInvalid(Documents.Desired(Documents.Firmware("ok"), Documents.Firmware(name)), $"workloads[1].name: '{name}' is not a valid workload name");
    }

    [Fact]
    public void Duplicate_workload_names_name_both_places()
    {
        var state = Documents.Desired(Documents.Firmware("a"), Documents.Firmware("b"), Documents.Firmware("a"));

        AssertInvalid(state, "workloads[2].name: 'a' is already the name of workloads[0]");
    }

    [Fact]
    public void Workload_names_differing_only_in_case_are_different_workloads()
    {
        Assert.Equal(2, DesiredStateRules.Check(Documents.Desired(Documents.Firmware("a"), Documents.Firmware("A"))).Workloads.Count);
    }

    [Theory]
    [InlineData(WorkloadKinds.Container)]
    [InlineData(WorkloadKinds.Package)]
    public void Known_kinds_this_agent_does_not_run_yet_are_invalid_with_that_reason(string kind)
    {
        var workload = Documents.Container() with { Kind = kind };

        AssertInvalid(Documents.Desired(workload), $"workloads[0].kind: '{kind}' workloads are not supported by this agent yet (it runs: firmware)");
    }

    [Fact]
    public void An_unknown_kind_is_invalid_and_the_known_kinds_are_listed()
    {
        var workload = Documents.Firmware() with { Kind = "vm", Firmware = null };

        AssertInvalid(Documents.Desired(workload), "workloads[0].kind: unknown kind 'vm' (known: container, firmware, package)");
    }

    [Fact]
    public void The_caller_decides_which_kinds_it_runs()
    {
        var workload = Documents.Container();
        var kinds = new HashSet<string> { WorkloadKinds.Firmware, WorkloadKinds.Container };

        Assert.Equal(WorkloadKinds.Container, DesiredStateRules.Check(Documents.Desired(workload), kinds).Workloads[0].Kind);
    }

    [Fact]
    public void Firmware_kind_needs_a_firmware_section()
    {
        AssertInvalid(Documents.Desired(Documents.Firmware() with { Firmware = null }), "workloads[0].firmware: required for kind 'firmware'");
    }

    [Fact]
    public void A_firmware_section_on_another_kind_is_invalid()
    {
        var workload = Documents.Container() with { Firmware = Documents.Firmware().Firmware };
        var kinds = new HashSet<string> { WorkloadKinds.Container };

        var e = Assert.Throws<ProtocolException>(() => DesiredStateRules.Check(Documents.Desired(workload), kinds));
        Assert.Equal("workloads[0].firmware: only for kind 'firmware', not 'container'", e.Message);
    }

    [Theory]
    [InlineData("")]
    [InlineData("../boards/evil.json")]
    [InlineData("/etc/board.json")]
    public void Board_must_be_a_board_name(string board)
    {
        var workload = Documents.Firmware() with { Firmware = Documents.Firmware().Firmware! with { Board = board } };

        AssertInvalid(Documents.Desired(workload), $"workloads[0].firmware.board: '{board}' is not a valid board name");
    }

    [Theory]
    [InlineData("abc")]
    [InlineData("9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a0")]
    [InlineData("9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08a")]
    [InlineData("zf86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08")]
    [InlineData("")]
    public void Sha256_must_be_64_hex_digits(string sha256)
    {
        var workload = Documents.Firmware() with { Artifact = Documents.Firmware().Artifact with { Sha256 = sha256 } };

        AssertInvalid(Documents.Desired(workload), $"workloads[0].artifact.sha256: '{sha256}' is not a SHA-256 digest (64 hex digits)");
    }

    [Fact]
    public void Uppercase_sha256_is_accepted_and_normalised_to_lowercase()
    {
        var workload = Documents.Firmware() with { Artifact = Documents.Firmware().Artifact with { Sha256 = Documents.Sha.ToUpperInvariant() } };

        var checkedState = DesiredStateRules.Check(Documents.Desired(workload));

        Assert.Equal(Documents.Sha, checkedState.Workloads[0].Artifact.Sha256);
    }

    [Fact]
    public void The_wiring_artifact_follows_the_same_rules_and_normalisation()
    {
        var firmware = Documents.Firmware().Firmware!;
        var upper = Documents.Firmware() with { Firmware = firmware with { Wiring = firmware.Wiring! with { Sha256 = Documents.WiringSha.ToUpperInvariant() } } };
        Assert.Equal(Documents.WiringSha, DesiredStateRules.Check(Documents.Desired(upper)).Workloads[0].Firmware!.Wiring!.Sha256);

        var relative = Documents.Firmware() with { Firmware = firmware with { Wiring = firmware.Wiring! with { Url = "wiring.json" } } };
        AssertInvalid(Documents.Desired(relative), "workloads[0].firmware.wiring.url: 'wiring.json' is not an http://, https:// or file:// URL or an absolute path");
    }

    [Theory]
    [InlineData("https://artifacts.example/a.elf")]
    [InlineData("http://10.0.0.2:8080/a.elf?token=x")]
    [InlineData("file:///srv/images/a.elf")]
    [InlineData("/srv/images/a.elf")]
    public void Fetchable_urls_are_accepted(string url)
    {
        var workload = Documents.Firmware() with { Artifact = Documents.Firmware().Artifact with { Url = url } };

        Assert.Equal(url, DesiredStateRules.Check(Documents.Desired(workload)).Workloads[0].Artifact.Url);
    }

    [Theory]
    [InlineData("ftp://artifacts.example/a.elf")]
    [InlineData("images/a.elf")]
    [InlineData("https:///a.elf")]
    [InlineData("file://server/share/a.elf")]
    [InlineData("https://artifacts.example/a b.elf")]
    [InlineData("")]
    [InlineData("javascript:alert(1)")]
    public void Other_urls_are_invalid(string url)
    {
        var workload = Documents.Firmware() with { Artifact = Documents.Firmware().Artifact with { Url = url } };

        AssertInvalid(Documents.Desired(workload), $"workloads[0].artifact.url: '{url}' is not an http://, https:// or file:// URL or an absolute path");
    }

    [Fact]
    public void A_negative_size_is_invalid()
    {
        var workload = Documents.Firmware() with { Artifact = Documents.Firmware().Artifact with { Size = -1 } };

        AssertInvalid(Documents.Desired(workload), "workloads[0].artifact.size: -1 is not a size in bytes (0 or more)");
    }

    [Fact]
    public void An_unknown_restart_mode_is_invalid()
    {
        var workload = Documents.Firmware() with { Restart = new RestartPolicy { Mode = "sometimes" } };

        AssertInvalid(Documents.Desired(workload), "workloads[0].restart.mode: 'sometimes' is not a restart mode (never, on-failure, always)");
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    [InlineData(86_401)]
    public void Backoff_must_be_a_finite_delay(double seconds)
    {
        var workload = Documents.Firmware() with { Restart = new RestartPolicy { BackoffSeconds = seconds, MaxBackoffSeconds = 86_400 } };

        AssertInvalid(Documents.Desired(workload), $"workloads[0].restart.backoffSeconds: {seconds} is not a delay in seconds (0 to 86400)");
    }

    [Fact]
    public void Max_backoff_must_not_be_below_the_first_backoff()
    {
        var workload = Documents.Firmware() with { Restart = new RestartPolicy { BackoffSeconds = 10, MaxBackoffSeconds = 5 } };

        AssertInvalid(Documents.Desired(workload), "workloads[0].restart.maxBackoffSeconds: 5 is less than backoffSeconds (10)");
    }

    [Fact]
    public void A_negative_restart_limit_is_invalid()
    {
        var workload = Documents.Firmware() with { Restart = new RestartPolicy { MaxRestarts = -2 } };

        AssertInvalid(Documents.Desired(workload), "workloads[0].restart.maxRestarts: -2 is not a count");
    }

    [Fact]
    public void Configuration_entries_are_limited_in_number()
    {
        var configuration = Enumerable.Range(0, 65).ToDictionary(i => $"k{i}", i => "v");

        AssertInvalid(Documents.Desired(Documents.Firmware() with { Configuration = configuration }), "workloads[0].configuration: 65 entries; at most 64");
    }

    [Fact]
    public void Configuration_keys_and_values_are_limited_in_size()
    {
        var longKey = new Dictionary<string, string> { [new string('k', 129)] = "v" };
        AssertInvalid(Documents.Desired(Documents.Firmware() with { Configuration = longKey }), "workloads[0].configuration: key 'kkk");

        var emptyKey = new Dictionary<string, string> { [""] = "v" };
        AssertInvalid(Documents.Desired(Documents.Firmware() with { Configuration = emptyKey }), "workloads[0].configuration: key '' is not 1-128 printable characters");

        var longValue = new Dictionary<string, string> { ["hostAccess"] = new string('v', 4097) };
        AssertInvalid(Documents.Desired(Documents.Firmware() with { Configuration = longValue }), "workloads[0].configuration.hostAccess: 4097 characters; at most 4096");
    }

    [Fact]
    public void Firmware_arguments_are_limited()
    {
        var firmware = Documents.Firmware().Firmware!;
        var many = Documents.Firmware() with { Firmware = firmware with { Arguments = Enumerable.Repeat("-v", 65).ToArray() } };
        AssertInvalid(Documents.Desired(many), "workloads[0].firmware.arguments: 65 arguments; at most 64");

        var longOne = Documents.Firmware() with { Firmware = firmware with { Arguments = ["-v", new string('a', 1025)] } };
        AssertInvalid(Documents.Desired(longOne), "workloads[0].firmware.arguments[1]: 1025 characters; at most 1024");
    }

    [Fact]
    public void A_hostile_value_cannot_break_the_one_line_message()
    {
        var workload = Documents.Firmware() with { Artifact = Documents.Firmware().Artifact with { Url = "ftp://x\n" + new string('y', 500) } };

        var e = Assert.Throws<ProtocolException>(() => DesiredStateRules.Check(Documents.Desired(workload)));

        Assert.DoesNotContain('\n', e.Message);
        Assert.True(e.Message.Length < 200, e.Message);
    }

    [Fact]
    public void A_document_for_another_device_is_wrong_device()
    {
        var e = Assert.Throws<ProtocolException>(() => DesiredStateRules.CheckTarget(Documents.Desired(), "pi-02", lastAcceptedVersion: null));

        Assert.Equal(RejectionReason.WrongDevice, e.Reason);
        Assert.Equal("deviceId: the document is for 'pi-01', this device is 'pi-02'", e.Message);
        Assert.Equal(("greenhouse", (long?)3), (e.DeploymentId, e.Version));
    }

    [Theory]
    [InlineData(3)]
    [InlineData(4)]
    public void A_version_not_newer_than_the_last_accepted_one_is_replayed(long last)
    {
        var e = Assert.Throws<ProtocolException>(() => DesiredStateRules.CheckTarget(Documents.Desired(), "pi-01", last));

        Assert.Equal(RejectionReason.Replayed, e.Reason);
        Assert.Equal($"version: 3 is not newer than {last}, the last version this device accepted", e.Message);
    }

    [Fact]
    public void A_newer_version_for_this_device_is_accepted()
    {
        DesiredStateRules.CheckTarget(Documents.Desired(), "pi-01", lastAcceptedVersion: 2);
        DesiredStateRules.CheckTarget(Documents.Desired(), "pi-01", lastAcceptedVersion: null);
    }

    private static void AssertInvalid(DesiredState state, string messageStart)
    {
        var e = Assert.Throws<ProtocolException>(() => DesiredStateRules.Check(state));
        Assert.Equal(RejectionReason.Invalid, e.Reason);
        Assert.StartsWith(messageStart, e.Message, StringComparison.Ordinal);
    }
}
