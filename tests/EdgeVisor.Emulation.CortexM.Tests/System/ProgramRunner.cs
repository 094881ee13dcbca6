using System.Text;
using EdgeVisor.Emulation.Machines;
using EdgeVisor.Emulation.Memory;
using EdgeVisor.Emulation.Time;

namespace EdgeVisor.Emulation.CortexM.Tests.SystemModel;

/// <summary>
/// Runs a small assembled program on a core: flash (ROM) at 0 with a generated vector table whose
/// entries point at the labels a test names (the rest at <c>default_handler</c>, a BKPT #0xEE), SRAM at
/// 0x20000000, a debugger attached so BKPT stops the run. Runs like a machine: up to the next clock
/// event, then the events due.
/// </summary>
internal sealed class ProgramRunner : IDisposable
{
    public const uint InitialSp = 0x20008000;

    /// <summary>Initial SP for ARMv6-M programs, which QEMU runs on the micro:bit (16 KiB of RAM).</summary>
    public const uint SmallInitialSp = 0x20004000;
    public const uint Sram = 0x20000000;
    private const int Vectors = 48;

    public ProgramRunner(string code, IReadOnlyDictionary<int, string>? handlers = null, string model = "cortex-m3")
    {
        var source = new StringBuilder();
        source.AppendLine("vectors:");
        source.AppendLine($"    .word 0x{(CortexMModel.Find(model)!.IsV6M ? SmallInitialSp : InitialSp):X8}");
        source.AppendLine("    .word reset + 1");
        for (int n = 2; n < Vectors; n++)
        {
            string label = handlers is not null && handlers.TryGetValue(n, out var l) ? l : "default_handler";
            source.AppendLine($"    .word {label} + 1");
        }

        source.AppendLine("default_handler:");
        source.AppendLine("    bkpt #0xEE");
        source.AppendLine(code);
        source.AppendLine(".ltorg");
        bool fp = model == "cortex-m4f";
        Program = Assembler.Assemble(source.ToString(), fp ? "cortex-m4" : model, 0, fp ? "fpv4-sp-d16" : null);

        Bus = new AddressSpace();
        Bus.MapMemory("flash", 0, 0x40000, RegionKind.Rom);
        Bus.MapMemory("sram", Sram, 0x10000, RegionKind.Ram);
        Bus.Load(0, Program.Image);
        Clock = new VirtualClock(25_000_000);
        Cpu = new CortexMCpu(CortexMModel.Find(model)!, Bus, Clock, new CortexMConfiguration { PriorityBits = 3, Interrupts = 32 })
        {
            DebuggerAttached = true,
        };
        Cpu.Reset();
    }

    public AssembledProgram Program { get; }

    public AddressSpace Bus { get; }

    public VirtualClock Clock { get; }

    public CortexMCpu Cpu { get; }

    public uint Word(uint address) => Bus.Read32(address);

    /// <summary>Runs until something other than the budget or sleep stops the core, or <paramref name="maxCycles"/> pass.</summary>
    public StopReason Run(ulong maxCycles = 1_000_000)
    {
        ulong end = Clock.Now + maxCycles;
        while (Clock.Now < end)
        {
            ulong until = Math.Min(end, Clock.NextEventAt);
            var reason = Cpu.Run(until);
            Clock.RunDueEvents();
            if (reason is not (StopReason.Budget or StopReason.Sleeping))
            {
                return reason;
            }
        }

        return StopReason.Budget;
    }

    /// <summary>Runs and asserts the program stopped at BKPT #1 (its normal end), not in the default handler.</summary>
    public void RunToEnd(ulong maxCycles = 1_000_000)
    {
        var reason = Run(maxCycles);
        string hint = reason == StopReason.Budget
            ? " (if a timer interrupt should have ended it: CortexMCpu.Run must not run past a Clock.NextEventAt scheduled during the run)"
            : "";
        Assert.True(reason == StopReason.Breakpoint, $"stopped with {reason} at 0x{Cpu.Pc:X8}{hint}\n{Cpu.DescribeState()}");
        Assert.True(Cpu.Pc != Program["default_handler"], $"unexpected exception {ExceptionNumber.Name((int)Cpu.Ipsr)}\n{Cpu.DescribeState()}");
    }

    public void Dispose() => Bus.Dispose();
}
