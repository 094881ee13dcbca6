using EdgeVisor.Protocol;
using EdgeVisor.Workloads.Containers.Runtime;

namespace EdgeVisor.Workloads.Tests.Containers.Runtime;

/// <summary>
/// Figures from both cgroup layouts. This host is hybrid (v1 controllers), so the v2 layout a Raspberry Pi runs is
/// checked on a directory laid out as the kernel lays out cgroup2 files; the real v1 path is covered by the runc tests.
/// </summary>
public sealed class CgroupStatsTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "ev-cgroups-" + Guid.NewGuid().ToString("N")[..12]);

    public void Dispose()
    {
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }

    [Fact]
    public void Unified_v2_figures_come_from_memory_current_max_events_cpu_stat_and_pids_current()
    {
        string cgroup = Write("unified/edgevisor/ev-web", new()
        {
            ["memory.current"] = "1048576\n",
            ["memory.max"] = "33554432\n",
            ["memory.events"] = "low 0\nhigh 0\nmax 12\noom 2\noom_kill 2\noom_group_kill 0\n",
            ["cpu.stat"] = "usage_usec 2500000\nuser_usec 2000000\nsystem_usec 500000\n",
            ["pids.current"] = "3\n",
        });
        string[] mountinfo = [$"41 31 0:38 / {_root}/unified rw,nosuid,nodev,noexec,relatime shared:9 - cgroup2 cgroup2 rw,nsdelegate"];

        var stats = CgroupStats.From(mountinfo, ["0::/edgevisor/ev-web"]);

        Assert.Equal(cgroup, stats.MemoryDirectory);
        Assert.Equal(new WorkloadResources { CpuSeconds = 2.5, MemoryBytes = 1048576, MemoryLimitBytes = 33554432, Pids = 3, OomKills = 2 }, stats.Read());
    }

    [Fact]
    public void An_unlimited_v2_memory_max_reads_as_no_limit()
    {
        Write("unified/ev-free", new() { ["memory.max"] = "max\n" });

        var stats = CgroupStats.From([$"41 31 0:38 / {_root}/unified rw - cgroup2 cgroup2 rw"], ["0::/ev-free"]);

        Assert.Null(stats.ReadMemoryLimit());
        Assert.Equal(0, stats.ReadOomKills());
    }

    [Fact]
    public void Hybrid_v1_controllers_win_over_the_empty_unified_hierarchy_each_at_its_own_path()
    {
        Write("memory/agent/edgevisor/ev-web", new()
        {
            ["memory.usage_in_bytes"] = "2097152\n",
            ["memory.limit_in_bytes"] = "9223372036854771712\n",
            ["memory.oom_control"] = "oom_kill_disable 0\nunder_oom 0\noom_kill 1\n",
        });
        Write("cpu,cpuacct/edgevisor/ev-web", new() { ["cpuacct.usage"] = "1500000000\n" });
        Write("pids/edgevisor/ev-web", new() { ["pids.current"] = "4\n" });
        string[] mountinfo =
        [
            $"32 31 0:29 / {_root}/cpu,cpuacct rw,relatime - cgroup cgroup rw,cpu,cpuacct",
            $"35 31 0:32 / {_root}/memory rw,relatime - cgroup cgroup rw,memory",
            $"39 31 0:36 / {_root}/pids rw,relatime - cgroup cgroup rw,pids",
            $"41 31 0:38 / {_root}/unified rw,relatime - cgroup2 cgroup2 rw",
        ];
        string[] memberships = ["9:pids:/edgevisor/ev-web", "4:memory:/agent/edgevisor/ev-web", "2:cpu,cpuacct:/edgevisor/ev-web", "0::/edgevisor/ev-web"];

        var stats = CgroupStats.From(mountinfo, memberships);

        // 2^63 - 4096 is how v1 writes "no limit".
        Assert.Equal(new WorkloadResources { CpuSeconds = 1.5, MemoryBytes = 2097152, MemoryLimitBytes = null, Pids = 4, OomKills = 1 }, stats.Read());
    }

    [Fact]
    public void A_cgroup_that_is_gone_reads_as_zero_rather_than_failing()
    {
        var stats = CgroupStats.From([$"41 31 0:38 / {_root}/unified rw - cgroup2 cgroup2 rw"], ["0::/ev-deleted"]);

        Assert.Equal(new WorkloadResources(), stats.Read());
    }

    private string Write(string directory, Dictionary<string, string> files)
    {
        string path = Path.Combine(_root, directory);
        Directory.CreateDirectory(path);
        foreach ((string name, string content) in files)
        {
            File.WriteAllText(Path.Combine(path, name), content);
        }

        return path;
    }
}
