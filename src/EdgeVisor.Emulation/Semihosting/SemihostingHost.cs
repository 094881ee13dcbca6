using EdgeVisor.Emulation.Memory;
using EdgeVisor.Emulation.Semihosting.Files;
using EdgeVisor.Emulation.Time;

namespace EdgeVisor.Emulation.Semihosting;

/// <summary>
/// Services Arm semihosting calls (BKPT 0xAB on M-profile, HLT 0xF000 on AArch64): console and
/// file I/O, time, command line, heap information and exit, as newlib's rdimon uses them. The
/// exit codes follow qemu-system-arm 7.2 exactly so `edgevisor run` and QEMU agree on a verdict.
/// A call never throws: bad handles or guest pointers return -1 (or "nothing transferred") and
/// set the errno SYS_ERRNO reports.
/// </summary>
public sealed partial class SemihostingHost : IDisposable
{
    /// <summary>ADP_Stopped_ApplicationExit: the only SYS_EXIT reason that means "finished normally".</summary>
    public const uint ApplicationExit = 0x20026;

    private readonly GuestMemory _memory;
    private readonly VirtualClock _clock;
    private readonly SemihostingOptions _options;
    private readonly HandleTable _handles = new();
    private readonly HostPathPolicy _paths;
    private readonly Dictionary<uint, Func<ulong, long>> _operations;
    private int _errno;
    private int? _exitCode;

    /// <summary>Creates a host for one machine.</summary>
    /// <param name="memory">Guest memory that parameter blocks and buffers live in.</param>
    /// <param name="clock">Virtual time, for SYS_CLOCK and SYS_ELAPSED (deterministic).</param>
    /// <param name="options">Console streams, command line, heap info, file policy, word size.</param>
    public SemihostingHost(AddressSpace memory, VirtualClock clock, SemihostingOptions options)
    {
        if (options.WordSize is not (4 or 8))
        {
            throw new ArgumentException($"semihosting word size must be 4 or 8, not {options.WordSize}", nameof(options));
        }

        _memory = new GuestMemory(memory, options.WordSize);
        _clock = clock;
        _options = options;
        _paths = new HostPathPolicy(options.FileRoot, options.AllowFileAccess);
        HeapInfo = options.HeapInfo;
        _operations = new()
        {
            [(uint)SemihostingOperation.Open] = Open,
            [(uint)SemihostingOperation.Close] = Close,
            [(uint)SemihostingOperation.WriteC] = WriteC,
            [(uint)SemihostingOperation.Write0] = Write0,
            [(uint)SemihostingOperation.Write] = Write,
            [(uint)SemihostingOperation.Read] = Read,
            [(uint)SemihostingOperation.ReadC] = ReadC,
            [(uint)SemihostingOperation.IsError] = IsError,
            [(uint)SemihostingOperation.IsTty] = IsTty,
            [(uint)SemihostingOperation.Seek] = Seek,
            [(uint)SemihostingOperation.FileLength] = FileLength,
            [(uint)SemihostingOperation.TempName] = TempName,
            [(uint)SemihostingOperation.Remove] = Remove,
            [(uint)SemihostingOperation.Rename] = Rename,
            [(uint)SemihostingOperation.Clock] = Clock,
            [(uint)SemihostingOperation.Time] = Time,
            [(uint)SemihostingOperation.System] = RunHostCommand,
            [(uint)SemihostingOperation.Errno] = _ => _errno,
            [(uint)SemihostingOperation.GetCommandLine] = GetCommandLine,
            [(uint)SemihostingOperation.HeapInfo] = ReportHeapInfo,
            [(uint)SemihostingOperation.Exit] = Exit,
            [(uint)SemihostingOperation.ExitExtended] = ExitExtended,
            [(uint)SemihostingOperation.Elapsed] = Elapsed,
            [(uint)SemihostingOperation.TickFrequency] = _ => (long)_clock.FrequencyHz,
        };
    }

    /// <summary>
    /// What SYS_HEAPINFO reports; starts as <see cref="SemihostingOptions.HeapInfo"/>. Set it after
    /// loading an image, e.g. to <see cref="SemihostingHeapInfo.LikeQemu"/>, which depends on where the image went.
    /// </summary>
    public SemihostingHeapInfo HeapInfo { get; set; }

    /// <summary>The errno the last failing call left (what SYS_ERRNO returns).</summary>
    public int LastErrno => _errno;

    /// <summary>
    /// Performs one call. <paramref name="operation"/> is R0/W0; <paramref name="parameter"/> is
    /// R1/X1 (a value or the address of a parameter block of <see cref="SemihostingOptions.WordSize"/>-byte fields).
    /// </summary>
    public SemihostingResult Handle(uint operation, ulong parameter)
    {
        _exitCode = null;
        long value;
        if (!_operations.TryGetValue(operation, out var handler))
        {
            value = Fail(SemihostingErrno.NotImplemented);
        }
        else
        {
            try
            {
                value = handler(parameter);
            }
            catch (GuestMemoryFaultException)
            {
                value = Fail(SemihostingErrno.BadAddress);
            }
            catch (SemihostingErrorException e)
            {
                value = Fail(e.Errno);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException or ObjectDisposedException)
            {
                value = Fail(SemihostingErrno.FromException(e));
            }
        }

        ulong register = _memory.WordSize == 4 ? (uint)value : (ulong)value;
        return new SemihostingResult(register, _exitCode);
    }

    /// <summary>Closes every host file the firmware left open.</summary>
    public void Dispose() => _handles.CloseAll();

    private long Fail(int errno)
    {
        _errno = errno;
        return -1;
    }

    private ulong Arg(ulong block, int index) => _memory.Field(block, index);
}
