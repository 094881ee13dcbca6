using EdgeVisor.Cli.Tests.Firmware;
using EdgeVisor.Testing.Processes;

namespace EdgeVisor.Cli.Tests.Programs;

/// <summary>
/// Runs an AArch64 Linux program under qemu-aarch64 and under <c>edgevisor exec</c>, each in a fresh empty working
/// directory of its own (programs create files there), with the same sysroot and arguments.
/// </summary>
public static class UserModeRun
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    public static Task<ProcessResult> QemuAsync(string program, IReadOnlyList<string> arguments, string? sysroot = Aarch64Programs.Sysroot, string? standardInput = null) =>
        InFreshDirectoryAsync(directory => ProcessRunner.RunAsync(
            "qemu-aarch64", [.. SysrootOption(sysroot), program, .. arguments], directory, Timeout, standardInput));

    public static Task<ProcessResult> EdgeVisorAsync(string program, IReadOnlyList<string> arguments, string? sysroot = Aarch64Programs.Sysroot, string? standardInput = null) =>
        InFreshDirectoryAsync(directory => EdgeVisorCommand.RunInAsync(["exec", .. SysrootOption(sysroot), program, .. arguments], directory, standardInput));

    /// <summary>Both runs side by side; fails with a readable difference unless stdout bytes and exit codes are equal.</summary>
    public static async Task AssertSameAsQemuAsync(string program, IReadOnlyList<string> arguments, string? sysroot = Aarch64Programs.Sysroot, string? standardInput = null)
    {
        Task<ProcessResult> qemuRun = QemuAsync(program, arguments, sysroot, standardInput);
        Task<ProcessResult> edgeVisorRun = EdgeVisorAsync(program, arguments, sysroot, standardInput);
        ProcessResult qemu = await qemuRun;
        ProcessResult edgeVisor = await edgeVisorRun;
        Assert.False(qemu.TimedOut, $"the reference run did not finish within {Timeout}: {qemu.CommandLine}\n{qemu.Stderr}");
        Assert.True(qemu.Stdout.Length > 0, $"the reference run printed nothing, so the comparison would prove nothing: {qemu.CommandLine}\n{qemu.Stderr}");
        string? difference = OutputComparison.Explain(qemu, edgeVisor);
        if (difference is not null)
        {
            Assert.Fail(difference);
        }
    }

    private static IEnumerable<string> SysrootOption(string? sysroot) => sysroot is null ? [] : ["-L", sysroot];

    /// <summary>Runs <paramref name="run"/> in a new empty temporary directory, deleted afterwards.</summary>
    public static async Task<ProcessResult> InFreshDirectoryAsync(Func<string, Task<ProcessResult>> run)
    {
        string directory = Path.Combine(Path.GetTempPath(), "edgevisor-exec-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        try
        {
            return await run(directory);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
