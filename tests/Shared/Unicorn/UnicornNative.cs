using System.Runtime.InteropServices;

namespace EdgeVisor.Testing.Unicorn;

/// <summary>
/// The libunicorn.so.2 (Unicorn 2.0.1) entry points every architecture's binding uses, with the constants from
/// /usr/include/unicorn/unicorn.h. The library is loaded on the first call, so a test project that links this file
/// but never opens an engine does not need libunicorn at run time.
/// </summary>
internal static unsafe partial class UnicornNative
{
    /// <summary>UC_HOOK_INTR: CPU exceptions (interrupts, SVC, BRK, undefined instructions…).</summary>
    public const int HookInterrupt = 1;

    /// <summary>UC_CTL_WRITE(UC_CTL_CPU_MODEL, 1).</summary>
    public const int ControlWriteCpuModel = 0x4400_0007;

    /// <summary>UC_CTL_WRITE(UC_CTL_TB_REMOVE_CACHE, 2).</summary>
    public const int ControlWriteTbRemoveCache = 0x4800_0009;

    private const string Library = "libunicorn.so.2";

    [LibraryImport(Library, EntryPoint = "uc_open")]
    public static partial int Open(int arch, int mode, out nint handle);

    [LibraryImport(Library, EntryPoint = "uc_close")]
    public static partial int Close(nint handle);

    [LibraryImport(Library, EntryPoint = "uc_strerror")]
    public static partial nint ErrorText(int error);

    [LibraryImport(Library, EntryPoint = "uc_ctl")]
    public static partial int Control(nint handle, int control, int argument);

    [LibraryImport(Library, EntryPoint = "uc_ctl")]
    public static partial int Control(nint handle, int control, ulong first, ulong second);

    [LibraryImport(Library, EntryPoint = "uc_hook_add")]
    public static partial int AddHook(nint handle, nint* hook, int type, nint callback, nint userData, ulong begin, ulong end);

    [LibraryImport(Library, EntryPoint = "uc_mem_map")]
    public static partial int MapMemory(nint handle, ulong address, nuint size, uint perms);

    [LibraryImport(Library, EntryPoint = "uc_mem_write")]
    public static partial int WriteMemory(nint handle, ulong address, byte* bytes, nuint size);

    [LibraryImport(Library, EntryPoint = "uc_mem_read")]
    public static partial int ReadMemory(nint handle, ulong address, byte* bytes, nuint size);

    [LibraryImport(Library, EntryPoint = "uc_reg_write")]
    public static partial int WriteRegister(nint handle, int regid, void* value);

    [LibraryImport(Library, EntryPoint = "uc_reg_read")]
    public static partial int ReadRegister(nint handle, int regid, void* value);

    [LibraryImport(Library, EntryPoint = "uc_emu_start")]
    public static partial int Start(nint handle, ulong begin, ulong until, ulong timeout, nuint count);

    [LibraryImport(Library, EntryPoint = "uc_emu_stop")]
    public static partial int Stop(nint handle);
}
