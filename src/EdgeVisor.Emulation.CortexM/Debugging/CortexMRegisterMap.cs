namespace EdgeVisor.Emulation.CortexM.Debugging;

/// <summary>
/// The registers a debugger sees on a Cortex-M model, in gdb register-number order:
/// <list type="bullet">
/// <item>0-16 <c>org.gnu.gdb.arm.m-profile</c>: r0-r12, sp, lr, pc, xpsr (this feature tells gdb it is an M-profile core);</item>
/// <item>FPU models, <c>org.gnu.gdb.arm.vfp</c>: d0-d15 as 64-bit pairs of S registers and fpscr (gdb 13 requires the
/// D registers in this feature and synthesises s0-s31 from them);</item>
/// <item><c>org.gnu.gdb.arm.m-system</c>: msp and psp (gdb 13 uses them to unwind through exception frames);</item>
/// <item><c>org.edgevisor.arm.m-special</c>: primask, basepri and faultmask (ARMv7-M only), control.</item>
/// </list>
/// </summary>
public static class CortexMRegisterMap
{
    public const string CoreFeature = "org.gnu.gdb.arm.m-profile";
    public const string FpFeature = "org.gnu.gdb.arm.vfp";
    public const string StackFeature = "org.gnu.gdb.arm.m-system";
    public const string SpecialFeature = "org.edgevisor.arm.m-special";

    /// <summary>gdb's number for the program counter.</summary>
    public const int PcNumber = 15;

    /// <summary>Sent with every stop: r7 (Thumb frame pointer), sp, lr, pc — what gdb needs to place a stop.</summary>
    public static readonly IReadOnlyList<int> Expedited = [7, 13, 14, PcNumber];

    /// <summary>The registers of <paramref name="model"/>, indexed by gdb register number.</summary>
    public static IReadOnlyList<CortexMDebugRegister> For(CortexMModel model)
    {
        var registers = new List<CortexMDebugRegister>();
        for (int i = 0; i < 13; i++)
        {
            int n = i;
            registers.Add(Core($"r{n}", null, cpu => cpu.R[n], (cpu, v) => cpu.R[n] = v));
        }

        registers.Add(Core("sp", "data_ptr", cpu => cpu.R[13], (cpu, v) => cpu.R[13] = v & ~3u));
        registers.Add(Core("lr", null, cpu => cpu.R[14], (cpu, v) => cpu.R[14] = v));
        registers.Add(Core("pc", "code_ptr", cpu => cpu.R[15], (cpu, v) => cpu.R[15] = v & ~1u));
        registers.Add(Core("xpsr", null, cpu => cpu.Xpsr, (cpu, v) => cpu.Xpsr = v));

        if (model.HasFpu)
        {
            for (int i = 0; i < 16; i++)
            {
                int n = i;
                registers.Add(new CortexMDebugRegister($"d{n}", 64, FpFeature, "ieee_double", "float",
                    cpu => cpu.S[2 * n] | ((ulong)cpu.S[(2 * n) + 1] << 32),
                    (cpu, v) =>
                    {
                        cpu.S[2 * n] = (uint)v;
                        cpu.S[(2 * n) + 1] = (uint)(v >> 32);
                    }));
            }

            registers.Add(new CortexMDebugRegister("fpscr", 32, FpFeature, null, "float", cpu => cpu.Fpscr, (cpu, v) => cpu.Fpscr = (uint)v));
        }

        registers.Add(System("msp", StackFeature, "data_ptr", SystemRegister.Msp));
        registers.Add(System("psp", StackFeature, "data_ptr", SystemRegister.Psp));
        registers.Add(System("primask", SpecialFeature, null, SystemRegister.Primask));
        if (!model.IsV6M)
        {
            registers.Add(System("basepri", SpecialFeature, null, SystemRegister.Basepri));
            registers.Add(System("faultmask", SpecialFeature, null, SystemRegister.Faultmask));
        }

        registers.Add(System("control", SpecialFeature, null, SystemRegister.Control));
        return registers;
    }

    private static CortexMDebugRegister Core(string name, string? type, Func<CortexMCpu, uint> read, Action<CortexMCpu, uint> write) =>
        new(name, 32, CoreFeature, type, "general", cpu => read(cpu), (cpu, v) => write(cpu, (uint)v));

    private static CortexMDebugRegister System(string name, string feature, string? type, SystemRegister register) =>
        new(name, 32, feature, type, "system", cpu => cpu.GetSystemRegister(register), (cpu, v) => cpu.SetSystemRegister(register, (uint)v));
}
