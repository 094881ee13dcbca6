using System.Collections.Frozen;

namespace EdgeVisor.Protocol;

/// <summary>
/// What makes a parsed <see cref="DesiredState"/> something a device can act on. <see cref="DeploymentSignature.Verify"/>
/// applies these to every document it opens, so a verified document is also a valid one. Each violation is a
/// <see cref="ProtocolException"/> with <see cref="RejectionReason.Invalid"/> and one line starting with the
/// field's path, e.g. <c>workloads[1].artifact.sha256: …</c>; the first violation found is reported.
/// </summary>
public static partial class DesiredStateRules
{
    /// <summary>Most workloads one document may hold.</summary>
    public const int MaxWorkloads = 64;

    public const int MaxDeploymentIdLength = 128;

    public const int MaxUrlLength = 2048;

    /// <summary>Most entries in one workload's <see cref="WorkloadSpec.Configuration"/>.</summary>
    public const int MaxConfigurationEntries = 64;

    public const int MaxConfigurationKeyLength = 128;

    public const int MaxConfigurationValueLength = 4096;

    /// <summary>Most firmware <see cref="FirmwareSpec.Arguments"/>, and the longest one.</summary>
    public const int MaxArguments = 64;

    public const int MaxArgumentLength = 1024;

    /// <summary>Longest restart delay a policy may ask for (one day); keeps delays representable as a TimeSpan.</summary>
    public const double MaxBackoffSeconds = 86_400;

    /// <summary>Every kind the protocol defines, whether or not this agent runs it.</summary>
    public static IReadOnlySet<string> KnownKinds { get; } =
        new[] { WorkloadKinds.Firmware, WorkloadKinds.Container, WorkloadKinds.Package }.ToFrozenSet(StringComparer.Ordinal);

    /// <summary>The kinds this agent runs when the caller does not say: firmware only, for now.</summary>
    public static IReadOnlySet<string> DefaultSupportedKinds { get; } =
        new[] { WorkloadKinds.Firmware }.ToFrozenSet(StringComparer.Ordinal);

    private static readonly FrozenSet<string> RestartModeSet =
        new[] { RestartModes.Never, RestartModes.OnFailure, RestartModes.Always }.ToFrozenSet(StringComparer.Ordinal);

    /// <summary>
    /// Checks <paramref name="state"/> and returns it normalised: artifact digests in lowercase (uppercase hex
    /// is accepted because tools print both; the content-addressed store and reports use lowercase).
    /// </summary>
    /// <param name="state">The parsed document.</param>
    /// <param name="supportedKinds">Workload kinds the caller runs (its drivers); null: <see cref="DefaultSupportedKinds"/>.</param>
    /// <exception cref="ProtocolException">Reason <see cref="RejectionReason.Invalid"/>, naming the first field that breaks a rule.</exception>
    public static DesiredState Check(DesiredState state, IReadOnlySet<string>? supportedKinds = null)
    {
        ArgumentNullException.ThrowIfNull(state);
        supportedKinds ??= DefaultSupportedKinds;

        if (!Names.IsValid(state.DeviceId))
        {
            Fail("deviceId", $"'{Shown(state.DeviceId ?? "")}' is not a valid device id ({Names.Rule})");
        }

        CheckText("deploymentId", state.DeploymentId, MaxDeploymentIdLength);
        if (state.Version <= 0)
        {
            Fail("version", $"{state.Version} is not a valid version (1 or more)");
        }

        if (state.Workloads is null)
        {
            Fail("workloads", "missing");
        }

        if (state.Workloads.Count > MaxWorkloads)
        {
            Fail("workloads", $"{state.Workloads.Count} workloads; a device runs at most {MaxWorkloads}");
        }

        var firstIndexOfName = new Dictionary<string, int>(StringComparer.Ordinal);
        var normalised = new List<WorkloadSpec>(state.Workloads.Count);
        for (int i = 0; i < state.Workloads.Count; i++)
        {
            string path = $"workloads[{i}]";
            var workload = state.Workloads[i] ?? Fail<WorkloadSpec>(path, "null is not allowed here");
            CheckName($"{path}.name", workload.Name, "workload name");
            if (firstIndexOfName.TryGetValue(workload.Name, out int first))
            {
                Fail($"{path}.name", $"'{workload.Name}' is already the name of workloads[{first}]");
            }

            firstIndexOfName[workload.Name] = i;
            normalised.Add(CheckWorkload(path, workload, supportedKinds));
        }

        return state with { Workloads = normalised };
    }

    /// <summary>
    /// The checks only the receiving device can make: the document is addressed to it
    /// (<see cref="RejectionReason.WrongDevice"/>) and newer than the last one it accepted
    /// (<see cref="RejectionReason.Replayed"/>; null: it has accepted none yet).
    /// </summary>
    public static void CheckTarget(DesiredState state, string deviceId, long? lastAcceptedVersion)
    {
        ArgumentNullException.ThrowIfNull(state);
        if (!string.Equals(state.DeviceId, deviceId, StringComparison.Ordinal))
        {
            throw new ProtocolException(RejectionReason.WrongDevice, $"deviceId: the document is for '{state.DeviceId}', this device is '{deviceId}'")
            {
                DeploymentId = state.DeploymentId,
                Version = state.Version,
            };
        }

        if (lastAcceptedVersion is long last && state.Version <= last)
        {
            throw new ProtocolException(RejectionReason.Replayed, $"version: {state.Version} is not newer than {last}, the last version this device accepted")
            {
                DeploymentId = state.DeploymentId,
                Version = state.Version,
            };
        }
    }

    private static WorkloadSpec CheckWorkload(string path, WorkloadSpec workload, IReadOnlySet<string> supportedKinds)
    {
        if (!supportedKinds.Contains(workload.Kind ?? ""))
        {
            Fail($"{path}.kind", KnownKinds.Contains(workload.Kind ?? "")
                ? $"'{workload.Kind}' workloads are not supported by this agent yet (it runs: {string.Join(", ", supportedKinds.Order(StringComparer.Ordinal))})"
                : $"unknown kind '{Shown(workload.Kind ?? "")}' (known: {string.Join(", ", KnownKinds.Order(StringComparer.Ordinal))})");
        }

        var artifact = workload.Kind == WorkloadKinds.Container
            ? CheckImageArtifact($"{path}.artifact", workload.Artifact)
            : CheckArtifact($"{path}.artifact", workload.Artifact);
        CheckConfiguration($"{path}.configuration", workload.Configuration);
        CheckRestart($"{path}.restart", workload.Restart);

        var firmware = workload.Firmware;
        if (workload.Kind == WorkloadKinds.Firmware)
        {
            firmware = CheckFirmware($"{path}.firmware", firmware ?? Fail<FirmwareSpec>($"{path}.firmware", "required for kind 'firmware' (board, optional wiring)"));
        }
        else if (firmware is not null)
        {
            Fail($"{path}.firmware", $"only for kind 'firmware', not '{workload.Kind}'");
        }

        var container = workload.Container;
        if (workload.Kind == WorkloadKinds.Container)
        {
            CheckContainer($"{path}.container", container ?? Fail<ContainerSpec>($"{path}.container", "required for kind 'container' (how to run the image)"));
        }
        else if (container is not null)
        {
            Fail($"{path}.container", $"only for kind 'container', not '{workload.Kind}'");
        }

        return workload with { Artifact = artifact, Firmware = firmware };
    }

    private static FirmwareSpec CheckFirmware(string path, FirmwareSpec firmware)
    {
        CheckName($"{path}.board", firmware.Board, "board name");
        var wiring = firmware.Wiring is null ? null : CheckArtifact($"{path}.wiring", firmware.Wiring);
        if (firmware.Arguments is null)
        {
            Fail($"{path}.arguments", "null is not allowed here");
        }

        if (firmware.Arguments.Count > MaxArguments)
        {
            Fail($"{path}.arguments", $"{firmware.Arguments.Count} arguments; at most {MaxArguments}");
        }

        for (int i = 0; i < firmware.Arguments.Count; i++)
        {
            string argument = firmware.Arguments[i] ?? Fail<string>($"{path}.arguments[{i}]", "null is not allowed here");
            if (argument.Length > MaxArgumentLength)
            {
                Fail($"{path}.arguments[{i}]", $"{argument.Length} characters; at most {MaxArgumentLength}");
            }
        }

        return firmware with { Wiring = wiring };
    }

    private static ArtifactRef CheckArtifact(string path, ArtifactRef? artifact)
    {
        if (artifact is null)
        {
            Fail(path, "missing");
        }

        string url = artifact.Url ?? "";
        if (url.Length > MaxUrlLength)
        {
            Fail($"{path}.url", $"{url.Length} characters; at most {MaxUrlLength}");
        }

        if (!IsFetchable(url))
        {
            Fail($"{path}.url", $"'{Shown(url)}' is not an http://, https:// or file:// URL or an absolute path");
        }

        return CheckDigestAndSize(path, artifact);
    }

    private static ArtifactRef CheckDigestAndSize(string path, ArtifactRef artifact)
    {
        string sha256 = artifact.Sha256 ?? "";
        if (!Sha256Hex.IsValid(sha256))
        {
            Fail($"{path}.sha256", $"'{Shown(sha256)}' is not a SHA-256 digest (64 hex digits)");
        }

        if (artifact.Size is < 0)
        {
            Fail($"{path}.size", $"{artifact.Size} is not a size in bytes (0 or more)");
        }

        return artifact with { Sha256 = sha256.ToLowerInvariant() };
    }

    /// <summary>http(s) with a host, file:// with an absolute path, or an absolute path; no spaces or control characters anywhere.</summary>
    private static bool IsFetchable(string url)
    {
        if (url.Length == 0 || url.Any(c => char.IsControl(c) || char.IsWhiteSpace(c)))
        {
            return false;
        }

        if (url[0] == '/')
        {
            return true;
        }

        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri))
        {
            return false;
        }

        return uri.Scheme switch
        {
            "http" or "https" => uri.Host.Length > 0,
            "file" => uri.IsFile && uri.AbsolutePath.StartsWith('/') && (uri.Host.Length == 0 || uri.Host == "localhost"),
            _ => false,
        };
    }

    private static void CheckConfiguration(string path, IReadOnlyDictionary<string, string>? configuration)
    {
        if (configuration is null)
        {
            Fail(path, "null is not allowed here");
        }

        if (configuration.Count > MaxConfigurationEntries)
        {
            Fail(path, $"{configuration.Count} entries; at most {MaxConfigurationEntries}");
        }

        foreach (var (key, value) in configuration.OrderBy(e => e.Key, StringComparer.Ordinal))
        {
            if (key.Length == 0 || key.Length > MaxConfigurationKeyLength || key.Any(char.IsControl))
            {
                Fail(path, $"key '{Shown(key)}' is not 1-{MaxConfigurationKeyLength} printable characters");
            }

            if (value is null)
            {
                Fail($"{path}.{Shown(key)}", "null is not allowed here");
            }

            if (value.Length > MaxConfigurationValueLength)
            {
                Fail($"{path}.{Shown(key)}", $"{value.Length} characters; at most {MaxConfigurationValueLength}");
            }
        }
    }

    private static void CheckRestart(string path, RestartPolicy? restart)
    {
        if (restart is null)
        {
            Fail(path, "null is not allowed here");
        }

        if (!RestartModeSet.Contains(restart.Mode ?? ""))
        {
            Fail($"{path}.mode", $"'{Shown(restart.Mode ?? "")}' is not a restart mode (never, on-failure, always)");
        }

        if (restart.MaxRestarts is < 0)
        {
            Fail($"{path}.maxRestarts", $"{restart.MaxRestarts} is not a count (0 or more, or leave it out for no limit)");
        }

        CheckSeconds($"{path}.backoffSeconds", restart.BackoffSeconds);
        CheckSeconds($"{path}.maxBackoffSeconds", restart.MaxBackoffSeconds);
        if (restart.MaxBackoffSeconds < restart.BackoffSeconds)
        {
            Fail($"{path}.maxBackoffSeconds", $"{restart.MaxBackoffSeconds} is less than backoffSeconds ({restart.BackoffSeconds})");
        }
    }

    private static void CheckSeconds(string path, double seconds)
    {
        if (!double.IsFinite(seconds) || seconds < 0 || seconds > MaxBackoffSeconds)
        {
            Fail(path, $"{seconds} is not a delay in seconds (0 to {MaxBackoffSeconds})");
        }
    }

    private static void CheckName(string path, string? name, string what)
    {
        if (!Names.IsValid(name))
        {
            Fail(path, $"'{Shown(name ?? "")}' is not a valid {what} ({Names.Rule})");
        }
    }

    private static void CheckText(string path, string? text, int maxLength)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            Fail(path, "must not be empty");
        }

        if (text.Length > maxLength)
        {
            Fail(path, $"{text.Length} characters; at most {maxLength}");
        }

        if (text.Any(char.IsControl))
        {
            Fail(path, "contains control characters");
        }
    }

    /// <summary>A value as quoted in a message: control characters as '?', cut at 80 characters, so a hostile value cannot break the one line.</summary>
    private static string Shown(string value)
    {
        string printable = string.Concat(value.Take(81).Select(c => char.IsControl(c) ? '?' : c));
        return printable.Length <= 80 ? printable : printable[..77] + "...";
    }

    [System.Diagnostics.CodeAnalysis.DoesNotReturn]
    private static void Fail(string path, string what) =>
        throw new ProtocolException(RejectionReason.Invalid, $"{path}: {what}");

    [System.Diagnostics.CodeAnalysis.DoesNotReturn]
    private static T Fail<T>(string path, string what) =>
        throw new ProtocolException(RejectionReason.Invalid, $"{path}: {what}");
}
