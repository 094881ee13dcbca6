using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace EdgeVisor.Testing.Unicorn;

/// <summary>
/// One Unicorn 2.0.1 engine (a uc_engine handle) and the architecture-independent operations on it: memory mapping,
/// memory and register access by Unicorn register id, translation-cache flushes and runs. Each architecture's
/// binding derives from it and adds only its register ids, CPU models and state accessors.
/// </summary>
internal abstract unsafe class UnicornEngine : IDisposable
{
    private nint _handle;

    // Written by the interrupt hook (exception number + 1, 0 when none); native memory so the unmanaged callback can
    // reach it without pinning. Null when the engine was opened without the hook.
    private int* _interrupt;

    /// <summary>Opens an engine (uc_open) and selects the CPU model (uc_ctl CPU_MODEL).</summary>
    /// <param name="arch">uc_arch.</param>
    /// <param name="mode">uc_mode bits.</param>
    /// <param name="cpuModel">the architecture's uc_cpu_* value.</param>
    /// <param name="stopOnInterrupt">install a UC_HOOK_INTR hook that records the exception number and stops the run.</param>
    protected UnicornEngine(int arch, int mode, int cpuModel, bool stopOnInterrupt)
    {
        UnicornError.Check(UnicornNative.Open(arch, mode, out _handle), "uc_open");
        try
        {
            UnicornError.Check(UnicornNative.Control(_handle, UnicornNative.ControlWriteCpuModel, cpuModel), "uc_ctl(CPU_MODEL)");
            if (stopOnInterrupt)
            {
                _interrupt = (int*)NativeMemory.AllocZeroed(sizeof(int));
                nint hook;
                var callback = (nint)(delegate* unmanaged[Cdecl]<nint, uint, nint, void>)&OnInterrupt;
                UnicornError.Check(UnicornNative.AddHook(_handle, &hook, UnicornNative.HookInterrupt, callback, (nint)_interrupt, 1, 0), "uc_hook_add(INTR)");
            }
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    /// <summary>
    /// CPU exception number (QEMU's numbering) that stopped the last <see cref="Start"/>, or null when none was taken
    /// (always null without the interrupt hook).
    /// </summary>
    public int? LastInterrupt { get; private set; }

    /// <summary>Maps zeroed memory at [<paramref name="address"/>, +<paramref name="size"/>) (both page-aligned).</summary>
    public void Map(ulong address, ulong size, UnicornProtection protection = UnicornProtection.All)
        => UnicornError.Check(UnicornNative.MapMemory(_handle, address, (nuint)size, (uint)protection), "uc_mem_map");

    /// <summary>Writes guest memory (ignores page permissions).</summary>
    public void Write(ulong address, ReadOnlySpan<byte> data)
    {
        fixed (byte* p = data)
        {
            UnicornError.Check(UnicornNative.WriteMemory(_handle, address, p, (nuint)data.Length), "uc_mem_write");
        }
    }

    /// <summary>Reads guest memory into <paramref name="data"/> (ignores page permissions).</summary>
    public void Read(ulong address, Span<byte> data)
    {
        fixed (byte* p = data)
        {
            UnicornError.Check(UnicornNative.ReadMemory(_handle, address, p, (nuint)data.Length), "uc_mem_read");
        }
    }

    /// <summary>Reads <paramref name="size"/> bytes of guest memory into a new array.</summary>
    public byte[] Read(ulong address, int size)
    {
        var data = new byte[size];
        Read(address, data);
        return data;
    }

    /// <summary>
    /// Drops the translated blocks of [start, end): Unicorn does not notice code rewritten through uc_mem_write.
    /// (A full TB_FLUSH costs ~300 ms; removing a range is cheap.)
    /// </summary>
    public void FlushTranslations(ulong start, ulong end)
        => UnicornError.Check(UnicornNative.Control(_handle, UnicornNative.ControlWriteTbRemoveCache, start, end), "uc_ctl(TB_REMOVE_CACHE)");

    /// <summary>Releases the engine and the hook's memory.</summary>
    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    /// <summary>
    /// Runs from <paramref name="begin"/> until the PC equals <paramref name="until"/>, <paramref name="count"/>
    /// instructions have run (0: no limit), or the interrupt hook stops it. Returns uc_err (0 when the run ended
    /// normally or through the hook; see <see cref="LastInterrupt"/>).
    /// </summary>
    protected int Start(ulong begin, ulong until, ulong count)
    {
        if (_interrupt != null)
        {
            *_interrupt = 0;
        }

        int error = UnicornNative.Start(_handle, begin, until, 0, (nuint)count);
        LastInterrupt = _interrupt != null && *_interrupt != 0 ? *_interrupt - 1 : null;
        return error;
    }

    /// <summary>Reads a register of up to 64 bits by Unicorn register id (narrower registers are zero-extended).</summary>
    protected ulong ReadRegister(int id)
    {
        ulong value = 0;
        UnicornError.Check(UnicornNative.ReadRegister(_handle, id, &value), $"uc_reg_read({id})");
        return value;
    }

    /// <summary>Writes a register of up to 64 bits by Unicorn register id (narrower registers take the low bits).</summary>
    protected void WriteRegister(int id, ulong value)
        => UnicornError.Check(UnicornNative.WriteRegister(_handle, id, &value), $"uc_reg_write({id})");

    /// <summary>Reads a register wider than 64 bits (vector registers) as bytes, little-endian.</summary>
    protected void ReadRegister(int id, Span<byte> value)
    {
        fixed (byte* p = value)
        {
            UnicornError.Check(UnicornNative.ReadRegister(_handle, id, p), $"uc_reg_read({id})");
        }
    }

    /// <summary>Writes a register wider than 64 bits (vector registers) from bytes, little-endian.</summary>
    protected void WriteRegister(int id, ReadOnlySpan<byte> value)
    {
        fixed (byte* p = value)
        {
            UnicornError.Check(UnicornNative.WriteRegister(_handle, id, p), $"uc_reg_write({id})");
        }
    }

    /// <summary>Closes the handle; derived bindings own no native resources of their own.</summary>
    protected virtual void Dispose(bool disposing)
    {
        if (_handle != 0)
        {
            _ = UnicornNative.Close(_handle);
            _handle = 0;
        }

        if (_interrupt != null)
        {
            NativeMemory.Free(_interrupt);
            _interrupt = null;
        }
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static void OnInterrupt(nint handle, uint number, nint userData)
    {
        *(int*)userData = (int)number + 1;
        _ = UnicornNative.Stop(handle);
    }
}
