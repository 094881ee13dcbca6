using EdgeVisor.Emulation.Memory;
using EdgeVisor.Emulation.Time;
using EdgeVisor.Testing.Qemu;

namespace EdgeVisor.Emulation.CortexM.Tests.SystemModel;

/// <summary>
/// Differential against qemu-system-arm 7.2: the reset values of the System Control Space registers
/// (ICTR, SysTick, NVIC, SCB, feature IDs, CPACR, MPU, FP control) as QEMU's gdb stub reads them on the
/// MPS2 boards (VM halted with -S), against a core configured like those boards. CPUID is left out: it
/// comes from the model table, where the project names the silicon revision (QEMU reports r0p0/r0p1).
/// </summary>
public sealed class QemuScsReferenceTests
{
    [Theory]
    [InlineData("mps2-an385", "cortex-m3")]
    [InlineData("mps2-an386", "cortex-m4f")]
    public void Scs_reset_values_match_qemu(string board, string model)
    {
        uint[] addresses = [.. Addresses()];
        var theirs = QemuGdbSession.ReadWords(board, addresses);

        using var bus = new AddressSpace();
        bus.MapMemory("flash", 0, 0x1000, RegionKind.Ram);
        var cpu = new CortexMCpu(CortexMModel.Find(model)!, bus, new VirtualClock(25_000_000), new CortexMConfiguration { PriorityBits = 3, Interrupts = 32 });
        cpu.Reset();

        var mismatches = addresses
            .Where(a => bus.Read32(a) != theirs[a])
            .Select(a => $"0x{a:X8}: edgevisor 0x{bus.Read32(a):X8}, qemu {(theirs[a] is { } v ? $"0x{v:X8}" : "bus fault")}")
            .ToList();
        Assert.True(mismatches.Count == 0, $"{mismatches.Count} of {addresses.Length} SCS registers differ on {board}:\n" + string.Join("\n", mismatches));
    }

    private static IEnumerable<uint> Addresses()
    {
        static IEnumerable<uint> Words(uint from, uint to) => Enumerable.Range(0, (int)((to - from) / 4) + 1).Select(i => from + (uint)(4 * i));

        return new uint[] { 0xE000E004 }
            .Concat(Words(0xE000E010, 0xE000E01C))               // SysTick (CALIB from the 1 MHz reference clock)
            .Concat([0xE000E100, 0xE000E180, 0xE000E200, 0xE000E280, 0xE000E300])
            .Concat(Words(0xE000E400, 0xE000E41C))               // IPR0..7
            .Concat(Words(0xE000ED04, 0xE000ED3C))               // ICSR..AFSR
            .Concat(Words(0xE000ED40, 0xE000ED70))               // feature IDs
            .Concat([0xE000ED88])                                // CPACR
            .Concat(Words(0xE000ED90, 0xE000EDA0))               // MPU
            .Concat(Words(0xE000EF34, 0xE000EF44));              // FPCCR, FPCAR, FPDSCR, MVFR0/1
    }
}
