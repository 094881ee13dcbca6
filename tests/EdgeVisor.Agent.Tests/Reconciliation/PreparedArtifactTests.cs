using System.Security.Cryptography;
using EdgeVisor.Protocol;
using EdgeVisor.Workloads.Downloads;

namespace EdgeVisor.Agent.Tests.Reconciliation;

/// <summary>
/// The reconciler with a driver that prepares its own artifacts (container images): the fetch step has the driver
/// pull or import, a tarball goes through the verified artifact store first, staging keeps only the spec, garbage
/// collection keeps what a rollback needs, and resources are reported without republishing every counter tick.
/// </summary>
public sealed class PreparedArtifactTests
{
    [Fact]
    public async Task A_registry_image_is_prepared_by_its_driver_and_started_without_a_staged_copy()
    {
        var driver = new PreparingDriver();
        await using var agent = ReconcilerHarness.Start(extraDriver: driver);
        var web = Container("web", NewDigest());

        agent.Deploy(1, web);
        var report = await agent.WaitForAppliedAsync(1);

        Assert.Equal((web.Artifact.Sha256, (string?)null), Assert.Single(driver.Prepares));
        var launch = Assert.Single(driver.Launches);
        Assert.Null(launch.ArtifactPath);
        Assert.Equal(Path.Combine(agent.StateDirectory, "workloads", "web", "data"), launch.DataDirectory);
        Assert.Equal(["spec.json"], Directory.GetFiles(Path.Combine(agent.StateDirectory, "workloads", "web", "1")).Select(Path.GetFileName));
        Assert.False(agent.Artifacts.TryGetPath(web.Artifact.Sha256, out _), "a registry image is not an artifact-store file");
        var workload = Assert.Single(report.Workloads);
        Assert.Equal((WorkloadState.Running, web.Artifact.Sha256), (workload.State, workload.ArtifactSha256));
    }

    [Fact]
    public async Task A_tarball_image_is_fetched_and_verified_by_the_artifact_store_and_then_imported()
    {
        var driver = new PreparingDriver();
        await using var agent = ReconcilerHarness.Start(extraDriver: driver);
        string tarball = Path.Combine(agent.StateDirectory, "..", $"image-{Guid.NewGuid():N}.tar");
        await File.WriteAllBytesAsync(tarball, RandomNumberGenerator.GetBytes(4096));
        try
        {
            string sha = Convert.ToHexStringLower(SHA256.HashData(await File.ReadAllBytesAsync(tarball)));
            var web = Container("web", sha) with { Artifact = new ArtifactRef { Url = new Uri(Path.GetFullPath(tarball)).AbsoluteUri, Sha256 = sha } };

            agent.Deploy(1, web);
            await agent.WaitForAppliedAsync(1);

            var (prepared, file) = Assert.Single(driver.Prepares);
            Assert.Equal(sha, prepared);
            Assert.True(agent.Artifacts.TryGetPath(sha, out string stored), "the tarball is in the artifact store");
            Assert.Equal(stored, file);
            Assert.Null(Assert.Single(driver.Launches).ArtifactPath);
        }
        finally
        {
            File.Delete(tarball);
        }
    }

    [Fact]
    public async Task A_transient_prepare_failure_is_retried_and_a_permanent_one_keeps_the_running_version()
    {
        var driver = new PreparingDriver();
        await using var agent = ReconcilerHarness.Start(extraDriver: driver);
        var v1 = Container("web", NewDigest());
        driver.FailNextPrepare(new ArtifactException("127.0.0.1:5000: connection refused", permanent: false));

        agent.Deploy(1, v1);

        await agent.WaitForAppliedAsync(1);
        Assert.Equal(2, driver.Prepares.Count);
        Assert.Contains(agent.Sink.Reports, r => r.Workloads is [{ State: WorkloadState.Pending, Reason: { } reason }] && reason.Contains("connection refused", StringComparison.Ordinal));

        var v2 = Container("web", NewDigest());
        driver.FailNextPrepare(new ArtifactException("manifest sha256:ab12 is for linux/s390x only", permanent: true));
        agent.Deploy(2, v2);

        var report = await agent.WaitForReportAsync(r => r.Version == 2 && r.Workloads is [{ Reason: not null }], "the update refused");
        var workload = report.Workloads.Single();
        Assert.Equal((WorkloadState.Running, v1.Artifact.Sha256), (workload.State, workload.ArtifactSha256));
        Assert.Contains("fetch: manifest sha256:ab12 is for linux/s390x only", workload.Reason, StringComparison.Ordinal);
        await Task.Delay(500);
        Assert.Single(driver.Prepares, p => p.Sha256 == v2.Artifact.Sha256);
        Assert.Single(driver.Launches);
    }

    [Fact]
    public async Task Workloads_sharing_an_image_prepare_it_one_at_a_time()
    {
        var driver = new PreparingDriver { PrepareTime = TimeSpan.FromMilliseconds(300) };
        await using var agent = ReconcilerHarness.Start(extraDriver: driver);
        string sha = NewDigest();

        agent.Deploy(1, Container("a", sha), Container("b", sha), Container("c", sha));
        await agent.WaitForAppliedAsync(1);

        Assert.Equal(3, driver.Prepares.Count);
        Assert.Equal(1, driver.MostPreparesAtOnce);
        Assert.Equal(3, driver.Launches.Count);
    }

    [Fact]
    public async Task Garbage_collection_keeps_the_previous_image_for_a_rollback_and_drops_older_ones()
    {
        var driver = new PreparingDriver();
        await using var agent = ReconcilerHarness.Start(extraDriver: driver);
        var (v1, v2, v3) = (Container("web", NewDigest()), Container("web", NewDigest()), Container("web", NewDigest()));

        agent.Deploy(1, v1);
        await agent.WaitForAppliedAsync(1);
        agent.Deploy(2, v2);
        await agent.WaitForAppliedAsync(2);
        Assert.Equal(Digests(v1, v2), driver.Prepared);
        Assert.Equal(Digests(v1, v2), driver.Collections[^1].Select(s => s.Artifact.Sha256).ToHashSet());

        agent.Deploy(3, v3);
        await agent.WaitForAppliedAsync(3);

        Assert.Equal(Digests(v2, v3), driver.Prepared);
        Assert.All(driver.Collections, inUse => Assert.All(inUse, spec => Assert.Equal(WorkloadKinds.Container, spec.Kind)));
    }

    [Fact]
    public async Task A_new_image_that_crashes_rolls_back_to_the_previous_image_which_is_still_prepared()
    {
        var driver = new PreparingDriver();
        await using var agent = ReconcilerHarness.Start(options => options.Reconcile.HealthCheckSeconds = 0.5, extraDriver: driver);
        var (good, broken) = (Container("web", NewDigest()), Container("web", NewDigest()));
        driver.Crashing.Add(broken.Artifact.Sha256);
        agent.Deploy(1, good);
        await agent.WaitForAppliedAsync(1);

        agent.Deploy(2, broken);

        var report = await agent.WaitForReportAsync(r => r.Version == 2 && r.Workloads is [{ State: WorkloadState.Running, Reason: not null }], "web rolled back");
        var workload = report.Workloads.Single();
        Assert.Equal(good.Artifact.Sha256, workload.ArtifactSha256);
        Assert.StartsWith("rolled back: ", workload.Reason, StringComparison.Ordinal);
        Assert.Contains("exited with code 3", workload.Reason, StringComparison.Ordinal);
        Assert.Equal([good.Artifact.Sha256, broken.Artifact.Sha256, good.Artifact.Sha256], driver.Launches.Select(l => l.Spec.Artifact.Sha256));
        Assert.Equal(1, driver.Prepares.Count(p => p.Sha256 == good.Artifact.Sha256));
    }

    [Fact]
    public async Task A_new_image_that_fails_its_own_health_check_is_rolled_back_after_the_checks_window()
    {
        var driver = new PreparingDriver();
        await using var agent = ReconcilerHarness.Start(extraDriver: driver);
        var check = new HealthCheckSpec { Exec = ["true"], IntervalSeconds = 0.4, TimeoutSeconds = 0.1, Retries = 2 };
        var good = Container("web", NewDigest()) with { Container = new ContainerSpec { Network = new ContainerNetwork { Mode = NetworkModes.None }, HealthCheck = check } };
        var bad = good with { Artifact = good.Artifact with { Sha256 = NewDigest() } };
        driver.Unhealthy.Add(bad.Artifact.Sha256);
        agent.Deploy(1, good);
        await agent.WaitForAppliedAsync(1);
        var started = DateTimeOffset.UtcNow;

        agent.Deploy(2, bad);

        var report = await agent.WaitForReportAsync(r => r.Version == 2 && r.Workloads is [{ State: WorkloadState.Running, Reason: not null }], "web rolled back");
        Assert.Contains("health check: exec probe exited with 1", report.Workloads.Single().Reason, StringComparison.Ordinal);
        Assert.Equal(good.Artifact.Sha256, report.Workloads.Single().ArtifactSha256);
        // The window is the check's (2 × (0.4 + 0.1) s), not the harness's 0.3 s.
        Assert.True(DateTimeOffset.UtcNow - started >= TimeSpan.FromSeconds(1), "rolled back before the container's own check could decide");
    }

    [Fact]
    public async Task A_running_container_that_turns_unhealthy_is_restarted_by_its_policy()
    {
        var driver = new PreparingDriver();
        await using var agent = ReconcilerHarness.Start(extraDriver: driver);
        var web = Container("web", NewDigest()) with
        {
            Restart = new RestartPolicy { BackoffSeconds = 0.1 },
            Container = new ContainerSpec { Network = new ContainerNetwork { Mode = NetworkModes.None }, HealthCheck = new HealthCheckSpec { Exec = ["true"], IntervalSeconds = 0.1, TimeoutSeconds = 0.1, Retries = 1 } },
        };
        agent.Deploy(1, web);
        await agent.WaitForAppliedAsync(1);

        driver.Unhealthy.Add(web.Artifact.Sha256);

        await agent.WaitUntilAsync(() => agent.Sink.EventsOf(EventKinds.WorkloadRestarted).Any(), "a restart of the unhealthy container", seconds: 15);
        Assert.Contains(agent.Sink.EventsOf(EventKinds.WorkloadState), e => e.Message == "web: unhealthy (exec probe exited with 1 (2 times))");
        Assert.True(driver.Launches.Count >= 2);
    }

    [Fact]
    public async Task Resources_are_republished_at_most_once_per_telemetry_interval_and_read_live_on_request()
    {
        var driver = new PreparingDriver();
        await using var agent = ReconcilerHarness.Start(options => options.TelemetrySeconds = 30, extraDriver: driver);
        agent.Deploy(1, Container("web", NewDigest()));
        var applied = await agent.WaitForAppliedAsync(1);
        var reported = Assert.Single(applied.Workloads).Resources;
        Assert.NotNull(reported);
        Assert.Equal((64L << 20, 2), (reported.MemoryLimitBytes, reported.Pids));

        // The loop wakes up (heartbeats, timers) but the counters are not read again before 30 s.
        int reports = agent.Sink.Reports.Count;
        await Task.Delay(1500);
        Assert.Equal(reports, agent.Sink.Reports.Count);

        var live = await agent.Reconciler.ReadLiveAsync(CancellationToken.None);

        var now = Assert.Single(live.Workloads).Resources;
        Assert.NotNull(now);
        Assert.True(now.CpuSeconds > reported.CpuSeconds, $"live CPU {now.CpuSeconds} s is not newer than the reported {reported.CpuSeconds} s");
        Assert.Equal(reports, agent.Sink.Reports.Count);
        Assert.Equal(reported, agent.Sink.Latest!.Workloads.Single().Resources);
    }

    [Fact]
    public async Task Resources_are_refreshed_every_telemetry_interval_and_absent_once_stopped()
    {
        var driver = new PreparingDriver();
        await using var agent = ReconcilerHarness.Start(options => options.TelemetrySeconds = 0.2, extraDriver: driver);
        var web = Container("web", NewDigest()) with { Restart = new RestartPolicy { Mode = RestartModes.Never } };
        agent.Deploy(1, web);
        var first = (await agent.WaitForAppliedAsync(1)).Workloads.Single().Resources!;

        await agent.WaitForReportAsync(r => r.Workloads.Single().Resources?.CpuSeconds > first.CpuSeconds + 0.5, "newer resource figures");
        agent.Deploy(2);

        await agent.WaitForReportAsync(r => r.Version == 2 && r.Workloads.Count == 0, "web removed");
        var live = await agent.Reconciler.ReadLiveAsync(CancellationToken.None);
        Assert.Empty(live.Workloads);
    }

    [Fact]
    public async Task After_a_restart_images_no_spec_needs_are_collected_and_the_active_one_starts_again()
    {
        var driver = new PreparingDriver();
        var agent = ReconcilerHarness.Start(extraDriver: driver);
        var web = Container("web", NewDigest());
        agent.Deploy(1, web);
        await agent.WaitForAppliedAsync(1);
        int collections = driver.Collections.Count;

        await using var restarted = await agent.ReopenAsync();

        await restarted.WaitUntilAsync(() => driver.Collections.Count > collections && driver.Launches.Count == 2, "a collection and the container's start after the restart");
        Assert.Equal([web.Artifact.Sha256], driver.Collections[^1].Select(s => s.Artifact.Sha256));
        Assert.Single(driver.Prepares);
    }

    [Fact]
    public async Task Read_live_after_the_loop_ended_returns_the_last_report()
    {
        var driver = new PreparingDriver();
        var agent = ReconcilerHarness.Start(extraDriver: driver);
        agent.Deploy(1, Container("web", NewDigest()));
        await agent.WaitForAppliedAsync(1);
        await agent.DisposeAsync();

        var live = await agent.Reconciler.ReadLiveAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(5));

        Assert.Equal(1, live.Version);
    }

    private static WorkloadSpec Container(string name, string sha256) => new()
    {
        Name = name,
        Kind = WorkloadKinds.Container,
        Artifact = new ArtifactRef { Url = $"oci://127.0.0.1:5000/test/{name}:{sha256[..8]}", Sha256 = sha256 },
        Container = new ContainerSpec { Network = new ContainerNetwork { Mode = NetworkModes.None } },
    };

    private static string NewDigest() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));

    private static HashSet<string> Digests(params WorkloadSpec[] specs) => specs.Select(s => s.Artifact.Sha256).ToHashSet(StringComparer.Ordinal);
}
