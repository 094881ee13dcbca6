using EdgeVisor.Testing.Processes;

namespace EdgeVisor.Cli.Tests.Firmware;

/// <summary>
/// One differential comparison: the same image and semihosting arguments on qemu-system-arm and under
/// <c>edgevisor run</c>, side by side, then stdout bytes and exit codes compared.
/// </summary>
public static class DifferentialRun
{
    /// <summary>The exit code of firmware-images/lib/startup.c's default handler ("unexpected exception N").</summary>
    public const int UnexpectedExceptionExitCode = 127;

    /// <summary>Fails the calling test with a readable difference unless EdgeVisor behaves exactly as QEMU does.</summary>
    public static async Task AssertSameAsQemuAsync(string board, string image, IReadOnlyList<string> arguments)
    {
        Task<ProcessResult> qemuRun = QemuReference.RunAsync(board, image, arguments);
        Task<ProcessResult> edgeVisorRun = EdgeVisorCommand.RunAsync(board, image, arguments);
        ProcessResult qemu = await qemuRun;
        ProcessResult edgeVisor = await edgeVisorRun;

        Assert.False(qemu.TimedOut, $"the reference run did not finish within {QemuReference.Timeout}: {qemu.CommandLine}\n{qemu.Stderr}");
        Assert.False(
            qemu.ExitCode == UnexpectedExceptionExitCode,
            $"the program took an exception it has no handler for even on the reference, so the comparison would prove nothing: {qemu.CommandLine}\n{ProcessRunner.AsText(qemu.Stdout)}");
        string? difference = OutputComparison.Explain(qemu, edgeVisor);
        if (difference is not null)
        {
            Assert.Fail(difference);
        }
    }
}
