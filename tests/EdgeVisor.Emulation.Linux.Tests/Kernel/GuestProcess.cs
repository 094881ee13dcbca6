using EdgeVisor.Emulation.Arm64;
using EdgeVisor.Emulation.Arm64.Memory;
using EdgeVisor.Emulation.Linux.Kernel;

namespace EdgeVisor.Emulation.Linux.Tests.Kernel;

/// <summary>
/// A process with the default syscall table and one registered (not running) thread, for calling system calls
/// directly as the guest would, and a scratch page at <see cref="Scratch"/> for their buffers.
/// </summary>
internal sealed class GuestProcess : IDisposable
{
    public const ulong Scratch = 0x20_0000;
    public const ulong ScratchSize = 0x1_0000;

    public GuestProcess(TextWriter? diagnostics = null)
    {
        Memory = new GuestMemory();
        Process = new LinuxProcess(Memory, SyscallTable.CreateDefault()) { Diagnostics = diagnostics ?? TextWriter.Null };
        Thread = Process.CreateThread(new Arm64Cpu(Memory, Process.Blocks));
        Memory.Map(Scratch, ScratchSize, PagePermissions.ReadWrite);
        Process.MemoryMap.AddMapped(new Linux.Memory.MemoryArea(Scratch, Scratch + ScratchSize, PagePermissions.ReadWrite, Linux.Memory.MemoryAreaFlags.Anonymous));
    }

    public GuestMemory Memory { get; }

    public LinuxProcess Process { get; }

    public LinuxThread Thread { get; }

    /// <summary>Runs system call <paramref name="number"/> with up to six arguments, as SVC #0 would.</summary>
    public long Call(SyscallNumber number, ulong a0 = 0, ulong a1 = 0, ulong a2 = 0, ulong a3 = 0, ulong a4 = 0, ulong a5 = 0) =>
        Process.Syscalls.Dispatch(Thread, (ulong)number, new SyscallArguments(a0, a1, a2, a3, a4, a5));

    public byte[] Read(ulong address, int length)
    {
        var bytes = new byte[length];
        Assert.True(Memory.TryRead(address, bytes), $"0x{address:x} is not readable");
        return bytes;
    }

    public ulong ReadUInt64(ulong address) => BitConverter.ToUInt64(Read(address, 8));

    public void Dispose() => Process.Dispose();
}
