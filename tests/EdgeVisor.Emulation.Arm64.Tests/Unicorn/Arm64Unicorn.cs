using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

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
/// Minimal P/Invoke wrapper over libunicorn.so.2 (Unicorn 2.0.1) for UC_ARCH_ARM64: the reference for the A64
/// differential tests. Constants come from /usr/include/unicorn/unicorn.h and arm64.h. Unicorn runs the code at EL1
/// (it ignores attempts to drop to EL0), which matters only for system instructions; see README.md.
/// </summary>
internal sealed unsafe partial class Arm64Unicorn : IDisposable
{
    // QEMU exception numbers reported to the interrupt hook.
    public const int ExceptionUndefined = 1;
    public const int ExceptionSupervisorCall = 2;
    public const int ExceptionBreakpoint = 7;

    private const string Library = "libunicorn.so.2";
    private const int ArchArm64 = 2;
    private const int ModeArm = 0;
    public const uint ProtRead = 1;
    public const uint ProtWrite = 2;
    public const uint ProtExecute = 4;
    public const uint ProtAll = 7;
    private const int HookInterrupt = 1;
    private const int ControlWriteCpuModel = 0x4400_0007; // UC_CTL_WRITE(UC_CTL_CPU_MODEL, 1)
    private const int ControlWriteTbRemoveCache = 0x4800_0009; // UC_CTL_WRITE(UC_CTL_TB_REMOVE_CACHE, 2)

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

    private nint _handle;
    private readonly int* _exception; // written by the interrupt hook: exception number + 1, 0 when none

    public Arm64Unicorn(UnicornCpuModel model = UnicornCpuModel.CortexA72)
    {
        Check(uc_open(ArchArm64, ModeArm, out _handle), "uc_open");
        Check(uc_ctl(_handle, ControlWriteCpuModel, (int)model), "uc_ctl(CPU_MODEL)");
        _exception = (int*)NativeMemory.AllocZeroed(sizeof(int));
        nint hook;
        Check(uc_hook_add(_handle, &hook, HookInterrupt, (nint)(delegate* unmanaged[Cdecl]<nint, uint, nint, void>)&OnInterrupt, (nint)_exception, 1, 0), "uc_hook_add(INTR)");
        Model = model;
    }

    public UnicornCpuModel Model { get; }

    /// <summary>QEMU exception number of the last <see cref="UnicornExit.Exception"/> (1 undefined, 2 SVC, 7 BRK, others are aborts).</summary>
    public int ExceptionNumber { get; private set; }

    /// <summary>uc_err of the last <see cref="UnicornExit.MemoryError"/>.</summary>
    public int LastError { get; private set; }

    /// <summary>Maps zeroed memory; <paramref name="perms"/> are UC_PROT_* bits (1 read, 2 write, 4 execute).</summary>
    public void Map(ulong address, ulong size, uint perms = ProtAll) => Check(uc_mem_map(_handle, address, (nuint)size, perms), "uc_mem_map");

    public void Write(ulong address, ReadOnlySpan<byte> data)
    {
        fixed (byte* p = data)
        {
            Check(uc_mem_write(_handle, address, p, (nuint)data.Length), "uc_mem_write");
        }
    }

    public void Read(ulong address, Span<byte> data)
    {
        fixed (byte* p = data)
        {
            Check(uc_mem_read(_handle, address, p, (nuint)data.Length), "uc_mem_read");
        }
    }

    /// <summary>
    /// Drops the translated blocks of [start, end): Unicorn does not notice code rewritten through uc_mem_write.
    /// (A full TB_FLUSH costs ~300 ms; removing a range is cheap.)
    /// </summary>
    public void FlushTranslations(ulong start, ulong end) => Check(uc_ctl(_handle, ControlWriteTbRemoveCache, start, end), "uc_ctl(TB_REMOVE_CACHE)");

    /// <summary>X0..X30 by number.</summary>
    public ulong GetX(int n) => Get(XId(n));

    public void SetX(int n, ulong value) => Set(XId(n), value);

    public ulong Sp { get => Get(RegSp); set => Set(RegSp, value); }

    public ulong Pc { get => Get(RegPc); set => Set(RegPc, value); }

    /// <summary>NZCV in bits 31..28.</summary>
    public uint Nzcv { get => (uint)Get(RegNzcv); set => Set(RegNzcv, value); }

    public uint Fpcr { get => (uint)Get(RegFpcr); set => Set(RegFpcr, value); }

    public uint Fpsr { get => (uint)Get(RegFpsr); set => Set(RegFpsr, value); }

    public ulong TpidrEl0 { get => Get(RegTpidrEl0); set => Set(RegTpidrEl0, value); }

    public UInt128 GetQ(int n)
    {
        UInt128 value = 0;
        Check(uc_reg_read(_handle, RegQ0 + n, &value), "uc_reg_read(Q)");
        return value;
    }

    public void SetQ(int n, UInt128 value) => Check(uc_reg_write(_handle, RegQ0 + n, &value), "uc_reg_write(Q)");

    /// <summary>
    /// Runs from <paramref name="pc"/> until the PC reaches <paramref name="until"/>, <paramref name="count"/>
    /// instructions have run, an exception is taken or a memory access fails.
    /// </summary>
    public UnicornExit Run(ulong pc, ulong until, ulong count)
    {
        *_exception = 0;
        int error = uc_emu_start(_handle, pc, until, 0, (nuint)count);
        if (*_exception != 0)
        {
            ExceptionNumber = *_exception - 1;
            return UnicornExit.Exception;
        }

        if (error != 0)
        {
            LastError = error;
            return UnicornExit.MemoryError;
        }

        return UnicornExit.Completed;
    }

    public void Dispose()
    {
        if (_handle != 0)
        {
            _ = uc_close(_handle);
            _handle = 0;
            NativeMemory.Free(_exception);
        }
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static void OnInterrupt(nint handle, uint number, nint userData)
    {
        *(int*)userData = (int)number + 1;
        _ = uc_emu_stop(handle);
    }

    private static int XId(int n) => n switch
    {
        < 29 => RegX0 + n,
        29 => RegX29,
        30 => RegX30,
        _ => throw new ArgumentOutOfRangeException(nameof(n), n, "X register 0..30"),
    };

    private ulong Get(int id)
    {
        ulong value = 0;
        Check(uc_reg_read(_handle, id, &value), "uc_reg_read");
        return value;
    }

    private void Set(int id, ulong value) => Check(uc_reg_write(_handle, id, &value), "uc_reg_write");

    private static void Check(int error, string what)
    {
        if (error != 0)
        {
            throw new InvalidOperationException($"unicorn {what} failed with uc_err {error}");
        }
    }

    [LibraryImport(Library)]
    private static partial int uc_open(int arch, int mode, out nint handle);

    [LibraryImport(Library)]
    private static partial int uc_close(nint handle);

    [LibraryImport(Library)]
    private static partial int uc_ctl(nint handle, int control, int argument);

    [LibraryImport(Library, EntryPoint = "uc_ctl")]
    private static partial int uc_ctl(nint handle, int control, ulong first, ulong second);

    [LibraryImport(Library)]
    private static partial int uc_hook_add(nint handle, nint* hook, int type, nint callback, nint userData, ulong begin, ulong end);

    [LibraryImport(Library)]
    private static partial int uc_mem_map(nint handle, ulong address, nuint size, uint perms);

    [LibraryImport(Library)]
    private static partial int uc_mem_write(nint handle, ulong address, byte* bytes, nuint size);

    [LibraryImport(Library)]
    private static partial int uc_mem_read(nint handle, ulong address, byte* bytes, nuint size);

    [LibraryImport(Library)]
    private static partial int uc_reg_write(nint handle, int regid, void* value);

    [LibraryImport(Library)]
    private static partial int uc_reg_read(nint handle, int regid, void* value);

    [LibraryImport(Library)]
    private static partial int uc_emu_start(nint handle, ulong begin, ulong until, ulong timeout, nuint count);

    [LibraryImport(Library)]
    private static partial int uc_emu_stop(nint handle);
}
