using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using EdgeVisor.Protocol;

namespace EdgeVisor.Fleet.Manifests;

/// <summary>
/// The operator's deployment file (JSON):
/// <c>{ "deploymentId"?, "version"?, "workloads": [ { "name", "kind", "artifact", "configuration"?, "restart"?,
/// "firmware"?, "container"?, "extensions"? } ] }</c>. Workloads are the protocol's <see cref="WorkloadSpec"/>, except
/// that an artifact (and a firmware wiring file) may be written as a plain string path or URL, relative paths resolve
/// against the manifest's directory, local files need no sha256 (it is computed, and checked when given), and an
/// image reference with a digest (<c>oci://host/repo@sha256:…</c>) is pinned by it. A <c>container</c> section is
/// the protocol's <see cref="ContainerSpec"/> as it is.
/// Unknown fields are errors: in a hand-written file they are typos.
/// </summary>
public sealed class DeploymentManifest
{
    private static readonly HashSet<string> RestartModeNames = [RestartModes.Never, RestartModes.OnFailure, RestartModes.Always];

    private readonly string _file;
    private readonly ManifestArtifacts _artifacts;

    private DeploymentManifest(string file, Func<string, string>? pinImage)
    {
        _file = file;
        _artifacts = new ManifestArtifacts(Path.GetDirectoryName(Path.GetFullPath(file))!, pinImage);
        DeploymentId = Path.GetFileNameWithoutExtension(file);
    }

    /// <summary>The file as the operator named it (messages use it).</summary>
    public string File => _file;

    /// <summary>The manifest's deployment id, or the file name without extension when it gives none.</summary>
    public string DeploymentId { get; private set; }

    /// <summary>The version the manifest asks for, or null (the next one after the device's current).</summary>
    public long? Version { get; private set; }

    public IReadOnlyList<WorkloadSpec> Workloads { get; private set; } = [];

    /// <summary>
    /// Reads and resolves a manifest; every problem is a <see cref="ManifestException"/> naming the file and JSON
    /// path. <paramref name="pinImage"/> looks up the digest of an <c>oci://</c> image given by tag alone (null:
    /// such an image is refused).
    /// </summary>
    public static DeploymentManifest Load(string file, Func<string, string>? pinImage = null)
    {
        string text;
        try
        {
            text = System.IO.File.ReadAllText(file);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new ManifestException($"{file}: no such file", e);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ManifestException($"{file}: cannot read ({e.Message})", e);
        }

        return Parse(text, file, pinImage);
    }

    /// <summary>Parses manifest text as if it were the file <paramref name="file"/> (relative paths resolve against its directory).</summary>
    public static DeploymentManifest Parse(string text, string file, Func<string, string>? pinImage = null)
    {
        var manifest = new DeploymentManifest(file, pinImage);
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(text, documentOptions: new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        }
        catch (JsonException e)
        {
            string where = e.LineNumber is { } line ? $"line {line + 1}: " : "";
            throw new ManifestException($"{file}: {where}not valid JSON ({e.Message.Split(". ")[0].TrimEnd('.')})", e);
        }

        manifest.Read(root);
        return manifest;
    }

    /// <summary>
    /// The desired state this manifest asks of one device at <paramref name="version"/>, checked against the
    /// protocol's rules (<see cref="DesiredStateRules"/>), so a document a device would refuse is never published.
    /// </summary>
    public DesiredState ToDesiredState(string deviceId, long version, DateTimeOffset issuedAt)
    {
        var state = new DesiredState
        {
            DeviceId = deviceId,
            DeploymentId = DeploymentId,
            Version = version,
            IssuedAt = issuedAt,
            Workloads = Workloads,
        };
        try
        {
            return DesiredStateRules.Check(state, DesiredStateRules.KnownKinds);
        }
        catch (ProtocolException e)
        {
            throw new ManifestException($"{_file}: {e.Message}", e);
        }
    }

    private ManifestException Error(string path, string message) =>
        new(path.Length == 0 ? $"{_file}: {message}" : $"{_file}: {path}: {message}");

    private void Read(JsonNode? root)
    {
        var fields = Object(root, "", "the manifest must be a JSON object");
        Allow(fields, "", "deploymentId", "version", "workloads");
        if (fields["deploymentId"] is { } id)
        {
            DeploymentId = NonEmptyString(id, "deploymentId");
        }

        if (fields["version"] is { } version)
        {
            Version = Integer(version, "version", minimum: 1);
        }

        if (fields["workloads"] is not JsonArray workloads)
        {
            throw fields["workloads"] is null ? Error("workloads", "required (a list; empty removes every workload)") : Error("workloads", "must be a list");
        }

        var specs = new List<WorkloadSpec>();
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < workloads.Count; i++)
        {
            var spec = ReadWorkload(workloads[i], $"workloads[{i}]");
            if (!seen.TryAdd(spec.Name, i))
            {
                throw Error($"workloads[{i}].name", $"'{spec.Name}' is already the name of workloads[{seen[spec.Name]}]");
            }

            specs.Add(spec);
        }

        Workloads = specs;
    }

    private WorkloadSpec ReadWorkload(JsonNode? node, string path)
    {
        var fields = Object(node, path, "must be an object");
        Allow(fields, path, "name", "kind", "artifact", "configuration", "restart", "firmware", "container", "extensions");
        string name = RequiredString(fields, "name", path);
        if (!Names.IsValid(name))
        {
            throw Error($"{path}.name", $"'{name}' is not a valid name (1-64 letters, digits, '.', '_' or '-', not starting with '.' or '-')");
        }

        string kind = RequiredString(fields, "kind", path);
        if (!DesiredStateRules.KnownKinds.Contains(kind))
        {
            throw Error($"{path}.kind", $"'{kind}' is not a workload kind ({string.Join(", ", DesiredStateRules.KnownKinds.Order(StringComparer.Ordinal))})");
        }

        var artifact = ReadArtifact(fields["artifact"], $"{path}.artifact", name) ?? throw Error($"{path}.artifact", "required");
        FirmwareSpec? firmware = fields["firmware"] is { } firmwareNode ? ReadFirmware(firmwareNode, $"{path}.firmware", name) : null;
        if (kind == WorkloadKinds.Firmware && firmware is null)
        {
            throw Error($"{path}.firmware", "required for a firmware workload (at least { \"board\": … })");
        }

        ContainerSpec? container = fields["container"] is { } containerNode ? ReadContainer(containerNode, $"{path}.container") : null;
        if (kind == WorkloadKinds.Container && container is null)
        {
            throw Error($"{path}.container", "required for a container workload (at least {} for the image's own command)");
        }

        return new WorkloadSpec
        {
            Name = name,
            Kind = kind,
            Artifact = artifact,
            Configuration = fields["configuration"] is { } configuration ? ReadConfiguration(configuration, $"{path}.configuration") : new Dictionary<string, string>(),
            Restart = fields["restart"] is { } restart ? ReadRestart(restart, $"{path}.restart") : new RestartPolicy(),
            Firmware = firmware,
            Container = container,
            Extensions = fields["extensions"] is { } extensions ? Object(extensions, $"{path}.extensions", "must be an object").DeepClone().AsObject() : null,
        };
    }

    private ArtifactRef? ReadArtifact(JsonNode? node, string path, string workload)
    {
        if (node is null)
        {
            return null;
        }

        string url;
        string? sha256 = null;
        long? size = null;
        if (node is JsonValue value && value.TryGetValue(out string? text))
        {
            url = text;
        }
        else if (node is JsonObject fields)
        {
            Allow(fields, path, "url", "sha256", "size");
            url = RequiredString(fields, "url", path);
            if (fields["sha256"] is { } digest)
            {
                string hex = NonEmptyString(digest, $"{path}.sha256").ToLowerInvariant();
                if (!Sha256Hex.IsValid(hex))
                {
                    throw Error($"{path}.sha256", "not 64 hex digits");
                }

                sha256 = hex;
            }

            if (fields["size"] is { } length)
            {
                size = Integer(length, $"{path}.size", minimum: 0);
            }
        }
        else
        {
            throw Error(path, "must be a path or URL string, or { \"url\", \"sha256\"?, \"size\"? }");
        }

        if (url.Length == 0)
        {
            throw Error(path, "empty");
        }

        return _artifacts.Resolve(url, sha256, size, path, (where, message) => Error(where, $"workload '{workload}': {message}"));
    }

    private FirmwareSpec ReadFirmware(JsonNode node, string path, string workload)
    {
        var fields = Object(node, path, "must be an object");
        Allow(fields, path, "board", "wiring", "realtime", "arguments");
        return new FirmwareSpec
        {
            Board = RequiredString(fields, "board", path),
            Wiring = ReadArtifact(fields["wiring"], $"{path}.wiring", workload),
            Realtime = fields["realtime"] is { } realtime ? Boolean(realtime, $"{path}.realtime") : true,
            Arguments = fields["arguments"] is { } arguments ? StringList(arguments, $"{path}.arguments") : [],
        };
    }

    /// <summary>The protocol's own reading of a container section, with unknown fields refused.</summary>
    private ContainerSpec ReadContainer(JsonNode node, string path)
    {
        try
        {
            return ProtocolJson.ParseSection<ContainerSpec>(Object(node, path, "must be an object").ToJsonString(), path);
        }
        catch (ProtocolException e)
        {
            throw new ManifestException($"{_file}: {e.Message}", e);
        }
    }

    private RestartPolicy ReadRestart(JsonNode node, string path)
    {
        var fields = Object(node, path, "must be an object");
        Allow(fields, path, "mode", "maxRestarts", "backoffSeconds", "maxBackoffSeconds");
        var policy = new RestartPolicy();
        if (fields["mode"] is { } mode)
        {
            string text = NonEmptyString(mode, $"{path}.mode");
            if (!RestartModeNames.Contains(text))
            {
                throw Error($"{path}.mode", $"'{text}' is not one of {string.Join(", ", RestartModeNames)}");
            }

            policy = policy with { Mode = text };
        }

        if (fields["maxRestarts"] is { } max)
        {
            policy = policy with { MaxRestarts = (int)Integer(max, $"{path}.maxRestarts", minimum: 0, maximum: int.MaxValue) };
        }

        if (fields["backoffSeconds"] is { } backoff)
        {
            policy = policy with { BackoffSeconds = Seconds(backoff, $"{path}.backoffSeconds") };
        }

        if (fields["maxBackoffSeconds"] is { } maxBackoff)
        {
            policy = policy with { MaxBackoffSeconds = Seconds(maxBackoff, $"{path}.maxBackoffSeconds") };
        }

        if (policy.MaxBackoffSeconds < policy.BackoffSeconds)
        {
            throw Error($"{path}.maxBackoffSeconds", $"{policy.MaxBackoffSeconds.ToString(CultureInfo.InvariantCulture)} is less than backoffSeconds {policy.BackoffSeconds.ToString(CultureInfo.InvariantCulture)}");
        }

        return policy;
    }

    private Dictionary<string, string> ReadConfiguration(JsonNode node, string path)
    {
        var fields = Object(node, path, "must be an object of strings");
        var configuration = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in fields)
        {
            configuration[key] = value is JsonValue v && v.TryGetValue(out string? text)
                ? text
                : throw Error($"{path}.{key}", "must be a string (quote numbers and booleans)");
        }

        return configuration;
    }

    private JsonObject Object(JsonNode? node, string path, string what) =>
        node as JsonObject ?? throw Error(path, what);

    private void Allow(JsonObject fields, string path, params string[] known)
    {
        foreach (var (key, _) in fields)
        {
            if (!known.Contains(key, StringComparer.Ordinal))
            {
                string where = path.Length == 0 ? key : $"{path}.{key}";
                throw Error(where, $"unknown field (expected {string.Join(", ", known)})");
            }
        }
    }

    private string RequiredString(JsonObject fields, string name, string path) =>
        fields[name] is { } node ? NonEmptyString(node, $"{path}.{name}") : throw Error($"{path}.{name}", "required");

    private string NonEmptyString(JsonNode node, string path)
    {
        if (node is not JsonValue value || !value.TryGetValue(out string? text))
        {
            throw Error(path, "must be a string");
        }

        return text.Length > 0 ? text : throw Error(path, "must not be empty");
    }

    private long Integer(JsonNode node, string path, long minimum, long maximum = long.MaxValue)
    {
        if (node is JsonValue value && value.GetValueKind() == JsonValueKind.Number && value.TryGetValue(out long number))
        {
            return number >= minimum && number <= maximum ? number : throw Error(path, $"{number} is out of range (at least {minimum})");
        }

        throw Error(path, "must be a whole number");
    }

    private double Seconds(JsonNode node, string path)
    {
        if (node is JsonValue value && value.GetValueKind() == JsonValueKind.Number && value.TryGetValue(out double seconds) && double.IsFinite(seconds))
        {
            return seconds >= 0 ? seconds : throw Error(path, "must not be negative");
        }

        throw Error(path, "must be a number of seconds");
    }

    private bool Boolean(JsonNode node, string path) =>
        node.GetValueKind() switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => throw Error(path, "must be true or false"),
        };

    private List<string> StringList(JsonNode node, string path)
    {
        if (node is not JsonArray items)
        {
            throw Error(path, "must be a list of strings");
        }

        var list = new List<string>();
        for (int i = 0; i < items.Count; i++)
        {
            list.Add(items[i] is JsonValue v && v.TryGetValue(out string? text) ? text : throw Error($"{path}[{i}]", "must be a string"));
        }

        return list;
    }
}
