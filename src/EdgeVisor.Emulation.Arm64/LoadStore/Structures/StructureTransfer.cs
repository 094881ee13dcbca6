using EdgeVisor.Emulation.Arm64.Decoding;
using EdgeVisor.Emulation.Arm64.LoadStore.Addressing;
using EdgeVisor.Emulation.Arm64.Memory;

namespace EdgeVisor.Emulation.Arm64.LoadStore.Structures;

/// <summary>
/// Moves the bytes of one structure instruction between guest memory and a stack buffer as a whole (at most 64
/// bytes), so a fault anywhere in the range is raised before any register or byte changes, and applies the
/// post-index write-back. The write-back kind is in <see cref="Op.B"/>: 0 none, 1 immediate (<see cref="Op.Imm"/>),
/// 2 register (<see cref="Op.Rm"/>).
/// </summary>
internal static class StructureTransfer
{
    public const byte NoWriteBack = 0;
    public const byte ImmediateWriteBack = 1;
    public const byte RegisterWriteBack = 2;

    /// <summary>Reads [address, address + buffer.Length) or throws the fault of its first unreadable page.</summary>
    public static void Read(GuestMemory memory, ulong address, Span<byte> buffer)
    {
        if (!memory.TryRead(address, buffer))
        {
            WriteChecks.CheckPages(memory, address, buffer.Length, write: false);
            throw new GuestFaultException(address, write: false, execute: false);
        }
    }

    /// <summary>Writes the buffer or throws the fault of its first unwritable page, writing nothing.</summary>
    public static void Write(GuestMemory memory, ulong address, ReadOnlySpan<byte> buffer)
    {
        if (!memory.TryWrite(address, buffer))
        {
            WriteChecks.CheckPages(memory, address, buffer.Length, write: true);
            throw new GuestFaultException(address, write: true, execute: false);
        }
    }

    /// <summary>Post-index: adds the immediate or the offset register to the base, after the access succeeded.</summary>
    public static void WriteBack(Arm64Cpu cpu, ref Op op)
    {
        if (op.B == ImmediateWriteBack)
        {
            cpu.X[op.Rn] += op.Imm;
        }
        else if (op.B == RegisterWriteBack)
        {
            cpu.X[op.Rn] += cpu.X[op.Rm];
        }
    }
}
