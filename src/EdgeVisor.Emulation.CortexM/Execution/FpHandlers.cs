using EdgeVisor.Emulation.CortexM.Decoding;
using EdgeVisor.Emulation.CortexM.FloatingPoint;
using EdgeVisor.Emulation.FloatingPoint;

namespace EdgeVisor.Emulation.CortexM.Execution;

/// <summary>
/// Op handlers for FP data processing (FPv4-SP, FPv5-SP). Every handler starts with the FP access check (CPACR → NOCP,
/// lazy state preservation). <c>Rd</c>/<c>Rn</c>/<c>Rm</c> are S-register numbers; the arithmetic lives in FloatingPoint/.
/// </summary>
internal static partial class FpHandlers
{
    /// <summary>Value of <c>Extra</c> meaning "round with FPSCR.RMode" for VRINT.</summary>
    public const byte FpscrRounding = 7;

    /// <summary>ExecuteFPCheck: faults (NOCP) when CP10/CP11 are disabled and preserves lazily stacked FP state.</summary>
    private static void Enter(CortexMCpu cpu, ref Op op)
    {
        if (!cpu.FpAccessCheck())
        {
            throw new CortexMFaultException(FaultType.NoCoprocessor, op.Address);
        }
    }

    /// <summary>A CP10/CP11 encoding the FPU does not implement (e.g. double-precision arithmetic): UNDEFINSTR once access is allowed.</summary>
    public static void Undefined(CortexMCpu cpu, ref Op op)
    {
        Enter(cpu, ref op);
        throw new CortexMFaultException(FaultType.UndefinedInstruction, op.Address);
    }

    public static void Vadd(CortexMCpu cpu, ref Op op)
    {
        Enter(cpu, ref op);
        cpu.S[op.Rd & 31] = SingleFloat.Add(cpu.S[op.Rn & 31], cpu.S[op.Rm & 31], ref cpu.Fpscr);
    }

    public static void Vsub(CortexMCpu cpu, ref Op op)
    {
        Enter(cpu, ref op);
        cpu.S[op.Rd & 31] = SingleFloat.Sub(cpu.S[op.Rn & 31], cpu.S[op.Rm & 31], ref cpu.Fpscr);
    }

    public static void Vmul(CortexMCpu cpu, ref Op op)
    {
        Enter(cpu, ref op);
        cpu.S[op.Rd & 31] = SingleFloat.Mul(cpu.S[op.Rn & 31], cpu.S[op.Rm & 31], ref cpu.Fpscr);
    }

    public static void Vnmul(CortexMCpu cpu, ref Op op)
    {
        Enter(cpu, ref op);
        cpu.S[op.Rd & 31] = SingleFloat.Neg(SingleFloat.Mul(cpu.S[op.Rn & 31], cpu.S[op.Rm & 31], ref cpu.Fpscr));
    }

    public static void Vdiv(CortexMCpu cpu, ref Op op)
    {
        Enter(cpu, ref op);
        cpu.S[op.Rd & 31] = SingleFloat.Div(cpu.S[op.Rn & 31], cpu.S[op.Rm & 31], ref cpu.Fpscr);
    }

    /// <summary>VMLA: d + n*m with two roundings.</summary>
    public static void Vmla(CortexMCpu cpu, ref Op op)
    {
        Enter(cpu, ref op);
        uint product = SingleFloat.Mul(cpu.S[op.Rn & 31], cpu.S[op.Rm & 31], ref cpu.Fpscr);
        cpu.S[op.Rd & 31] = SingleFloat.Add(cpu.S[op.Rd & 31], product, ref cpu.Fpscr);
    }

    /// <summary>VMLS: d + -(n*m).</summary>
    public static void Vmls(CortexMCpu cpu, ref Op op)
    {
        Enter(cpu, ref op);
        uint product = SingleFloat.Mul(cpu.S[op.Rn & 31], cpu.S[op.Rm & 31], ref cpu.Fpscr);
        cpu.S[op.Rd & 31] = SingleFloat.Add(cpu.S[op.Rd & 31], SingleFloat.Neg(product), ref cpu.Fpscr);
    }

    /// <summary>VNMLA: -d + -(n*m).</summary>
    public static void Vnmla(CortexMCpu cpu, ref Op op)
    {
        Enter(cpu, ref op);
        uint product = SingleFloat.Mul(cpu.S[op.Rn & 31], cpu.S[op.Rm & 31], ref cpu.Fpscr);
        cpu.S[op.Rd & 31] = SingleFloat.Add(SingleFloat.Neg(cpu.S[op.Rd & 31]), SingleFloat.Neg(product), ref cpu.Fpscr);
    }

    /// <summary>VNMLS: -d + n*m.</summary>
    public static void Vnmls(CortexMCpu cpu, ref Op op)
    {
        Enter(cpu, ref op);
        uint product = SingleFloat.Mul(cpu.S[op.Rn & 31], cpu.S[op.Rm & 31], ref cpu.Fpscr);
        cpu.S[op.Rd & 31] = SingleFloat.Add(SingleFloat.Neg(cpu.S[op.Rd & 31]), product, ref cpu.Fpscr);
    }

    /// <summary>VFMA: d + n*m, one rounding.</summary>
    public static void Vfma(CortexMCpu cpu, ref Op op)
    {
        Enter(cpu, ref op);
        cpu.S[op.Rd & 31] = SingleFloat.MulAdd(cpu.S[op.Rd & 31], cpu.S[op.Rn & 31], cpu.S[op.Rm & 31], ref cpu.Fpscr);
    }

    /// <summary>VFMS: d + (-n)*m.</summary>
    public static void Vfms(CortexMCpu cpu, ref Op op)
    {
        Enter(cpu, ref op);
        cpu.S[op.Rd & 31] = SingleFloat.MulAdd(cpu.S[op.Rd & 31], SingleFloat.Neg(cpu.S[op.Rn & 31]), cpu.S[op.Rm & 31], ref cpu.Fpscr);
    }

    /// <summary>VFNMA: -d + (-n)*m.</summary>
    public static void Vfnma(CortexMCpu cpu, ref Op op)
    {
        Enter(cpu, ref op);
        cpu.S[op.Rd & 31] = SingleFloat.MulAdd(SingleFloat.Neg(cpu.S[op.Rd & 31]), SingleFloat.Neg(cpu.S[op.Rn & 31]), cpu.S[op.Rm & 31], ref cpu.Fpscr);
    }

    /// <summary>VFNMS: -d + n*m.</summary>
    public static void Vfnms(CortexMCpu cpu, ref Op op)
    {
        Enter(cpu, ref op);
        cpu.S[op.Rd & 31] = SingleFloat.MulAdd(SingleFloat.Neg(cpu.S[op.Rd & 31]), cpu.S[op.Rn & 31], cpu.S[op.Rm & 31], ref cpu.Fpscr);
    }

    public static void Vsqrt(CortexMCpu cpu, ref Op op)
    {
        Enter(cpu, ref op);
        cpu.S[op.Rd & 31] = SingleFloat.Sqrt(cpu.S[op.Rm & 31], ref cpu.Fpscr);
    }

    public static void Vabs(CortexMCpu cpu, ref Op op)
    {
        Enter(cpu, ref op);
        cpu.S[op.Rd & 31] = SingleFloat.Abs(cpu.S[op.Rm & 31]);
    }

    public static void Vneg(CortexMCpu cpu, ref Op op)
    {
        Enter(cpu, ref op);
        cpu.S[op.Rd & 31] = SingleFloat.Neg(cpu.S[op.Rm & 31]);
    }

    public static void VmovRegister(CortexMCpu cpu, ref Op op)
    {
        Enter(cpu, ref op);
        cpu.S[op.Rd & 31] = cpu.S[op.Rm & 31];
    }

    /// <summary>VMOV.F32 Sd, #imm: <c>Imm</c> holds the expanded constant.</summary>
    public static void VmovImmediate(CortexMCpu cpu, ref Op op)
    {
        Enter(cpu, ref op);
        cpu.S[op.Rd & 31] = op.Imm;
    }

    /// <summary>VCMP/VCMPE: <c>Extra</c> bit 0 = E (quiet NaNs signal), bit 1 = compare with +0.</summary>
    public static void Vcmp(CortexMCpu cpu, ref Op op)
    {
        Enter(cpu, ref op);
        uint b = (op.Extra & 2) != 0 ? 0 : cpu.S[op.Rm & 31];
        SingleFloat.CompareIntoFpscr(cpu.S[op.Rd & 31], b, (op.Extra & 1) != 0, ref cpu.Fpscr);
    }

    /// <summary>VSEL&lt;cc&gt;: <c>Extra</c> = cc (0 EQ, 1 VS, 2 GE, 3 GT) tested on the APSR flags.</summary>
    public static void Vsel(CortexMCpu cpu, ref Op op)
    {
        Enter(cpu, ref op);
        bool condition = op.Extra switch
        {
            0 => cpu.Z,
            1 => cpu.V,
            2 => cpu.N == cpu.V,
            _ => !cpu.Z && cpu.N == cpu.V,
        };
        cpu.S[op.Rd & 31] = condition ? cpu.S[op.Rn & 31] : cpu.S[op.Rm & 31];
    }

    public static void Vmaxnm(CortexMCpu cpu, ref Op op)
    {
        Enter(cpu, ref op);
        cpu.S[op.Rd & 31] = SingleFloat.MaxNum(cpu.S[op.Rn & 31], cpu.S[op.Rm & 31], ref cpu.Fpscr);
    }

    public static void Vminnm(CortexMCpu cpu, ref Op op)
    {
        Enter(cpu, ref op);
        cpu.S[op.Rd & 31] = SingleFloat.MinNum(cpu.S[op.Rn & 31], cpu.S[op.Rm & 31], ref cpu.Fpscr);
    }

    private static FloatRounding RoundingOf(CortexMCpu cpu, byte extra) =>
        extra == FpscrRounding ? Fpscr.RoundingMode(cpu.Fpscr) : (FloatRounding)extra;
}
