using System.Runtime.InteropServices;

namespace EdgeVisor.Emulation.Arm64.Tests.Simd.Arithmetic.Differential;

/// <summary>
/// Minimal P/Invoke wrapper over libunicorn.so.2 (Unicorn 2.0.1, its default Cortex-A72 model) for single SIMD
/// instructions: the 32 vector registers, FPCR and FPSR in, one instruction run, the same state out. Constants from
/// unicorn.h / arm64.h.
/// </summary>
internal sealed partial class SimdUnicorn : IDisposable
{
    public const ulong CodeAddress = 0x1_0000;

    private const string Library = "libunicorn.so.2";
    private const int ArchArm64 = 2;
    private const int ModeArm = 0;
    private const int ProtAll = 7;
    private const int RegQ0 = 104;
    private const int RegFpcr = 291;
    private const int RegFpsr = 292;
    private const int RegNzcv = 3;
    private const int ControlWriteTbRemoveCache = 1207959561; // UC_CTL_WRITE(UC_CTL_TB_REMOVE_CACHE, 2)

    private readonly nint _handle;

    public SimdUnicorn()
    {
        Check(uc_open(ArchArm64, ModeArm, out _handle), "uc_open");
        Check(uc_mem_map(_handle, CodeAddress, 0x1000, ProtAll), "uc_mem_map");
    }

    /// <summary>Loads the state, runs <paramref name="instruction"/> once and reads the state back; false when the instruction raised an exception (undefined).</summary>
    public bool Execute(uint instruction, SimdState state)
    {
        Check(uc_mem_write(_handle, CodeAddress, BitConverter.GetBytes(instruction), 4), "uc_mem_write");
        Check(uc_ctl(_handle, ControlWriteTbRemoveCache, CodeAddress, CodeAddress + 4), "uc_ctl(TB_REMOVE_CACHE)");
        var buffer = new byte[16];
        for (int i = 0; i < 32; i++)
        {
            BitConverter.TryWriteBytes(buffer.AsSpan(0, 8), state.Low[i]);
            BitConverter.TryWriteBytes(buffer.AsSpan(8, 8), state.High[i]);
            Check(uc_reg_write(_handle, RegQ0 + i, buffer), "uc_reg_write(Q)");
        }

        WriteScalar(RegFpcr, state.Fpcr);
        WriteScalar(RegFpsr, state.Fpsr);
        WriteScalar(RegNzcv, state.Nzcv);
        int error = uc_emu_start(_handle, CodeAddress, CodeAddress + 4, 0, 1);
        if (error != 0)
        {
            return false;
        }

        for (int i = 0; i < 32; i++)
        {
            Check(uc_reg_read(_handle, RegQ0 + i, buffer), "uc_reg_read(Q)");
            state.Low[i] = BitConverter.ToUInt64(buffer, 0);
            state.High[i] = BitConverter.ToUInt64(buffer, 8);
        }

        state.Fpsr = (uint)ReadScalar(RegFpsr);
        state.Nzcv = (uint)ReadScalar(RegNzcv);
        return true;
    }

    public void Dispose() => Check(uc_close(_handle), "uc_close");

    private void WriteScalar(int register, ulong value)
    {
        var buffer = BitConverter.GetBytes(value);
        Check(uc_reg_write(_handle, register, buffer), "uc_reg_write");
    }

    private ulong ReadScalar(int register)
    {
        var buffer = new byte[16];
        Check(uc_reg_read(_handle, register, buffer), "uc_reg_read");
        return BitConverter.ToUInt64(buffer, 0);
    }

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

    [LibraryImport(Library)]
    private static partial int uc_mem_map(nint handle, ulong address, nuint size, uint perms);

    [LibraryImport(Library)]
    private static partial int uc_mem_write(nint handle, ulong address, [In] byte[] bytes, nuint size);

    [LibraryImport(Library)]
    private static partial int uc_reg_write(nint handle, int regid, [In] byte[] value);

    [LibraryImport(Library)]
    private static partial int uc_reg_read(nint handle, int regid, [Out] byte[] value);

    [LibraryImport(Library)]
    private static partial int uc_emu_start(nint handle, ulong begin, ulong until, ulong timeout, nuint count);
}

/// <summary>The SIMD-visible state one differential case sets and compares.</summary>
internal sealed class SimdState
{
    public ulong[] Low { get; } = new ulong[32];

    public ulong[] High { get; } = new ulong[32];

    public uint Fpcr { get; set; }

    public uint Fpsr { get; set; }

    /// <summary>NZCV in bits 31:28 (the FP compares write it; FCSEL and the conditional compares read it).</summary>
    public uint Nzcv { get; set; }

    public SimdState Clone()
    {
        var copy = new SimdState { Fpcr = Fpcr, Fpsr = Fpsr, Nzcv = Nzcv };
        Low.CopyTo(copy.Low, 0);
        High.CopyTo(copy.High, 0);
        return copy;
    }
}
