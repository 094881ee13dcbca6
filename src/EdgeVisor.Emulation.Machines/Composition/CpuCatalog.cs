using EdgeVisor.Emulation.Boards;
using EdgeVisor.Emulation.CortexM;
using EdgeVisor.Emulation.Memory;
using EdgeVisor.Emulation.Semihosting;
using EdgeVisor.Emulation.Time;

namespace EdgeVisor.Emulation.Machines.Composition;

/// <summary>Turns a board's core description into a core: model name -> CPU model, NVIC shape from the board.</summary>
public static class CpuCatalog
{
    /// <summary>The model names board files may use.</summary>
    public static IEnumerable<string> ModelNames => CortexMModel.All.Select(m => m.Name);

    /// <summary>Creates the core. Throws <see cref="FormatException"/> naming the board for an unknown model.</summary>
    public static CortexMCpu Create(BoardDescription board, AddressSpace bus, VirtualClock clock, SemihostingHost? semihosting)
    {
        var model = CortexMModel.Find(board.Cpu.Model)
            ?? throw new FormatException($"board {board.Name}: unknown cpu model '{board.Cpu.Model}' (known: {string.Join(", ", ModelNames)})");
        var configuration = new CortexMConfiguration
        {
            PriorityBits = board.Cpu.PriorityBits,
            Interrupts = board.Cpu.Interrupts,
            InitialVtor = board.Cpu.InitialVtor,
            SysTickReferenceHz = board.Cpu.SysTickReferenceHz,
            Semihosting = semihosting,
        };
        return new CortexMCpu(model, bus, clock, configuration);
    }
}
