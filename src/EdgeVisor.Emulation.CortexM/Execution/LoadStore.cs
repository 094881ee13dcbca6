using System.Numerics;
using EdgeVisor.Emulation.CortexM.Decoding;

namespace EdgeVisor.Emulation.CortexM.Execution;

/// <summary>One access width/sign: how a load extends and a store truncates.</summary>
internal interface IMemoryAccess
{
    static abstract uint Load(CortexMCpu cpu, uint address);

    static abstract void Store(CortexMCpu cpu, uint address, uint value);
}

internal struct WordAccess : IMemoryAccess
{
    public static uint Load(CortexMCpu cpu, uint address) => cpu.ReadWord(address);

    public static void Store(CortexMCpu cpu, uint address, uint value) => cpu.WriteWord(address, value);
}

internal struct HalfAccess : IMemoryAccess
{
    public static uint Load(CortexMCpu cpu, uint address) => cpu.ReadHalf(address);

    public static void Store(CortexMCpu cpu, uint address, uint value) => cpu.WriteHalf(address, value);
}

internal struct SignedHalfAccess : IMemoryAccess
{
    public static uint Load(CortexMCpu cpu, uint address) => (uint)(short)(ushort)cpu.ReadHalf(address);

    public static void Store(CortexMCpu cpu, uint address, uint value) => cpu.WriteHalf(address, value);
}

internal struct ByteAccess : IMemoryAccess
{
    public static uint Load(CortexMCpu cpu, uint address) => cpu.ReadByte(address);

    public static void Store(CortexMCpu cpu, uint address, uint value) => cpu.WriteByte(address, value);
}

internal struct SignedByteAccess : IMemoryAccess
{
    public static uint Load(CortexMCpu cpu, uint address) => (uint)(sbyte)(byte)cpu.ReadByte(address);

    public static void Store(CortexMCpu cpu, uint address, uint value) => cpu.WriteByte(address, value);
}

/// <summary>
/// LDRT/STRT and their byte/half forms: the MPU and the system control space judge the access as they would for
/// unprivileged Thread-mode code, whatever the current privilege. Only these rare instructions pay for the flag.
/// </summary>
internal struct Unprivileged<T> : IMemoryAccess
    where T : struct, IMemoryAccess
{
    public static uint Load(CortexMCpu cpu, uint address)
    {
        cpu.UnprivilegedAccess = true;
        try
        {
            return T.Load(cpu, address);
        }
        finally
        {
            cpu.UnprivilegedAccess = false;
        }
    }

    public static void Store(CortexMCpu cpu, uint address, uint value)
    {
        cpu.UnprivilegedAccess = true;
        try
        {
            T.Store(cpu, address, value);
        }
        finally
        {
            cpu.UnprivilegedAccess = false;
        }
    }
}

/// <summary>
/// Single and multiple loads/stores. Forms: immediate offset (<c>Imm</c>, two's complement), register
/// offset (Rm LSL <c>Amount</c>), indexed (<c>Extra</c> bit 0 = pre-index, bit 1 = writeback), literal
/// (<c>Imm</c> = the absolute address, computed at decode time).
/// </summary>
internal static class LoadStore
{
    public const byte PreIndex = 1;
    public const byte Writeback = 2;

    public static void LoadImm<T>(CortexMCpu cpu, ref Op op)
        where T : struct, IMemoryAccess =>
        cpu.R[op.Rd & 15] = T.Load(cpu, cpu.R[op.Rn & 15] + op.Imm);

    public static void StoreImm<T>(CortexMCpu cpu, ref Op op)
        where T : struct, IMemoryAccess =>
        T.Store(cpu, cpu.R[op.Rn & 15] + op.Imm, cpu.R[op.Rd & 15]);

    public static void LoadReg<T>(CortexMCpu cpu, ref Op op)
        where T : struct, IMemoryAccess =>
        cpu.R[op.Rd & 15] = T.Load(cpu, cpu.R[op.Rn & 15] + (cpu.R[op.Rm & 15] << op.Amount));

    public static void StoreReg<T>(CortexMCpu cpu, ref Op op)
        where T : struct, IMemoryAccess =>
        T.Store(cpu, cpu.R[op.Rn & 15] + (cpu.R[op.Rm & 15] << op.Amount), cpu.R[op.Rd & 15]);

    public static void LoadLiteral<T>(CortexMCpu cpu, ref Op op)
        where T : struct, IMemoryAccess =>
        cpu.R[op.Rd & 15] = T.Load(cpu, op.Imm);

    public static void LoadIndexed<T>(CortexMCpu cpu, ref Op op)
        where T : struct, IMemoryAccess
    {
        uint b = cpu.R[op.Rn & 15];
        uint offsetAddress = b + op.Imm;
        uint value = T.Load(cpu, (op.Extra & PreIndex) != 0 ? offsetAddress : b);
        if ((op.Extra & Writeback) != 0)
        {
            cpu.R[op.Rn & 15] = offsetAddress;
        }

        cpu.R[op.Rd & 15] = value;
    }

    public static void StoreIndexed<T>(CortexMCpu cpu, ref Op op)
        where T : struct, IMemoryAccess
    {
        uint b = cpu.R[op.Rn & 15];
        uint offsetAddress = b + op.Imm;
        T.Store(cpu, (op.Extra & PreIndex) != 0 ? offsetAddress : b, cpu.R[op.Rd & 15]);
        if ((op.Extra & Writeback) != 0)
        {
            cpu.R[op.Rn & 15] = offsetAddress;
        }
    }

    /// <summary>LDR PC, ...: <c>Shift</c> 0 = indexed/immediate, 1 = register, 2 = literal. Ends the block.</summary>
    public static void LoadPc(CortexMCpu cpu, ref Op op)
    {
        uint b = cpu.R[op.Rn & 15];
        uint address = op.Shift switch
        {
            1 => b + (cpu.R[op.Rm & 15] << op.Amount),
            2 => op.Imm,
            _ => (op.Extra & PreIndex) != 0 ? b + op.Imm : b,
        };
        uint value = cpu.ReadWord(address);
        if (op.Shift == 0 && (op.Extra & Writeback) != 0)
        {
            cpu.R[op.Rn & 15] = b + op.Imm;
        }

        cpu.LoadWritePC(value);
    }

    /// <summary>LDRD Rt(Rd), Rt2(Ra), [Rn, #Imm] with <c>Extra</c> indexing; Rn = 15 is the literal form (PC word aligned).</summary>
    public static void LoadDual(CortexMCpu cpu, ref Op op)
    {
        uint b = op.Rn == 15 ? cpu.R[15] & ~3u : cpu.R[op.Rn & 15];
        uint offsetAddress = b + op.Imm;
        uint address = (op.Extra & PreIndex) != 0 ? offsetAddress : b;
        uint first = cpu.ReadWordAligned(address);
        uint second = cpu.ReadWordAligned(address + 4);
        if ((op.Extra & Writeback) != 0)
        {
            cpu.R[op.Rn & 15] = offsetAddress;
        }

        cpu.R[op.Rd & 15] = first;
        cpu.R[op.Ra & 15] = second;
    }

    public static void StoreDual(CortexMCpu cpu, ref Op op)
    {
        uint b = cpu.R[op.Rn & 15];
        uint offsetAddress = b + op.Imm;
        uint address = (op.Extra & PreIndex) != 0 ? offsetAddress : b;
        cpu.WriteWordAligned(address, cpu.R[op.Rd & 15]);
        cpu.WriteWordAligned(address + 4, cpu.R[op.Ra & 15]);
        if ((op.Extra & Writeback) != 0)
        {
            cpu.R[op.Rn & 15] = offsetAddress;
        }
    }

    /// <summary>LDMIA/LDMDB/POP: <c>Imm</c> = register list, <c>Amount</c> 1 = decrement before, <c>Extra</c> Writeback.</summary>
    public static void LoadMultiple(CortexMCpu cpu, ref Op op)
    {
        uint list = op.Imm;
        uint b = cpu.R[op.Rn & 15];
        uint size = (uint)BitOperations.PopCount(list) * 4;
        uint address = op.Amount != 0 ? b - size : b;

        // Read everything first so a fault leaves the registers untouched (the instruction restarts).
        Span<uint> values = stackalloc uint[16];
        for (uint l = list, a = address; l != 0; l &= l - 1, a += 4)
        {
            values[BitOperations.TrailingZeroCount(l)] = cpu.ReadWordAligned(a);
        }

        if ((op.Extra & Writeback) != 0 && (list & (1u << op.Rn)) == 0)
        {
            cpu.R[op.Rn & 15] = op.Amount != 0 ? b - size : b + size;
        }

        for (uint l = list & 0x7FFF; l != 0; l &= l - 1)
        {
            int r = BitOperations.TrailingZeroCount(l);
            cpu.R[r & 15] = values[r];
        }

        if ((list & 0x8000) != 0)
        {
            cpu.LoadWritePC(values[15]);
        }
    }

    /// <summary>STMIA/STMDB/PUSH: stores the registers' values from before any writeback.</summary>
    public static void StoreMultiple(CortexMCpu cpu, ref Op op)
    {
        uint list = op.Imm;
        uint b = cpu.R[op.Rn & 15];
        uint size = (uint)BitOperations.PopCount(list) * 4;
        uint address = op.Amount != 0 ? b - size : b;
        for (uint l = list; l != 0; l &= l - 1, address += 4)
        {
            cpu.WriteWordAligned(address, cpu.R[BitOperations.TrailingZeroCount(l) & 15]);
        }

        if ((op.Extra & Writeback) != 0)
        {
            cpu.R[op.Rn & 15] = op.Amount != 0 ? b - size : b + size;
        }
    }

    /// <summary>LDREX/LDREXB/LDREXH: <c>Extra</c> = size in bytes; opens the exclusive monitor.</summary>
    public static void LoadExclusive(CortexMCpu cpu, ref Op op)
    {
        uint address = cpu.R[op.Rn & 15] + op.Imm;
        CheckExclusiveAlignment(address, op.Extra);
        cpu.R[op.Rd & 15] = op.Extra switch
        {
            1 => cpu.ReadByte(address),
            2 => cpu.ReadHalf(address),
            _ => cpu.ReadWord(address),
        };
        cpu.MarkExclusive(address);
    }

    /// <summary>STREX* Rd(Ra), Rt(Rd), [Rn, #Imm]: stores only if the monitor is open for the address; Ra = 0 on success.</summary>
    public static void StoreExclusive(CortexMCpu cpu, ref Op op)
    {
        uint address = cpu.R[op.Rn & 15] + op.Imm;
        CheckExclusiveAlignment(address, op.Extra);
        if (!cpu.CheckAndClearExclusive(address))
        {
            cpu.R[op.Ra & 15] = 1;
            return;
        }

        uint value = cpu.R[op.Rd & 15];
        switch (op.Extra)
        {
            case 1:
                cpu.WriteByte(address, value);
                break;
            case 2:
                cpu.WriteHalf(address, value);
                break;
            default:
                cpu.WriteWord(address, value);
                break;
        }

        cpu.R[op.Ra & 15] = 0;
    }

    public static void ClearExclusive(CortexMCpu cpu, ref Op op) => cpu.ClearExclusiveMonitor();

    private static void CheckExclusiveAlignment(uint address, int size)
    {
        if ((address & (uint)(size - 1)) != 0)
        {
            throw new CortexMFaultException(FaultType.Unaligned, address);
        }
    }
}
