using EdgeVisor.Emulation.CortexM.Decoding;
using EdgeVisor.Emulation.CortexM.FloatingPoint;

namespace EdgeVisor.Emulation.CortexM.Execution;

/// <summary>Op handlers moving data between FP registers, core registers, FPSCR and memory.</summary>
internal static partial class FpHandlers
{
    /// <summary>VMOV Rt, Sn (also VMOV.32 Rt, Dd[x]): <c>Rd</c> = Rt, <c>Rn</c> = S register.</summary>
    public static void VmovToCore(CortexMCpu cpu, ref Op op)
    {
        Enter(cpu, ref op);
        cpu.R[op.Rd & 15] = cpu.S[op.Rn & 31];
    }

    /// <summary>VMOV Sn, Rt (also VMOV.32 Dd[x], Rt).</summary>
    public static void VmovFromCore(CortexMCpu cpu, ref Op op)
    {
        Enter(cpu, ref op);
        cpu.S[op.Rn & 31] = cpu.R[op.Rd & 15];
    }

    /// <summary>VMOV Rt, Rt2, Sm, Sm1 / VMOV Rt, Rt2, Dm: <c>Rd</c> = Rt, <c>Ra</c> = Rt2, <c>Rm</c> = first S register.</summary>
    public static void VmovPairToCore(CortexMCpu cpu, ref Op op)
    {
        Enter(cpu, ref op);
        cpu.R[op.Rd & 15] = cpu.S[op.Rm & 31];
        cpu.R[op.Ra & 15] = cpu.S[(op.Rm + 1) & 31];
    }

    /// <summary>VMOV Sm, Sm1, Rt, Rt2 / VMOV Dm, Rt, Rt2.</summary>
    public static void VmovPairFromCore(CortexMCpu cpu, ref Op op)
    {
        Enter(cpu, ref op);
        cpu.S[op.Rm & 31] = cpu.R[op.Rd & 15];
        cpu.S[(op.Rm + 1) & 31] = cpu.R[op.Ra & 15];
    }

    /// <summary>VMRS Rt, FPSCR.</summary>
    public static void Vmrs(CortexMCpu cpu, ref Op op)
    {
        Enter(cpu, ref op);
        cpu.R[op.Rd & 15] = cpu.Fpscr;
    }

    /// <summary>VMRS APSR_nzcv, FPSCR: copies the FP comparison flags to the integer flags.</summary>
    public static void VmrsFlags(CortexMCpu cpu, ref Op op)
    {
        Enter(cpu, ref op);
        uint fpscr = cpu.Fpscr;
        cpu.N = (fpscr & (1u << 31)) != 0;
        cpu.Z = (fpscr & (1u << 30)) != 0;
        cpu.C = (fpscr & (1u << 29)) != 0;
        cpu.V = (fpscr & (1u << 28)) != 0;
    }

    /// <summary>VMSR FPSCR, Rt: only the bits the M profile implements are kept.</summary>
    public static void Vmsr(CortexMCpu cpu, ref Op op)
    {
        Enter(cpu, ref op);
        cpu.Fpscr = cpu.R[op.Rd & 15] & Fpscr.WritableMask;
    }

    /// <summary>VLDR: <c>Rd</c> = first S, <c>Imm</c> = offset, <c>Extra</c> bit 0 add, bit 1 double. A PC base is Align(PC, 4).</summary>
    public static void Vldr(CortexMCpu cpu, ref Op op)
    {
        Enter(cpu, ref op);
        uint address = TransferAddress(cpu, ref op);
        int d = op.Rd & 31;
        if ((op.Extra & 2) != 0)
        {
            uint low = cpu.ReadWordAligned(address);
            uint high = cpu.ReadWordAligned(address + 4);
            cpu.S[d] = low;
            cpu.S[(d + 1) & 31] = high;
        }
        else
        {
            cpu.S[d] = cpu.ReadWordAligned(address);
        }
    }

    /// <summary>VSTR: fields as <see cref="Vldr"/>.</summary>
    public static void Vstr(CortexMCpu cpu, ref Op op)
    {
        Enter(cpu, ref op);
        uint address = TransferAddress(cpu, ref op);
        int d = op.Rd & 31;
        cpu.WriteWordAligned(address, cpu.S[d]);
        if ((op.Extra & 2) != 0)
        {
            cpu.WriteWordAligned(address + 4, cpu.S[(d + 1) & 31]);
        }
    }

    /// <summary>VLDM/VPOP: <c>Rd</c> = first S, <c>Amount</c> = words, <c>Imm</c> = bytes, <c>Extra</c> bit 0 increment-after, bit 1 writeback.</summary>
    public static void Vldm(CortexMCpu cpu, ref Op op)
    {
        Enter(cpu, ref op);
        uint address = MultipleStart(cpu, ref op);
        int first = op.Rd;
        for (int k = 0; k < op.Amount; k++)
        {
            cpu.S[(first + k) & 31] = cpu.ReadWordAligned(address);
            address += 4;
        }
    }

    /// <summary>VSTM/VPUSH: fields as <see cref="Vldm"/>.</summary>
    public static void Vstm(CortexMCpu cpu, ref Op op)
    {
        Enter(cpu, ref op);
        uint address = MultipleStart(cpu, ref op);
        int first = op.Rd;
        for (int k = 0; k < op.Amount; k++)
        {
            cpu.WriteWordAligned(address, cpu.S[(first + k) & 31]);
            address += 4;
        }
    }

    private static uint TransferAddress(CortexMCpu cpu, ref Op op)
    {
        uint baseAddress = op.Rn == 15 ? cpu.R[15] & ~3u : cpu.R[op.Rn & 15];
        return (op.Extra & 1) != 0 ? baseAddress + op.Imm : baseAddress - op.Imm;
    }

    /// <summary>Lowest address of a VLDM/VSTM transfer; performs the base writeback (the ARM ARM writes back before the accesses).</summary>
    private static uint MultipleStart(CortexMCpu cpu, ref Op op)
    {
        uint baseAddress = cpu.R[op.Rn & 15];
        bool increment = (op.Extra & 1) != 0;
        uint start = increment ? baseAddress : baseAddress - op.Imm;
        if ((op.Extra & 2) != 0)
        {
            cpu.R[op.Rn & 15] = increment ? baseAddress + op.Imm : baseAddress - op.Imm;
        }

        return start;
    }
}
