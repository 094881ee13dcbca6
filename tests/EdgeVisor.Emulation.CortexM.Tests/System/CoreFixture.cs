using EdgeVisor.Emulation.Memory;
using EdgeVisor.Emulation.Time;

namespace EdgeVisor.Emulation.CortexM.Tests.SystemModel;

/// <summary>
/// A core on a bare bus for exception-model tests: code memory at 0 (RAM, so tests can patch it),
/// SRAM at 0x20000000, a vector table at 0 whose entry n points at <see cref="HandlerAddress"/>(n).
/// </summary>
internal sealed class CoreFixture : IDisposable
{
    public const uint InitialSp = 0x20008000;
    public const uint ResetHandler = 0x00001000;
    public const uint Scs = 0xE000E000;

    public CoreFixture(string model = "cortex-m3", int priorityBits = 3, int interrupts = 32, ulong clockHz = 25_000_000, ulong referenceHz = 1_000_000)
    {
        Bus = new AddressSpace();
        Bus.MapMemory("code", 0x00000000, 0x00040000, RegionKind.Ram);
        Bus.MapMemory("sram", 0x20000000, 0x00010000, RegionKind.Ram);
        Clock = new VirtualClock(clockHz);
        var config = new CortexMConfiguration { PriorityBits = priorityBits, Interrupts = interrupts, SysTickReferenceHz = referenceHz };
        Cpu = new CortexMCpu(CortexMModel.Find(model)!, Bus, Clock, config);
        Bus.Write32(0, InitialSp);
        Bus.Write32(4, ResetHandler | 1);
        for (int n = 2; n < 16 + interrupts; n++)
        {
            Bus.Write32((uint)(4 * n), HandlerAddress(n) | 1);
        }

        Cpu.Reset();
    }

    public AddressSpace Bus { get; }

    public VirtualClock Clock { get; }

    public CortexMCpu Cpu { get; }

    /// <summary>Where the vector table sends exception <paramref name="exception"/>.</summary>
    public static uint HandlerAddress(int exception) => 0x2000 + (uint)(0x10 * exception);

    public static int Irq(int line) => 16 + line;

    public uint Read(uint address) => Bus.Read32(address);

    public void Write(uint address, uint value) => Bus.Write32(address, value);

    /// <summary>Enables IRQ <paramref name="line"/> with <paramref name="priority"/> through the NVIC registers.</summary>
    public void EnableIrq(int line, int priority)
    {
        Bus.Write8(Scs + 0x400 + (uint)line, (byte)priority);
        Write(Scs + 0x100 + (4 * (uint)(line / 32)), 1u << (line % 32));
    }

    /// <summary>Pends IRQ <paramref name="line"/> through ISPR.</summary>
    public void PendIrq(int line) => Write(Scs + 0x200 + (4 * (uint)(line / 32)), 1u << (line % 32));

    /// <summary>Advances virtual time and runs the timer events due, as the machine loop does.</summary>
    public void AdvanceTo(ulong cycle)
    {
        Clock.AdvanceTo(cycle);
        Clock.RunDueEvents();
    }

    /// <summary>Sets R0-R3, R12, LR to recognisable values.</summary>
    public void FillRegisters()
    {
        for (int i = 0; i < 13; i++)
        {
            Cpu.R[i] = 0x1000_0000u + (uint)i;
        }

        Cpu.R[14] = 0x0000_0F01;
    }

    public void Dispose() => Bus.Dispose();
}
