namespace EdgeVisor.Emulation.CortexM.Tests.SystemModel;

/// <summary>
/// Exception-model programs run on EdgeVisor and on qemu-system-arm 7.2 (MPS2 AN385/AN386, and the
/// micro:bit for the ARMv6-M Cortex-M0 ones): every core
/// register, xPSR and the SRAM the programs log into must match at the end. The programs record what
/// QEMU can show: handler order, stacked frames and SP, EXC_RETURN values, fault status registers,
/// FPCCR/FPCAR. (Cycle timing is not compared: QEMU is not cycle-exact.)
/// </summary>
public sealed class QemuExceptionDifferentialTests
{
    private const int SramWords = 24;

    public static TheoryData<string> Programs => [.. ExceptionPrograms.All.Keys];

    [Theory]
    [MemberData(nameof(Programs))]
    public void Program_ends_in_the_same_state_as_on_qemu(string name)
    {
        var (source, handlers, model) = ExceptionPrograms.All[name];
        using var ours = new ProgramRunner(source, handlers, model);
        ours.RunToEnd();
        string board = model switch
        {
            "cortex-m4f" => "mps2-an386",
            "cortex-m0" => "microbit",
            _ => "mps2-an385",
        };
        var theirs = QemuProgram.Run(ours.Program, board, SramWords);

        var cpu = ours.Cpu;
        var differences = new List<string>();
        void Compare(string what, uint mine, uint qemu)
        {
            if (mine != qemu)
            {
                differences.Add($"{what}: edgevisor 0x{mine:X8}, qemu 0x{qemu:X8}");
            }
        }

        for (int i = 0; i < 13; i++)
        {
            Compare($"r{i}", cpu.R[i], theirs.Registers[$"r{i}"]);
        }

        Compare("sp", cpu.R[13], theirs.Registers["sp"]);
        Compare("lr", cpu.R[14], theirs.Registers["lr"]);
        Compare("pc", cpu.Pc, theirs.Registers["pc"]);
        Compare("xpsr", cpu.Xpsr, theirs.Registers["xpsr"]);
        for (int i = 0; i < SramWords; i++)
        {
            uint address = ProgramRunner.Sram + (uint)(4 * i);
            Compare($"[0x{address:X8}]", ours.Word(address), theirs.Sram[i]);
        }

        Assert.True(differences.Count == 0, $"{name}: {differences.Count} differences from qemu-system-arm:\n" + string.Join("\n", differences));
    }
}
