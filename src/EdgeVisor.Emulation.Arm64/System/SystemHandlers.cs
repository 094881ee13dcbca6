using EdgeVisor.Emulation.Arm64.Decoding;
using EdgeVisor.Emulation.Arm64.FloatingPoint;
using EdgeVisor.Emulation.Arm64.Memory;

namespace EdgeVisor.Emulation.Arm64.SystemInstructions;

/// <summary>Handlers for hints, barriers, cache maintenance and system-register moves.</summary>
internal static class SystemHandlers
{
    /// <summary>FPSR bits that exist in AArch64: QC and the cumulative exception flags.</summary>
    private const uint FpsrWritable = FpBits.Qc | FpBits.Idc | FpBits.Ixc | FpBits.Ufc | FpBits.Ofc | FpBits.Dzc | FpBits.Ioc;

    public static void Nop(Arm64Cpu cpu, ref Op op)
    {
    }

    /// <summary>DMB/DSB: guest threads run on host threads, so order host memory accesses too.</summary>
    public static void MemoryBarrier(Arm64Cpu cpu, ref Op op) => Interlocked.MemoryBarrier();

    public static void ClearExclusive(Arm64Cpu cpu, ref Op op) => cpu.ExclusiveAddress = Arm64Cpu.NoExclusive;

    /// <summary>DC ZVA: zeroes the aligned block containing the address, as a write (faults like one).</summary>
    public static void ZeroBlock(Arm64Cpu cpu, ref Op op)
    {
        ulong address = cpu.X[op.Rn] & ~(ulong)(SystemRegisters.ZeroBlockSize - 1);
        var memory = cpu.Memory;
        if (!memory.IsAccessible(address, (ulong)SystemRegisters.ZeroBlockSize, PagePermissions.Write))
        {
            memory.Write8(address, 0); // raises the fault with the right address kind
            throw new GuestFaultException(address, write: true, execute: false);
        }

        for (int i = 0; i < SystemRegisters.ZeroBlockSize; i += 8)
        {
            memory.Write64(address + (ulong)i, 0);
        }
    }

    /// <summary>DC CVAU/CVAC/CIVAC/CVAP: no cache to clean, but the address must be mapped (Linux: SIGSEGV otherwise).</summary>
    public static void CleanDataCache(Arm64Cpu cpu, ref Op op) => _ = cpu.Memory.Read8(cpu.X[op.Rn]);

    /// <summary>IC IVAU: drops the decoded blocks of the line's page, so code rewritten through another mapping runs fresh.</summary>
    public static void InvalidateInstructionCache(Arm64Cpu cpu, ref Op op)
    {
        ulong address = cpu.X[op.Rn];
        _ = cpu.Memory.Read8(address);
        cpu.Blocks.Invalidate(address & ~GuestMemory.PageMask, GuestMemory.PageSize);
    }

    public static void ReadConstant(Arm64Cpu cpu, ref Op op) => cpu.X[op.Rd] = op.Imm;

    public static void ReadNzcv(Arm64Cpu cpu, ref Op op) => cpu.X[op.Rd] = cpu.Nzcv;

    public static void WriteNzcv(Arm64Cpu cpu, ref Op op) => cpu.Nzcv = (uint)cpu.X[op.Rn];

    public static void ReadFpcr(Arm64Cpu cpu, ref Op op) => cpu.X[op.Rd] = cpu.Fpcr;

    public static void WriteFpcr(Arm64Cpu cpu, ref Op op) => cpu.Fpcr = (uint)cpu.X[op.Rn] & FpBits.FpcrWritable;

    public static void ReadFpsr(Arm64Cpu cpu, ref Op op) => cpu.X[op.Rd] = cpu.Fpsr;

    public static void WriteFpsr(Arm64Cpu cpu, ref Op op) => cpu.Fpsr = (uint)cpu.X[op.Rn] & FpsrWritable;

    public static void ReadTpidr(Arm64Cpu cpu, ref Op op) => cpu.X[op.Rd] = cpu.TpidrEl0;

    public static void WriteTpidr(Arm64Cpu cpu, ref Op op) => cpu.TpidrEl0 = cpu.X[op.Rn];

    public static void ReadTpidrro(Arm64Cpu cpu, ref Op op) => cpu.X[op.Rd] = cpu.TpidrroEl0;

    public static void ReadCounter(Arm64Cpu cpu, ref Op op) => cpu.X[op.Rd] = GenericTimer.VirtualCount();
}
