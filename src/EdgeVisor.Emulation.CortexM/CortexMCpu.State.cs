using System.Runtime.CompilerServices;

namespace EdgeVisor.Emulation.CortexM;

/// <summary>Sixteen core registers; indexing with a value masked to 0..15 compiles without a bounds check.</summary>
[InlineArray(16)]
public struct RegisterFile
{
    private uint _element0;
}

/// <summary>Thirty-two single-precision FP registers S0..S31 as raw bits (D0..D15 are pairs of them).</summary>
[InlineArray(32)]
public struct FpRegisterFile
{
    private uint _element0;
}

/// <summary>Architectural state of an M-profile core. Execution, exceptions and the system block live in the other parts of this class.</summary>
public sealed partial class CortexMCpu
{
    /// <summary>R0..R15. R13 is the active stack pointer; R15 is only meaningful between blocks (see <see cref="Pc"/>).</summary>
    public RegisterFile R;

    /// <summary>S0..S31 bit patterns.</summary>
    public FpRegisterFile S;

    // APSR flags, one field each so instructions set them without masking.
    public bool N;
    public bool Z;
    public bool C;
    public bool V;
    public bool Q;

    /// <summary>APSR.GE[3:0] (DSP extension).</summary>
    public uint GE;

    /// <summary>IPSR: number of the exception being handled, 0 in Thread mode.</summary>
    public uint Ipsr;

    /// <summary>EPSR.IT bits (ITSTATE) between blocks; inside a block the decoder has already applied them.</summary>
    public uint ItState;

    /// <summary>EPSR.T. Clearing it (BX to an even address) makes the next instruction fault with INVSTATE.</summary>
    public bool Thumb = true;

    /// <summary>CONTROL: bit0 nPRIV, bit1 SPSEL, bit2 FPCA.</summary>
    public uint Control;

    public bool Primask;
    public bool Faultmask;
    public uint Basepri;

    /// <summary>The stack pointer not currently in R13 (PSP while MSP is active and vice versa).</summary>
    public uint OtherSp;

    public uint Fpscr;

    public CortexMModel CpuModel { get; }

    public bool Handler => Ipsr != 0;

    /// <summary>Set only while an LDRT/STRT access is under way: that access is judged as unprivileged.</summary>
    internal bool UnprivilegedAccess;

    /// <summary>Whether the code running now is privileged (Handler mode always is), for the access under way.</summary>
    public bool Privileged => (Handler || (Control & 1) == 0) && !UnprivilegedAccess;

    /// <summary>True when R13 is PSP (Thread mode with CONTROL.SPSEL set).</summary>
    public bool UsingPsp => !Handler && (Control & 2) != 0;

    public uint Msp
    {
        get => UsingPsp ? OtherSp : R[13];
        set
        {
            if (UsingPsp)
            {
                OtherSp = value & ~3u;
            }
            else
            {
                R[13] = value & ~3u;
            }
        }
    }

    public uint Psp
    {
        get => UsingPsp ? R[13] : OtherSp;
        set
        {
            if (UsingPsp)
            {
                R[13] = value & ~3u;
            }
            else
            {
                OtherSp = value & ~3u;
            }
        }
    }

    /// <summary>Program counter (address of the next instruction to execute) between blocks.</summary>
    public uint Pc
    {
        get => R[15];
        set => R[15] = value;
    }

    /// <summary>APSR N,Z,C,V,Q and GE packed as in xPSR bits 31..16.</summary>
    public uint Apsr
    {
        get => (N ? 1u << 31 : 0) | (Z ? 1u << 30 : 0) | (C ? 1u << 29 : 0) | (V ? 1u << 28 : 0) | (Q ? 1u << 27 : 0) | ((GE & 0xF) << 16);
        set
        {
            N = (value & (1u << 31)) != 0;
            Z = (value & (1u << 30)) != 0;
            C = (value & (1u << 29)) != 0;
            V = (value & (1u << 28)) != 0;
            Q = (value & (1u << 27)) != 0;
            GE = (value >> 16) & 0xF;
        }
    }

    /// <summary>The combined xPSR: APSR, EPSR (T and ICI/IT) and IPSR.</summary>
    public uint Xpsr
    {
        get => Apsr | (Thumb ? 1u << 24 : 0) | ((ItState & 3) << 25) | ((ItState >> 2) << 10) | Ipsr;
        set
        {
            Apsr = value;
            Thumb = (value & (1u << 24)) != 0;
            ItState = ((value >> 25) & 3) | (((value >> 10) & 0x3F) << 2);
            Ipsr = value & 0x1FF;
        }
    }

    /// <summary>ARM condition code test against the current flags (cond 14 and 15 pass).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool ConditionPassed(int cond)
    {
        // A table lookup instead of a switch: the switch compiled to an indirect jump that mispredicted on
        // every conditional branch, the commonest block ending.
        uint nzcv = ((uint)Unsafe.As<bool, byte>(ref N) << 3) | ((uint)Unsafe.As<bool, byte>(ref Z) << 2)
            | ((uint)Unsafe.As<bool, byte>(ref C) << 1) | Unsafe.As<bool, byte>(ref V);
        return ((ConditionTable[cond & 15] >> (int)nzcv) & 1) != 0;
    }

    /// <summary>Bit f of entry c is set when condition c passes with the flags N,Z,C,V = bits 3..0 of f.</summary>
    private static ReadOnlySpan<ushort> ConditionTable =>
    [
        0xF0F0, 0x0F0F, 0xCCCC, 0x3333, 0xFF00, 0x00FF, 0xAAAA, 0x5555,
        0x0C0C, 0xF3F3, 0xAA55, 0x55AA, 0x0A05, 0xF5FA, 0xFFFF, 0xFFFF,
    ];
}
