namespace EdgeVisor.Workloads.Containers.Networking;

/// <summary>A host networking tool (<c>ip</c>, <c>nft</c>) failed or did not answer in time.</summary>
internal sealed class HostCommandException(string message) : Exception(message);

/// <summary>
/// Runs the host's networking tools: <c>ip</c> and <c>nft</c>, looked up in the sbin directories first because an
/// agent started by systemd may have a PATH without them. A failure becomes one line holding the command and the
/// tool's own complaint, which is what an operator needs to see in a workload's start error.
/// </summary>
internal static class HostCommand
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(15);

    private static readonly string[] SearchDirectories = ["/usr/sbin", "/sbin", "/usr/bin", "/bin"];

    /// <summary>Runs <paramref name="tool"/> and returns its standard output; throws <see cref="HostCommandException"/> unless it exits 0.</summary>
    public static async Task<string> RunAsync(string tool, IReadOnlyList<string> arguments, CancellationToken ct, string? standardInput = null)
    {
        string commandLine = tool + " " + string.Join(' ', arguments);
        using var process = ToolProcess.Start(Locate(tool), arguments,
            e => new HostCommandException(e is null ? $"could not start '{commandLine}'" : $"could not start '{tool}' (is it installed?): {e.Message}"));
        Task<string> stdout = process.StandardOutput.ReadToEndAsync(CancellationToken.None);
        Task<string> stderr = process.StandardError.ReadToEndAsync(CancellationToken.None);
        try
        {
            if (standardInput is not null)
            {
                await process.StandardInput.WriteAsync(standardInput.AsMemory(), CancellationToken.None);
            }

            process.StandardInput.Close();
        }
        catch (IOException)
        {
            // The tool exited without reading its script (a bad argument): its stderr says why.
        }

        // A half-applied host change is undone by the caller; the tool itself must not linger.
        if (await ToolProcess.WaitAsync(process, Timeout, ct) is null)
        {
            throw new HostCommandException($"'{commandLine}' did not finish within {Timeout.TotalSeconds:0} s");
        }

        string output = await stdout;
        string error = (await stderr).Trim();
        if (process.ExitCode != 0)
        {
            string why = error.Length == 0 ? $"exit code {process.ExitCode}" : FirstLines(error);
            throw new HostCommandException($"'{commandLine}' failed: {why}");
        }

        return output;
    }

    /// <summary>Runs <c>ip</c> with <paramref name="arguments"/>.</summary>
    public static Task<string> IpAsync(CancellationToken ct, params string[] arguments) => RunAsync("ip", arguments, ct);

    private static string Locate(string tool) =>
        SearchDirectories.Select(directory => Path.Combine(directory, tool)).FirstOrDefault(File.Exists) ?? tool;

    // nft reports a script error over three lines (message, the offending line, a caret line): keep it on one.
    private static string FirstLines(string error) =>
        string.Join(" | ", error.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Take(3));
}
