using System.Diagnostics;

namespace EdgeVisor.Workloads.Containers;

/// <summary>
/// Starting and bounding the host tools containers are made with (<c>runc</c>/<c>crun</c>, <c>ip</c>, <c>nft</c>):
/// every stream redirected, a tool that does not finish in time killed with its children.
/// </summary>
internal static class ToolProcess
{
    /// <summary>
    /// Starts <paramref name="binary"/>; <paramref name="cannotStart"/> turns a failure to start (the OS error, or
    /// null when no process came) into the caller's one-line error.
    /// </summary>
    public static Process Start(string binary, IEnumerable<string> arguments, Func<System.ComponentModel.Win32Exception?, Exception> cannotStart)
    {
        var start = new ProcessStartInfo(binary)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        try
        {
            return Process.Start(start) ?? throw cannotStart(null);
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw cannotStart(e);
        }
    }

    /// <summary>
    /// Waits for the exit and returns the exit code; at <paramref name="timeout"/> kills the tool (and its children)
    /// and returns null. A cancelled wait also kills it, then throws.
    /// </summary>
    public static async Task<int?> WaitAsync(Process process, TimeSpan timeout, CancellationToken cancellation)
    {
        ArgumentNullException.ThrowIfNull(process);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        deadline.CancelAfter(timeout);
        try
        {
            await process.WaitForExitAsync(deadline.Token).ConfigureAwait(false);
            return process.ExitCode;
        }
        catch (OperationCanceledException)
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }

            await process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
            cancellation.ThrowIfCancellationRequested();
            return null;
        }
    }
}
