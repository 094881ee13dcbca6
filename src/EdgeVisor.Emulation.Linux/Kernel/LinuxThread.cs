using EdgeVisor.Emulation.Arm64;

namespace EdgeVisor.Emulation.Linux.Kernel;

/// <summary>
/// One guest thread: an <see cref="Arm64Cpu"/> running on one host thread, in a <see cref="LinuxProcess"/>.
/// Feature folders add per-thread state in partial files named LinuxThread.&lt;Feature&gt;.cs.
/// </summary>
public sealed partial class LinuxThread
{
    [ThreadStatic]
    private static LinuxThread? _current;

    private volatile bool _exited;
    private int _started;

    /// <summary>Use <see cref="LinuxProcess.CreateThread"/>; this constructor does not register the thread.</summary>
    public LinuxThread(LinuxProcess process, Arm64Cpu cpu, int tid)
    {
        Process = process;
        Cpu = cpu;
        Tid = tid;
    }

    /// <summary>The guest thread running on the calling host thread, if any (signal and futex code use it).</summary>
    public static LinuxThread? Current => _current;

    public LinuxProcess Process { get; }

    public Arm64Cpu Cpu { get; }

    /// <summary>Thread id as the guest sees it (gettid).</summary>
    public int Tid { get; }

    /// <summary>The code given to <see cref="Exit"/> (sys_exit), 0 until then.</summary>
    public int ExitCode { get; private set; }

    /// <summary>Whether the thread has called <see cref="Exit"/>; its loop ends after the current system call.</summary>
    public bool HasExited => _exited;

    /// <summary>The host thread running this guest thread (null for the main thread, which runs on its caller's).</summary>
    public Thread? HostThread { get; private set; }

    /// <summary>
    /// Ends this thread only (sys_exit): its run loop returns after the current system call. The process ends when its
    /// last thread has exited.
    /// </summary>
    public void Exit(int code)
    {
        ExitCode = code & 0xFF;
        _exited = true;
        Cpu.RequestStop();
    }

    /// <summary>Starts the run loop on a new (background) host thread.</summary>
    public void Start()
    {
        if (Interlocked.Exchange(ref _started, 1) != 0)
        {
            throw new InvalidOperationException($"guest thread {Tid} is already running");
        }

        HostThread = new Thread(RunLoop) { IsBackground = true, Name = $"guest {Tid}" };
        HostThread.Start();
    }

    /// <summary>Whether the loop must stop: this thread exited, or the whole process is exiting.</summary>
    internal bool ShouldLeave => _exited || Process.IsExiting;

    /// <summary>Runs the guest until this thread or the process exits, then unregisters it.</summary>
    internal void RunLoop()
    {
        _started = 1;
        _current = this;
        try
        {
            ThreadRunLoop.Run(this);
        }
        finally
        {
            _current = null;
            Process.OnThreadLeft(this);
        }
    }
}
