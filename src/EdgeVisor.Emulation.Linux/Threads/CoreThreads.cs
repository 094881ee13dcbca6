using System.Runtime.CompilerServices;
using EdgeVisor.Emulation.Arm64;
using EdgeVisor.Emulation.Linux.Kernel;

namespace EdgeVisor.Emulation.Linux.Threads;

/// <summary>
/// The few things signals, clone and exit need from the process's thread registry and run loop (owned by the
/// kernel core): the live threads, a lookup by tid, starting a thread, ending the process. Kept in one place so the
/// rest of this feature does not depend on how the registry is built. Threads become known here when their signal
/// state is first touched or when clone creates them, and are forgotten at exit.
/// </summary>
public static class CoreThreads
{
    private static readonly ConditionalWeakTable<LinuxProcess, List<LinuxThread>> Known = new();

    /// <summary>Host thread starter for clone: runs the thread's loop until it exits. Installed by the run loop's owner.</summary>
    public static Action<LinuxThread>? Starter { get; set; }

    /// <summary>Ends every thread of the process with a Linux wait status (exit code &lt;&lt; 8, or the signal number). Installed by the run loop's owner.</summary>
    public static Action<LinuxProcess, int>? ExitGroup { get; set; }

    /// <summary>Records <paramref name="thread"/> as alive.</summary>
    public static void Add(LinuxThread thread)
    {
        var list = Known.GetValue(thread.Process, _ => []);
        lock (list)
        {
            if (!list.Contains(thread))
            {
                list.Add(thread);
            }
        }
    }

    /// <summary>Forgets an exited thread.</summary>
    public static void Remove(LinuxThread thread)
    {
        if (Known.TryGetValue(thread.Process, out var list))
        {
            lock (list)
            {
                list.Remove(thread);
            }
        }
    }

    /// <summary>The live threads of <paramref name="process"/> (a copy).</summary>
    public static LinuxThread[] All(LinuxProcess process)
    {
        if (!Known.TryGetValue(process, out var list))
        {
            return [];
        }

        lock (list)
        {
            return [.. list];
        }
    }

    /// <summary>The live thread with guest tid <paramref name="tid"/>, or null.</summary>
    public static LinuxThread? Find(LinuxProcess process, int tid) => Array.Find(All(process), t => t.Tid == tid);

    /// <summary>Process id the guest sees (the host pid: one guest process per host process).</summary>
    public static int ProcessId => Environment.ProcessId;

    private static int _nextTid = Environment.ProcessId + 1;

    /// <summary>A fresh thread id for clone (ids above the pid, like a kernel that hands them out in order).</summary>
    public static int AllocateTid() => Interlocked.Increment(ref _nextTid);

    /// <summary>Starts a new guest thread on its own host thread.</summary>
    public static void Start(LinuxThread thread)
    {
        Add(thread);
        var starter = Starter ?? throw new InvalidOperationException("clone: no thread starter installed by the run loop");
        starter(thread);
    }

    /// <summary>Ends the whole process with wait status <paramref name="status"/>; every core is asked to stop.</summary>
    public static void Terminate(LinuxProcess process, int status)
    {
        ExitGroup?.Invoke(process, status);
        foreach (var thread in All(process))
        {
            thread.Cpu.RequestStop();
            thread.SignalState.Interrupt();
        }
    }

    /// <summary>Creates the guest thread object for a cloned core (not yet started).</summary>
    public static LinuxThread Create(LinuxProcess process, Arm64Cpu cpu, int tid) => new(process, cpu, tid);
}
