using EdgeVisor.Protocol;
using EdgeVisor.Workloads.Containers.Images;

namespace EdgeVisor.Workloads.Containers.Bundles;

/// <summary>How a container spec and its image's run defaults combine into the command, environment and directory.</summary>
internal static class ProcessDefaults
{
    /// <summary>The PATH of a Debian root shell: images built FROM scratch often set none.</summary>
    public const string DefaultPath = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

    /// <summary>
    /// Entrypoint + command. The spec's entrypoint replaces the image's and then also drops the image's CMD (which
    /// was written as arguments for the image's entrypoint), as Docker and Kubernetes do; the spec's command
    /// replaces the image's CMD. Throws <see cref="WorkloadStartException"/> when nothing is left to run.
    /// </summary>
    public static IReadOnlyList<string> Args(ContainerSpec spec, ImageRunConfig? image)
    {
        IReadOnlyList<string> entrypoint = spec.Entrypoint ?? image?.Entrypoint ?? [];
        IReadOnlyList<string> command = spec.Command ?? (spec.Entrypoint is null ? image?.Cmd ?? [] : []);
        string[] args = [.. entrypoint, .. command];
        return args.Length > 0 && args[0].Length > 0
            ? args
            : throw new WorkloadStartException("container has no command: set container.command or use an image with ENTRYPOINT/CMD");
    }

    /// <summary>
    /// The image's environment with the spec's values overlaid: a name both set keeps the image's position and takes
    /// the spec's value; the spec's other names follow in name order; PATH, HOSTNAME and HOME are added when absent.
    /// </summary>
    public static IReadOnlyList<string> Environment(ContainerSpec spec, ImageRunConfig? image, string hostname, string? home)
    {
        var names = new List<string>();
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        void Set(string name, string value)
        {
            if (!values.ContainsKey(name))
            {
                names.Add(name);
            }

            values[name] = value;
        }

        foreach (string entry in image?.Env ?? [])
        {
            int equals = entry.IndexOf('=', StringComparison.Ordinal);
            string name = equals < 0 ? entry : entry[..equals];
            if (name.Length > 0)
            {
                Set(name, equals < 0 ? "" : entry[(equals + 1)..]);
            }
        }

        foreach ((string name, string value) in spec.Environment.OrderBy(pair => pair.Key, StringComparer.Ordinal))
        {
            if (name.Length == 0 || name.Contains('=', StringComparison.Ordinal) || name.Contains('\0', StringComparison.Ordinal) || value.Contains('\0', StringComparison.Ordinal))
            {
                throw new WorkloadStartException($"container environment variable '{name}' is not NAME=value (no '=' or NUL in the name, no NUL in the value)");
            }

            Set(name, value);
        }

        foreach ((string name, string value) in new[] { ("PATH", DefaultPath), ("HOSTNAME", hostname), ("HOME", home is { Length: > 0 } ? home : "/") })
        {
            if (!values.ContainsKey(name))
            {
                Set(name, value);
            }
        }

        return [.. names.Select(name => $"{name}={values[name]}")];
    }

    /// <summary>The spec's working directory, else the image's, else /; it must be absolute (the runtime creates it if missing).</summary>
    public static string WorkingDirectory(ContainerSpec spec, ImageRunConfig? image)
    {
        string directory = spec.WorkingDirectory is { Length: > 0 } given ? given : image?.WorkingDir is { Length: > 0 } fromImage ? fromImage : "/";
        return directory.StartsWith('/')
            ? directory
            : throw new WorkloadStartException($"container working directory '{directory}' is not an absolute path");
    }
}
