using System.Runtime.Intrinsics;
using EdgeVisor.Emulation.Arm64.Decoding;
using EdgeVisor.Emulation.Arm64.Simd;

namespace EdgeVisor.Emulation.Arm64.LoadStore.Structures;

/// <summary>
/// LD1–LD4/ST1–ST4 (multiple structures, single structure to one lane) and LD1R–LD4R. Registers are consecutive
/// modulo 32 from Vt (<see cref="Op.Rd"/>). Operand fields: <see cref="Op.Size"/> = log2 element bytes,
/// <see cref="Op.A"/> = elements per structure (selem), <see cref="Op.C"/> = register repeat count of LD1/ST1 with
/// several registers (rpt), <see cref="Op.Shift"/> = Q, <see cref="Op.Amount"/> = lane index (single structure),
/// <see cref="Op.Cond"/> = bytes transferred. Memory moves through <see cref="StructureTransfer"/>, so a faulting
/// instruction writes no register and no memory.
/// </summary>
internal static class StructureHandlers
{
    public static void LoadMultiple(Arm64Cpu cpu, ref Op op)
    {
        Span<byte> memory = stackalloc byte[64];
        memory = memory[..op.Cond];
        StructureTransfer.Read(cpu.Memory, cpu.X[op.Rn], memory);

        int registers = op.A * op.C;
        Span<byte> lanes = stackalloc byte[64];
        lanes.Clear();
        Deinterleave(memory, lanes, op.A, op.Size, op.Shift != 0);
        for (int r = 0; r < registers; r++)
        {
            cpu.V[(op.Rd + r) & 31] = Vector128.Create<byte>(lanes.Slice(r * 16, 16));
        }

        StructureTransfer.WriteBack(cpu, ref op);
    }

    public static void StoreMultiple(Arm64Cpu cpu, ref Op op)
    {
        int registers = op.A * op.C;
        Span<byte> lanes = stackalloc byte[64];
        for (int r = 0; r < registers; r++)
        {
            cpu.V[(op.Rd + r) & 31].CopyTo(lanes.Slice(r * 16, 16));
        }

        Span<byte> memory = stackalloc byte[64];
        memory = memory[..op.Cond];
        Interleave(lanes, memory, op.A, op.Size, op.Shift != 0);
        StructureTransfer.Write(cpu.Memory, cpu.X[op.Rn], memory);
        StructureTransfer.WriteBack(cpu, ref op);
    }

    /// <summary>LDn to lane <see cref="Op.Amount"/> of n registers; the other lanes keep their values.</summary>
    public static void LoadLane(Arm64Cpu cpu, ref Op op)
    {
        Span<byte> memory = stackalloc byte[64];
        memory = memory[..op.Cond];
        StructureTransfer.Read(cpu.Memory, cpu.X[op.Rn], memory);
        int bytes = 1 << op.Size;
        for (int s = 0; s < op.A; s++)
        {
            int t = (op.Rd + s) & 31;
            cpu.V[t] = VectorElements.With(cpu.V[t], op.Size, op.Amount, Element(memory.Slice(s * bytes, bytes)));
        }

        StructureTransfer.WriteBack(cpu, ref op);
    }

    public static void StoreLane(Arm64Cpu cpu, ref Op op)
    {
        Span<byte> memory = stackalloc byte[64];
        memory = memory[..op.Cond];
        int bytes = 1 << op.Size;
        for (int s = 0; s < op.A; s++)
        {
            ulong value = VectorElements.Get(cpu.V[(op.Rd + s) & 31], op.Size, op.Amount);
            for (int k = 0; k < bytes; k++)
            {
                memory[(s * bytes) + k] = (byte)(value >> (8 * k));
            }
        }

        StructureTransfer.Write(cpu.Memory, cpu.X[op.Rn], memory);
        StructureTransfer.WriteBack(cpu, ref op);
    }

    /// <summary>LDnR: each element read goes to every lane of its register (the upper half is cleared when Q = 0).</summary>
    public static void LoadReplicate(Arm64Cpu cpu, ref Op op)
    {
        Span<byte> memory = stackalloc byte[64];
        memory = memory[..op.Cond];
        StructureTransfer.Read(cpu.Memory, cpu.X[op.Rn], memory);
        int bytes = 1 << op.Size;
        bool q = op.Shift != 0;
        for (int s = 0; s < op.A; s++)
        {
            ulong value = Element(memory.Slice(s * bytes, bytes));
            var replicated = op.Size switch
            {
                0 => Vector128.Create((byte)value),
                1 => Vector128.Create((ushort)value).AsByte(),
                2 => Vector128.Create((uint)value).AsByte(),
                _ => Vector128.Create(value).AsByte(),
            };
            cpu.SetVector((op.Rd + s) & 31, replicated, q);
        }

        StructureTransfer.WriteBack(cpu, ref op);
    }

    /// <summary>Memory order is structure by structure (element e of register s at (e*selem + s)*bytes); register order is lane by lane.</summary>
    private static void Deinterleave(ReadOnlySpan<byte> memory, Span<byte> lanes, int selem, int size, bool q)
    {
        if (selem == 1)
        {
            // LD1 with 1-4 registers: each register is a contiguous 8- or 16-byte run.
            int registerBytes = q ? 16 : 8;
            for (int r = 0; r * registerBytes < memory.Length; r++)
            {
                memory.Slice(r * registerBytes, registerBytes).CopyTo(lanes.Slice(r * 16));
            }

            return;
        }

        int bytes = 1 << size;
        int elements = (q ? 16 : 8) >> size;
        for (int e = 0; e < elements; e++)
        {
            for (int s = 0; s < selem; s++)
            {
                memory.Slice(((e * selem) + s) * bytes, bytes).CopyTo(lanes.Slice((s * 16) + (e * bytes)));
            }
        }
    }

    private static void Interleave(ReadOnlySpan<byte> lanes, Span<byte> memory, int selem, int size, bool q)
    {
        if (selem == 1)
        {
            int registerBytes = q ? 16 : 8;
            for (int r = 0; r * registerBytes < memory.Length; r++)
            {
                lanes.Slice(r * 16, registerBytes).CopyTo(memory.Slice(r * registerBytes));
            }

            return;
        }

        int bytes = 1 << size;
        int elements = (q ? 16 : 8) >> size;
        for (int e = 0; e < elements; e++)
        {
            for (int s = 0; s < selem; s++)
            {
                lanes.Slice((s * 16) + (e * bytes), bytes).CopyTo(memory.Slice(((e * selem) + s) * bytes));
            }
        }
    }

    private static ulong Element(ReadOnlySpan<byte> bytes)
    {
        ulong value = 0;
        for (int k = bytes.Length - 1; k >= 0; k--)
        {
            value = (value << 8) | bytes[k];
        }

        return value;
    }
}
