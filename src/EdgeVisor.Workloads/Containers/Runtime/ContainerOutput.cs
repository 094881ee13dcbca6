namespace EdgeVisor.Workloads.Containers.Runtime;

/// <summary>
/// Copies a container's stdout and stderr into its <see cref="WorkloadLog"/>, whole lines at a time so the two
/// streams never interleave inside a line. <see cref="Completion"/> ends when every process of the container has
/// closed both pipes.
/// </summary>
public sealed class ContainerOutput : IDisposable
{
    /// <summary>A line longer than this is written in pieces (a process printing without newlines must not grow memory).</summary>
    private const int LongestLine = 64 * 1024;

    private readonly ContainerPipes _pipes;

    private ContainerOutput(ContainerPipes pipes, WorkloadLog log)
    {
        _pipes = pipes;
        Completion = Task.WhenAll(CopyAsync(pipes.Output, log), CopyAsync(pipes.Error, log));
    }

    /// <summary>Ends when both pipes are closed by the container (or disposed here).</summary>
    public Task Completion { get; }

    /// <summary>Starts copying <paramref name="pipes"/> to <paramref name="log"/>; the output owns the pipes from here on.</summary>
    public static ContainerOutput Start(ContainerPipes pipes, WorkloadLog log) => new(pipes, log);

    /// <summary>Waits up to <paramref name="patience"/> for the last output, then stops reading.</summary>
    public async Task DrainAsync(TimeSpan patience)
    {
        await Task.WhenAny(Completion, Task.Delay(patience)).ConfigureAwait(false);
        Dispose();
    }

    public void Dispose() => _pipes.Dispose();

    private static async Task CopyAsync(Stream pipe, WorkloadLog log)
    {
        byte[] buffer = new byte[16 * 1024];
        var line = new MemoryStream();
        try
        {
            int read;
            while ((read = await pipe.ReadAsync(buffer).ConfigureAwait(false)) > 0)
            {
                int start = 0;
                for (int newline; (newline = Array.IndexOf(buffer, (byte)'\n', start, read - start)) >= 0; start = newline + 1)
                {
                    line.Write(buffer, start, newline + 1 - start);
                    Flush(line, log);
                }

                line.Write(buffer, start, read - start);
                if (line.Length >= LongestLine)
                {
                    Flush(line, log);
                }
            }
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or OperationCanceledException)
        {
            // Disposed while draining: what was read so far still reaches the log below.
        }

        if (line.Length > 0)
        {
            line.WriteByte((byte)'\n');
            Flush(line, log);
        }
    }

    private static void Flush(MemoryStream line, WorkloadLog log)
    {
        log.Write(line.GetBuffer().AsSpan(0, (int)line.Length));
        line.SetLength(0);
    }
}
