using System.Text.Json;
using System.Text.Json.Serialization;

namespace EdgeVisor.Workloads.Containers.Bundles;

// The subset of the OCI runtime-spec 1.0.2 (config.json) EdgeVisor writes. Names follow the spec's camelCase JSON
// fields; whatever is left null is left out of the file.

/// <summary>config.json: the root of an OCI runtime bundle's configuration.</summary>
internal sealed record RuntimeSpec
{
    /// <summary>The newest runtime-spec runc 1.1 implements (it reports "spec: 1.0.2-dev").</summary>
    public const string Version = "1.0.2";

    public string OciVersion { get; init; } = Version;

    public required RuntimeProcess Process { get; init; }

    public required RuntimeRoot Root { get; init; }

    public required string Hostname { get; init; }

    public required IReadOnlyList<RuntimeMount> Mounts { get; init; }

    public required RuntimeLinux Linux { get; init; }

    /// <summary>How config.json is written and read: camelCase, nulls left out, indented for people reading a bundle.</summary>
    public static JsonSerializerOptions JsonOptions { get; } = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        WriteIndented = true,
    };
}

internal sealed record RuntimeProcess
{
    public bool Terminal { get; init; }

    public required RuntimeUser User { get; init; }

    public required IReadOnlyList<string> Args { get; init; }

    public required IReadOnlyList<string> Env { get; init; }

    public required string Cwd { get; init; }

    public required RuntimeCapabilities Capabilities { get; init; }

    public required IReadOnlyList<RuntimeRlimit> Rlimits { get; init; }

    public bool NoNewPrivileges { get; init; }

    public int? OomScoreAdj { get; init; }
}

internal sealed record RuntimeUser
{
    public uint Uid { get; init; }

    public uint Gid { get; init; }

    public IReadOnlyList<uint>? AdditionalGids { get; init; }
}

internal sealed record RuntimeCapabilities
{
    public required IReadOnlyList<string> Bounding { get; init; }

    public required IReadOnlyList<string> Effective { get; init; }

    public required IReadOnlyList<string> Permitted { get; init; }

    public IReadOnlyList<string> Inheritable { get; init; } = [];

    public IReadOnlyList<string> Ambient { get; init; } = [];
}

internal sealed record RuntimeRlimit(string Type, ulong Hard, ulong Soft);

internal sealed record RuntimeRoot(string Path, bool Readonly);

internal sealed record RuntimeMount(string Destination, string Type, string Source, IReadOnlyList<string> Options);

internal sealed record RuntimeLinux
{
    public required IReadOnlyList<RuntimeNamespace> Namespaces { get; init; }

    public required string CgroupsPath { get; init; }

    public required RuntimeResources Resources { get; init; }

    public IReadOnlyList<RuntimeDevice> Devices { get; init; } = [];

    public IReadOnlyDictionary<string, string>? Sysctl { get; init; }

    public required IReadOnlyList<string> MaskedPaths { get; init; }

    public required IReadOnlyList<string> ReadonlyPaths { get; init; }

    public RuntimeSeccomp? Seccomp { get; init; }
}

/// <param name="Type">pid, network, mount, ipc, uts, user or cgroup.</param>
/// <param name="Path">An existing namespace to join (null: a new one).</param>
internal sealed record RuntimeNamespace(string Type, string? Path = null);

internal sealed record RuntimeResources
{
    public required IReadOnlyList<RuntimeDeviceRule> Devices { get; init; }

    public RuntimeMemory? Memory { get; init; }

    public RuntimeCpu? Cpu { get; init; }

    public RuntimePids? Pids { get; init; }
}

/// <summary>A device cgroup rule: <paramref name="Type"/> a (all), c or b; null major/minor = any.</summary>
internal sealed record RuntimeDeviceRule(bool Allow, string? Type, long? Major, long? Minor, string Access);

/// <param name="Swap">Memory plus swap (the cgroup v1 memsw meaning, which runc translates for v2).</param>
internal sealed record RuntimeMemory(long Limit, long Swap);

internal sealed record RuntimeCpu(long Quota, ulong Period);

internal sealed record RuntimePids(long Limit);

/// <summary>A device node the runtime creates in the container's /dev.</summary>
internal sealed record RuntimeDevice(string Path, string Type, long Major, long Minor, uint FileMode, uint Uid, uint Gid);

internal sealed record RuntimeSeccomp
{
    public required string DefaultAction { get; init; }

    public required IReadOnlyList<string> Architectures { get; init; }

    public required IReadOnlyList<RuntimeSyscallRule> Syscalls { get; init; }
}

internal sealed record RuntimeSyscallRule
{
    public required IReadOnlyList<string> Names { get; init; }

    public required string Action { get; init; }

    public uint? ErrnoRet { get; init; }

    public IReadOnlyList<RuntimeSyscallArg>? Args { get; init; }
}

internal sealed record RuntimeSyscallArg
{
    public uint Index { get; init; }

    public ulong Value { get; init; }

    public ulong? ValueTwo { get; init; }

    public required string Op { get; init; }
}
