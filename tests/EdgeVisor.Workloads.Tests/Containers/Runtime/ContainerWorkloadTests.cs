using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using EdgeVisor.Protocol;
using EdgeVisor.Testing.Processes;
using EdgeVisor.Tests.Http;
using EdgeVisor.Workloads.Containers.Runtime;

namespace EdgeVisor.Workloads.Tests.Containers.Runtime;

/// <summary>The runtime layer against the real runc: exits, logs, stops, the memory limit, health checks and figures.</summary>
public sealed class ContainerWorkloadTests : IAsyncLifetime
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);
    private RuntimeSandbox _sandbox = null!;

    public async Task InitializeAsync() => _sandbox = await RuntimeSandbox.CreateAsync();

    public async Task DisposeAsync() => await _sandbox.DisposeAsync();

    [Fact]
    public async Task A_container_that_exits_0_ends_cleanly_with_its_stdout_and_stderr_in_the_log()
    {
        string id = RuntimeSandbox.NewId("hello");
        await using var workload = await _sandbox.RunAsync(id, ["sh", "-c", "echo hello from $(hostname); echo oops >&2"]);

        var exit = await workload.Exited.WaitAsync(Patience);

        Assert.Equal(new WorkloadExit(false, 0, "exited with code 0"), exit);
        var log = _sandbox.Log(id).Tail(10);
        Assert.Contains($"hello from {id}", log);
        Assert.Contains("oops", log);
        Assert.Contains("[edgevisor] container ended: exited with code 0", log);
        await AssertGoneAsync(id);
    }

    [Fact]
    public async Task A_container_that_exits_3_has_failed_with_code_3()
    {
        string id = RuntimeSandbox.NewId("three");
        await using var workload = await _sandbox.RunAsync(id, ["sh", "-c", "echo about to fail; exit 3"]);

        var exit = await workload.Exited.WaitAsync(Patience);

        Assert.Equal(new WorkloadExit(true, 3, "exited with code 3"), exit);
        Assert.StartsWith("not running: exited with code 3", workload.CheckHealth());
        await AssertGoneAsync(id);
    }

    [Fact]
    public async Task The_exit_status_is_collected_while_dotnet_starts_and_reaps_processes_of_its_own()
    {
        // .NET reaps the children it starts on SIGCHLD; it must not take the container init's status instead.
        string id = RuntimeSandbox.NewId("busy");
        await using var workload = await _sandbox.RunAsync(id, ["sh", "-c", "sleep 1; exit 7"]);
        var others = Enumerable.Range(0, 20).Select(_ => ProcessRunner.RunAsync("/bin/true", [], "/", Patience)).ToList();
        Assert.All(await Task.WhenAll(others), result => Assert.Equal(0, result.ExitCode));

        var exit = await workload.Exited.WaitAsync(Patience);

        Assert.Equal(new WorkloadExit(true, 7, "exited with code 7"), exit);
    }

    [Fact]
    public async Task A_service_that_handles_SIGTERM_stops_within_the_grace()
    {
        string id = RuntimeSandbox.NewId("term");
        await using var workload = await _sandbox.RunAsync(id,
            ["sh", "-c", "trap 'echo got TERM; exit 0' TERM; echo serving; while true; do sleep 0.1; done"], grace: TimeSpan.FromSeconds(10));
        await LogWaiter.WaitForLine(_sandbox.Log(id), "serving", Patience);
        Assert.Null(workload.CheckHealth());

        var stopping = Stopwatch.StartNew();
        await workload.StopAsync(TimeSpan.FromSeconds(30), CancellationToken.None);

        Assert.True(stopping.Elapsed < TimeSpan.FromSeconds(5), $"stop took {stopping.Elapsed.TotalSeconds:0.0} s");
        var exit = await workload.Exited;
        Assert.Equal(new WorkloadExit(false, 0, "stopped: exited with code 0", Requested: true), exit);
        Assert.Contains("got TERM", _sandbox.Log(id).Tail(10));
        await AssertGoneAsync(id);
    }

    [Fact]
    public async Task A_service_that_ignores_SIGTERM_is_killed_after_the_grace()
    {
        string id = RuntimeSandbox.NewId("stubborn");
        var grace = TimeSpan.FromSeconds(1.5);
        await using var workload = await _sandbox.RunAsync(id,
            ["sh", "-c", "trap '' TERM; echo ignoring; while true; do sleep 0.1; done"], grace: grace);
        await LogWaiter.WaitForLine(_sandbox.Log(id), "ignoring", Patience);

        var stopping = Stopwatch.StartNew();
        await workload.StopAsync(TimeSpan.FromSeconds(30), CancellationToken.None);

        Assert.True(stopping.Elapsed >= grace, $"killed after {stopping.Elapsed.TotalSeconds:0.00} s, before the {grace.TotalSeconds} s grace");
        Assert.True(stopping.Elapsed < grace + TimeSpan.FromSeconds(5), $"stop took {stopping.Elapsed.TotalSeconds:0.0} s");
        Assert.Equal(new WorkloadExit(false, null, "stopped: killed by SIGKILL after the 1.5 s grace", Requested: true), await workload.Exited);
        await AssertGoneAsync(id);
    }

    [Fact]
    public async Task A_container_growing_past_its_memory_limit_is_reported_killed_by_the_OOM_killer()
    {
        string id = RuntimeSandbox.NewId("oom");
        const long limit = 32L * 1024 * 1024;
        // The init itself grows (a shell string doubling), so the OOM killer's victim is the init.
        await using var workload = await _sandbox.RunAsync(id, ["sh", "-c", "x=0123456789abcdef; while true; do x=$x$x; done"], memoryLimit: limit);

        var exit = await workload.Exited.WaitAsync(Patience);

        Assert.Equal(new WorkloadExit(true, null, $"out of memory: killed by the kernel OOM killer (memory limit {limit} bytes)"), exit);
        var final = workload.FinalResources;
        Assert.NotNull(final);
        Assert.True(final.OomKills >= 1, $"OomKills = {final.OomKills}");
        Assert.Equal(limit, final.MemoryLimitBytes);
    }

    [Fact]
    public async Task Resources_report_cpu_time_memory_the_limit_and_processes()
    {
        string id = RuntimeSandbox.NewId("figures");
        const long limit = 64L * 1024 * 1024;
        await using var workload = await _sandbox.RunAsync(id,
            ["sh", "-c", "i=0; while [ $i -lt 200000 ]; do i=$((i+1)); done; sleep 600 & echo counted; wait"], memoryLimit: limit);
        await LogWaiter.WaitForLine(_sandbox.Log(id), "counted", Patience);

        var figures = workload.ReadResources();

        Assert.NotNull(figures);
        Assert.True(figures.CpuSeconds > 0.05, $"CpuSeconds = {figures.CpuSeconds}");
        Assert.True(figures.MemoryBytes > 0, $"MemoryBytes = {figures.MemoryBytes}");
        Assert.Equal(limit, figures.MemoryLimitBytes);
        Assert.Equal(2, figures.Pids); // sh and sleep (forked before the line the test waits for)
        Assert.Equal(0, figures.OomKills);
        await workload.StopAsync(TimeSpan.FromSeconds(1), CancellationToken.None);
        Assert.Null(workload.ReadResources());
    }

    [Fact]
    public async Task An_exec_health_check_turns_unhealthy_after_its_retries()
    {
        string id = RuntimeSandbox.NewId("exechealth");
        var health = new HealthCheckSpec { Exec = ["test", "-f", "/dev/shm/ok"], IntervalSeconds = 0.3, TimeoutSeconds = 5, Retries = 2 };
        await using var workload = await _sandbox.RunAsync(id,
            ["sh", "-c", "touch /dev/shm/ok; sleep 2; rm /dev/shm/ok; echo broken; sleep 600"], health: health);

        await Task.Delay(TimeSpan.FromSeconds(1));
        Assert.Null(workload.CheckHealth());
        await LogWaiter.WaitForLine(_sandbox.Log(id), "broken", Patience);
        string? problem = await WaitForUnhealthyAsync(workload);

        Assert.StartsWith("health check failed 2 times: 'test -f /dev/shm/ok' exited with code 1", problem);
    }

    [Fact]
    public async Task A_tcp_health_check_turns_unhealthy_when_the_port_closes()
    {
        string id = RuntimeSandbox.NewId("tcphealth");
        int port = LoopbackPorts.Free();
        var health = new HealthCheckSpec { TcpPort = port, IntervalSeconds = 0.3, TimeoutSeconds = 2, Retries = 2 };
        await using var workload = await _sandbox.RunAsync(id,
            ["sh", "-c", $"httpd -f -p 127.0.0.1:{port} & sleep 5; kill $!; echo closed; sleep 600"], hostNetwork: true, health: health);

        await WaitForListenerAsync(port); // then the probes (every 0.3 s) succeed too
        await Task.Delay(TimeSpan.FromSeconds(0.7));
        Assert.Null(workload.CheckHealth());
        await LogWaiter.WaitForLine(_sandbox.Log(id), "closed", Patience);
        string? problem = await WaitForUnhealthyAsync(workload);

        Assert.StartsWith($"health check failed 2 times: tcp 127.0.0.1:{port}: Connection refused", problem);
    }

    [Fact]
    public async Task A_bundle_the_runtime_refuses_gives_its_error_in_one_line_and_leaves_no_container()
    {
        string id = RuntimeSandbox.NewId("refused");

        var error = await Assert.ThrowsAsync<OciRuntimeException>(() => _sandbox.RunAsync(id, ["/no/such/program"]));

        Assert.StartsWith($"runc create {id}: ", error.Message);
        Assert.Contains("/no/such/program", error.Message);
        Assert.DoesNotContain('\n', error.Message);
        await AssertGoneAsync(id);
    }

    [Fact]
    public async Task Runtime_commands_on_a_missing_container_fail_in_the_runtimes_words()
    {
        var error = await Assert.ThrowsAsync<OciRuntimeException>(() => _sandbox.Runtime.KillAsync("ev-nobody", "SIGTERM", all: false, CancellationToken.None));

        Assert.Equal("runc kill ev-nobody SIGTERM: container does not exist", error.Message);
        Assert.Null(await _sandbox.Runtime.StateAsync("ev-nobody", CancellationToken.None));
    }

    private static async Task WaitForListenerAsync(int port)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            using var client = new TcpClient();
            try
            {
                await client.ConnectAsync(IPAddress.Loopback, port);
                return;
            }
            catch (SocketException) when (deadline.Elapsed < Patience)
            {
                await Task.Delay(100);
            }
        }
    }

    private static async Task<string?> WaitForUnhealthyAsync(ContainerWorkload workload)
    {
        var deadline = Stopwatch.StartNew();
        while (workload.CheckHealth() is null && deadline.Elapsed < Patience)
        {
            await Task.Delay(100);
        }

        return workload.CheckHealth();
    }

    private async Task AssertGoneAsync(string id)
    {
        Assert.Null(await _sandbox.Runtime.StateAsync(id, CancellationToken.None));
        Assert.DoesNotContain(await _sandbox.Runtime.ListAsync(CancellationToken.None), c => c.Id == id);
    }
}
