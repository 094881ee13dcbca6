using System.Collections.Concurrent;

namespace EdgeVisor.Emulation.Linux.Kernel;

/// <summary>The six argument registers X0..X5 of a system call.</summary>
public readonly record struct SyscallArguments(ulong A0, ulong A1, ulong A2, ulong A3, ulong A4, ulong A5);

/// <summary>
/// A system call implementation: returns the result (>= 0) or a negated <see cref="Errno"/> value, which the
/// dispatcher writes to X0; or <see cref="SyscallTable.NoReturnValue"/> when the handler has set the registers itself
/// (rt_sigreturn, a successful execve) or the thread is gone (exit).
/// </summary>
public delegate long SyscallHandler(LinuxThread thread, in SyscallArguments args);

/// <summary>
/// System call numbers to handlers. Each feature folder registers its calls from its own Register method (see
/// <see cref="CreateDefault"/>), so the table is data and the features stay apart. An unsupported call returns
/// -ENOSYS and is logged once per number.
/// </summary>
public sealed class SyscallTable
{
    /// <summary>Returned by a handler that has set X0 (and everything else) itself.</summary>
    public const long NoReturnValue = long.MinValue;

    private const int Size = 512;
    private readonly SyscallHandler?[] _handlers = new SyscallHandler?[Size];
    private readonly ConcurrentDictionary<int, bool> _reportedMissing = new();

    /// <summary>The table with every call EdgeVisor implements.</summary>
    public static SyscallTable CreateDefault()
    {
        var table = new SyscallTable();
        ExitSyscalls.Register(table);
        Memory.MemorySyscalls.Register(table);
        SystemInfo.SystemInfoSyscalls.Register(table);
        Files.FileSyscalls.Register(table);
        Network.NetworkSyscalls.Register(table);
        Signals.SignalSyscalls.Register(table);
        Threads.ThreadSyscalls.Register(table);
        Processes.ProcessSyscalls.Register(table);
        return table;
    }

    /// <summary>Installs <paramref name="handler"/> for <paramref name="number"/>, replacing any earlier one.</summary>
    public void Register(SyscallNumber number, SyscallHandler handler) => _handlers[(int)number] = handler;

    /// <summary>Whether a handler is installed for <paramref name="number"/>.</summary>
    public bool Has(SyscallNumber number) => (uint)number < Size && _handlers[(int)number] is not null;

    /// <summary>Runs system call <paramref name="number"/> for <paramref name="thread"/>.</summary>
    public long Dispatch(LinuxThread thread, ulong number, in SyscallArguments args)
    {
        var handler = number < Size ? _handlers[number] : null;
        if (handler is not null)
        {
            return handler(thread, args);
        }

        if (_reportedMissing.TryAdd((int)Math.Min(number, int.MaxValue), true))
        {
            string name = Enum.IsDefined(typeof(SyscallNumber), (int)Math.Min(number, int.MaxValue)) ? ((SyscallNumber)(int)number).ToString().ToLowerInvariant() : "unknown";
            thread.Process.Diagnostics?.WriteLine($"edgevisor: unsupported syscall {number} ({name}), returning -ENOSYS");
        }

        return -Errno.ENOSYS;
    }
}
