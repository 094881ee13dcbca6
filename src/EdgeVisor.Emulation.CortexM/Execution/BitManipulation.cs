using EdgeVisor.Emulation.CortexM.Decoding;

namespace EdgeVisor.Emulation.CortexM.Execution;

/// <summary>Bit and byte manipulation: CLZ, RBIT, REV*, extends, bit fields, saturation, MOVW/MOVT.</summary>
internal static class BitManipulation
{
    public static void Clz(CortexMCpu cpu, ref Op op) => cpu.R[op.Rd & 15] = (uint)System.Numerics.BitOperations.LeadingZeroCount(cpu.R[op.Rm & 15]);

    public static void Rbit(CortexMCpu cpu, ref Op op)
    {
        uint v = cpu.R[op.Rm & 15];
        v = ((v >> 1) & 0x55555555) | ((v & 0x55555555) << 1);
        v = ((v >> 2) & 0x33333333) | ((v & 0x33333333) << 2);
        v = ((v >> 4) & 0x0F0F0F0F) | ((v & 0x0F0F0F0F) << 4);
        cpu.R[op.Rd & 15] = System.Buffers.Binary.BinaryPrimitives.ReverseEndianness(v);
    }

    public static void Rev(CortexMCpu cpu, ref Op op) =>
        cpu.R[op.Rd & 15] = System.Buffers.Binary.BinaryPrimitives.ReverseEndianness(cpu.R[op.Rm & 15]);

    public static void Rev16(CortexMCpu cpu, ref Op op)
    {
        uint v = cpu.R[op.Rm & 15];
        cpu.R[op.Rd & 15] = ((v & 0x00FF00FF) << 8) | ((v >> 8) & 0x00FF00FF);
    }

    public static void Revsh(CortexMCpu cpu, ref Op op)
    {
        uint v = cpu.R[op.Rm & 15];
        cpu.R[op.Rd & 15] = (uint)(short)(ushort)(((v & 0xFF) << 8) | ((v >> 8) & 0xFF));
    }

    /// <summary>SXTB/SXTH/UXTB/UXTH with rotation <c>Amount</c> (0, 8, 16, 24); <c>Extra</c>: 0 SXTB, 1 SXTH, 2 UXTB, 3 UXTH; Rn != 15 adds Rn (SXTAB...).</summary>
    public static void Extend(CortexMCpu cpu, ref Op op)
    {
        uint v = uint.RotateRight(cpu.R[op.Rm & 15], op.Amount);
        v = op.Extra switch
        {
            0 => (uint)(sbyte)v,
            1 => (uint)(short)v,
            2 => v & 0xFF,
            _ => v & 0xFFFF,
        };
        cpu.R[op.Rd & 15] = op.Rn == 15 ? v : cpu.R[op.Rn & 15] + v;
    }

    /// <summary>UBFX: <c>Amount</c> = lsb, <c>Imm</c> = width.</summary>
    public static void Ubfx(CortexMCpu cpu, ref Op op)
    {
        uint v = cpu.R[op.Rn & 15] >> op.Amount;
        cpu.R[op.Rd & 15] = op.Imm >= 32 ? v : v & ((1u << (int)op.Imm) - 1);
    }

    public static void Sbfx(CortexMCpu cpu, ref Op op)
    {
        int width = (int)op.Imm;
        int v = (int)(cpu.R[op.Rn & 15] << (32 - op.Amount - width));
        cpu.R[op.Rd & 15] = (uint)(v >> (32 - width));
    }

    /// <summary>BFI (Rn != 15) / BFC: <c>Amount</c> = lsb, <c>Imm</c> = mask of the field in place.</summary>
    public static void Bfi(CortexMCpu cpu, ref Op op)
    {
        uint mask = op.Imm;
        uint insert = op.Rn == 15 ? 0 : (cpu.R[op.Rn & 15] << op.Amount) & mask;
        cpu.R[op.Rd & 15] = (cpu.R[op.Rd & 15] & ~mask) | insert;
    }

    /// <summary>SSAT Rd, #Imm, Rn{, shift}: saturates to Imm bits signed, sets Q on saturation.</summary>
    public static void Ssat(CortexMCpu cpu, ref Op op)
    {
        bool carry = cpu.C;
        long value = (int)Shifter.Shift(cpu.R[op.Rn & 15], op.Shift, op.Amount, ref carry);
        long max = (1L << ((int)op.Imm - 1)) - 1;
        long min = -(1L << ((int)op.Imm - 1));
        if (value > max || value < min)
        {
            value = value > max ? max : min;
            cpu.Q = true;
        }

        cpu.R[op.Rd & 15] = (uint)value;
    }

    /// <summary>USAT Rd, #Imm, Rn{, shift}: saturates to Imm bits unsigned, sets Q on saturation.</summary>
    public static void Usat(CortexMCpu cpu, ref Op op)
    {
        bool carry = cpu.C;
        long value = (int)Shifter.Shift(cpu.R[op.Rn & 15], op.Shift, op.Amount, ref carry);
        long max = (1L << (int)op.Imm) - 1;
        if (value > max || value < 0)
        {
            value = value > max ? max : 0;
            cpu.Q = true;
        }

        cpu.R[op.Rd & 15] = (uint)value;
    }

    /// <summary>MOVT: writes the top half, keeps the bottom.</summary>
    public static void Movt(CortexMCpu cpu, ref Op op) => cpu.R[op.Rd & 15] = (cpu.R[op.Rd & 15] & 0xFFFF) | (op.Imm << 16);
}
