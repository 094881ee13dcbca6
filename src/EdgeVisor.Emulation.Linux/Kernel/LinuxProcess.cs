using System.Collections.Concurrent;
using EdgeVisor.Emulation.Arm64;
using EdgeVisor.Emulation.Arm64.Decoding;
using EdgeVisor.Emulation.Arm64.Memory;
using EdgeVisor.Emulation.Linux.Memory;

namespace EdgeVisor.Emulation.Linux.Kernel;

/// <summary>
/// One emulated Linux process: its address space, decoded code, system call table and threads. Feature folders add
/// their per-process state (files, signals, memory areas) in partial files named LinuxProcess.&lt;Feature&gt;.cs.
/// </summary>
/// <remarks>
/// Thread lifetime: <see cref="RunMainThread"/> runs the first guest thread on the calling host thread;
/// <see cref="CreateThread"/> + <see cref="LinuxThread.Start"/> (or <see cref="StartThread"/>) add threads that run
/// on their own host threads (clone). A thread leaves with <see cref="LinuxThread.Exit"/> (sys_exit); the whole
/// process with <see cref="ExitGroup"/> (exit_group, a fatal signal), which stops every core at its next block
/// boundary. The process has ended when every thread has left its loop, or right after an exit group (threads
/// blocked in host calls are not waited for).
/// </remarks>
public sealed partial class LinuxProcess : IDisposable
{
    private readonly ConcurrentDictionary<int, LinuxThread> _threads = new();
    private readonly ManualResetEventSlim _ended = new(false);
    private readonly Lock _exitLock = new();
    private int _liveThreads;
    private ExitStatus? _groupExit;
    private ExitStatus _mainThreadExit;

    public LinuxProcess(GuestMemory memory, SyscallTable syscalls)
    {
        Memory = memory;
        Blocks = new BlockCache(memory);
        Syscalls = syscalls;
        MemoryMap = new MemoryMap(memory);
        Pid = Environment.ProcessId;
    }

    /// <summary>The guest address space.</summary>
    public GuestMemory Memory { get; }

    /// <summary>Blocks decoded from <see cref="Memory"/>, shared by the threads.</summary>
    public BlockCache Blocks { get; }

    /// <summary>System calls.</summary>
    public SyscallTable Syscalls { get; }

    /// <summary>The kernel's list of mapped areas (mmap, brk, the loaded program, the stack) over <see cref="Memory"/>.</summary>
    public MemoryMap MemoryMap { get; }

    /// <summary>Process id as the guest sees it: the host process id (one guest process per host process).</summary>
    public int Pid { get; init; }

    /// <summary>
    /// Directory prefixed to absolute guest paths when the file exists there (qemu-user's -L): the interpreter of a
    /// dynamic executable and the libraries it opens come from here. Null for none.
    /// </summary>
    public string? Sysroot { get; init; }

    /// <summary>Host path of the running executable (/proc/self/exe, AT_EXECFN).</summary>
    public string? ExecutablePath { get; set; }

    /// <summary>Where EdgeVisor's own one-line notices go (unsupported syscalls, undefined instructions); null for none.</summary>
    public TextWriter? Diagnostics { get; init; }

    /// <summary>When set, every system call is logged here with its arguments and result (like qemu's -strace).</summary>
    public TextWriter? SyscallTrace { get; init; }

    /// <summary>Whether exit_group (or a fatal signal) has ended the process; thread loops leave when they see it.</summary>
    public bool IsExiting => Volatile.Read(ref _groupExitFlag) != 0;

    private int _groupExitFlag;

    /// <summary>Undefined encodings already reported on <see cref="Diagnostics"/> (each is logged once).</summary>
    internal ConcurrentDictionary<uint, bool> ReportedUndefinedEncodings { get; } = new();

    /// <summary>Raised on a thread's own host thread when it leaves its run loop (sys_exit or exit_group), before it is unregistered.</summary>
    public event Action<LinuxThread>? ThreadExiting;

    /// <summary>The threads currently registered (running or blocked), in no particular order.</summary>
    public IReadOnlyCollection<LinuxThread> Threads => [.. _threads.Values];

    /// <summary>Finds the live thread with guest thread id <paramref name="tid"/>.</summary>
    public bool TryGetThread(int tid, out LinuxThread thread) => _threads.TryGetValue(tid, out thread!);

    /// <summary>
    /// Registers a new guest thread running <paramref name="cpu"/> with a fresh thread id (the main thread gets the
    /// pid). It does not run until <see cref="LinuxThread.Start"/>, so the caller (clone) can finish setting it up.
    /// </summary>
    public LinuxThread CreateThread(Arm64Cpu cpu)
    {
        ArgumentNullException.ThrowIfNull(cpu);
        int tid = Interlocked.Exchange(ref _mainThreadCreated, 1) == 0 ? Pid : Pid + Interlocked.Increment(ref _threadsAfterMain);
        var thread = new LinuxThread(this, cpu, tid);
        if (!_threads.TryAdd(tid, thread))
        {
            throw new InvalidOperationException($"thread id {tid} is already in use");
        }

        Interlocked.Increment(ref _liveThreads);
        return thread;
    }

    private int _mainThreadCreated;

    // Thread ids after the main thread's (the pid) are handed out in order, as a kernel does.
    private int _threadsAfterMain;

    /// <summary><see cref="CreateThread"/> and <see cref="LinuxThread.Start"/> in one step.</summary>
    public LinuxThread StartThread(Arm64Cpu cpu)
    {
        var thread = CreateThread(cpu);
        thread.Start();
        return thread;
    }

    /// <summary>
    /// Runs <paramref name="cpu"/> as the process's main thread (tid = pid) on the calling host thread and returns
    /// once the whole process has ended.
    /// </summary>
    public ExitStatus RunMainThread(Arm64Cpu cpu)
    {
        if (Volatile.Read(ref _mainThreadCreated) != 0)
        {
            throw new InvalidOperationException("the main thread must be the first thread of the process");
        }

        var main = CreateThread(cpu);
        main.RunLoop();
        return WaitForExit();
    }

    /// <summary>Blocks until the process has ended and returns how.</summary>
    public ExitStatus WaitForExit()
    {
        _ended.Wait();
        lock (_exitLock)
        {
            return _groupExit ?? _mainThreadExit;
        }
    }

    /// <summary>Blocks up to <paramref name="timeout"/> for the end of the process.</summary>
    public bool WaitForExit(TimeSpan timeout, out ExitStatus status)
    {
        bool ended = _ended.Wait(timeout);
        lock (_exitLock)
        {
            status = _groupExit ?? _mainThreadExit;
        }

        return ended;
    }

    /// <summary>
    /// Ends every thread of the process with <paramref name="status"/> (exit_group, or a fatal signal with
    /// <see cref="ExitStatus.Signaled"/>). The first call decides the status. Running cores stop at their next block
    /// boundary; a thread blocked in a host call is abandoned.
    /// </summary>
    public void ExitGroup(ExitStatus status)
    {
        lock (_exitLock)
        {
            if (_groupExit is not null)
            {
                return;
            }

            _groupExit = status;
            Volatile.Write(ref _groupExitFlag, 1);
        }

        foreach (var thread in _threads.Values)
        {
            thread.Cpu.RequestStop();
        }

        _ended.Set();
    }

    /// <summary>Called by a thread as it leaves its loop.</summary>
    internal void OnThreadLeft(LinuxThread thread)
    {
        try
        {
            ThreadExiting?.Invoke(thread);
        }
        finally
        {
            _threads.TryRemove(thread.Tid, out _);
            lock (_exitLock)
            {
                if (thread.Tid == Pid)
                {
                    _mainThreadExit = ExitStatus.Exited(thread.ExitCode);
                }
            }

            if (Interlocked.Decrement(ref _liveThreads) == 0)
            {
                _ended.Set();
            }
        }
    }

    public void Dispose()
    {
        Memory.Dispose();
        _ended.Dispose();
    }
}
