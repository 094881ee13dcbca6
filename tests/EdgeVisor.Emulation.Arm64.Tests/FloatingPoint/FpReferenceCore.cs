using System.Runtime.InteropServices;

namespace EdgeVisor.Emulation.Arm64.Tests.FloatingPoint;

/// <summary>
/// The FP tests' reference: Unicorn 2.0.1 (libunicorn.so.2, QEMU 5 softfloat) in AArch64 mode, one instruction at a
/// time. Register ids come from unicorn/arm64.h. Only what the scalar FP tests need: X0-X30, V0-V31, NZCV, FPCR, FPSR.
/// </summary>
internal sealed unsafe partial class FpReferenceCore : IDisposable
{
    public const ulong CodeAddress = 0x1_0000;

    private const string Library = "libunicorn.so.2";
    private const int ArchArm64 = 2;
    private const int ModeArm = 0;
    private const int ControlWriteCpuModel = 1140850695; // UC_CTL_WRITE(UC_CTL_CPU_MODEL, 1)
    private const int CpuModelMax = 3; // UC_CPU_ARM64_MAX: has FEAT_FP16
    private const int ControlWriteTbRemoveCache = 1207959561; // UC_CTL_WRITE(UC_CTL_TB_REMOVE_CACHE, 2)
    private const int ProtAll = 7;
    private const int RegX0 = 199; // X0..X28 are consecutive
    private const int RegX29 = 1;
    private const int RegX30 = 2;
    private const int RegNzcv = 3;
    private const int RegQ0 = 104; // Q0..Q31 are consecutive
    private const int RegFpcr = 291;
    private const int RegFpsr = 292;

    private readonly byte[] _code = new byte[4];
    private nint _handle;

    /// <param name="withHalfPrecision">Selects Unicorn's "max" CPU, which implements FEAT_FP16 (the default model does not).</param>
    public FpReferenceCore(bool withHalfPrecision = false)
    {
        Check(uc_open(ArchArm64, ModeArm, out _handle), "uc_open");
        if (withHalfPrecision)
        {
            Check(uc_ctl(_handle, ControlWriteCpuModel, CpuModelMax), "uc_ctl(CPU_MODEL)");
        }

        Check(uc_mem_map(_handle, CodeAddress, 0x1000, ProtAll), "uc_mem_map");
    }

    public ulong GetX(int n)
    {
        ulong value = 0;
        Check(uc_reg_read(_handle, XId(n), ref value), "uc_reg_read(x)");
        return value;
    }

    public void SetX(int n, ulong value) => Check(uc_reg_write(_handle, XId(n), ref value), "uc_reg_write(x)");

    public UInt128 GetV(int n)
    {
        UInt128 value = 0;
        Check(uc_reg_read128(_handle, RegQ0 + n, &value), "uc_reg_read(q)");
        return value;
    }

    public void SetV(int n, UInt128 value) => Check(uc_reg_write128(_handle, RegQ0 + n, &value), "uc_reg_write(q)");

    public uint Nzcv
    {
        get => (uint)Read(RegNzcv);
        set => Write(RegNzcv, value);
    }

    public uint Fpcr
    {
        get => (uint)Read(RegFpcr);
        set => Write(RegFpcr, value);
    }

    public uint Fpsr
    {
        get => (uint)Read(RegFpsr);
        set => Write(RegFpsr, value);
    }

    /// <summary>Executes one instruction; false when Unicorn stops with an exception (an undefined encoding).</summary>
    public bool Execute(uint instruction)
    {
        BitConverter.TryWriteBytes(_code, instruction);
        Check(uc_mem_write(_handle, CodeAddress, _code, 4), "uc_mem_write");
        Check(uc_ctl(_handle, ControlWriteTbRemoveCache, CodeAddress, CodeAddress + 0x1000), "uc_ctl(TB_REMOVE_CACHE)");
        return uc_emu_start(_handle, CodeAddress, CodeAddress + 4, 0, 1) == 0;
    }

    /// <summary>Runs a straight-line program of up to 1024 instructions; false when Unicorn stops with an exception.</summary>
    public bool ExecuteProgram(uint[] program)
    {
        var bytes = new byte[program.Length * 4];
        Buffer.BlockCopy(program, 0, bytes, 0, bytes.Length);
        Check(uc_mem_write(_handle, CodeAddress, bytes, (nuint)bytes.Length), "uc_mem_write");
        Check(uc_ctl(_handle, ControlWriteTbRemoveCache, CodeAddress, CodeAddress + 0x1000), "uc_ctl(TB_REMOVE_CACHE)");
        return uc_emu_start(_handle, CodeAddress, CodeAddress + (ulong)bytes.Length, 0, (nuint)program.Length) == 0;
    }

    public void Dispose()
    {
        if (_handle != 0)
        {
            _ = uc_close(_handle);
            _handle = 0;
        }
    }

    private static int XId(int n) => n switch
    {
        29 => RegX29,
        30 => RegX30,
        _ => RegX0 + n,
    };

    private ulong Read(int id)
    {
        ulong value = 0;
        Check(uc_reg_read(_handle, id, ref value), "uc_reg_read");
        return value;
    }

    private void Write(int id, ulong value) => Check(uc_reg_write(_handle, id, ref value), "uc_reg_write");

    private static void Check(int error, string what)
    {
        if (error != 0)
        {
            throw new InvalidOperationException($"unicorn {what} failed with error {error}");
        }
    }

    [LibraryImport(Library)]
    private static partial int uc_open(int arch, int mode, out nint handle);

    [LibraryImport(Library)]
    private static partial int uc_close(nint handle);

    [LibraryImport(Library, EntryPoint = "uc_ctl")]
    private static partial int uc_ctl(nint handle, int control, ulong first, ulong second);

    [LibraryImport(Library, EntryPoint = "uc_ctl")]
    private static partial int uc_ctl(nint handle, int control, int argument);

    [LibraryImport(Library)]
    private static partial int uc_mem_map(nint handle, ulong address, nuint size, uint perms);

    [LibraryImport(Library)]
    private static partial int uc_mem_write(nint handle, ulong address, [In] byte[] bytes, nuint size);

    [LibraryImport(Library)]
    private static partial int uc_reg_write(nint handle, int regid, ref ulong value);

    [LibraryImport(Library)]
    private static partial int uc_reg_read(nint handle, int regid, ref ulong value);

    [LibraryImport(Library, EntryPoint = "uc_reg_write")]
    private static partial int uc_reg_write128(nint handle, int regid, UInt128* value);

    [LibraryImport(Library, EntryPoint = "uc_reg_read")]
    private static partial int uc_reg_read128(nint handle, int regid, UInt128* value);

    [LibraryImport(Library)]
    private static partial int uc_emu_start(nint handle, ulong begin, ulong until, ulong timeout, nuint count);
}
