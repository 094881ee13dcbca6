using System.Runtime.InteropServices;
using EdgeVisor.Testing.Unicorn;

namespace EdgeVisor.Emulation.Arm64.Tests.Unicorn;

/// <summary>Unicorn 2.0.1 AArch64 CPU models (uc_cpu_arm64 in arm64.h).</summary>
internal enum UnicornCpuModel
{
    /// <summary>Cortex-A57: ARMv8.0 with FP, AdvSIMD, AES/PMULL, SHA1/SHA2, CRC32.</summary>
    CortexA57 = 0,

    CortexA53 = 1,

    /// <summary>Cortex-A72, Unicorn's default: the same ARMv8.0 feature set as A57.</summary>
    CortexA72 = 2,

    /// <summary>QEMU's "max": every feature QEMU 5 implements (LSE, FP16, RDM, DotProd, SHA3/SHA512, PAuth, BTI, SVE, FlagM…).</summary>
    Max = 3,
}

/// <summary>How a Unicorn run ended.</summary>
internal enum UnicornExit
{
    /// <summary>Reached the stop address or the instruction count.</summary>
    Completed,

    /// <summary>A CPU exception taken through the interrupt hook (see <see cref="Arm64Unicorn.ExceptionNumber"/>).</summary>
    Exception,

    /// <summary>uc_emu_start failed: an unmapped/protected access or an unaligned access (see <see cref="Arm64Unicorn.LastError"/>).</summary>
    MemoryError,
}

/// <summary>
/// Unicorn 2.0.1 (libunicorn.so.2) as UC_ARCH_ARM64: the reference for the A64 differential tests. The engine itself
/// is the shared <see cref="UnicornEngine"/>; this layer adds the AArch64 register ids (arm64.h), CPU models and the
/// mapping of a run's end to <see cref="UnicornExit"/>. Unicorn runs the code at EL1 (it ignores attempts to drop to
/// EL0), which matters only for system instructions; see README.md.
/// </summary>
internal sealed class Arm64Unicorn : UnicornEngine
{
    // QEMU exception numbers reported to the interrupt hook.
    public const int ExceptionUndefined = 1;
    public const int ExceptionSupervisorCall = 2;
    public const int ExceptionBreakpoint = 7;

    private const int ArchArm64 = 2;
    private const int ModeArm = 0;

    private const int RegX29 = 1;
    private const int RegX30 = 2;
    private const int RegNzcv = 3;
    private const int RegSp = 4;
    private const int RegQ0 = 104;
    private const int RegX0 = 199;
    private const int RegPc = 260;
    private const int RegTpidrEl0 = 262;
    private const int RegFpcr = 291;
    private const int RegFpsr = 292;

    public Arm64Unicorn(UnicornCpuModel model = UnicornCpuModel.CortexA72)
        : base(ArchArm64, ModeArm, (int)model, stopOnInterrupt: true)
    {
        Model = model;
    }

    public UnicornCpuModel Model { get; }

    /// <summary>QEMU exception number of the last <see cref="UnicornExit.Exception"/> (1 undefined, 2 SVC, 7 BRK, others are aborts).</summary>
    public int ExceptionNumber { get; private set; }

    /// <summary>uc_err of the last <see cref="UnicornExit.MemoryError"/>.</summary>
    public int LastError { get; private set; }

    /// <summary>X0..X30 by number.</summary>
    public ulong GetX(int n) => ReadRegister(XId(n));

    public void SetX(int n, ulong value) => WriteRegister(XId(n), value);

    public ulong Sp { get => ReadRegister(RegSp); set => WriteRegister(RegSp, value); }

    public ulong Pc { get => ReadRegister(RegPc); set => WriteRegister(RegPc, value); }

    /// <summary>NZCV in bits 31..28.</summary>
    public uint Nzcv { get => (uint)ReadRegister(RegNzcv); set => WriteRegister(RegNzcv, value); }

    public uint Fpcr { get => (uint)ReadRegister(RegFpcr); set => WriteRegister(RegFpcr, value); }

    public uint Fpsr { get => (uint)ReadRegister(RegFpsr); set => WriteRegister(RegFpsr, value); }

    public ulong TpidrEl0 { get => ReadRegister(RegTpidrEl0); set => WriteRegister(RegTpidrEl0, value); }

    public UInt128 GetQ(int n)
    {
        UInt128 value = 0;
        ReadRegister(RegQ0 + n, MemoryMarshal.AsBytes(new Span<UInt128>(ref value)));
        return value;
    }

    public void SetQ(int n, UInt128 value) => WriteRegister(RegQ0 + n, MemoryMarshal.AsBytes(new ReadOnlySpan<UInt128>(in value)));

    /// <summary>
    /// Runs from <paramref name="pc"/> until the PC reaches <paramref name="until"/>, <paramref name="count"/>
    /// instructions have run, an exception is taken or a memory access fails.
    /// </summary>
    public UnicornExit Run(ulong pc, ulong until, ulong count)
    {
        int error = Start(pc, until, count);
        if (LastInterrupt is int exception)
        {
            ExceptionNumber = exception;
            return UnicornExit.Exception;
        }

        if (error != 0)
        {
            LastError = error;
            return UnicornExit.MemoryError;
        }

        return UnicornExit.Completed;
    }

    private static int XId(int n) => n switch
    {
        < 29 => RegX0 + n,
        29 => RegX29,
        30 => RegX30,
        _ => throw new ArgumentOutOfRangeException(nameof(n), n, "X register 0..30"),
    };
}
