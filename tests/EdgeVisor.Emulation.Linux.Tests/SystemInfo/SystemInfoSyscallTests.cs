using System.Diagnostics;
using System.Text;
using EdgeVisor.Emulation.Linux.Kernel;
using EdgeVisor.Emulation.Linux.Tests.Kernel;

namespace EdgeVisor.Emulation.Linux.Tests.SystemInfo;

/// <summary>
/// Identity, uname, clocks, limits and the other system-information calls, checked against what the host itself
/// reports (the guest is the host process) and against the values Linux defines.
/// </summary>
public sealed class SystemInfoSyscallTests : IDisposable
{
    private const ulong Buffer = GuestProcess.Scratch;
    private readonly GuestProcess _guest = new();

    public void Dispose() => _guest.Dispose();

    [Fact]
    public void Pid_and_tid_are_the_host_pid_for_the_main_thread()
    {
        Assert.Equal(Environment.ProcessId, _guest.Call(SyscallNumber.Getpid));
        Assert.Equal(Environment.ProcessId, _guest.Call(SyscallNumber.Gettid));
        Assert.True(_guest.Call(SyscallNumber.Getppid) > 0);
    }

    [Fact]
    public void Uname_reports_aarch64_with_the_hosts_other_fields()
    {
        Assert.Equal(0, _guest.Call(SyscallNumber.Uname, Buffer));

        string Field(int index) => _guest.Memory.ReadCString(Buffer + (ulong)(index * 65))!;
        Assert.Equal("Linux", Field(0));
        Assert.Equal(Environment.MachineName, Field(1));
        Assert.Equal(File.ReadAllText("/proc/sys/kernel/osrelease").Trim(), Field(2));
        Assert.Equal("aarch64", Field(4));
        Assert.Equal(-Errno.EFAULT, _guest.Call(SyscallNumber.Uname, 0x10));
    }

    [Fact]
    public void Clock_gettime_follows_the_host_clocks()
    {
        Assert.Equal(0, _guest.Call(SyscallNumber.ClockGettime, 0, Buffer)); // CLOCK_REALTIME
        long seconds = (long)_guest.ReadUInt64(Buffer);
        Assert.InRange(seconds, DateTimeOffset.UtcNow.ToUnixTimeSeconds() - 2, DateTimeOffset.UtcNow.ToUnixTimeSeconds() + 2);

        Assert.Equal(0, _guest.Call(SyscallNumber.ClockGettime, 1, Buffer)); // CLOCK_MONOTONIC
        ulong first = _guest.ReadUInt64(Buffer) * 1_000_000_000 + _guest.ReadUInt64(Buffer + 8);
        Assert.Equal(0, _guest.Call(SyscallNumber.Nanosleep, Request(0, 20_000_000), 0));
        Assert.Equal(0, _guest.Call(SyscallNumber.ClockGettime, 1, Buffer));
        ulong second = _guest.ReadUInt64(Buffer) * 1_000_000_000 + _guest.ReadUInt64(Buffer + 8);
        Assert.True(second - first >= 20_000_000, $"slept {second - first} ns");

        Assert.Equal(-Errno.EINVAL, _guest.Call(SyscallNumber.ClockGettime, 1000, Buffer));
        Assert.Equal(-Errno.EINVAL, _guest.Call(SyscallNumber.Nanosleep, Request(0, 1_000_000_000), 0));
        Assert.Equal(0, _guest.Call(SyscallNumber.ClockGetres, 1, Buffer));
        Assert.Equal(0UL, _guest.ReadUInt64(Buffer));
        Assert.InRange(_guest.ReadUInt64(Buffer + 8), 1UL, 1_000_000UL);
    }

    [Fact]
    public void Gettimeofday_gives_seconds_and_microseconds()
    {
        Assert.Equal(0, _guest.Call(SyscallNumber.Gettimeofday, Buffer, 0));
        Assert.InRange((long)_guest.ReadUInt64(Buffer), DateTimeOffset.UtcNow.ToUnixTimeSeconds() - 2, DateTimeOffset.UtcNow.ToUnixTimeSeconds() + 2);
        Assert.InRange(_guest.ReadUInt64(Buffer + 8), 0UL, 999_999UL);
    }

    [Fact]
    public void The_stack_limit_matches_the_stack_the_loader_maps_and_can_be_lowered()
    {
        Assert.Equal(0, _guest.Call(SyscallNumber.Getrlimit, 3, Buffer));
        Assert.Equal(8UL << 20, _guest.ReadUInt64(Buffer));

        Assert.True(_guest.Memory.TryWriteUInt64(Buffer + 64, 1 << 20));
        Assert.True(_guest.Memory.TryWriteUInt64(Buffer + 72, ulong.MaxValue));
        Assert.Equal(0, _guest.Call(SyscallNumber.Prlimit64, 0, 3, Buffer + 64, Buffer));
        Assert.Equal(8UL << 20, _guest.ReadUInt64(Buffer)); // the old limit comes back
        Assert.Equal(0, _guest.Call(SyscallNumber.Getrlimit, 3, Buffer));
        Assert.Equal(1UL << 20, _guest.ReadUInt64(Buffer));
        Assert.Equal(-Errno.EINVAL, _guest.Call(SyscallNumber.Getrlimit, 99, Buffer));
    }

    [Fact]
    public void Other_limits_are_the_hosts()
    {
        Assert.Equal(0, _guest.Call(SyscallNumber.Getrlimit, 7, Buffer)); // RLIMIT_NOFILE
        string limits = File.ReadAllLines("/proc/self/limits").Single(l => l.StartsWith("Max open files", StringComparison.Ordinal));
        Assert.Contains($" {_guest.ReadUInt64(Buffer)} ", limits, StringComparison.Ordinal);
    }

    [Fact]
    public void Prctl_names_the_thread_cutting_at_15_bytes()
    {
        Assert.True(_guest.Memory.TryWrite(Buffer, Encoding.ASCII.GetBytes("a-rather-long-thread-name\0")));
        Assert.Equal(0, _guest.Call(SyscallNumber.Prctl, 15, Buffer)); // PR_SET_NAME

        Assert.Equal(0, _guest.Call(SyscallNumber.Prctl, 16, Buffer + 100)); // PR_GET_NAME
        Assert.Equal("a-rather-long-t", _guest.Memory.ReadCString(Buffer + 100));
        Assert.Equal(1, _guest.Call(SyscallNumber.Prctl, 3)); // PR_GET_DUMPABLE
        Assert.Equal(-Errno.EINVAL, _guest.Call(SyscallNumber.Prctl, 0x7777));
    }

    [Fact]
    public void Getrandom_fills_the_buffer_and_checks_its_flags()
    {
        Assert.Equal(64, _guest.Call(SyscallNumber.Getrandom, Buffer, 64, 0));
        Assert.Contains(_guest.Read(Buffer, 64), b => b != 0);
        Assert.Equal(-Errno.EINVAL, _guest.Call(SyscallNumber.Getrandom, Buffer, 8, 0x40));
        Assert.Equal(-Errno.EFAULT, _guest.Call(SyscallNumber.Getrandom, 0x10, 8, 0));
    }

    [Fact]
    public void Sched_getaffinity_returns_the_kernel_mask_size_with_a_cpu_set()
    {
        long size = _guest.Call(SyscallNumber.SchedGetaffinity, 0, 128, Buffer);

        Assert.Equal(8 * ((Environment.ProcessorCount + 63) / 64), size);
        Assert.Contains(_guest.Read(Buffer, (int)size), b => b != 0);
        Assert.Equal(-Errno.EINVAL, _guest.Call(SyscallNumber.SchedGetaffinity, 0, 3, Buffer));
    }

    [Fact]
    public void Personality_queries_and_sets_the_persona()
    {
        Assert.Equal(0, _guest.Call(SyscallNumber.Personality, 0xFFFF_FFFF));
        Assert.Equal(0, _guest.Call(SyscallNumber.Personality, 0x0040_0000)); // READ_IMPLIES_EXEC: returns the old one
        Assert.Equal(0x0040_0000, _guest.Call(SyscallNumber.Personality, 0xFFFF_FFFF));
    }

    [Fact]
    public void Identity_calls_report_the_hosts_ids()
    {
        var id = Process.Start(new ProcessStartInfo("id", "-u") { RedirectStandardOutput = true })!;
        string uid = id.StandardOutput.ReadToEnd().Trim();
        id.WaitForExit();

        Assert.Equal(uid, _guest.Call(SyscallNumber.Getuid).ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(0, _guest.Call(SyscallNumber.Getresuid, Buffer, Buffer + 4, Buffer + 8));
        Assert.Equal(uint.Parse(uid, System.Globalization.CultureInfo.InvariantCulture), BitConverter.ToUInt32(_guest.Read(Buffer, 4)));
        Assert.True(_guest.Call(SyscallNumber.Getgroups, 0, 0) >= 0);
    }

    [Fact]
    public void Rseq_is_not_implemented_quietly_like_qemu()
    {
        var diagnostics = new StringWriter();
        using var guest = new GuestProcess(diagnostics);

        Assert.Equal(-Errno.ENOSYS, guest.Call(SyscallNumber.Rseq, 0, 32, 0, 0));
        Assert.Equal("", diagnostics.ToString());

        // whereas a call nobody implements is reported once
        Assert.Equal(-Errno.ENOSYS, guest.Call((SyscallNumber)450));
        Assert.Contains("unsupported syscall 450", diagnostics.ToString(), StringComparison.Ordinal);
    }

    private ulong Request(long seconds, long nanoseconds)
    {
        const ulong at = Buffer + 0x800;
        Assert.True(_guest.Memory.TryWriteUInt64(at, (ulong)seconds));
        Assert.True(_guest.Memory.TryWriteUInt64(at + 8, (ulong)nanoseconds));
        return at;
    }
}
