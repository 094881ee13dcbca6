using System.Reflection;
using System.Text.Json;

namespace EdgeVisor.Protocol.Tests;

/// <summary>
/// docs/protocol.md is the contract other implementations read: every record field, rejection reason, event kind
/// and command in the code must appear in it (as <c>`name`</c>), so adding one without documenting it fails here.
/// </summary>
public class ProtocolDocumentationTests
{
    private static readonly Lazy<string> Document = new(() => File.ReadAllText(Path.Combine(RepositoryRoot(), "docs", "protocol.md")));

    public static TheoryData<string> Records() =>
    [
        nameof(DesiredState), nameof(WorkloadSpec), nameof(ArtifactRef), nameof(RestartPolicy), nameof(FirmwareSpec),
        nameof(SignedDocument), nameof(ReportedState), nameof(WorkloadReport), nameof(Rejection), nameof(DeviceStatus),
        nameof(EventRecord), nameof(CommandRequest), nameof(CommandResponse), nameof(TelemetryRecord), nameof(LogRecord),
        nameof(ContainerSpec), nameof(VolumeSpec), nameof(ContainerLimits), nameof(ContainerNetwork), nameof(PortForward),
        nameof(HealthCheckSpec), nameof(WorkloadResources),
    ];

    [Theory]
    [MemberData(nameof(Records))]
    public void Every_field_of_every_record_is_documented(string record)
    {
        var type = typeof(DesiredState).Assembly.GetType($"EdgeVisor.Protocol.{record}")!;
        Assert.Contains(record, Document.Value, StringComparison.Ordinal);

        var missing = type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Select(p => JsonNamingPolicy.CamelCase.ConvertName(p.Name))
            .Where(field => !Document.Value.Contains($"`{field}`", StringComparison.Ordinal))
            .ToList();

        Assert.True(missing.Count == 0, $"{record}: fields not in docs/protocol.md: {string.Join(", ", missing)}");
    }

    [Fact]
    public void Every_rejection_reason_event_kind_state_and_command_is_documented()
    {
        var codes = Enum.GetNames<RejectionReason>().Concat(Enum.GetNames<WorkloadState>()).Select(JsonNamingPolicy.KebabCaseLower.ConvertName)
            .Concat(Constants(typeof(EventKinds)))
            .Concat(Constants(typeof(CommandNames)))
            .Concat(Constants(typeof(RestartModes)))
            .Concat(Constants(typeof(WorkloadKinds)))
            .Concat(Constants(typeof(DeviceStates)));

        var missing = codes.Where(code => !Document.Value.Contains($"`{code}`", StringComparison.Ordinal)).ToList();

        Assert.True(missing.Count == 0, $"not in docs/protocol.md: {string.Join(", ", missing)}");
    }

    [Fact]
    public void The_documented_signing_context_is_the_one_in_the_code()
    {
        Assert.Contains($"\"{DeploymentSignature.Context}\" ({DeploymentSignature.Context.Length} ASCII bytes) || 0x00 || payload", Document.Value, StringComparison.Ordinal);
    }

    private static IEnumerable<string> Constants(Type type) =>
        type.GetFields(BindingFlags.Public | BindingFlags.Static).Where(f => f.IsLiteral).Select(f => (string)f.GetRawConstantValue()!);

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "docs", "protocol.md")))
            {
                return directory.FullName;
            }
        }

        throw new DirectoryNotFoundException($"no docs/protocol.md above {AppContext.BaseDirectory}");
    }
}
