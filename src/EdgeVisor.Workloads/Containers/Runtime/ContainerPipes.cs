using System.Diagnostics;

namespace EdgeVisor.Workloads.Containers.Runtime;

/// <summary>
/// The read ends of a created container's stdout and stderr. With <c>terminal: false</c> the runtime hands its own
/// stdio to the container, so the pipes <c>runc create</c> was started with stay open after it exits, until the
/// last process of the container has closed them.
/// </summary>
public sealed class ContainerPipes : IDisposable
{
    private readonly Process _create;

    internal ContainerPipes(Process create)
    {
        _create = create;
        Output = create.StandardOutput.BaseStream;
        Error = create.StandardError.BaseStream;
    }

    public Stream Output { get; }

    public Stream Error { get; }

    public void Dispose()
    {
        Output.Dispose();
        Error.Dispose();
        _create.Dispose();
    }
}
