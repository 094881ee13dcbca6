using System.Runtime.InteropServices;
using EdgeVisor.Emulation.Linux.Kernel;
using EdgeVisor.Emulation.Loading;
using EdgeVisor.Emulation.Linux.Loading;
using EdgeVisor.Emulation.Linux.Signals;

namespace EdgeVisor.Emulation.Linux.Processes;

/// <summary>
/// execve. An AArch64 ELF (directly or as the interpreter of a #! script) replaces the process image in place: same
/// pid, the other threads end, close-on-exec descriptors close, handled signals return to their default action, the
/// new program is loaded and started. Any other executable is a host program: edgevisor itself execs it for real
/// after putting the guest's descriptors at their guest numbers, so the host program inherits exactly what the guest
/// would have passed on; edgevisor ends there.
/// </summary>
public static class ExecveSyscall
{
    private const int MaxScriptDepth = 4;
    private const int MaxStrings = 0x20000;
    private const ushort MachineAArch64 = 183;

    /// <summary>execve(path, argv, envp).</summary>
    public static long Execve(LinuxThread thread, in SyscallArguments args)
    {
        var memory = thread.Process.Memory;
        string? path = memory.ReadCString(args.A0);
        if (path is null)
        {
            return -Errno.EFAULT;
        }

        var argv = ReadStringArray(thread, args.A1);
        var envp = ReadStringArray(thread, args.A2);
        if (argv is null || envp is null)
        {
            return -Errno.EFAULT;
        }

        if (path.Length == 0)
        {
            return -Errno.ENOENT;
        }

        return Exec(thread, path, argv, envp, 0);
    }

    private static long Exec(LinuxThread thread, string guestPath, List<string> argv, List<string> envp, int depth)
    {
        string hostPath = Resolve(thread.Process, guestPath);
        if (Directory.Exists(hostPath))
        {
            return -Errno.EACCES;
        }

        if (!File.Exists(hostPath))
        {
            return -Errno.ENOENT;
        }

        if (HostDescriptors.Access(hostPath, 1) != 0)
        {
            return HostCalls.Result(-1);
        }

        byte[] head = new byte[256];
        int length;
        try
        {
            using var file = File.OpenRead(hostPath);
            length = file.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        }
        catch (IOException)
        {
            return -Errno.EIO;
        }
        catch (UnauthorizedAccessException)
        {
            return -Errno.EACCES;
        }

        if (length >= 2 && head[0] == '#' && head[1] == '!')
        {
            if (depth >= MaxScriptDepth)
            {
                return -Errno.ELOOP;
            }

            var (interpreter, argument) = ParseShebang(head.AsSpan(0, length));
            if (interpreter is null)
            {
                return -Errno.ENOEXEC;
            }

            List<string> scriptArgv = [interpreter];
            if (argument is not null)
            {
                scriptArgv.Add(argument);
            }

            scriptArgv.Add(guestPath);
            scriptArgv.AddRange(argv.Skip(1));
            return Exec(thread, interpreter, scriptArgv, envp, depth + 1);
        }

        bool isElf = length >= 20 && head[0] == 0x7F && head[1] == 'E' && head[2] == 'L' && head[3] == 'F';
        if (isElf && BitConverter.ToUInt16(head, 18) == MachineAArch64)
        {
            return ReplaceImage(thread, hostPath, guestPath, argv, envp);
        }

        return HostExecve.Run(thread, hostPath, argv, envp);
    }

    /// <summary>The host file for a guest path: the sysroot (qemu-user's -L rule) and /proc/self/exe as for every lookup.</summary>
    private static string Resolve(LinuxProcess process, string path)
    {
        byte[] host = Files.GuestPaths.ToHost(process, [.. System.Text.Encoding.UTF8.GetBytes(path), 0]);
        return System.Text.Encoding.UTF8.GetString(host, 0, host.Length - 1);
    }

    private static (string? Interpreter, string? Argument) ParseShebang(ReadOnlySpan<byte> head)
    {
        int end = head.IndexOf((byte)'\n');
        string line = System.Text.Encoding.UTF8.GetString(end < 0 ? head[2..] : head[2..end]).Trim(' ', '\t', '\r');
        if (line.Length == 0)
        {
            return (null, null);
        }

        int space = line.IndexOfAny([' ', '\t']);
        return space < 0 ? (line, null) : (line[..space], line[(space + 1)..].Trim(' ', '\t'));
    }

    private static long ReplaceImage(LinuxThread thread, string hostPath, string guestPath, List<string> argv, List<string> envp)
    {
        var process = thread.Process;

        // Past this point there is no way back: Linux kills the process if loading fails now; so does EdgeVisor.
        foreach (var other in process.Threads)
        {
            if (other != thread)
            {
                other.Exit(0);
                other.SignalState.Interrupt();
            }
        }

        process.MemoryMap.Clear();
        process.SignalState.ResetHandlersForExec();
        var signals = thread.SignalState;
        signals.AltStackBase = 0;
        signals.AltStackSize = 0;
        signals.AltStackFlags = ThreadSignals.SS_DISABLE;
        thread.RobustListHead = 0;
        thread.ClearChildTidAddress = 0;
        process.Files.CloseOnExecDescriptors();
        ProcessLinks.ReleaseVforkParent(process);
        try
        {
            var loaded = ProgramLoader.Load(process, hostPath, argv, envp, guestPath);
            ProgramLoader.Start(thread.Cpu, loaded);
        }
        catch (Exception e) when (e is ImageFormatException or FileNotFoundException or ArgumentException or IOException)
        {
            process.Diagnostics?.WriteLine($"edgevisor: execve {guestPath}: {e.Message}");
            SignalDelivery.Terminate(process, SignalNumbers.SIGSEGV);
        }

        return SyscallTable.NoReturnValue;
    }

    private static List<string>? ReadStringArray(LinuxThread thread, ulong address)
    {
        var result = new List<string>();
        if (address == 0)
        {
            return result;
        }

        var memory = thread.Process.Memory;
        for (int i = 0; i < MaxStrings; i++)
        {
            if (!memory.TryReadUInt64(address + (ulong)(8 * i), out ulong pointer))
            {
                return null;
            }

            if (pointer == 0)
            {
                return result;
            }

            string? text = memory.ReadCString(pointer, 1 << 17);
            if (text is null)
            {
                return null;
            }

            result.Add(text);
        }

        return null;
    }
}

/// <summary>The real execve of a host program in place of edgevisor.</summary>
internal static unsafe class HostExecve
{
    private const int DupFdCloexec = 1030; // F_DUPFD_CLOEXEC
    private const int HighDescriptors = 4096;

    /// <summary>Puts guest descriptors at their numbers and execs; returns -errno only if the exec failed.</summary>
    public static long Run(LinuxThread thread, string hostPath, List<string> argv, List<string> envp)
    {
        var entries = thread.Process.Files.Snapshot().Where(e => !e.CloseOnExec).ToList();

        // Two steps so that a guest number that is also some other entry's host number is not overwritten early:
        // first move every host descriptor out of the way (close-on-exec copies), then dup2 them into place (dup2
        // clears close-on-exec on the target).
        var moved = new List<(int GuestFd, int Temporary)>();
        foreach (var entry in entries)
        {
            int temporary = HostDescriptors.Fcntl(entry.HostFd, DupFdCloexec, HighDescriptors);
            if (temporary < 0)
            {
                return HostCalls.Result(-1);
            }

            moved.Add((entry.GuestFd, temporary));
        }

        foreach (var (guestFd, temporary) in moved)
        {
            _ = HostDescriptors.Dup2(temporary, guestFd);
        }

        Console.Out.Flush();
        Console.Error.Flush();
        InheritGuestSignalState(thread);
        nint* nativeArgv = ToNative(argv);
        nint* nativeEnvp = ToNative(envp);
        _ = HostDescriptors.Execve(hostPath, nativeArgv, nativeEnvp);
        long error = HostCalls.Result(-1);
        foreach (var (_, temporary) in moved)
        {
            _ = HostDescriptors.Close(temporary);
        }

        return error;
    }

    /// <summary>
    /// What a program exec'd by the guest inherits is the guest's signal state, not the runtime's: ignored signals
    /// stay ignored (SIG_IGN survives execve), everything else is at its default (the runtime ignores SIGPIPE, which
    /// would otherwise leak into the host program), and the mask is the guest thread's.
    /// </summary>
    private static void InheritGuestSignalState(LinuxThread thread)
    {
        var signals = thread.Process.SignalState;
        for (int signal = 1; signal <= SignalNumbers.Count; signal++)
        {
            if (signal is SignalNumbers.SIGKILL or SignalNumbers.SIGSTOP or 32 or 33)
            {
                continue; // unchangeable, or glibc's own (cancellation, setxid)
            }

            _ = HostCalls.Signal(signal, signals.GetAction(signal).Handler == SignalNumbers.SIG_IGN ? 1 : 0);
        }

        ulong mask = thread.SignalState.Blocked;
        _ = HostCalls.SigProcMask(SigSetMask, mask, 0);
    }

    private const int SigSetMask = 2;

    private static nint* ToNative(List<string> strings)
    {
        var array = (nint*)NativeMemory.Alloc((nuint)(strings.Count + 1), (nuint)sizeof(nint));
        for (int i = 0; i < strings.Count; i++)
        {
            array[i] = Marshal.StringToCoTaskMemUTF8(strings[i]);
        }

        array[strings.Count] = 0;
        return array;
    }
}
