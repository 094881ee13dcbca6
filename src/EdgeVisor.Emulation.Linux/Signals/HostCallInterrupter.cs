using System.Runtime.InteropServices;

namespace EdgeVisor.Emulation.Linux.Signals;

/// <summary>
/// Wakes a guest thread out of a blocking host call (read on a pipe, ppoll, nanosleep, wait…) when a guest signal
/// arrives for it, as the kernel would. The host thread is sent a reserved real-time host signal whose handler does
/// nothing and is installed without SA_RESTART, so the host call returns EINTR and the system call's handler reports
/// it; the thread then delivers the guest signal. Sending races with entering the call, so the signal is repeated a
/// few times while the guest signal is still undelivered. (Calls that the host restarts regardless of SA_RESTART,
/// and calls that do not block in the kernel, are not affected.)
/// </summary>
internal static unsafe partial class HostCallInterrupter
{
    /// <summary>SIGRTMAX-2 on the host: not used by glibc (32, 33) nor by the .NET runtime (SIGRTMIN for activation).</summary>
    public const int KickSignal = 62;

    private const int Attempts = 50;
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(10);
    private static readonly Lazy<bool> Installed = new(Install);

    /// <summary>The host's kernel thread id of the calling thread.</summary>
    public static int CurrentHostThreadId() => GetTid();

    /// <summary>Interrupts host thread <paramref name="hostTid"/> until <paramref name="stillNeeded"/> turns false.</summary>
    public static void Kick(int hostTid, Func<bool> stillNeeded)
    {
        if (hostTid == 0 || hostTid == GetTid() || !Installed.Value)
        {
            return;
        }

        int pid = Environment.ProcessId;
        int left = Attempts;
        Timer? timer = null;
        timer = new Timer(_ =>
        {
            if (--left < 0 || !stillNeeded() || TgKill(pid, hostTid, KickSignal) != 0)
            {
                timer?.Dispose();
            }
        });
        _ = TgKill(pid, hostTid, KickSignal);
        timer.Change(Interval, Interval);
    }

    /// <summary>Installs the do-nothing handler. Any async-signal-safe native function taking one int will do; getpid is one.</summary>
    private static bool Install()
    {
        if (!NativeLibrary.TryLoad("libc.so.6", out nint libc) || !NativeLibrary.TryGetExport(libc, "getpid", out nint handler))
        {
            return false;
        }

        // glibc's struct sigaction on x86-64/arm64 hosts: handler, 128-byte mask, int flags, restorer.
        byte* action = stackalloc byte[152];
        new Span<byte>(action, 152).Clear();
        *(nint*)action = handler;
        *(int*)(action + 136) = 0; // no SA_RESTART: the blocking call must return EINTR
        return SigAction(KickSignal, action, null) == 0;
    }

    [LibraryImport("libc", EntryPoint = "gettid")]
    private static partial int GetTid();

    [LibraryImport("libc", EntryPoint = "tgkill")]
    private static partial int TgKill(int pid, int tid, int signal);

    [LibraryImport("libc", EntryPoint = "sigaction")]
    private static partial int SigAction(int signal, byte* action, byte* old);
}
