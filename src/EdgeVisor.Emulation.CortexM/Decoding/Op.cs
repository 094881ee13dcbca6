using System.Runtime.InteropServices;

namespace EdgeVisor.Emulation.CortexM.Decoding;

/// <summary>
/// One pre-decoded instruction: its operands and the handler that executes it. Decoded once,
/// executed many times from a cached <see cref="Block"/>. The layout is independent of the
/// interpreter so a later compiling tier can read the same ops. 32 bytes.
/// </summary>
[StructLayout(LayoutKind.Sequential)]
public unsafe struct Op
{
    /// <summary>Executes the instruction. R15 already holds <see cref="Address"/> + 4 (the Thumb PC value).</summary>
    public delegate*<CortexMCpu, ref Op, void> Handler;

    /// <summary>Address of the instruction.</summary>
    public uint Address;

    /// <summary>Immediate, precomputed literal address, branch target or register list, per handler.</summary>
    public uint Imm;

    /// <summary>The encoding: a 16-bit instruction in the low half, a 32-bit one as (hw1 &lt;&lt; 16) | hw2.</summary>
    public uint Raw;

    /// <summary>Destination register (also Rt for loads/stores, RdLo for long multiplies).</summary>
    public byte Rd;

    /// <summary>First operand / base register.</summary>
    public byte Rn;

    /// <summary>Second operand / offset register.</summary>
    public byte Rm;

    /// <summary>Third register: accumulator, Rt2, RdHi, STREX status register.</summary>
    public byte Ra;

    /// <summary>Shift type of the second operand (see <see cref="ShiftType"/>).</summary>
    public byte Shift;

    /// <summary>Shift amount (immediate shifts) or a small extra field (e.g. rotation, bit-field width).</summary>
    public byte Amount;

    /// <summary>Condition (0..13) or <see cref="Conditions.Always"/>; the loop skips the op when it fails.</summary>
    public byte Cond;

    /// <summary>2 or 4.</summary>
    public byte Length;

    /// <summary>ITSTATE in force while this instruction executes (restored into the CPU on a fault or a mid-block stop).</summary>
    public byte ItState;

    /// <summary>Position of the op in its block, so a mid-block device access can bring time up to date.</summary>
    public byte Index;

    /// <summary>1 when the instruction updates the flags (the S bit, outside IT for 16-bit forms).</summary>
    public byte SetFlags;

    /// <summary>Free per-handler byte (e.g. carry-out of a modified immediate: 0 unchanged, 1 clear, 2 set).</summary>
    public byte Extra;
}

/// <summary>Shift types as encoded in Thumb (type field), plus RRX.</summary>
public static class ShiftType
{
    public const byte Lsl = 0;
    public const byte Lsr = 1;
    public const byte Asr = 2;
    public const byte Ror = 3;
    public const byte Rrx = 4;
}

/// <summary>Condition codes.</summary>
public static class Conditions
{
    /// <summary>AL: the loop executes the op without testing flags.</summary>
    public const byte Always = 14;
}
