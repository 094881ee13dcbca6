using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using EdgeVisor.Emulation.Arm64.Decoding;

namespace EdgeVisor.Emulation.Arm64.Simd.Data;

/// <summary>
/// "Advanced SIMD permute" (UZP1/2, TRN1/2, ZIP1/2), "Advanced SIMD extract" (EXT) and "Advanced SIMD table
/// lookup" (TBL/TBX). Op fields: Size, A the lane count (permute) or byte offset (EXT) or table length (TBL),
/// B the "2" part (permute) or TBX flag, C = Q.
/// </summary>
internal static unsafe class SimdPermute
{
    /// <summary>0 Q 001110 size 0 Rm 0 opcode 10 Rn Rd.</summary>
    public static bool DecodePermute(uint raw, ref Op op)
    {
        bool q = ((raw >> 30) & 1) != 0;
        int size = (int)((raw >> 22) & 3);
        uint opcode = (raw >> 12) & 7;
        if ((opcode & 3) == 0 || (size == 3 && !q))
        {
            return false;
        }

        op.Size = (byte)size;
        op.A = (byte)VectorElements.Count(size, q);
        op.B = (byte)(opcode >> 2);
        op.C = (byte)(q ? 1 : 0);
        SetRegisters(raw, ref op);
        op.Handler = (opcode & 3) switch
        {
            1 => &Unzip,
            2 => &Transpose,
            _ => &Zip,
        };
        return true;
    }

    /// <summary>0 Q 101110 op2 0 Rm 0 imm4 0 Rn Rd (op2 = 00; a 64-bit EXT needs imm4 &lt; 8).</summary>
    public static bool DecodeExtract(uint raw, ref Op op)
    {
        bool q = ((raw >> 30) & 1) != 0;
        uint imm4 = (raw >> 11) & 0xF;
        if (!q && imm4 >= 8)
        {
            return false;
        }

        op.A = (byte)imm4;
        op.C = (byte)(q ? 1 : 0);
        SetRegisters(raw, ref op);
        op.Handler = &Extract;
        return true;
    }

    /// <summary>0 Q 001110 00 0 Rm 0 len op 00 Rn Rd.</summary>
    public static bool DecodeTableLookup(uint raw, ref Op op)
    {
        op.A = (byte)(((raw >> 13) & 3) + 1);
        op.B = (byte)((raw >> 12) & 1);
        op.C = (byte)((raw >> 30) & 1);
        SetRegisters(raw, ref op);
        op.Handler = &TableLookup;
        return true;
    }

    private static void SetRegisters(uint raw, ref Op op)
    {
        op.Rd = (byte)(raw & 0x1F);
        op.Rn = (byte)((raw >> 5) & 0x1F);
        op.Rm = (byte)((raw >> 16) & 0x1F);
    }

    private static void Unzip(Arm64Cpu cpu, ref Op op)
    {
        Vector128<byte> n = cpu.V[op.Rn];
        Vector128<byte> m = cpu.V[op.Rm];
        int size = op.Size;
        int lanes = op.A;
        Vector128<byte> result = Vector128<byte>.Zero;
        for (int i = 0; i < lanes; i++)
        {
            // Lane i takes lane 2i + part of the pair Vm:Vn (Vn first).
            int source = (2 * i) + op.B;
            ulong value = source < lanes ? VectorElements.Get(n, size, source) : VectorElements.Get(m, size, source - lanes);
            result = VectorElements.With(result, size, i, value);
        }

        cpu.SetVector(op.Rd, result, op.C != 0);
    }

    private static void Transpose(Arm64Cpu cpu, ref Op op)
    {
        Vector128<byte> n = cpu.V[op.Rn];
        Vector128<byte> m = cpu.V[op.Rm];
        int size = op.Size;
        Vector128<byte> result = Vector128<byte>.Zero;
        for (int pair = 0; pair < op.A; pair += 2)
        {
            result = VectorElements.With(result, size, pair, VectorElements.Get(n, size, pair + op.B));
            result = VectorElements.With(result, size, pair + 1, VectorElements.Get(m, size, pair + op.B));
        }

        cpu.SetVector(op.Rd, result, op.C != 0);
    }

    private static void Zip(Arm64Cpu cpu, ref Op op)
    {
        Vector128<byte> n = cpu.V[op.Rn];
        Vector128<byte> m = cpu.V[op.Rm];
        int size = op.Size;
        int half = op.A / 2;
        int first = op.B * half;
        Vector128<byte> result = Vector128<byte>.Zero;
        for (int i = 0; i < half; i++)
        {
            result = VectorElements.With(result, size, 2 * i, VectorElements.Get(n, size, first + i));
            result = VectorElements.With(result, size, (2 * i) + 1, VectorElements.Get(m, size, first + i));
        }

        cpu.SetVector(op.Rd, result, op.C != 0);
    }

    private static void Extract(Arm64Cpu cpu, ref Op op)
    {
        var bytes = new ByteTable();
        int length = op.C != 0 ? 16 : 8;
        Vector128<byte> n = cpu.V[op.Rn];
        Vector128<byte> m = cpu.V[op.Rm];
        for (int i = 0; i < length; i++)
        {
            bytes[i] = n.GetElement(i);
            bytes[length + i] = m.GetElement(i);
        }

        Vector128<byte> result = Vector128<byte>.Zero;
        for (int i = 0; i < length; i++)
        {
            result = result.WithElement(i, bytes[op.A + i]);
        }

        cpu.SetVector(op.Rd, result, op.C != 0);
    }

    private static void TableLookup(Arm64Cpu cpu, ref Op op)
    {
        // Read the whole table and the indices before writing: Vd may be one of them.
        var table = new ByteTable();
        int tableBytes = 16 * op.A;
        for (int r = 0; r < op.A; r++)
        {
            Vector128<byte> register = cpu.V[(op.Rn + r) & 31];
            for (int i = 0; i < 16; i++)
            {
                table[(16 * r) + i] = register.GetElement(i);
            }
        }

        Vector128<byte> indices = cpu.V[op.Rm];
        Vector128<byte> result = op.B != 0 ? cpu.V[op.Rd] : Vector128<byte>.Zero;
        int length = op.C != 0 ? 16 : 8;
        for (int i = 0; i < length; i++)
        {
            int index = indices.GetElement(i);
            if (index < tableBytes)
            {
                result = result.WithElement(i, table[index]);
            }
        }

        cpu.SetVector(op.Rd, result, op.C != 0);
    }

    /// <summary>64 bytes on the stack: up to four table registers, or an EXT pair.</summary>
    [InlineArray(64)]
    private struct ByteTable
    {
        private byte _element0;
    }
}
