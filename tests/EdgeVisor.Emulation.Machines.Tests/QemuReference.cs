using EdgeVisor.Testing.Processes;

namespace EdgeVisor.Emulation.Machines.Tests;

/// <summary>
/// Runs a firmware image under qemu-system-arm 7.2 with semihosting, as the reference for output and exit code.
/// With -icount QEMU's timers advance with executed instructions instead of host time, so a reference that counts
/// timer interrupts does not change with the load on the machine (a loaded CI host once let an extra tick in).
/// </summary>
internal static class QemuReference
{
    public static (byte[] Output, int ExitCode) Run(string board, string elf, IReadOnlyList<string> semihostingArgs)
    {
        string config = "enable=on,target=native" + string.Concat(semihostingArgs.Select(a => ",arg=" + a));
        var run = ProcessRunner.Run(
            "qemu-system-arm",
            ["-M", board, "-icount", "shift=5,align=off,sleep=off", "-nographic", "-monitor", "none", "-serial", "stdio", "-semihosting-config", config, "-kernel", elf],
            Environment.CurrentDirectory,
            TimeSpan.FromSeconds(30));
        if (run.ExitCode is not { } exitCode)
        {
            throw new TimeoutException($"qemu-system-arm did not finish {elf} within 30 s");
        }

        return (run.Stdout, exitCode);
    }
}
