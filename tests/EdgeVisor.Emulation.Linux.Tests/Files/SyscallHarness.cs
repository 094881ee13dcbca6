using System.Text;
using EdgeVisor.Emulation.Arm64;
using EdgeVisor.Emulation.Arm64.Memory;
using EdgeVisor.Emulation.Linux.Kernel;

namespace EdgeVisor.Emulation.Linux.Tests.Files;

/// <summary>
/// A Linux process with one thread over a small guest address space, for calling file and socket system calls
/// directly: a read/write scratch area at <see cref="Scratch"/> (strings and buffers are bump-allocated there), a
/// read-only page at <see cref="ReadOnlyPage"/>, nothing mapped at <see cref="Unmapped"/>, and a host temporary
/// directory removed on dispose.
/// </summary>
internal sealed class SyscallHarness : IDisposable
{
    public const ulong Scratch = 0x10_0000;
    public const ulong ScratchSize = 0x10_0000;
    public const ulong ReadOnlyPage = 0x30_0000;
    public const ulong Unmapped = 0x50_0000;
    private ulong _next = Scratch;

    public SyscallHarness(string? sysroot = null)
    {
        var memory = new GuestMemory(addressBits: 32);
        memory.Map(Scratch, ScratchSize, PagePermissions.ReadWrite);
        memory.Map(ReadOnlyPage, GuestMemory.PageSize, PagePermissions.Read);
        Process = new LinuxProcess(memory, SyscallTable.CreateDefault()) { Sysroot = sysroot };
        Thread = new LinuxThread(Process, new Arm64Cpu(memory, Process.Blocks), Environment.ProcessId);
        TempDir = Directory.CreateTempSubdirectory("edgevisor-files-").FullName;
    }

    public LinuxProcess Process { get; }

    public LinuxThread Thread { get; }

    public GuestMemory Memory => Process.Memory;

    public string TempDir { get; }

    /// <summary>Runs system call <paramref name="number"/> with up to six arguments.</summary>
    public long Call(SyscallNumber number, ulong a0 = 0, ulong a1 = 0, ulong a2 = 0, ulong a3 = 0, ulong a4 = 0, ulong a5 = 0) =>
        Process.Syscalls.Dispatch(Thread, (ulong)number, new SyscallArguments(a0, a1, a2, a3, a4, a5));

    /// <summary>Reserves <paramref name="size"/> zeroed bytes of scratch memory (16-byte aligned).</summary>
    public ulong Alloc(int size)
    {
        ulong address = _next;
        _next = (_next + (ulong)size + 15) & ~15UL;
        Memory.TryWrite(address, new byte[size]);
        return address;
    }

    /// <summary>Places a NUL-terminated string in scratch memory.</summary>
    public ulong String(string text)
    {
        byte[] bytes = Encoding.UTF8.GetBytes(text + "\0");
        ulong address = Alloc(bytes.Length);
        Assert.True(Memory.TryWrite(address, bytes));
        return address;
    }

    /// <summary>Places bytes in scratch memory.</summary>
    public ulong Bytes(ReadOnlySpan<byte> bytes)
    {
        ulong address = Alloc(bytes.Length);
        Assert.True(Memory.TryWrite(address, bytes));
        return address;
    }

    public byte[] Read(ulong address, int length)
    {
        var bytes = new byte[length];
        Assert.True(Memory.TryRead(address, bytes));
        return bytes;
    }

    public long I64(ulong address) => BitConverter.ToInt64(Read(address, 8));

    public uint U32(ulong address) => BitConverter.ToUInt32(Read(address, 4));

    public int I32(ulong address) => BitConverter.ToInt32(Read(address, 4));

    /// <summary>openat(AT_FDCWD, path, flags, mode); asserts success and returns the guest descriptor.</summary>
    public int Open(string path, int flags, int mode = 0x1a4)
    {
        long fd = Call(SyscallNumber.Openat, unchecked((ulong)-100), String(path), (ulong)flags, (ulong)mode);
        Assert.True(fd >= 0, $"openat({path}) = {fd}");
        return (int)fd;
    }

    public string PathIn(string name) => Path.Combine(TempDir, name);

    public void Dispose()
    {
        foreach (var entry in Process.Files.Snapshot())
        {
            if (entry.GuestFd > 2)
            {
                Process.Files.Close(entry.GuestFd);
            }
        }

        Process.Dispose();
        Directory.Delete(TempDir, recursive: true);
    }
}

/// <summary>Guest (arm64) constants the tests use.</summary>
internal static class G
{
    public const int ORdOnly = 0, OWrOnly = 1, ORdWr = 2, OCreat = 0x40, OExcl = 0x80, OTrunc = 0x200, OAppend = 0x400;
    public const int ONonBlock = 0x800, ODirectory = 0x4000, ONoFollow = 0x8000, OLargeFile = 0x20000, OCloExec = 0x80000;
    public const ulong AtFdCwd = unchecked((ulong)-100);
}
