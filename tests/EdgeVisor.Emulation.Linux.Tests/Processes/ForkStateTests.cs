using EdgeVisor.Emulation.Arm64;
using EdgeVisor.Emulation.Arm64.Memory;
using EdgeVisor.Emulation.Linux.Kernel;
using EdgeVisor.Emulation.Linux.Memory;
using EdgeVisor.Emulation.Linux.Processes;
using EdgeVisor.Emulation.Linux.Signals;
using Microsoft.Win32.SafeHandles;

namespace EdgeVisor.Emulation.Linux.Tests.Processes;

/// <summary>The fork image: what the parent writes is what the child process is built from.</summary>
public sealed class ForkStateTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("edgevisor-fork-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Child_gets_memory_areas_registers_signals_descriptors_and_brk()
    {
        using var parent = new LinuxProcess(new GuestMemory(), SyscallTable.CreateDefault()) { Sysroot = "/sysroot" };
        parent.ExecutablePath = "/bin/guest";
        var map = parent.MemoryMap;
        var memory = parent.Memory;

        // A code area, a data area with a PROT_NONE guard page, a heap, and a shared file mapping.
        Assert.Equal(0x400000, map.MapAnonymous(0x400000, 0x2000, PagePermissions.ReadExecute, MemoryAreaFlags.Anonymous, MapPlacement.Fixed));
        memory.WritePrivileged(0x400010, [1, 2, 3, 4]);
        Assert.Equal(0x500000, map.MapAnonymous(0x500000, 0x3000, PagePermissions.ReadWrite, MemoryAreaFlags.Anonymous, MapPlacement.Fixed));
        Assert.Equal(0, map.Protect(0x502000, 0x1000, PagePermissions.None));
        memory.TryWriteUInt64(0x501ff8, 0x1122334455667788);
        map.SetBrkStart(0x600000);
        Assert.Equal(0x603000UL, map.SetBrk(0x603000));
        memory.TryWriteUInt64(0x602000, 0xAB);
        string file = Path.Combine(_dir, "shared.bin");
        File.WriteAllBytes(file, new byte[8192]);
        using (var handle = File.OpenHandle(file, FileMode.Open, FileAccess.ReadWrite))
        {
            Assert.Equal(0x700000, map.MapFile(0x700000, 0x2000, PagePermissions.ReadWrite, MemoryAreaFlags.Shared, MapPlacement.Fixed, (int)handle.DangerousGetHandle(), 0, file));
        }

        var thread = parent.CreateThread(new Arm64Cpu(memory, parent.Blocks));
        var cpu = thread.Cpu;
        for (int r = 0; r < 31; r++)
        {
            cpu.X[r] = 100UL + (ulong)r;
        }

        cpu.Sp = 0x501000;
        cpu.Pc = 0x400004;
        cpu.Nzcv = 0x6000_0000;
        cpu.Fpcr = 0x0300_0000;
        cpu.TpidrEl0 = 0x5555;
        cpu.V[3] = System.Runtime.Intrinsics.Vector128.Create((byte)3);
        memory.TryWriteStruct(0x501000, new SignalAction(0x400100, SignalNumbers.SA_SIGINFO, 0, SignalNumbers.Bit(SignalNumbers.SIGINT)));
        Assert.Equal(0, parent.Syscalls.Dispatch(thread, (ulong)SyscallNumber.RtSigaction, new SyscallArguments(SignalNumbers.SIGUSR1, 0x501000, 0, 8, 0, 0)));
        thread.SignalState.Blocked = SignalNumbers.Bit(SignalNumbers.SIGUSR2);

        using var stream = new MemoryStream();
        ForkState.Write(stream, thread, new ForkRequest(0x501800, 0x500100, SetChildTid: true, ClearChildTid: true, VforkDoneFd: -1));
        stream.Position = 0;
        var image = ForkState.Read(stream, diagnostics: null);
        var child = image.Process;
        try
        {
            Assert.Equal("/sysroot", child.Sysroot);
            Assert.Equal("/bin/guest", child.ExecutablePath);
            Assert.Equal(0UL, image.Cpu.X[0]);
            Assert.Equal(105UL, image.Cpu.X[5]);
            Assert.Equal(0x501800UL, image.Cpu.Sp);
            Assert.Equal(0x400004UL, image.Cpu.Pc);
            Assert.Equal(0x6000_0000u, image.Cpu.Nzcv);
            Assert.Equal(0x0300_0000u, image.Cpu.Fpcr);
            Assert.Equal(0x5555UL, image.Cpu.TpidrEl0);
            Assert.Equal(cpu.V[3], image.Cpu.V[3]);
            Assert.Equal(0x500100UL, image.ClearChildTidAddress);

            Assert.Equal(
                map.Areas.Select(a => (a.Start, a.End, a.Permissions, a.Flags)),
                child.MemoryMap.Areas.Select(a => (a.Start, a.End, a.Permissions, a.Flags)));
            Assert.Equal(map.BrkStart, child.MemoryMap.BrkStart);
            Assert.Equal(map.Brk, child.MemoryMap.Brk);
            Assert.Equal(0x03u, child.Memory.FetchInstruction(0x400010) >> 16 & 0xFF);
            Assert.True(child.Memory.TryReadUInt64(0x501ff8, out ulong data));
            Assert.Equal(0x1122334455667788UL, data);
            Assert.False(child.Memory.TryRead(0x502000, new byte[1])); // the guard page stays PROT_NONE
            Assert.True(child.Memory.TryReadUInt64(0x602000, out ulong heap));
            Assert.Equal(0xABUL, heap);
            Assert.True(child.Memory.TryReadInt32(0x500100, out int tid));
            Assert.Equal(child.Pid, tid);

            // The shared file mapping reaches the same file from the child.
            Assert.True(child.Memory.TryWriteUInt64(0x700008, 0xFEED));
            Assert.True(memory.TryReadUInt64(0x700008, out ulong seen));
            Assert.Equal(0xFEEDUL, seen);

            Assert.Equal(new SignalAction(0x400100, SignalNumbers.SA_SIGINFO, 0, SignalNumbers.Bit(SignalNumbers.SIGINT)), child.SignalState.GetAction(SignalNumbers.SIGUSR1));
            var childThread = child.CreateThread(image.Cpu);
            Assert.Equal(SignalNumbers.Bit(SignalNumbers.SIGUSR2), childThread.SignalState.Blocked);
            Assert.Equal(
                parent.Files.Snapshot().Select(e => (e.GuestFd, e.HostFd, e.CloseOnExec)),
                child.Files.Snapshot().Select(e => (e.GuestFd, e.HostFd, e.CloseOnExec)));
        }
        finally
        {
            child.Dispose();
        }
    }

    [Fact]
    public void A_state_from_something_else_is_refused_with_a_clear_error()
    {
        using var stream = new MemoryStream(new byte[64]);
        var error = Assert.Throws<InvalidDataException>(() => ForkState.Read(stream, null));
        Assert.Contains("fork state", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Forked_child_reports_an_unreadable_state_descriptor_on_one_line()
    {
        var diagnostics = new StringWriter();
        int fd;
        using (var handle = File.OpenHandle(Path.Combine(_dir, "empty"), FileMode.Create, FileAccess.ReadWrite))
        {
            fd = Dup(handle);
        }

        Assert.Equal(71, ForkedChild.Run(fd, diagnostics));
        Assert.Contains($"descriptor {fd}", diagnostics.ToString(), StringComparison.Ordinal);
        Assert.Single(diagnostics.ToString().TrimEnd().Split('\n'));
    }

    private static int Dup(SafeFileHandle handle) => DupNative((int)handle.DangerousGetHandle());

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "dup")]
    private static extern int DupNative(int fd);
}
