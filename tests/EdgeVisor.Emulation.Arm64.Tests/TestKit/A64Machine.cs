using EdgeVisor.Emulation.Arm64.Decoding;
using EdgeVisor.Emulation.Arm64.Memory;

namespace EdgeVisor.Emulation.Arm64.Tests.TestKit;

/// <summary>
/// A bare A64 core over a small guest address space for instruction tests: code at <see cref="CodeBase"/>
/// (read+execute), a read/write data area at <see cref="DataBase"/> and a stack below <see cref="StackTop"/>.
/// </summary>
internal sealed class A64Machine : IDisposable
{
    public const ulong CodeBase = 0x1_0000;
    public const ulong CodeSize = 0x1_0000;
    public const ulong DataBase = 0x10_0000;
    public const ulong DataSize = 0x1_0000;
    public const ulong StackTop = 0x80_0000;
    public const ulong StackSize = 0x1_0000;

    public A64Machine()
    {
        Memory = new GuestMemory(addressBits: 32);
        Blocks = new BlockCache(Memory);
        Memory.Map(CodeBase, CodeSize, PagePermissions.ReadExecute);
        Memory.Map(DataBase, DataSize, PagePermissions.ReadWrite);
        Memory.Map(StackTop - StackSize, StackSize, PagePermissions.ReadWrite);
        Cpu = new Arm64Cpu(Memory, Blocks) { Pc = CodeBase };
        Cpu.Sp = StackTop;
    }

    public GuestMemory Memory { get; }

    public BlockCache Blocks { get; }

    public Arm64Cpu Cpu { get; }

    /// <summary>Writes instruction words at <see cref="CodeBase"/> and points PC at them.</summary>
    public A64Machine Load(params uint[] code)
    {
        var bytes = new byte[code.Length * 4];
        Buffer.BlockCopy(code, 0, bytes, 0, bytes.Length);
        Memory.WritePrivileged(CodeBase, bytes);
        Cpu.Pc = CodeBase;
        return this;
    }

    /// <summary>Assembles <paramref name="source"/> with the cross assembler and loads it.</summary>
    public A64Machine Assemble(string source) => Load(Assembler.Assemble(source));

    /// <summary>Runs <paramref name="instructions"/> instructions (or until a stop) and returns the stop.</summary>
    public Arm64Stop Run(ulong instructions) => Cpu.Run(instructions);

    public void Dispose() => Memory.Dispose();
}
