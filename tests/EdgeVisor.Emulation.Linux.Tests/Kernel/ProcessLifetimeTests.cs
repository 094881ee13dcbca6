using EdgeVisor.Emulation.Arm64;
using EdgeVisor.Emulation.Linux.Kernel;

namespace EdgeVisor.Emulation.Linux.Tests.Kernel;

/// <summary>exit, exit_group and the exit status of a process, through the system calls and the thread registry.</summary>
public sealed class ProcessLifetimeTests
{
    [Fact]
    public void Exit_group_ends_the_process_with_the_low_eight_bits_of_the_code()
    {
        using var guest = new GuestProcess();

        Assert.Equal(SyscallTable.NoReturnValue, guest.Call(SyscallNumber.ExitGroup, 0x1234));

        Assert.True(guest.Process.IsExiting);
        Assert.True(guest.Process.WaitForExit(TimeSpan.FromSeconds(5), out var status));
        Assert.Equal(ExitStatus.Exited(0x34), status);
        Assert.Equal(0x34, status.ShellCode);
        Assert.Equal(0x3400, status.WaitStatus);
    }

    [Fact]
    public void The_first_exit_group_decides_the_status()
    {
        using var guest = new GuestProcess();
        guest.Process.ExitGroup(ExitStatus.Signaled(11, coreDumped: true));
        guest.Process.ExitGroup(ExitStatus.Exited(1));

        Assert.Equal(ExitStatus.Signaled(11, true), guest.Process.WaitForExit());
        Assert.Equal(139, guest.Process.WaitForExit().ShellCode);
        Assert.Equal(0x8B, guest.Process.WaitForExit().WaitStatus);
    }

    [Theory]
    [InlineData(0x0300)]
    [InlineData(0x0009)]
    [InlineData(0x0086)]
    public void Wait_status_words_round_trip(int word)
    {
        Assert.Equal(word, ExitStatus.FromWaitStatus(word).WaitStatus);
    }

    [Fact]
    public void Exit_ends_one_thread_and_exit_group_asks_every_core_to_stop()
    {
        using var guest = new GuestProcess();
        var second = guest.Process.CreateThread(new Arm64Cpu(guest.Memory, guest.Process.Blocks));

        Assert.NotEqual(guest.Thread.Tid, second.Tid);
        Assert.True(guest.Process.TryGetThread(second.Tid, out var found) && found == second);
        Assert.Equal(SyscallTable.NoReturnValue, guest.Process.Syscalls.Dispatch(second, (ulong)SyscallNumber.Exit, new SyscallArguments(5, 0, 0, 0, 0, 0)));
        Assert.True(second.HasExited);
        Assert.Equal(5, second.ExitCode);
        Assert.False(guest.Process.IsExiting);

        guest.Process.ExitGroup(ExitStatus.Exited(0));

        // A stop was requested: the core returns Interrupted before running anything.
        Assert.Equal(Arm64StopKind.Interrupted, guest.Thread.Cpu.Run().Kind);
    }
}
