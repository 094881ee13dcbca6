using System.Runtime.InteropServices;

namespace EdgeVisor.Emulation.CortexM.Tests.Unicorn;

/// <summary>
/// Minimal P/Invoke wrapper over libunicorn.so.2 (Unicorn 2.0.1) in Cortex-M Thumb mode: the
/// reference the differential tests compare the core against. Constants from unicorn.h / arm.h.
/// </summary>
internal sealed partial class UnicornEngine : IDisposable
{
    public const int CortexM0 = 7;
    public const int CortexM3 = 8;
    public const int CortexM4 = 9;

    private const string Library = "libunicorn.so.2";
    private const int ArchArm = 1;
    private const int ModeThumbMClass = 16 | 32;
    private const int ControlWriteCpuModel = 1140850695; // UC_CTL_WRITE(UC_CTL_CPU_MODEL, 1)
    private const int ControlWriteTbRemoveCache = 1207959561; // UC_CTL_WRITE(UC_CTL_TB_REMOVE_CACHE, 2)
    private const int ProtAll = 7;
    private const int RegR0 = 66;
    private const int RegSp = 12;
    private const int RegLr = 10;
    private const int RegPc = 11;
    private const int RegXpsr = 120;

    private nint _handle;

    public UnicornEngine(int cpuModel)
    {
        Check(uc_open(ArchArm, ModeThumbMClass, out _handle), "uc_open");
        Check(uc_ctl(_handle, ControlWriteCpuModel, cpuModel), "uc_ctl(CPU_MODEL)");
    }

    public void Map(uint address, uint size) => Check(uc_mem_map(_handle, address, size, ProtAll), "uc_mem_map");

    public void Write(uint address, byte[] data) => Check(uc_mem_write(_handle, address, data, (nuint)data.Length), "uc_mem_write");

    /// <summary>Drops Unicorn's translated blocks for the low 256 KiB (the code window the harnesses use).</summary>
    public void FlushTranslations() => FlushTranslations(0, 0x40000);

    /// <summary>Drops Unicorn's translated blocks for [start, end): it does not notice code rewritten through uc_mem_write.</summary>
    public void FlushTranslations(uint start, uint end) => Check(uc_ctl(_handle, ControlWriteTbRemoveCache, start, end), "uc_ctl(TB_REMOVE_CACHE)");

    public byte[] Read(uint address, int size)
    {
        var data = new byte[size];
        Check(uc_mem_read(_handle, address, data, (nuint)size), "uc_mem_read");
        return data;
    }

    /// <summary>Register by core number 0..15.</summary>
    public uint this[int register]
    {
        get
        {
            ulong value = 0;
            Check(uc_reg_read(_handle, RegisterId(register), ref value), "uc_reg_read");
            return (uint)value;
        }

        set
        {
            ulong v = value;
            Check(uc_reg_write(_handle, RegisterId(register), ref v), "uc_reg_write");
        }
    }

    public uint Xpsr
    {
        get
        {
            ulong value = 0;
            Check(uc_reg_read(_handle, RegXpsr, ref value), "uc_reg_read(xpsr)");
            return (uint)value;
        }

        set
        {
            ulong v = value;
            Check(uc_reg_write(_handle, RegXpsr, ref v), "uc_reg_write(xpsr)");
        }
    }

    /// <summary>Runs <paramref name="count"/> instructions from <paramref name="pc"/>; false if Unicorn stopped with an error (an exception).</summary>
    public bool Run(uint pc, int count) => uc_emu_start(_handle, pc | 1, 0xFFFFFFFF, 0, (nuint)count) == 0;

    /// <summary>Runs from <paramref name="pc"/> until the PC equals <paramref name="until"/>.</summary>
    public bool RunUntil(uint pc, uint until) => uc_emu_start(_handle, pc | 1, until, 0, 0) == 0;

    public void Dispose()
    {
        if (_handle != 0)
        {
            _ = uc_close(_handle);
            _handle = 0;
        }
    }

    private static int RegisterId(int register) => register switch
    {
        13 => RegSp,
        14 => RegLr,
        15 => RegPc,
        _ => RegR0 + register,
    };

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

    [LibraryImport(Library)]
    private static partial int uc_ctl(nint handle, int control, int argument);

    [LibraryImport(Library, EntryPoint = "uc_ctl")]
    private static partial int uc_ctl(nint handle, int control, ulong first, ulong second);

    [LibraryImport(Library)]
    private static partial int uc_mem_map(nint handle, ulong address, nuint size, uint perms);

    [LibraryImport(Library)]
    private static partial int uc_mem_write(nint handle, ulong address, [In] byte[] bytes, nuint size);

    [LibraryImport(Library)]
    private static partial int uc_mem_read(nint handle, ulong address, [Out] byte[] bytes, nuint size);

    [LibraryImport(Library)]
    private static partial int uc_reg_write(nint handle, int regid, ref ulong value);

    [LibraryImport(Library)]
    private static partial int uc_reg_read(nint handle, int regid, ref ulong value);

    [LibraryImport(Library)]
    private static partial int uc_emu_start(nint handle, ulong begin, ulong until, ulong timeout, nuint count);
}
