using EdgeVisor.Testing.Processes;

namespace EdgeVisor.Cli.Tests.Firmware;

/// <summary>
/// Runs an image on qemu-system-arm, the reference EdgeVisor is compared against.
/// </summary>
/// <remarks>
/// With <c>-nographic -monitor none -serial stdio</c> UART 0 is the only thing QEMU writes to stdout,
/// and semihosting with <c>target=native</c> writes the firmware's stdout there too (its stderr goes
/// to QEMU's stderr), in the order the firmware produced them. SYS_EXIT / SYS_EXIT_EXTENDED end QEMU
/// with the firmware's exit code. QEMU hands the semihosting command line its <c>arg=</c> values, so
/// the image's file name is passed first to match what <c>edgevisor run</c> presents as argv[0].
/// <c>-icount shift=5,align=off,sleep=off</c> ties QEMU's clocks to the instruction count (32 ns per
/// instruction) instead of host time, and lets WFI skip ahead to the next timer event: timer and
/// SysTick interrupts then land at the same points of the program on every run, however busy the host.
/// </remarks>
public static class QemuReference
{
    /// <summary>Wall-clock limit for one QEMU run; the programs take well under a second.</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    /// <summary>Runs <paramref name="image"/> on QEMU's model of <paramref name="board"/>.</summary>
    public static Task<ProcessResult> RunAsync(string board, string image, IReadOnlyList<string> arguments)
    {
        var semihosting = string.Join(',', new[] { "enable=on", "target=native", "arg=" + Path.GetFileName(image) }
            .Concat(arguments.Select(argument => "arg=" + argument)));
        return ProcessRunner.RunAsync(
            "qemu-system-arm",
            [
                "-M", board, "-nographic", "-monitor", "none", "-serial", "stdio",
                "-icount", "shift=5,align=off,sleep=off",
                "-semihosting-config", semihosting, "-kernel", image,
            ],
            Path.GetDirectoryName(image)!,
            Timeout);
    }
}
