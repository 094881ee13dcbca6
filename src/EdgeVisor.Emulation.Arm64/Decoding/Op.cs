using System.Runtime.InteropServices;

namespace EdgeVisor.Emulation.Arm64.Decoding;

/// <summary>
/// One pre-decoded A64 instruction: its operands and the handler that executes it. Decoded once, executed many
/// times from a cached <see cref="Block"/>. The layout belongs to no executor, so a compiling tier can read the
/// same ops. Field meanings are per handler; the comments give the usual ones. 40 bytes.
/// </summary>
[StructLayout(LayoutKind.Sequential)]
public unsafe struct Op
{
    /// <summary>Executes the instruction. <see cref="Arm64Cpu.Pc"/> is only written by ops that branch.</summary>
    public delegate*<Arm64Cpu, ref Op, void> Handler;

    /// <summary>Address of the instruction (PC-relative forms precompute their targets into <see cref="Imm"/>).</summary>
    public ulong Address;

    /// <summary>Immediate, decoded bit mask, branch target, literal address or offset.</summary>
    public ulong Imm;

    /// <summary>The 32-bit encoding.</summary>
    public uint Raw;

    /// <summary>Destination (Rd/Rt/Vd). General registers use the slot numbering of <see cref="Reg"/>.</summary>
    public byte Rd;

    /// <summary>First source or base register (Rn/Vn).</summary>
    public byte Rn;

    /// <summary>Second source or offset register (Rm/Vm).</summary>
    public byte Rm;

    /// <summary>Third register: Ra, Rt2, Rs (status or compare value).</summary>
    public byte Ra;

    /// <summary>Operand or element size as the handler defines it (e.g. log2 bytes, or 1 for 64-bit forms).</summary>
    public byte Size;

    /// <summary>Shift or extend type.</summary>
    public byte Shift;

    /// <summary>Shift amount, element count, lane index or another small field.</summary>
    public byte Amount;

    /// <summary>Condition code (0..15) for B.cond, CSEL, CCMP, FCSEL, FCCMP.</summary>
    public byte Cond;

    /// <summary><see cref="OpFlags"/>.</summary>
    public byte Flags;

    /// <summary>Free per-handler bytes.</summary>
    public byte A;

    public byte B;

    public byte C;
}

/// <summary>Decoder-level facts about an op.</summary>
public static class OpFlags
{
    /// <summary>The op may change the PC or needs the run loop afterwards (branches, SVC, BRK, undefined, ISB): the block ends with it.</summary>
    public const byte EndsBlock = 1;

    /// <summary>The op sets the NZCV flags.</summary>
    public const byte SetsFlags = 2;
}

/// <summary>
/// General-register slots in <see cref="Arm64Cpu.X"/>. Encoding 31 means SP or XZR depending on the instruction;
/// decoders map it to <see cref="Sp"/> or to <see cref="Zero"/> (as a source) / <see cref="Discard"/> (as a
/// destination), so handlers never test for register 31.
/// </summary>
public static class Reg
{
    public const byte Sp = 31;

    /// <summary>Reads as zero; nothing ever writes it.</summary>
    public const byte Zero = 32;

    /// <summary>Writes to XZR land here and are never read.</summary>
    public const byte Discard = 33;

    /// <summary>Register field as a source where 31 is XZR.</summary>
    public static byte ZrSource(uint field) => field == 31 ? Zero : (byte)field;

    /// <summary>Register field as a destination where 31 is XZR.</summary>
    public static byte ZrDestination(uint field) => field == 31 ? Discard : (byte)field;

    /// <summary>Register field where 31 is SP.</summary>
    public static byte SpOrRegister(uint field) => (byte)field;
}
