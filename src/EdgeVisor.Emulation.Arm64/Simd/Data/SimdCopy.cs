using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using EdgeVisor.Emulation.Arm64.Decoding;

namespace EdgeVisor.Emulation.Arm64.Simd.Data;

/// <summary>
/// "Advanced SIMD copy" (DUP element/general, INS general/element, SMOV, UMOV) and "Advanced SIMD scalar copy"
/// (DUP element to scalar). imm5's lowest set bit gives the element size, the bits above it the index.
/// Op fields: Size, A the destination (or only) index, B the source index of INS (element), C = Q.
/// </summary>
internal static unsafe class SimdCopy
{
    /// <summary>0 Q op 01110000 imm5 0 imm4 1 Rn Rd.</summary>
    public static bool DecodeVector(uint raw, ref Op op)
    {
        bool q = ((raw >> 30) & 1) != 0;
        uint isInsertElement = (raw >> 29) & 1;
        uint imm5 = (raw >> 16) & 0x1F;
        uint imm4 = (raw >> 11) & 0xF;
        if ((imm5 & 0xF) == 0)
        {
            return false;
        }

        int size = System.Numerics.BitOperations.TrailingZeroCount(imm5);
        op.Size = (byte)size;
        op.A = (byte)(imm5 >> (size + 1));
        op.C = (byte)(q ? 1 : 0);
        op.Rd = (byte)(raw & 0x1F);
        op.Rn = (byte)((raw >> 5) & 0x1F);
        if (isInsertElement != 0)
        {
            if (!q)
            {
                return false;
            }

            op.B = (byte)(imm4 >> size);
            op.Handler = &InsertElement;
            return true;
        }

        switch (imm4)
        {
            case 0b0000 when size < 3 || q:
                op.Handler = &DuplicateElement;
                return true;
            case 0b0001 when size < 3 || q:
                op.Rn = Reg.ZrSource((raw >> 5) & 0x1F);
                op.Handler = &DuplicateGeneral;
                return true;
            case 0b0011 when q:
                op.Rn = Reg.ZrSource((raw >> 5) & 0x1F);
                op.Handler = &InsertGeneral;
                return true;
            case 0b0101 when q ? size < 3 : size < 2: // SMOV to W takes B/H, to X takes B/H/S
                op.Rd = Reg.ZrDestination(raw & 0x1F);
                op.Handler = q ? &SignedMoveToX : &SignedMoveToW;
                return true;
            case 0b0111 when q ? size == 3 : size < 3: // UMOV to W takes B/H/S, to X only D
                op.Rd = Reg.ZrDestination(raw & 0x1F);
                op.Handler = &UnsignedMove;
                return true;
            default:
                return false;
        }
    }

    /// <summary>01 op 11110000 imm5 0 imm4 1 Rn Rd: only op = 0, imm4 = 0 (DUP element to scalar) is allocated.</summary>
    public static bool DecodeScalar(uint raw, ref Op op)
    {
        uint imm5 = (raw >> 16) & 0x1F;
        if (((raw >> 29) & 1) != 0 || ((raw >> 11) & 0xF) != 0 || (imm5 & 0xF) == 0)
        {
            return false;
        }

        int size = System.Numerics.BitOperations.TrailingZeroCount(imm5);
        op.Size = (byte)size;
        op.A = (byte)(imm5 >> (size + 1));
        op.Rd = (byte)(raw & 0x1F);
        op.Rn = (byte)((raw >> 5) & 0x1F);
        op.Handler = &DuplicateToScalar;
        return true;
    }

    private static void DuplicateElement(Arm64Cpu cpu, ref Op op) =>
        cpu.SetVector(op.Rd, Replicate(Lane(ref cpu.V[op.Rn], op.Size, op.A), op.Size), op.C != 0);

    private static void DuplicateGeneral(Arm64Cpu cpu, ref Op op) =>
        cpu.SetVector(op.Rd, Replicate(cpu.X[op.Rn], op.Size), op.C != 0);

    private static void InsertGeneral(Arm64Cpu cpu, ref Op op) => SetLane(ref cpu.V[op.Rd], op.Size, op.A, cpu.X[op.Rn]);

    private static void InsertElement(Arm64Cpu cpu, ref Op op) => SetLane(ref cpu.V[op.Rd], op.Size, op.A, Lane(ref cpu.V[op.Rn], op.Size, op.B));

    private static void UnsignedMove(Arm64Cpu cpu, ref Op op) => cpu.X[op.Rd] = Lane(ref cpu.V[op.Rn], op.Size, op.A);

    private static void SignedMoveToW(Arm64Cpu cpu, ref Op op) => cpu.X[op.Rd] = (uint)LaneMath.SignExtend(Lane(ref cpu.V[op.Rn], op.Size, op.A), op.Size);

    private static void SignedMoveToX(Arm64Cpu cpu, ref Op op) => cpu.X[op.Rd] = (ulong)LaneMath.SignExtend(Lane(ref cpu.V[op.Rn], op.Size, op.A), op.Size);

    private static void DuplicateToScalar(Arm64Cpu cpu, ref Op op) => cpu.SetD(op.Rd, Lane(ref cpu.V[op.Rn], op.Size, op.A));

    /// <summary>Lane <paramref name="index"/> read in place (the decoder bounded the index by the register size).</summary>
    private static ulong Lane(ref Vector128<byte> register, int size, int index)
    {
        ref byte first = ref Unsafe.As<Vector128<byte>, byte>(ref register);
        ref byte lane = ref Unsafe.Add(ref first, index << size);
        return size switch
        {
            0 => lane,
            1 => Unsafe.ReadUnaligned<ushort>(ref lane),
            2 => Unsafe.ReadUnaligned<uint>(ref lane),
            _ => Unsafe.ReadUnaligned<ulong>(ref lane),
        };
    }

    /// <summary>Writes lane <paramref name="index"/> in place, leaving the rest of the register.</summary>
    private static void SetLane(ref Vector128<byte> register, int size, int index, ulong value)
    {
        ref byte lane = ref Unsafe.Add(ref Unsafe.As<Vector128<byte>, byte>(ref register), index << size);
        switch (size)
        {
            case 0:
                lane = (byte)value;
                break;
            case 1:
                Unsafe.WriteUnaligned(ref lane, (ushort)value);
                break;
            case 2:
                Unsafe.WriteUnaligned(ref lane, (uint)value);
                break;
            default:
                Unsafe.WriteUnaligned(ref lane, value);
                break;
        }
    }

    /// <summary>The low element bits of <paramref name="value"/> in every lane.</summary>
    private static Vector128<byte> Replicate(ulong value, int size) => size switch
    {
        0 => Vector128.Create((byte)value),
        1 => Vector128.Create((ushort)value).AsByte(),
        2 => Vector128.Create((uint)value).AsByte(),
        _ => Vector128.Create(value).AsByte(),
    };
}
