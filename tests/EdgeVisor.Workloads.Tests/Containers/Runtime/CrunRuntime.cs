using EdgeVisor.Workloads.Containers.Runtime;

namespace EdgeVisor.Workloads.Tests.Containers.Runtime;

/// <summary>
/// Debian's crun as the agent's runtime on this host. crun refuses "hybrid" cgroup hosts (v1 controllers plus an
/// empty v2 hierarchy at /sys/fs/cgroup/unified), which this VM is and a Pi is not (v2 unified). On such a host
/// the runtime is a two-line wrapper that runs the real crun in a private mount namespace without the v2 mount,
/// so crun sees a plain cgroup v1 host; everything else — its CLI, state files, container processes, cgroups —
/// is crun's own. Elsewhere it is crun itself.
/// </summary>
internal static class CrunRuntime
{
    private const string HybridMount = "/sys/fs/cgroup/unified";

    /// <summary>What to put in <c>ContainerOptions.Runtime</c> for crun; the wrapper (if needed) is written into <paramref name="directory"/>.</summary>
    public static string Prepare(string directory)
    {
        string crun = OciRuntime.Find("crun")
            ?? throw new InvalidOperationException("crun is not installed (apt-get install crun): the runtime-choice tests need it");
        if (!IsHybridCgroupHost())
        {
            return crun;
        }

        Directory.CreateDirectory(directory);
        string wrapper = Path.Combine(directory, "crun-v1");
        File.WriteAllText(wrapper, $"""
            #!/bin/sh
            # crun on a hybrid cgroup host: hide the empty v2 hierarchy in a private mount namespace (see CrunRuntime.cs).
            exec unshare --mount --propagation private /bin/sh -c 'umount {HybridMount} && exec "$0" "$@"' {crun} "$@"

            """);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(wrapper, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        return wrapper;
    }

    private static bool IsHybridCgroupHost() =>
        File.ReadLines("/proc/self/mountinfo").Any(line => line.Split(' ') is [_, _, _, _, HybridMount, ..] fields && fields.Contains("cgroup2"));
}
