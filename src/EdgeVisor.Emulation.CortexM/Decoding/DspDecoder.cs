using EdgeVisor.Emulation.CortexM.Execution;

namespace EdgeVisor.Emulation.CortexM.Decoding;

/// <summary>
/// Decoder for the ARMv7E-M DSP extension encodings (ARMv7-M ARM, "Thumb-2 data processing (register)",
/// "Multiply, multiply accumulate and absolute difference", "Long multiply", PKH and the SSAT16/USAT16 forms of
/// "plain binary immediate"). Only called on models with the DSP extension; base ARMv7-M encodings in the same groups
/// (MUL/MLA, SMULL, SXTH, REV, CLZ...) are left to the integer decoder. A destination of PC (UNPREDICTABLE) is UNDEFINED
/// here because handlers never write the PC.
/// </summary>
public static unsafe partial class ThumbDecoder
{
    static partial void DecodeDsp(uint instruction, CortexMModel model, ref Op op, ref bool handled)
    {
        uint hw1 = instruction >> 16;
        uint hw2 = instruction & 0xFFFF;

        // Decode into a copy: an encoding that turns out not to be DSP must reach the integer decoder untouched.
        Op candidate = op;
        candidate.Rn = (byte)(hw1 & 0xF);
        candidate.Rm = (byte)(hw2 & 0xF);
        candidate.Rd = (byte)((hw2 >> 8) & 0xF);
        candidate.Ra = (byte)(hw2 >> 12);

        delegate*<CortexMCpu, ref Op, void> handler = (hw1 & 0xFF80) switch
        {
            0xFA80 => DspRegisterGroup(hw1, hw2, ref candidate),
            0xFA00 => DspExtendGroup(hw1, hw2, ref candidate),
            0xFB00 => DspMultiplyGroup(hw1, hw2, ref candidate),
            0xFB80 => DspLongMultiplyGroup(hw1, hw2, ref candidate),
            _ => DspOtherGroup(hw1, hw2, ref candidate),
        };
        if (handler == null)
        {
            return;
        }

        candidate.Handler = candidate.Rd == 15 ? &SystemOps.Undefined : handler;
        op = candidate;
        handled = true;
    }

    /// <summary>11111010 1xxx: parallel add/subtract, QADD family, SEL.</summary>
    private static delegate*<CortexMCpu, ref Op, void> DspRegisterGroup(uint hw1, uint hw2, ref Op op)
    {
        if ((hw2 & 0xF000) != 0xF000)
        {
            return null;
        }

        uint op1 = (hw1 >> 4) & 7;
        if ((hw2 & 0x80) == 0)
        {
            uint prefix = (hw2 >> 4) & 3;
            if (op1 is 3 or 7 || prefix == 3)
            {
                return null;
            }

            op.Shift = (byte)op1;
            op.Extra = (byte)(((hw2 & 0x40) != 0 ? 3 : 0) + prefix);
            return &DspHandlers.Parallel;
        }

        if ((hw2 & 0xC0) != 0x80)
        {
            return null;
        }

        if (op1 == 0)
        {
            op.Extra = (byte)((hw2 >> 4) & 3);
            return &DspHandlers.Saturating;
        }

        return op1 == 2 && (hw2 & 0x30) == 0 ? &DspHandlers.Select : null;
    }

    /// <summary>11111010 0xxx with rotation: SXTAB16/UXTAB16/SXTB16/UXTB16 and SXTAB/UXTAB/SXTAH/UXTAH.</summary>
    private static delegate*<CortexMCpu, ref Op, void> DspExtendGroup(uint hw1, uint hw2, ref Op op)
    {
        if ((hw2 & 0xF0C0) != 0xF080)
        {
            return null;
        }

        uint op1 = (hw1 >> 4) & 7;
        op.Amount = (byte)(((hw2 >> 4) & 3) * 8);
        bool noAccumulator = op.Rn == 15;
        switch (op1)
        {
            case 2 or 3:
                op.Extra = (byte)((op1 == 2 ? 1 : 0) | (noAccumulator ? 2 : 0));
                return &DspHandlers.ExtendAddDual;
            case 0 or 1 or 4 or 5 when !noAccumulator:
                // Rn = PC here is the base ARMv7-M SXTH/UXTH/SXTB/UXTB, which the integer decoder owns.
                op.Extra = (byte)(((op1 & 1) == 0 ? 1 : 0) | (op1 < 2 ? 2 : 0));
                return &DspHandlers.ExtendAdd;
            default:
                return null;
        }
    }

    /// <summary>11111011 0xxx: SMLA&lt;xy&gt;, SMLAD, SMLAW, SMLSD, SMMLA, SMMLS, USAD8 and their non-accumulating forms.</summary>
    private static delegate*<CortexMCpu, ref Op, void> DspMultiplyGroup(uint hw1, uint hw2, ref Op op)
    {
        if ((hw2 & 0xC0) != 0)
        {
            return null;
        }

        uint op1 = (hw1 >> 4) & 7;
        uint op2 = (hw2 >> 4) & 3;
        byte accumulate = (byte)(op.Ra != 15 ? 4 : 0);
        switch (op1)
        {
            case 1:
                op.Extra = (byte)(op2 | accumulate);
                return &DspHandlers.MultiplyHalves;
            case 2 or 4 when op2 < 2:
                op.Extra = (byte)(op2 | (op1 == 4 ? 2u : 0u) | accumulate);
                return &DspHandlers.DualMultiply;
            case 3 when op2 < 2:
                op.Extra = (byte)(op2 | accumulate);
                return &DspHandlers.MultiplyWord;
            case 5 when op2 < 2:
                op.Extra = (byte)(op2 | accumulate);
                return &DspHandlers.MostSignificantWord;
            case 6 when op2 < 2:
                // SMMLS always accumulates; Ra = PC is UNPREDICTABLE and reads as PC.
                op.Extra = (byte)(op2 | 2 | 4);
                return &DspHandlers.MostSignificantWord;
            case 7 when op2 == 0:
                op.Extra = accumulate;
                return &DspHandlers.SumAbsoluteDifferences;
            default:
                return null;
        }
    }

    /// <summary>11111011 1xxx: SMLAL&lt;xy&gt;, SMLALD, SMLSLD, UMAAL (RdLo in <c>Rd</c>, RdHi in <c>Ra</c>).</summary>
    private static delegate*<CortexMCpu, ref Op, void> DspLongMultiplyGroup(uint hw1, uint hw2, ref Op op)
    {
        uint op1 = (hw1 >> 4) & 7;
        uint op2 = (hw2 >> 4) & 0xF;
        op.Rd = (byte)(hw2 >> 12);
        op.Ra = (byte)((hw2 >> 8) & 0xF);
        bool writesPc = op.Ra == 15;
        switch (op1)
        {
            case 4 when (op2 & 0xC) == 0x8:
                op.Extra = (byte)(op2 & 3);
                return writesPc ? &SystemOps.Undefined : &DspHandlers.MultiplyHalvesLong;
            case 4 or 5 when (op2 & 0xE) == 0xC:
                op.Extra = (byte)((op2 & 1) | (op1 == 5 ? 2u : 0u));
                return writesPc ? &SystemOps.Undefined : &DspHandlers.DualMultiplyLong;
            case 6 when op2 == 6:
                return writesPc ? &SystemOps.Undefined : &DspHandlers.MultiplyAccumulateAccumulate;
            default:
                return null;
        }
    }

    /// <summary>PKHBT/PKHTB (shifted-register group) and SSAT16/USAT16 (plain binary immediate group).</summary>
    private static delegate*<CortexMCpu, ref Op, void> DspOtherGroup(uint hw1, uint hw2, ref Op op)
    {
        if ((hw1 & 0xFFF0) == 0xEAC0 && (hw2 & 0x8010) == 0)
        {
            op.Amount = (byte)(((hw2 >> 10) & 0x1C) | ((hw2 >> 6) & 3));
            return (hw2 & 0x20) != 0 ? &DspHandlers.PackTopBottom : &DspHandlers.PackBottomTop;
        }

        if ((hw2 & 0xF0F0) == 0 && (hw1 & 0xFFF0) is 0xF320 or 0xF3A0)
        {
            bool unsigned = (hw1 & 0x80) != 0;
            op.Amount = (byte)((hw2 & 0xF) + (unsigned ? 0 : 1));
            return unsigned ? &DspHandlers.UnsignedSaturate16 : &DspHandlers.SignedSaturate16;
        }

        return null;
    }
}
