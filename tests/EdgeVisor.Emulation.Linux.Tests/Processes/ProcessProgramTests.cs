using EdgeVisor.Emulation.Linux.Tests.Loading;

namespace EdgeVisor.Emulation.Linux.Tests.Processes;

/// <summary>
/// Whole C programs using threads, signals and processes, run under <c>edgevisor exec</c> and compared byte for byte
/// (stdout and exit status) with qemu-aarch64. Where qemu-user cannot be the reference (it cannot exec an AArch64
/// program without binfmt_misc), the expected output is written out.
/// </summary>
public sealed class ProcessProgramTests
{
    private static async Task AssertSameAsQemu(string program, params string[] arguments)
    {
        var qemu = await EdgeVisorRunner.QemuAsync(program, arguments);
        var ours = await EdgeVisorRunner.EdgeVisorAsync(program, arguments);
        Assert.False(ours.TimedOut, $"{ours.CommandLine} timed out; stderr: {ours.Stderr}");
        Assert.True(qemu.Stdout.AsSpan().SequenceEqual(ours.Stdout),
            $"stdout differs for {ours.CommandLine}\n--- qemu ---\n{EdgeVisorRunner.Text(qemu)}\n--- edgevisor ---\n{EdgeVisorRunner.Text(ours)}\n--- edgevisor stderr ---\n{ours.Stderr}");
        Assert.True(qemu.ExitCode == ours.ExitCode, $"exit status: qemu {qemu.ExitCode}, edgevisor {ours.ExitCode}; stderr: {ours.Stderr}");
    }

    [Theory]
    [InlineData("-O2 -static -pthread")]
    [InlineData("-O0 -pthread")]
    public Task Pthreads_create_join_mutex_condvar_and_many_threads(string flags) =>
        AssertSameAsQemu(GuestPrograms.Build("threads", GuestSources.Threads, flags));

    [Theory]
    [InlineData("-O2 -static")]
    [InlineData("-O1")]
    public Task Signals_handlers_siginfo_altstack_segv_longjmp_alarm_masks_and_sigwait(string flags) =>
        AssertSameAsQemu(GuestPrograms.Build("signals", GuestSources.Signals, flags));

    [Fact]
    public Task Abort_kills_the_process_with_sigabrt() =>
        AssertSameAsQemu(GuestPrograms.Build("abort", GuestSources.Abort, "-O2 -static"));

    [Fact]
    public Task Fatal_segv_without_a_handler_kills_the_process_with_sigsegv() =>
        AssertSameAsQemu(GuestPrograms.Build("segv", GuestSources.Segv, "-O2 -static"));

    [Fact]
    public async Task Fork_wait_pipe_execve_posix_spawn_vfork_and_a_host_program()
    {
        string program = GuestPrograms.Build("fork", GuestSources.Fork, "-O2 -static");
        var ours = await EdgeVisorRunner.EdgeVisorAsync(program, []);
        Assert.False(ours.TimedOut, $"{ours.CommandLine} timed out; stderr: {ours.Stderr}");
        string expected = string.Join('\n',
            "child sees global 6",
            "exit: exited 1 code 3 global 5",
            "signal: signaled 1 sig 10",
            "pipe: through the pipe",
            "exec'd child argv2=hello",
            "execve: code 9",
            "exec'd child argv2=spawned",
            "spawn: code 9",
            "vfork: code 4",
            "wnohang: -1",
            "host program: hi from the host",
            "",
            "");
        Assert.True(expected == EdgeVisorRunner.Text(ours), $"--- expected ---\n{expected}--- edgevisor ---\n{EdgeVisorRunner.Text(ours)}--- stderr ---\n{ours.Stderr}");
        Assert.Equal(0, ours.ExitCode);
    }
}
