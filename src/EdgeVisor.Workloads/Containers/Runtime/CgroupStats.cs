using System.Globalization;
using EdgeVisor.Protocol;

namespace EdgeVisor.Workloads.Containers.Runtime;

/// <summary>
/// A container's resource figures read from its cgroups: cgroup v2 (a Raspberry Pi's unified hierarchy) and v1
/// (hybrid hosts), chosen per controller from where the controller is mounted (/proc/self/mountinfo). The
/// directories come from the init process's /proc/&lt;pid&gt;/cgroup, read while it runs, so they are right however
/// the runtime placed the container (relative or absolute cgroupsPath, nested agent cgroups). They stay readable
/// after the init has ended, until the runtime deletes the container: read the OOM count before the delete.
/// </summary>
public sealed class CgroupStats
{
    private readonly Controller? _memory;
    private readonly Controller? _cpu;
    private readonly Controller? _pids;

    private CgroupStats(Controller? memory, Controller? cpu, Controller? pids)
    {
        _memory = memory;
        _cpu = cpu;
        _pids = pids;
    }

    /// <summary>The memory cgroup directory in use (null when no memory controller is mounted).</summary>
    public string? MemoryDirectory => _memory?.Directory;

    /// <summary>Finds the cgroups of running process <paramref name="pid"/>.</summary>
    public static CgroupStats ForProcess(int pid) =>
        From(File.ReadAllLines("/proc/self/mountinfo"), File.ReadAllLines($"/proc/{pid}/cgroup"));

    /// <summary>The cgroups named by <paramref name="memberships"/> (a /proc/&lt;pid&gt;/cgroup) on a host with <paramref name="mountinfo"/>.</summary>
    internal static CgroupStats From(IEnumerable<string> mountinfo, IReadOnlyList<string> memberships)
    {
        var mounts = CgroupMounts.Read(mountinfo);
        return new CgroupStats(
            mounts.Find("memory", memberships, CgroupFiles.MemoryV1, CgroupFiles.MemoryV2),
            mounts.Find("cpuacct", memberships, CgroupFiles.CpuV1, CgroupFiles.CpuV2),
            mounts.Find("pids", memberships, CgroupFiles.Pids, CgroupFiles.Pids));
    }

    /// <summary>The figures now; a figure whose file cannot be read (controller missing, cgroup gone) reads as zero.</summary>
    public WorkloadResources Read() => new()
    {
        CpuSeconds = _cpu is { } cpu ? cpu.ReadNumber(cpu.Files.Usage) * cpu.Files.UsageToSeconds : 0,
        MemoryBytes = (long)(_memory?.ReadNumber(_memory.Files.Usage) ?? 0),
        MemoryLimitBytes = ReadMemoryLimit(),
        Pids = (int)(_pids?.ReadNumber(_pids.Files.Usage) ?? 0),
        OomKills = ReadOomKills(),
    };

    /// <summary>Processes of the container the kernel's OOM killer has killed.</summary>
    public long ReadOomKills() => (long)(_memory?.ReadNumber(_memory.Files.OomKills!) ?? 0);

    /// <summary>The memory limit in force; null when unlimited.</summary>
    public long? ReadMemoryLimit()
    {
        if (_memory?.ReadText(_memory.Files.Limit!) is not { } text || text == "max")
        {
            return null;
        }

        // cgroup v1 writes "unlimited" as the largest page-aligned counter value.
        return long.TryParse(text, CultureInfo.InvariantCulture, out long limit) && limit < 1L << 60 ? limit : null;
    }

    /// <summary>
    /// Where a figure lives: <c>file</c> holds a number, <c>file:key</c> a line "key number" in a flat-keyed file.
    /// </summary>
    internal sealed record CgroupFiles(string Usage, double UsageToSeconds = 1, string? Limit = null, string? OomKills = null)
    {
        public static readonly CgroupFiles MemoryV1 = new("memory.usage_in_bytes", Limit: "memory.limit_in_bytes", OomKills: "memory.oom_control:oom_kill");
        public static readonly CgroupFiles MemoryV2 = new("memory.current", Limit: "memory.max", OomKills: "memory.events:oom_kill");
        public static readonly CgroupFiles CpuV1 = new("cpuacct.usage", UsageToSeconds: 1e-9);
        public static readonly CgroupFiles CpuV2 = new("cpu.stat:usage_usec", UsageToSeconds: 1e-6);
        public static readonly CgroupFiles Pids = new("pids.current");
    }

    /// <summary>One controller's cgroup directory and the file names its hierarchy version uses.</summary>
    internal sealed record Controller(string Directory, CgroupFiles Files)
    {
        public double ReadNumber(string figure) =>
            double.TryParse(ReadText(figure), NumberStyles.Float, CultureInfo.InvariantCulture, out double value) ? value : 0;

        public string? ReadText(string figure)
        {
            string[] parts = figure.Split(':');
            string file = System.IO.Path.Combine(Directory, parts[0]);
            try
            {
                if (parts.Length == 1)
                {
                    return File.ReadAllText(file).Trim();
                }

                string prefix = parts[1] + " ";
                return File.ReadLines(file).FirstOrDefault(line => line.StartsWith(prefix, StringComparison.Ordinal))?[prefix.Length..].Trim();
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                return null;
            }
        }
    }

    /// <summary>The cgroup hierarchies mounted on this host: v1 ones by controller, and the v2 one.</summary>
    internal sealed class CgroupMounts
    {
        private readonly Dictionary<string, (string MountPoint, string Root)> _v1 = [];
        private (string MountPoint, string Root)? _v2;

        public static CgroupMounts Read(IEnumerable<string> mountinfo)
        {
            var mounts = new CgroupMounts();
            foreach (string line in mountinfo)
            {
                // id parent major:minor root mountpoint options [optional…] - fstype source superoptions
                string[] fields = line.Split(' ');
                int dash = Array.IndexOf(fields, "-");
                if (dash < 5 || dash + 3 >= fields.Length)
                {
                    continue;
                }

                var where = (Unescape(fields[4]), Unescape(fields[3]));
                if (fields[dash + 1] == "cgroup2")
                {
                    mounts._v2 ??= where;
                }
                else if (fields[dash + 1] == "cgroup")
                {
                    foreach (string option in fields[dash + 3].Split(','))
                    {
                        mounts._v1.TryAdd(option, where);
                    }
                }
            }

            return mounts;
        }

        /// <summary>The directory of <paramref name="controller"/> for a process with /proc/&lt;pid&gt;/cgroup <paramref name="memberships"/>.</summary>
        public Controller? Find(string controller, IEnumerable<string> memberships, CgroupFiles v1Files, CgroupFiles v2Files)
        {
            foreach (string line in memberships)
            {
                // hierarchy-id:controller-list:path ("0::path" is the v2 hierarchy)
                string[] parts = line.Split(':', 3);
                if (parts.Length != 3)
                {
                    continue;
                }

                if (parts[1].Split(',').Contains(controller) && _v1.TryGetValue(controller, out var v1))
                {
                    return new Controller(Join(v1, parts[2]), v1Files);
                }
            }

            // Not a v1 controller here: the unified hierarchy has it (when it has it at all, its files tell).
            string? unified = memberships.Select(line => line.Split(':', 3)).FirstOrDefault(parts => parts is ["0", "", _])?[2];
            return unified is not null && _v2 is { } v2 ? new Controller(Join(v2, unified), v2Files) : null;
        }

        private static string Join((string MountPoint, string Root) mount, string path)
        {
            // A mount of a sub-tree (inside a container) shows paths relative to the hierarchy's root.
            if (mount.Root != "/" && path.StartsWith(mount.Root, StringComparison.Ordinal))
            {
                path = path[mount.Root.Length..];
            }

            return mount.MountPoint + "/" + path.TrimStart('/');
        }

        private static string Unescape(string field) => field.Replace("\\040", " ", StringComparison.Ordinal);
    }
}
