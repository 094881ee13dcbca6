using EdgeVisor.Emulation.Memory;
using EdgeVisor.Emulation.Semihosting;
using EdgeVisor.Emulation.Time;

namespace EdgeVisor.Emulation.CortexM.Tests.Engine;

/// <summary>A core on plain memory: code at 0x100 after a vector table whose handlers all spin at 0x200.</summary>
internal sealed class TestCore : IDisposable
{
    public const uint CodeStart = 0x100;
    public const uint HandlerAddress = 0x200;
    public const uint RamBase = 0x20000000;

    public TestCore(string model = "cortex-m3", Func<AddressSpace, VirtualClock, SemihostingHost>? semihosting = null)
    {
        Bus.MapMemory("code", 0, 0x10000, RegionKind.Ram);
        Bus.MapMemory("ram", RamBase, 0x10000, RegionKind.Ram);
        var vectors = new byte[0x40 * 4];
        BitConverter.GetBytes(RamBase + 0x8000).CopyTo(vectors, 0);
        BitConverter.GetBytes(CodeStart | 1).CopyTo(vectors, 4);
        for (int i = 2; i < 0x40; i++)
        {
            BitConverter.GetBytes(HandlerAddress | 1).CopyTo(vectors, i * 4);
        }

        Bus.Load(0, vectors);
        Bus.Load(HandlerAddress, [0xFE, 0xE7]);
        Cpu = new CortexMCpu(CortexMModel.Find(model)!, Bus, Clock, new CortexMConfiguration { Semihosting = semihosting?.Invoke(Bus, Clock) });
    }

    public AddressSpace Bus { get; } = new();

    public VirtualClock Clock { get; } = new(25_000_000);

    public CortexMCpu Cpu { get; }

    /// <summary>Places Thumb halfwords at <see cref="CodeStart"/> and resets the core.</summary>
    public TestCore Load(params ushort[] code)
    {
        var bytes = new byte[code.Length * 2];
        for (int i = 0; i < code.Length; i++)
        {
            BitConverter.GetBytes(code[i]).CopyTo(bytes, i * 2);
        }

        Bus.Load(CodeStart, bytes);
        Cpu.Reset();
        return this;
    }

    public void Dispose() => Bus.Dispose();
}
