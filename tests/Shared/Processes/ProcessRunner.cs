using System.Diagnostics;
using System.Text;

namespace EdgeVisor.Testing.Processes;

/// <summary>What a finished (or stopped) child process produced.</summary>
/// <param name="CommandLine">The command as a shell would show it, for reproducing a failure by hand.</param>
/// <param name="ExitCode">The process exit code, or null when it was killed at the timeout.</param>
/// <param name="Stdout">Standard output, byte for byte.</param>
/// <param name="Stderr">Standard error as text.</param>
/// <param name="Elapsed">Wall-clock time from start to exit.</param>
public sealed record ProcessResult(string CommandLine, int? ExitCode, byte[] Stdout, string Stderr, TimeSpan Elapsed)
{
    /// <summary>True when the process had to be killed because it outlived its timeout.</summary>
    public bool TimedOut => ExitCode is null;
}

/// <summary>
/// Runs a command with a closed stdin (empty, or the given text), collects stdout as bytes and stderr as text,
/// and kills the whole process tree when it outlives its timeout. Shared by the test projects (tests/Shared is
/// linked into each) for the cross toolchain, QEMU and the edgevisor executable.
/// </summary>
public static class ProcessRunner
{
    /// <summary>
    /// Runs <paramref name="fileName"/> with <paramref name="arguments"/> in <paramref name="workingDirectory"/>;
    /// <paramref name="standardInput"/>, when given, is written to its stdin before stdin is closed.
    /// </summary>
    public static async Task<ProcessResult> RunAsync(string fileName, IReadOnlyList<string> arguments, string workingDirectory, TimeSpan timeout, string? standardInput = null)
    {
        var start = new ProcessStartInfo(fileName)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        string commandLine = string.Join(' ', new[] { fileName }.Concat(arguments).Select(QuoteForShell));
        var stopwatch = Stopwatch.StartNew();
        using var process = StartOrExplain(start, commandLine);
        using var stdout = new MemoryStream();
        Task copyStdout = process.StandardOutput.BaseStream.CopyToAsync(stdout);
        Task<string> readStderr = process.StandardError.ReadToEndAsync();
        if (standardInput is not null)
        {
            await process.StandardInput.WriteAsync(standardInput);
        }

        process.StandardInput.Close();

        bool exited;
        using (var deadline = new CancellationTokenSource(timeout))
        {
            try
            {
                await process.WaitForExitAsync(deadline.Token);
                exited = true;
            }
            catch (OperationCanceledException)
            {
                exited = process.HasExited; // it may have finished just as the deadline passed
                if (!exited)
                {
                    process.Kill(entireProcessTree: true);
                }

                await process.WaitForExitAsync();
            }
        }

        await copyStdout;
        string stderr = await readStderr;
        return new ProcessResult(commandLine, exited ? process.ExitCode : null, stdout.ToArray(), stderr, stopwatch.Elapsed);
    }

    /// <summary>
    /// <see cref="RunAsync"/> for the synchronous test helpers (assemblers, reference runs inside sync tests):
    /// blocks until the process has exited or been killed at <paramref name="timeout"/>.
    /// </summary>
    public static ProcessResult Run(string fileName, IReadOnlyList<string> arguments, string workingDirectory, TimeSpan timeout, string? standardInput = null) =>
        RunAsync(fileName, arguments, workingDirectory, timeout, standardInput).GetAwaiter().GetResult();

    private static Process StartOrExplain(ProcessStartInfo start, string commandLine)
    {
        try
        {
            return Process.Start(start) ?? throw new InvalidOperationException($"could not start {commandLine}");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException($"could not start '{start.FileName}' (is it installed and on PATH?): {e.Message}", e);
        }
    }

    private static string QuoteForShell(string text) =>
        text.Length > 0 && text.All(c => char.IsAsciiLetterOrDigit(c) || "-_./=,:+".Contains(c, StringComparison.Ordinal))
            ? text
            : "'" + text.Replace("'", "'\\''", StringComparison.Ordinal) + "'";

    /// <summary>Decodes output for messages: UTF-8 with invalid bytes replaced.</summary>
    public static string AsText(byte[] bytes) => Encoding.UTF8.GetString(bytes);
}
