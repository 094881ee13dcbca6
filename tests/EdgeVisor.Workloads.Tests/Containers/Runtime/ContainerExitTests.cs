using EdgeVisor.Workloads.Containers.Runtime;

namespace EdgeVisor.Workloads.Tests.Containers.Runtime;

/// <summary>The one line a container's end is reported with.</summary>
public sealed class ContainerExitTests
{
    [Fact]
    public void A_signal_ends_a_container_as_failed_with_the_signal_named() =>
        Assert.Equal(new WorkloadExit(true, null, "killed by SIGSEGV"), ContainerExit.Describe(new ProcessEnd(null, 11), 0, null, requested: false));

    [Fact]
    public void SIGKILL_with_an_oom_kill_counted_is_the_OOM_killer() =>
        Assert.Equal(
            new WorkloadExit(true, null, "out of memory: killed by the kernel OOM killer (memory limit 1048576 bytes)"),
            ContainerExit.Describe(new ProcessEnd(null, 9), 1, 1048576, requested: false));

    [Fact]
    public void A_non_zero_exit_after_a_child_was_OOM_killed_says_so() =>
        Assert.Equal(
            new WorkloadExit(true, 137, "exited with code 137 after the kernel OOM killer killed 1 of its processes"),
            ContainerExit.Describe(new ProcessEnd(137, null), 1, 1048576, requested: false));

    [Fact]
    public void A_requested_stop_is_not_a_failure_whatever_the_code() =>
        Assert.Equal(new WorkloadExit(false, 143, "stopped: exited with code 143", Requested: true), ContainerExit.Describe(new ProcessEnd(143, null), 0, null, requested: true));

    [Fact]
    public void A_stop_that_needed_SIGKILL_says_after_which_grace() =>
        Assert.Equal(
            new WorkloadExit(false, null, "stopped: killed by SIGKILL after the 10 s grace", Requested: true),
            ContainerExit.Describe(new ProcessEnd(null, 9), 0, null, requested: true, killedAfter: TimeSpan.FromSeconds(10)));

    [Fact]
    public void An_end_whose_status_could_not_be_collected_is_a_failure() =>
        Assert.Equal(new WorkloadExit(true, null, "ended (its exit status could not be collected)"), ContainerExit.Describe(ProcessEnd.Unknown, 0, null, requested: false));

    [Theory]
    [InlineData("SIGTERM", "SIGTERM")]
    [InlineData("term", "SIGTERM")]
    [InlineData("SIGrtmin", null)]
    [InlineData("15", "SIGTERM")]
    [InlineData("SIGQUIT", "SIGQUIT")]
    [InlineData("99", null)]
    [InlineData("", null)]
    public void Stop_signals_are_read_as_images_and_specs_write_them(string written, string? expected) =>
        Assert.Equal(expected, Signals.Normalize(written));
}
