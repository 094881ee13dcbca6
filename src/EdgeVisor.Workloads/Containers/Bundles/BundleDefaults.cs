using System.Text.Json;

namespace EdgeVisor.Workloads.Containers.Bundles;

/// <summary>
/// The isolation defaults every container gets, kept as commented JSON data files beside this class (Defaults/*.json,
/// embedded in the assembly) so the policy reads as a list with its reasons, not as code.
/// </summary>
internal static class BundleDefaults
{
    private static readonly JsonSerializerOptions DataOptions = new(JsonSerializerDefaults.Web)
    {
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
        RespectRequiredConstructorParameters = true,
    };

    private static readonly Lazy<CapabilityDefaults> LoadedCapabilities = new(() => Load<CapabilityDefaults>("capabilities.json"));
    private static readonly Lazy<PathDefaults> LoadedPaths = new(() => Load<PathDefaults>("paths.json"));
    private static readonly Lazy<SeccompDefaults> LoadedSeccomp = new(() => Load<SeccompDefaults>("seccomp.json"));

    public static CapabilityDefaults Capabilities => LoadedCapabilities.Value;

    public static PathDefaults Paths => LoadedPaths.Value;

    public static SeccompDefaults Seccomp => LoadedSeccomp.Value;

    private static T Load<T>(string name)
    {
        string resource = $"{typeof(BundleDefaults).Namespace}.Defaults.{name}";
        using Stream stream = typeof(BundleDefaults).Assembly.GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException($"embedded resource {resource} is missing from the build");
        return JsonSerializer.Deserialize<T>(stream, DataOptions) ?? throw new InvalidOperationException($"{resource} is empty");
    }
}

/// <param name="Default">The capabilities every container starts with.</param>
/// <param name="Known">Every capability name accepted, with its bit number.</param>
internal sealed record CapabilityDefaults(IReadOnlyList<string> Default, IReadOnlyDictionary<string, int> Known);

/// <param name="Masked">Paths hidden from the container.</param>
/// <param name="Readonly">Paths visible but never writable.</param>
internal sealed record PathDefaults(IReadOnlyList<string> Masked, IReadOnlyList<string> Readonly);

/// <param name="Architectures">The seccomp architectures by <see cref="Images.Platform.Architecture"/> name.</param>
internal sealed record SeccompDefaults(string DefaultAction, IReadOnlyDictionary<string, IReadOnlyList<string>> Architectures, IReadOnlyList<RuntimeSyscallRule> Syscalls)
{
    /// <summary>The filter for this machine: the native ABI and its compatibility ABIs.</summary>
    public RuntimeSeccomp ForHost() => new()
    {
        DefaultAction = DefaultAction,
        Architectures = Architectures.GetValueOrDefault(Images.Platform.Host.Architecture, []),
        Syscalls = Syscalls,
    };
}
