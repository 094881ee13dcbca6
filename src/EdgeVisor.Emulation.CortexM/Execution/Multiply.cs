namespace EdgeVisor.Emulation.CortexM.Execution;

using EdgeVisor.Emulation.CortexM.Decoding;

/// <summary>Integer multiplies and divides (MUL, MLA, MLS, SMULL, UMULL, SMLAL, UMLAL, SDIV, UDIV).</summary>
internal static class Multiply
{
    /// <summary>MUL/MULS: Rd = Rn * Rm; MULS sets N and Z.</summary>
    public static void Mul(CortexMCpu cpu, ref Op op)
    {
        uint result = cpu.R[op.Rn & 15] * cpu.R[op.Rm & 15];
        cpu.R[op.Rd & 15] = result;
        if (op.SetFlags != 0)
        {
            cpu.N = (int)result < 0;
            cpu.Z = result == 0;
        }
    }

    public static void Mla(CortexMCpu cpu, ref Op op) =>
        cpu.R[op.Rd & 15] = cpu.R[op.Ra & 15] + (cpu.R[op.Rn & 15] * cpu.R[op.Rm & 15]);

    public static void Mls(CortexMCpu cpu, ref Op op) =>
        cpu.R[op.Rd & 15] = cpu.R[op.Ra & 15] - (cpu.R[op.Rn & 15] * cpu.R[op.Rm & 15]);

    /// <summary>SMULL RdLo(Rd), RdHi(Ra), Rn, Rm.</summary>
    public static void Smull(CortexMCpu cpu, ref Op op)
    {
        long result = (long)(int)cpu.R[op.Rn & 15] * (int)cpu.R[op.Rm & 15];
        cpu.R[op.Rd & 15] = (uint)result;
        cpu.R[op.Ra & 15] = (uint)((ulong)result >> 32);
    }

    public static void Umull(CortexMCpu cpu, ref Op op)
    {
        ulong result = (ulong)cpu.R[op.Rn & 15] * cpu.R[op.Rm & 15];
        cpu.R[op.Rd & 15] = (uint)result;
        cpu.R[op.Ra & 15] = (uint)(result >> 32);
    }

    public static void Smlal(CortexMCpu cpu, ref Op op)
    {
        long accumulator = (long)(((ulong)cpu.R[op.Ra & 15] << 32) | cpu.R[op.Rd & 15]);
        long result = accumulator + ((long)(int)cpu.R[op.Rn & 15] * (int)cpu.R[op.Rm & 15]);
        cpu.R[op.Rd & 15] = (uint)result;
        cpu.R[op.Ra & 15] = (uint)((ulong)result >> 32);
    }

    public static void Umlal(CortexMCpu cpu, ref Op op)
    {
        ulong accumulator = ((ulong)cpu.R[op.Ra & 15] << 32) | cpu.R[op.Rd & 15];
        ulong result = accumulator + ((ulong)cpu.R[op.Rn & 15] * cpu.R[op.Rm & 15]);
        cpu.R[op.Rd & 15] = (uint)result;
        cpu.R[op.Ra & 15] = (uint)(result >> 32);
    }

    /// <summary>SDIV: rounds toward zero; x / 0 is 0 unless CCR.DIV_0_TRP; INT_MIN / -1 is INT_MIN.</summary>
    public static void Sdiv(CortexMCpu cpu, ref Op op)
    {
        int divisor = (int)cpu.R[op.Rm & 15];
        int dividend = (int)cpu.R[op.Rn & 15];
        if (divisor == 0)
        {
            DivideByZero(cpu, ref op);
            return;
        }

        cpu.R[op.Rd & 15] = divisor == -1 ? (uint)-dividend : (uint)(dividend / divisor);
    }

    public static void Udiv(CortexMCpu cpu, ref Op op)
    {
        uint divisor = cpu.R[op.Rm & 15];
        if (divisor == 0)
        {
            DivideByZero(cpu, ref op);
            return;
        }

        cpu.R[op.Rd & 15] = cpu.R[op.Rn & 15] / divisor;
    }

    private static void DivideByZero(CortexMCpu cpu, ref Op op)
    {
        if (cpu.DivideByZeroTrap)
        {
            throw new CortexMFaultException(FaultType.DivideByZero, op.Address);
        }

        cpu.R[op.Rd & 15] = 0;
    }
}
