using System.Text.Json.Nodes;

namespace EdgeVisor.Protocol;

/// <summary>
/// What one device must run: published by the controller, signed (<see cref="SignedDocument"/>), retained on
/// <see cref="DeviceTopics.Desired"/>. A device applies a document only if its version is higher than the last one
/// it accepted, so an old document replayed on the topic changes nothing. Removing every workload is a new
/// version with an empty list.
/// </summary>
public sealed record DesiredState
{
    public int Schema { get; init; } = ProtocolJson.SchemaVersion;

    /// <summary>The device this document is for; a document signed for another device is rejected.</summary>
    public required string DeviceId { get; init; }

    /// <summary>The operator's name for the deployment (free text, shown in reports).</summary>
    public required string DeploymentId { get; init; }

    /// <summary>Strictly increasing per device.</summary>
    public required long Version { get; init; }

    public DateTimeOffset IssuedAt { get; init; }

    public required IReadOnlyList<WorkloadSpec> Workloads { get; init; }
}

/// <summary>One workload of a desired state. Names are unique within a document.</summary>
public sealed record WorkloadSpec
{
    public required string Name { get; init; }

    /// <summary><see cref="WorkloadKinds"/>: <c>firmware</c>, <c>container</c>; <c>package</c> comes next.</summary>
    public required string Kind { get; init; }

    /// <summary>The workload's image: firmware image, container image, package.</summary>
    public required ArtifactRef Artifact { get; init; }

    /// <summary>Free-form configuration for the workload's driver (environment, arguments, settings).</summary>
    public IReadOnlyDictionary<string, string> Configuration { get; init; } = new Dictionary<string, string>();

    public RestartPolicy Restart { get; init; } = new();

    /// <summary>Required when <see cref="Kind"/> is <c>firmware</c>.</summary>
    public FirmwareSpec? Firmware { get; init; }

    /// <summary>
    /// Required when <see cref="Kind"/> is <c>container</c>. The <see cref="Artifact"/> is then the image: an
    /// <c>oci://registry[:port]/repository[:tag]</c> reference pinned by the sha256 of its manifest or index (the
    /// device picks its platform from an index), or an <c>oci-archive</c>/<c>docker save</c> tarball
    /// (http(s), file:// or a path) pinned by the tarball's sha256.
    /// </summary>
    public ContainerSpec? Container { get; init; }

    /// <summary>Driver-specific sections of later kinds (package) ride here until they have records.</summary>
    public JsonObject? Extensions { get; init; }
}

public static class WorkloadKinds
{
    public const string Firmware = "firmware";
    public const string Container = "container";
    public const string Package = "package";
}

/// <summary>An emulated machine: board, image (the workload's artifact), wiring, pacing.</summary>
public sealed record FirmwareSpec
{
    /// <summary>A board name from <c>edgevisor boards</c>.</summary>
    public required string Board { get; init; }

    /// <summary>Optional wiring file (JSON or YAML, docs/wiring.md).</summary>
    public ArtifactRef? Wiring { get; init; }

    /// <summary>Pace virtual time 1:1 with wall time (what a workload on real pins needs; also keeps an idle core idle).</summary>
    public bool Realtime { get; init; } = true;

    /// <summary>What the firmware sees through semihosting SYS_GET_CMDLINE after argv[0].</summary>
    public IReadOnlyList<string> Arguments { get; init; } = [];
}

/// <summary>
/// A file the device fetches: <c>http://</c>/<c>https://</c> (resumed, verified), <c>file://</c> or an absolute
/// path (air-gapped devices). The sha256 is what the device trusts, not the URL.
/// </summary>
public sealed record ArtifactRef
{
    public required string Url { get; init; }

    /// <summary>64 lowercase hex digits.</summary>
    public required string Sha256 { get; init; }

    /// <summary>Bytes, if known: lets the device check free space and progress before downloading.</summary>
    public long? Size { get; init; }
}

/// <summary>What to do when a workload exits or faults.</summary>
public sealed record RestartPolicy
{
    /// <summary><see cref="RestartModes"/>: never, on-failure (default), always.</summary>
    public string Mode { get; init; } = RestartModes.OnFailure;

    /// <summary>Restarts allowed before the workload is left failed (null: unlimited).</summary>
    public int? MaxRestarts { get; init; }

    /// <summary>First delay before a restart; doubles per consecutive restart up to <see cref="MaxBackoffSeconds"/>.</summary>
    public double BackoffSeconds { get; init; } = 1;

    public double MaxBackoffSeconds { get; init; } = 60;
}

public static class RestartModes
{
    public const string Never = "never";
    public const string OnFailure = "on-failure";
    public const string Always = "always";
}
