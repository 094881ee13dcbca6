using EdgeVisor.Emulation.Arm64.Decoding;
using EdgeVisor.Emulation.Arm64.Memory;

namespace EdgeVisor.Emulation.Linux.Kernel;

/// <summary>
/// One emulated Linux process: its address space, decoded code, system call table and threads. Feature folders add
/// their per-process state (files, signals, memory areas) in partial files named LinuxProcess.&lt;Feature&gt;.cs.
/// </summary>
public sealed partial class LinuxProcess : IDisposable
{
    public LinuxProcess(GuestMemory memory, SyscallTable syscalls)
    {
        Memory = memory;
        Blocks = new BlockCache(memory);
        Syscalls = syscalls;
    }

    /// <summary>The guest address space.</summary>
    public GuestMemory Memory { get; }

    /// <summary>Blocks decoded from <see cref="Memory"/>, shared by the threads.</summary>
    public BlockCache Blocks { get; }

    /// <summary>System calls.</summary>
    public SyscallTable Syscalls { get; }

    /// <summary>
    /// Directory prefixed to absolute guest paths when the file exists there (qemu-user's -L): the interpreter of a
    /// dynamic executable and the libraries it opens come from here. Null for none.
    /// </summary>
    public string? Sysroot { get; init; }

    /// <summary>Host path of the running executable (/proc/self/exe, AT_EXECFN).</summary>
    public string? ExecutablePath { get; set; }

    /// <summary>Where EdgeVisor's own one-line notices go (unsupported syscalls, undefined instructions); null for none.</summary>
    public TextWriter? Diagnostics { get; init; }

    public void Dispose() => Memory.Dispose();
}
