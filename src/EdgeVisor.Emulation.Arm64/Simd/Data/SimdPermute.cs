using System.Runtime.Intrinsics;
using EdgeVisor.Emulation.Arm64.Decoding;

namespace EdgeVisor.Emulation.Arm64.Simd.Data;

/// <summary>
/// "Advanced SIMD permute" (UZP1/2, TRN1/2, ZIP1/2), "Advanced SIMD extract" (EXT) and "Advanced SIMD table
/// lookup" (TBL/TBX). Permutes and EXT are byte shuffles of the pair Vn (bytes 0..15) : Vm (bytes 16..31); the
/// shuffle for each form is computed once from the lane definition. Op fields: <see cref="Op.Imm"/> the shuffle's
/// index in <see cref="Shuffles"/>; for TBL/TBX, A the number of table registers and B = 1 for TBX; C = Q.
/// </summary>
internal static unsafe class SimdPermute
{
    private const int ExtractBase = 48;

    /// <summary>
    /// Per form, the source byte of every result byte (0..31; 0xFF makes a zero byte). Permutes at
    /// ((kind − 1) · 2 + part) · 8 + size · 2 + Q with kind UZP 1, TRN 2, ZIP 3; EXT at 48 + Q · 16 + imm4.
    /// </summary>
    private static readonly Vector128<byte>[] Shuffles = BuildShuffles();

    /// <summary>0 Q 001110 size 0 Rm 0 opcode 10 Rn Rd.</summary>
    public static bool DecodePermute(uint raw, ref Op op)
    {
        uint q = (raw >> 30) & 1;
        uint size = (raw >> 22) & 3;
        uint opcode = (raw >> 12) & 7;
        if ((opcode & 3) == 0 || (size == 3 && q == 0))
        {
            return false;
        }

        op.Imm = (((((opcode & 3) - 1) * 2) + (opcode >> 2)) * 8) + (size * 2) + q;
        op.C = (byte)q;
        SetRegisters(raw, ref op);
        op.Handler = &Shuffle;
        return true;
    }

    /// <summary>0 Q 101110 op2 0 Rm 0 imm4 0 Rn Rd (op2 = 00; a 64-bit EXT needs imm4 &lt; 8).</summary>
    public static bool DecodeExtract(uint raw, ref Op op)
    {
        uint q = (raw >> 30) & 1;
        uint imm4 = (raw >> 11) & 0xF;
        if (q == 0 && imm4 >= 8)
        {
            return false;
        }

        op.Imm = ExtractBase + (q * 16) + imm4;
        op.C = (byte)q;
        SetRegisters(raw, ref op);
        op.Handler = &Shuffle;
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

    private static void Shuffle(Arm64Cpu cpu, ref Op op)
    {
        // Indices 16..31 are out of range for Vn (zero) and, less 16, select from Vm; 0..15 wrap out of range for Vm.
        Vector128<byte> indices = Shuffles[op.Imm];
        Vector128<byte> result = Vector128.Shuffle(cpu.V[op.Rn], indices) | Vector128.Shuffle(cpu.V[op.Rm], indices - Vector128.Create((byte)16));
        cpu.SetVector(op.Rd, result, op.C != 0);
    }

    private static void TableLookup(Arm64Cpu cpu, ref Op op)
    {
        // Read the table and the indices before writing: Vd may be one of them. Shuffle gives 0 for indices ≥ 16,
        // and subtracting 16·r wraps smaller indices out of range, so each register contributes only its own bytes.
        Vector128<byte> indices = cpu.V[op.Rm];
        Vector128<byte> result = Vector128<byte>.Zero;
        Vector128<byte> step = Vector128.Create((byte)16);
        Vector128<byte> local = indices;
        for (int r = 0; r < op.A; r++)
        {
            result |= Vector128.Shuffle(cpu.V[(op.Rn + r) & 31], local);
            local -= step;
        }

        if (op.B != 0)
        {
            Vector128<byte> outOfRange = Vector128.GreaterThanOrEqual(indices, Vector128.Create((byte)(16 * op.A)));
            result |= cpu.V[op.Rd] & outOfRange;
        }

        cpu.SetVector(op.Rd, result, op.C != 0);
    }

    private static Vector128<byte>[] BuildShuffles()
    {
        var shuffles = new Vector128<byte>[ExtractBase + 32];
        for (int kind = 1; kind <= 3; kind++)
        {
            for (int part = 0; part < 2; part++)
            {
                for (int size = 0; size < 4; size++)
                {
                    for (int q = 0; q < 2; q++)
                    {
                        shuffles[((((kind - 1) * 2) + part) * 8) + (size * 2) + q] = PermuteIndices(kind, part, size, q != 0);
                    }
                }
            }
        }

        for (int q = 0; q < 2; q++)
        {
            for (int imm4 = 0; imm4 < 16; imm4++)
            {
                shuffles[ExtractBase + (q * 16) + imm4] = ExtractIndices(imm4, q != 0);
            }
        }

        return shuffles;
    }

    /// <summary>The permute's definition (ARM ARM UZP/TRN/ZIP pseudocode) applied to the byte positions themselves.</summary>
    private static Vector128<byte> PermuteIndices(int kind, int part, int size, bool q)
    {
        byte[] n = new byte[16];
        byte[] m = new byte[16];
        byte[] result = new byte[16];
        for (int i = 0; i < 16; i++)
        {
            n[i] = (byte)i;
            m[i] = (byte)(16 + i);
            result[i] = 0xFF;
        }

        int lanes = VectorElements.Count(size, q);
        int bytes = 1 << size;
        for (int lane = 0; lane < lanes; lane++)
        {
            // Source lane of result lane `lane`, counted in the pair (Vn lanes first, then Vm lanes).
            int source = kind switch
            {
                1 => (2 * lane) + part,                                                   // UZP
                2 => (lane & 1) == 0 ? lane + part : lanes + (lane - 1) + part,           // TRN
                _ => (lane & 1) == 0 ? (part * lanes / 2) + (lane / 2) : lanes + (part * lanes / 2) + (lane / 2), // ZIP
            };
            for (int b = 0; b < bytes; b++)
            {
                result[(lane * bytes) + b] = source < lanes ? n[(source * bytes) + b] : m[((source - lanes) * bytes) + b];
            }
        }

        return Vector128.Create(result);
    }

    /// <summary>EXT: bytes imm4.. of Vm:Vn (Vn lowest), over 8 or 16 bytes per register.</summary>
    private static Vector128<byte> ExtractIndices(int imm4, bool q)
    {
        int length = q ? 16 : 8;
        byte[] result = new byte[16];
        for (int i = 0; i < 16; i++)
        {
            int source = imm4 + i;
            result[i] = i >= length || (!q && imm4 >= 8) ? (byte)0xFF : source < length ? (byte)source : (byte)(16 + source - length);
        }

        return Vector128.Create(result);
    }
}
