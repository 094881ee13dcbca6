using EdgeVisor.Cli.Tests.Firmware;

namespace EdgeVisor.Cli.Tests;

/// <summary>
/// Differential tests against qemu-system-arm 7.2: each program of firmware-images/diff runs on QEMU
/// and under <c>edgevisor run</c> on the same board, and stdout (UART 0 and semihosting, byte for byte)
/// and the exit code must be equal.
/// </summary>
/// <remarks>
/// The programs print only architecturally defined results, never timing, addresses the host picks,
/// or behaviour where QEMU 7.2 departs from the real boards. Where it does, the program leaves that
/// observation out and says why in its source (nvic-priorities.c: QEMU keeps 8 priority bits where the
/// AN385/AN386 cores implement 3; fault-bus.c: only a load is used, because QEMU reports every bus error
/// as precise while a buffered store on the real core is imprecise). QEMU and EdgeVisor run side by side
/// for each case; the cases run one after another, which with two processes per case keeps a two-core
/// machine busy without oversubscribing it.
/// </remarks>
public sealed class QemuDifferentialTests
{
    /// <summary>Every differential program on every board.</summary>
    public static TheoryData<string, string> DifferentialPrograms()
    {
        var cases = new TheoryData<string, string>();
        foreach (string board in FirmwareTree.Boards)
        {
            foreach (string program in FirmwareTree.DifferentialPrograms())
            {
                cases.Add(board, program);
            }
        }

        return cases;
    }

    [Theory]
    [MemberData(nameof(DifferentialPrograms))]
    public async Task Program_prints_the_same_bytes_and_exits_with_the_same_code_as_on_qemu(string board, string program)
    {
        await FirmwareBuild.EnsureBuiltAsync();
        await DifferentialRun.AssertSameAsQemuAsync(board, FirmwareTree.DifferentialImage(board, program), []);
    }
}
