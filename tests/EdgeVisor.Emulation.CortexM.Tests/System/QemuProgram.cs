using EdgeVisor.Testing.Qemu;

namespace EdgeVisor.Emulation.CortexM.Tests.SystemModel;

/// <summary>
/// Runs an assembled flat image on qemu-system-arm (an MPS2 board: RAM at 0 and 0x20000000, like
/// <see cref="ProgramRunner"/>) under gdb-multiarch until a gdb breakpoint at <c>done</c> (or at the
/// default handler), then reads the core registers and a window of SRAM.
/// </summary>
internal static class QemuProgram
{
    public sealed record State(IReadOnlyDictionary<string, uint> Registers, uint[] Sram);

    public static State Run(AssembledProgram program, string board, int sramWords)
    {
        string image = Path.Combine(Path.GetTempPath(), $"edgevisor-qemu-{Environment.ProcessId}-{Guid.NewGuid():N}.bin");
        File.WriteAllBytes(image, program.Image);
        try
        {
            var output = QemuGdbSession.Run(
                board,
                [
                    $"break *0x{program["done"]:X8}", $"break *0x{program["default_handler"]:X8}",
                    "continue", "info registers", $"x/{sramWords}wx 0x{ProgramRunner.Sram:X8}",
                ],
                kernel: image);
            var registers = QemuGdbSession.ParseRegisters(output.Stdout);
            var sram = QemuGdbSession.ParseWords(output.Stdout);

            Assert.True(registers.ContainsKey("pc") && sram.Count == sramWords, $"could not read QEMU's state:\n{output.Stdout}\n{output.Stderr}");
            Assert.True(registers["pc"] == program["done"], $"under QEMU the program stopped at 0x{registers["pc"]:X8}, not at done:\n{output.Stdout}");
            return new State(registers, [.. sram]);
        }
        finally
        {
            File.Delete(image);
        }
    }
}
