using EdgeVisor.Emulation.CortexM.Execution;

namespace EdgeVisor.Emulation.CortexM.Decoding;

/// <summary>
/// Decoder for the floating-point extension (coprocessors 10 and 11): FPv4-SP and, on FPv5 models, the unconditional
/// FPv5 additions. Field names follow the ARM ARM's: the 32-bit instruction is (hw1 &lt;&lt; 16) | hw2, so bit positions
/// match the VFP encoding diagrams (Vd = bits 15..12 with D = bit 22, Vn = 19..16 with N = bit 7, Vm = 3..0 with M = bit 5).
/// Ops hold S-register numbers in <c>Rd</c>/<c>Rn</c>/<c>Rm</c> (a D register is stored as its low S register).
/// Other coprocessors and FPU-less models are left to the engine (NOCP); malformed or double-precision arithmetic
/// encodings on these single-precision FPUs become <see cref="FpHandlers.Undefined"/> (UNDEFINSTR after the access check).
/// </summary>
public static unsafe partial class ThumbDecoder
{
    static partial void DecodeCoprocessor(uint instruction, CortexMModel model, ref Op op, ref bool handled)
    {
        uint coprocessor = (instruction >> 8) & 0xF;
        if (!model.HasFpu || coprocessor is not (10 or 11))
        {
            return;
        }

        bool unconditional = (instruction >> 28) == 0xF;
        delegate*<CortexMCpu, ref Op, void> handler = null;
        if ((instruction & 0x0F00_0000) == 0x0E00_0000)
        {
            if ((instruction & 0x10) == 0)
            {
                handler = unconditional
                    ? (model.Fpu == FpuKind.FPv5SP ? VfpFpv5(instruction, ref op) : null)
                    : VfpDataProcessing(instruction, model, ref op);
            }
            else if (!unconditional)
            {
                handler = VfpRegisterTransfer(instruction, ref op);
            }
        }
        else if ((instruction & 0x0E00_0000) == 0x0C00_0000 && !unconditional)
        {
            handler = (instruction & 0x01A0_0000) == 0 ? VfpPairTransfer(instruction, ref op) : VfpLoadStore(instruction, ref op);
        }

        op.Handler = handler != null ? handler : &FpHandlers.Undefined;
        handled = true;
    }

    private static byte VfpSd(uint i) => (byte)((((i >> 12) & 0xF) << 1) | ((i >> 22) & 1));

    private static byte VfpSn(uint i) => (byte)((((i >> 16) & 0xF) << 1) | ((i >> 7) & 1));

    private static byte VfpSm(uint i) => (byte)(((i & 0xF) << 1) | ((i >> 5) & 1));

    /// <summary>D:Vd as a D-register number (only D0..D15 exist on these FPUs).</summary>
    private static uint VfpDd(uint i) => (((i >> 22) & 1) << 4) | ((i >> 12) & 0xF);

    private static uint VfpDm(uint i) => (((i >> 5) & 1) << 4) | (i & 0xF);

    /// <summary>Conditional data processing: arithmetic, moves, compares, conversions, FPv5 VRINTR/Z/X.</summary>
    private static delegate*<CortexMCpu, ref Op, void> VfpDataProcessing(uint i, CortexMModel model, ref Op op)
    {
        if ((i & 0x100) != 0)
        {
            return null; // sz = 1: double-precision arithmetic is UNDEFINED on single-precision FPUs
        }

        op.Rd = VfpSd(i);
        op.Rn = VfpSn(i);
        op.Rm = VfpSm(i);
        bool op6 = (i & 0x40) != 0;
        uint opc1 = ((i >> 21) & 4) | ((i >> 20) & 3);
        return opc1 switch
        {
            0 => op6 ? &FpHandlers.Vmls : &FpHandlers.Vmla,
            1 => op6 ? &FpHandlers.Vnmla : &FpHandlers.Vnmls,
            2 => op6 ? &FpHandlers.Vnmul : &FpHandlers.Vmul,
            3 => op6 ? &FpHandlers.Vsub : &FpHandlers.Vadd,
            4 => op6 ? null : &FpHandlers.Vdiv,
            5 => op6 ? &FpHandlers.Vfnma : &FpHandlers.Vfnms,
            6 => op6 ? &FpHandlers.Vfms : &FpHandlers.Vfma,
            _ => VfpOtherDataProcessing(i, model, ref op),
        };
    }

    private static delegate*<CortexMCpu, ref Op, void> VfpOtherDataProcessing(uint i, CortexMModel model, ref Op op)
    {
        if ((i & 0x40) == 0)
        {
            op.Imm = FloatingPoint.SingleFloat.ExpandImmediate((((i >> 16) & 0xF) << 4) | (i & 0xF));
            return (i & 0xA0) == 0 ? &FpHandlers.VmovImmediate : null;
        }

        bool bit7 = (i & 0x80) != 0;
        uint opc2 = (i >> 16) & 0xF;
        bool fpv5 = model.Fpu == FpuKind.FPv5SP;
        switch (opc2)
        {
            case 0:
                return bit7 ? &FpHandlers.Vabs : &FpHandlers.VmovRegister;
            case 1:
                return bit7 ? &FpHandlers.Vsqrt : &FpHandlers.Vneg;
            case 2 or 3:
                op.Extra = (byte)(bit7 ? 1 : 0);
                return opc2 == 2 ? &FpHandlers.VcvtHalfToSingle : &FpHandlers.VcvtSingleToHalf;
            case 4 or 5:
                if (opc2 == 5 && (i & 0x2F) != 0)
                {
                    return null;
                }

                op.Extra = (byte)((bit7 ? 1 : 0) | (opc2 == 5 ? 2 : 0));
                return &FpHandlers.Vcmp;
            case 6 when fpv5:
                op.Extra = bit7 ? (byte)Emulation.FloatingPoint.FloatRounding.Zero : FpHandlers.FpscrRounding;
                return &FpHandlers.Vrint;
            case 7 when fpv5 && !bit7:
                op.Extra = FpHandlers.FpscrRounding;
                return &FpHandlers.VrintExact;
            case 8:
                op.Extra = (byte)(bit7 ? 1 : 0);
                return &FpHandlers.VcvtFromInteger;
            case 12 or 13:
                op.Extra = (byte)(((opc2 & 1) != 0 ? 1 : 0) | (bit7 ? 2 : 0));
                return &FpHandlers.VcvtToInteger;
            case 10 or 11 or 14 or 15:
                return VfpFixedPoint(i, opc2, bit7, ref op);
            default:
                return null;
        }
    }

    /// <summary>VCVT between floating point and fixed point: <c>Amount</c> = fraction bits, <c>Extra</c> bit 0 unsigned, bit 1 16-bit.</summary>
    private static delegate*<CortexMCpu, ref Op, void> VfpFixedPoint(uint i, uint opc2, bool is32, ref Op op)
    {
        int size = is32 ? 32 : 16;
        int imm5 = (int)(((i & 0xF) << 1) | ((i >> 5) & 1));
        int fractionBits = size - imm5;
        if (fractionBits < 0)
        {
            return null;
        }

        op.Amount = (byte)fractionBits;
        op.Extra = (byte)(((opc2 & 1) != 0 ? 1 : 0) | (is32 ? 0 : 2));
        return (opc2 & 4) != 0 ? &FpHandlers.VcvtToFixed : &FpHandlers.VcvtFromFixed;
    }

    /// <summary>FPv5 unconditional encodings: VSEL, VMAXNM/VMINNM, VRINTA/N/P/M, VCVTA/N/P/M.</summary>
    private static delegate*<CortexMCpu, ref Op, void> VfpFpv5(uint i, ref Op op)
    {
        if ((i & 0x100) != 0)
        {
            return null;
        }

        op.Rd = VfpSd(i);
        op.Rn = VfpSn(i);
        op.Rm = VfpSm(i);
        bool op6 = (i & 0x40) != 0;
        if ((i & 0x0080_0000) == 0)
        {
            op.Extra = (byte)((i >> 20) & 3);
            return op6 ? null : &FpHandlers.Vsel;
        }

        uint bits21To20 = (i >> 20) & 3;
        if (bits21To20 == 0)
        {
            return op6 ? &FpHandlers.Vminnm : &FpHandlers.Vmaxnm;
        }

        if (bits21To20 != 3 || !op6)
        {
            return null;
        }

        uint opc2 = (i >> 16) & 0xF;
        // RM field: 00 ties away, 01 ties even, 10 towards +inf, 11 towards -inf.
        op.Extra = (byte)((opc2 & 3) switch
        {
            0 => Emulation.FloatingPoint.FloatRounding.TieAway,
            1 => Emulation.FloatingPoint.FloatRounding.TieEven,
            2 => Emulation.FloatingPoint.FloatRounding.PlusInfinity,
            _ => Emulation.FloatingPoint.FloatRounding.MinusInfinity,
        });
        if ((opc2 & 0xC) == 0x8)
        {
            return (i & 0x80) == 0 ? &FpHandlers.Vrint : null;
        }

        if ((opc2 & 0xC) == 0xC)
        {
            op.Amount = (byte)((i & 0x80) != 0 ? 1 : 0);
            return &FpHandlers.VcvtDirected;
        }

        return null;
    }

    /// <summary>8/16/32-bit transfers: VMOV core↔single, VMOV core↔scalar (32-bit), VMRS, VMSR.</summary>
    private static delegate*<CortexMCpu, ref Op, void> VfpRegisterTransfer(uint i, ref Op op)
    {
        uint a = (i >> 21) & 7;
        bool toCore = (i & 0x0010_0000) != 0;
        op.Rd = (byte)((i >> 12) & 0xF);
        if ((i & 0x100) == 0)
        {
            if (a == 0)
            {
                op.Rn = VfpSn(i);
                return toCore ? (op.Rd == 15 ? null : &FpHandlers.VmovToCore) : &FpHandlers.VmovFromCore;
            }

            if (a != 7 || ((i >> 16) & 0xF) != 1)
            {
                return null; // only FPSCR is accessible with VMRS/VMSR on the M profile
            }

            if (toCore)
            {
                return op.Rd == 15 ? &FpHandlers.VmrsFlags : &FpHandlers.Vmrs;
            }

            return op.Rd == 15 ? null : &FpHandlers.Vmsr;
        }

        // VMOV.32 Dd[x], Rt / Rt, Dd[x]: opc1 = 0x, opc2 = 00.
        if ((i & 0x0040_0060) != 0)
        {
            return null;
        }

        uint d = (((i >> 7) & 1) << 4) | ((i >> 16) & 0xF);
        if (d >= 16)
        {
            return null;
        }

        op.Rn = (byte)((d << 1) | ((i >> 21) & 1));
        return toCore ? (op.Rd == 15 ? null : &FpHandlers.VmovToCore) : &FpHandlers.VmovFromCore;
    }

    /// <summary>64-bit transfers: VMOV two cores ↔ two singles or a D register (<c>Rd</c> = Rt, <c>Ra</c> = Rt2, <c>Rm</c> = first S).</summary>
    private static delegate*<CortexMCpu, ref Op, void> VfpPairTransfer(uint i, ref Op op)
    {
        if ((i & 0x0040_0000) == 0 || (i & 0xD0) != 0x10)
        {
            return null;
        }

        bool toCore = (i & 0x0010_0000) != 0;
        op.Rd = (byte)((i >> 12) & 0xF);
        op.Ra = (byte)((i >> 16) & 0xF);
        uint first;
        if ((i & 0x100) != 0)
        {
            uint d = VfpDm(i);
            if (d >= 16)
            {
                return null;
            }

            first = d << 1;
        }
        else
        {
            first = VfpSm(i);
            if (first == 31)
            {
                return null;
            }
        }

        op.Rm = (byte)first;
        if (toCore)
        {
            return op.Rd == 15 || op.Ra == 15 ? null : &FpHandlers.VmovPairToCore;
        }

        return &FpHandlers.VmovPairFromCore;
    }

    /// <summary>
    /// VLDR/VSTR (<c>Imm</c> = offset, <c>Extra</c> bit 0 add, bit 1 double) and VLDM/VSTM/VPUSH/VPOP
    /// (<c>Rd</c> = first S, <c>Amount</c> = words, <c>Imm</c> = imm8*4, <c>Extra</c> bit 0 increment-after, bit 1 writeback).
    /// </summary>
    private static delegate*<CortexMCpu, ref Op, void> VfpLoadStore(uint i, ref Op op)
    {
        bool p = (i & 0x0100_0000) != 0;
        bool u = (i & 0x0080_0000) != 0;
        bool w = (i & 0x0020_0000) != 0;
        bool load = (i & 0x0010_0000) != 0;
        bool isDouble = (i & 0x100) != 0;
        uint imm8 = i & 0xFF;
        op.Rn = (byte)((i >> 16) & 0xF);
        uint first;
        if (isDouble)
        {
            uint d = VfpDd(i);
            if (d >= 16)
            {
                return null;
            }

            first = d << 1;
        }
        else
        {
            first = VfpSd(i);
        }

        op.Rd = (byte)first;
        if (p && !w)
        {
            op.Imm = imm8 << 2;
            op.Extra = (byte)((u ? 1 : 0) | (isDouble ? 2 : 0));
            return load ? &FpHandlers.Vldr : &FpHandlers.Vstr;
        }

        if (p == u || (w && op.Rn == 15))
        {
            return null;
        }

        uint words = isDouble ? imm8 & ~1u : imm8;
        if (words == 0 || first + words > 32)
        {
            return null;
        }

        op.Amount = (byte)words;
        op.Imm = imm8 << 2;
        op.Extra = (byte)((u ? 1 : 0) | (w ? 2 : 0));
        return load ? &FpHandlers.Vldm : &FpHandlers.Vstm;
    }
}
