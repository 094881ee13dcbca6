using EdgeVisor.Workloads.Containers.Runtime;

namespace EdgeVisor.Testing.Containers.Runtime;

/// <summary>
/// Removes what container tests leave on the host even when they fail: every container in a test's runtime root
/// (killed and deleted) and the test's parent cgroup in every hierarchy (v1 controllers, v2, nested under this
/// process's own cgroup where runc puts relative paths).
/// </summary>
public static class RuntimeLeftovers
{
    /// <summary>Kills and deletes every container under <paramref name="runtimeRoot"/>, then removes <paramref name="cgroupParent"/>.</summary>
    public static async Task RemoveAsync(string runtime, string runtimeRoot, string cgroupParent)
    {
        if (Directory.Exists(runtimeRoot))
        {
            var oci = new OciRuntime(runtime, runtimeRoot);
            foreach (var container in await oci.ListAsync(CancellationToken.None))
            {
                try
                {
                    await oci.DeleteAsync(container.Id, force: true, CancellationToken.None);
                }
                catch (OciRuntimeException)
                {
                }
            }
        }

        RemoveCgroups(cgroupParent);
    }

    /// <summary>Mount points below <paramref name="directory"/> (a test's rootfs overlays), deepest first, from /proc/self/mountinfo.</summary>
    public static IReadOnlyList<string> MountsUnder(string directory)
    {
        string prefix = directory.TrimEnd('/') + "/";
        return File.ReadAllLines("/proc/self/mountinfo")
            .Select(line => line.Split(' ')[4].Replace("\\040", " ", StringComparison.Ordinal))
            .Where(point => point.StartsWith(prefix, StringComparison.Ordinal))
            .OrderByDescending(point => point.Length)
            .ToList();
    }

    /// <summary>Removes cgroup <paramref name="parent"/> (a name directly under a hierarchy's root or this process's cgroup) with everything below it.</summary>
    public static void RemoveCgroups(string parent)
    {
        var own = File.ReadAllLines("/proc/self/cgroup").Select(line => line.Split(':', 3)[^1]).Distinct().ToList();
        foreach (string line in File.ReadAllLines("/proc/self/mountinfo"))
        {
            string[] fields = line.Split(' ');
            int dash = Array.IndexOf(fields, "-");
            if (dash < 0 || fields[dash + 1] is not ("cgroup" or "cgroup2"))
            {
                continue;
            }

            foreach (string under in own.Append("/"))
            {
                string directory = fields[4] + under.TrimEnd('/') + "/" + parent;
                if (Directory.Exists(directory))
                {
                    RemoveTree(directory);
                }
            }
        }
    }

    /// <summary>cgroup directories go with rmdir, deepest first; their control files cannot be deleted one by one.</summary>
    private static void RemoveTree(string directory)
    {
        foreach (string child in Directory.GetDirectories(directory))
        {
            RemoveTree(child);
        }

        try
        {
            Directory.Delete(directory, recursive: false);
        }
        catch (IOException)
        {
            // Still populated (a process we could not kill): leave it rather than fail the clean-up of the rest.
        }
    }
}
