using System.Text.Json.Serialization;

namespace EdgeVisor.Workloads.Containers.Runtime;

/// <summary>A container as the OCI runtime reports it (<c>runc state</c>, <c>runc list --format json</c>).</summary>
/// <param name="Status">One of <see cref="ContainerStatus"/>.</param>
/// <param name="Pid">The init process (0 once stopped).</param>
public sealed record ContainerState(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("status")] string Status,
    [property: JsonPropertyName("pid")] int Pid,
    [property: JsonPropertyName("bundle")] string? Bundle);

/// <summary>The runtime-spec's container statuses.</summary>
public static class ContainerStatus
{
    public const string Creating = "creating";
    public const string Created = "created";
    public const string Running = "running";
    public const string Stopped = "stopped";
    public const string Paused = "paused";
}

/// <summary>What <see cref="OciRuntime.ExecAsync"/> ran to.</summary>
/// <param name="ExitCode">The process's exit code (null: it outlived its timeout and the exec was killed).</param>
/// <param name="Output">Its standard output and error, at most the last few kilobytes.</param>
public sealed record ExecResult(int? ExitCode, string Output);

/// <summary>The OCI runtime refused or failed a command; the message is one line, the runtime's own words.</summary>
public sealed class OciRuntimeException : Exception
{
    public OciRuntimeException()
    {
    }

    public OciRuntimeException(string message)
        : base(message)
    {
    }

    public OciRuntimeException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
