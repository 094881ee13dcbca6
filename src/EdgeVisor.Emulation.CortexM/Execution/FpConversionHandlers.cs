using EdgeVisor.Emulation.CortexM.Decoding;
using EdgeVisor.Emulation.CortexM.FloatingPoint;
using EdgeVisor.Emulation.FloatingPoint;

namespace EdgeVisor.Emulation.CortexM.Execution;

/// <summary>Op handlers for the VCVT family and FPv5 VRINT.</summary>
internal static partial class FpHandlers
{
    /// <summary>VCVT{R}.S32/U32.F32: <c>Extra</c> bit 0 = signed, bit 1 = round towards zero (VCVT) rather than FPSCR (VCVTR).</summary>
    public static void VcvtToInteger(CortexMCpu cpu, ref Op op)
    {
        Enter(cpu, ref op);
        FloatRounding mode = (op.Extra & 2) != 0 ? FloatRounding.Zero : Fpscr.RoundingMode(cpu.Fpscr);
        cpu.S[op.Rd & 31] = SingleFloat.ToFixed(cpu.S[op.Rm & 31], 32, 0, (op.Extra & 1) == 0, mode, ref cpu.Fpscr);
    }

    /// <summary>FPv5 VCVTA/N/P/M: <c>Extra</c> = rounding, <c>Amount</c> = 1 when signed.</summary>
    public static void VcvtDirected(CortexMCpu cpu, ref Op op)
    {
        Enter(cpu, ref op);
        cpu.S[op.Rd & 31] = SingleFloat.ToFixed(cpu.S[op.Rm & 31], 32, 0, op.Amount == 0, (FloatRounding)op.Extra, ref cpu.Fpscr);
    }

    /// <summary>VCVT.F32.S32/U32 (rounds with FPSCR.RMode): <c>Extra</c> bit 0 = signed.</summary>
    public static void VcvtFromInteger(CortexMCpu cpu, ref Op op)
    {
        Enter(cpu, ref op);
        cpu.S[op.Rd & 31] = SingleFloat.FromFixed(cpu.S[op.Rm & 31], 32, 0, (op.Extra & 1) == 0, Fpscr.RoundingMode(cpu.Fpscr), ref cpu.Fpscr);
    }

    /// <summary>VCVT.{S,U}{16,32}.F32 Sd, Sd, #fbits (round towards zero): <c>Amount</c> = fbits, <c>Extra</c> bit 0 unsigned, bit 1 16-bit.</summary>
    public static void VcvtToFixed(CortexMCpu cpu, ref Op op)
    {
        Enter(cpu, ref op);
        bool unsigned = (op.Extra & 1) != 0;
        int width = (op.Extra & 2) != 0 ? 16 : 32;
        uint result = SingleFloat.ToFixed(cpu.S[op.Rd & 31], width, op.Amount, unsigned, FloatRounding.Zero, ref cpu.Fpscr);
        if (width == 16)
        {
            result = unsigned ? result & 0xFFFF : (uint)(short)result;
        }

        cpu.S[op.Rd & 31] = result;
    }

    /// <summary>VCVT.F32.{S,U}{16,32} Sd, Sd, #fbits (FPSCR rounding): fields as <see cref="VcvtToFixed"/>.</summary>
    public static void VcvtFromFixed(CortexMCpu cpu, ref Op op)
    {
        Enter(cpu, ref op);
        int width = (op.Extra & 2) != 0 ? 16 : 32;
        cpu.S[op.Rd & 31] = SingleFloat.FromFixed(cpu.S[op.Rd & 31], width, op.Amount, (op.Extra & 1) != 0, Fpscr.RoundingMode(cpu.Fpscr), ref cpu.Fpscr);
    }

    /// <summary>VCVTB/VCVTT.F32.F16: <c>Extra</c> = 1 for the top half (VCVTT).</summary>
    public static void VcvtHalfToSingle(CortexMCpu cpu, ref Op op)
    {
        Enter(cpu, ref op);
        uint source = cpu.S[op.Rm & 31];
        uint half = op.Extra != 0 ? source >> 16 : source & 0xFFFF;
        cpu.S[op.Rd & 31] = SingleFloat.HalfToSingle(half, ref cpu.Fpscr);
    }

    /// <summary>VCVTB/VCVTT.F16.F32: writes one half of Sd and keeps the other.</summary>
    public static void VcvtSingleToHalf(CortexMCpu cpu, ref Op op)
    {
        Enter(cpu, ref op);
        uint half = SingleFloat.SingleToHalf(cpu.S[op.Rm & 31], ref cpu.Fpscr) & 0xFFFF;
        ref uint destination = ref cpu.S[op.Rd & 31];
        destination = op.Extra != 0 ? (destination & 0xFFFF) | (half << 16) : (destination & 0xFFFF_0000) | half;
    }

    /// <summary>VRINTA/N/P/M/Z/R: <c>Extra</c> = rounding or <see cref="FpscrRounding"/>; never signals inexact.</summary>
    public static void Vrint(CortexMCpu cpu, ref Op op)
    {
        Enter(cpu, ref op);
        cpu.S[op.Rd & 31] = SingleFloat.RoundToIntegral(cpu.S[op.Rm & 31], RoundingOf(cpu, op.Extra), exact: false, ref cpu.Fpscr);
    }

    /// <summary>VRINTX: FPSCR rounding, IXC when the value changes.</summary>
    public static void VrintExact(CortexMCpu cpu, ref Op op)
    {
        Enter(cpu, ref op);
        cpu.S[op.Rd & 31] = SingleFloat.RoundToIntegral(cpu.S[op.Rm & 31], RoundingOf(cpu, op.Extra), exact: true, ref cpu.Fpscr);
    }
}
