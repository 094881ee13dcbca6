using System.Security.Cryptography;
using System.Text;
using EdgeVisor.Workloads.Containers.Images;

namespace EdgeVisor.Workloads.Containers.Bundles;

/// <summary>A VOLUME of the image that the container gets: <see cref="Path"/> inside it, <see cref="Directory"/> on the host.</summary>
public sealed record ImageVolume(string Path, string Directory);

/// <summary>
/// The VOLUMEs an image declares (<c>config.Volumes</c>) as Docker users expect them: each path the spec does not mount
/// itself gets a directory kept with the workload's volumes (&lt;volumes&gt;/_image/&lt;name from the path&gt;, so updates
/// and rollbacks find it again), filled on first use with what the image has at that path (owners, modes and
/// symbolic links kept) and bind-mounted read-write there, also under <c>readOnlyRootfs</c>. A path that is relative,
/// climbs with '..', passes through a symbolic link or a file of the image, or meets a mount of the spec or of the
/// runtime gets no volume, with the reason why.
/// </summary>
internal static class ImageVolumes
{
    /// <summary>Under the volumes directory; spec volume names start with a letter or digit, so this one is never theirs.</summary>
    public const string Subdirectory = "_image";

    /// <summary>
    /// Which of <paramref name="declared"/> get a volume (sorted, so a volume nested in another is mounted after it)
    /// and, one line each, which do not and why. <paramref name="taken"/> are the container's other mount points. Reads
    /// <paramref name="rootfs"/>, writes nothing.
    /// </summary>
    public static (IReadOnlyList<ImageVolume> Volumes, IReadOnlyList<string> Ignored) Plan(
        IEnumerable<string> declared, IReadOnlyList<(string Path, string What)> taken, string rootfs, string volumesDirectory)
    {
        var volumes = new SortedDictionary<string, ImageVolume>(StringComparer.Ordinal);
        var ignored = new List<string>();
        foreach (string path in declared)
        {
            if (Refusal(path, taken, rootfs, out string normal) is { } why)
            {
                ignored.Add($"image volume '{path}' ignored: {why}");
            }
            else
            {
                volumes.TryAdd(normal, new ImageVolume(normal, Path.Combine(volumesDirectory, Subdirectory, NameOf(normal))));
            }
        }

        return ([.. volumes.Values], ignored);
    }

    /// <summary>
    /// Creates the volume's directory the first time: a copy of the image's content at its path, or, when the image
    /// has nothing there, an empty directory owned by the container's user (as spec volumes are). An existing one is
    /// left as it is: it holds the workload's data.
    /// </summary>
    public static void Populate(ImageVolume volume, string rootfs, ContainerUser user) =>
        VolumeDirectory.CreateOnce(volume.Directory, temporary =>
        {
            Directory.CreateDirectory(temporary);
            string source = Path.Join(rootfs, volume.Path);
            if (Lstat(source) is { } image)
            {
                CopyChildren(source, temporary);
                Apply(temporary, image);
            }
            else
            {
                Apply(temporary, new StatxResult { Uid = user.Uid, Gid = user.Gid, Mode = (ushort)(Statx.Directory | 0b111_101_101) });
            }
        });

    /// <summary>The directory name of a volume: its path made a plain name, and a hash so that '/a_b' and '/a/b' differ.</summary>
    internal static string NameOf(string path)
    {
        var name = new StringBuilder();
        foreach (char c in path.TrimStart('/'))
        {
            name.Append(c switch
            {
                '/' => '-',
                _ when char.IsAsciiLetterOrDigit(c) || c is '.' or '_' => c,
                _ => '_',
            });
        }

        string hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(path)))[..8];
        return $"{(name.Length > 64 ? name.ToString(0, 64) : name)}-{hash}";
    }

    private static string? Refusal(string path, IReadOnlyList<(string Path, string What)> taken, string rootfs, out string normal)
    {
        normal = path;
        if (!path.StartsWith('/'))
        {
            return "not an absolute path";
        }

        string[] segments = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (segments.Any(s => s is "." or "..") || path.Contains('\0', StringComparison.Ordinal))
        {
            return "'.' or '..' in the path could lead out of the container's root";
        }

        if (segments.Length == 0)
        {
            return "the root itself cannot be a volume";
        }

        normal = "/" + string.Join('/', segments);
        foreach ((string mounted, string what) in taken)
        {
            if (IsAtOrBelow(normal, mounted))
            {
                return $"{what} is mounted at {mounted}";
            }

            if (IsAtOrBelow(mounted, normal))
            {
                return $"it would hide {what} at {mounted}";
            }
        }

        string walked = rootfs;
        for (int i = 0; i < segments.Length; i++)
        {
            walked = Path.Join(walked, segments[i]);
            var entry = Lstat(walked);
            if (entry is null)
            {
                return null; // not in the image: an empty volume
            }

            switch (entry.Value.Mode & Statx.FileTypeMask)
            {
                case Statx.Symlink:
                    return $"{"/" + string.Join('/', segments[..(i + 1)])} is a symbolic link in the image (it could point anywhere)";
                case not Statx.Directory:
                    return $"{"/" + string.Join('/', segments[..(i + 1)])} is a file in the image, not a directory";
            }
        }

        return null;
    }

    private static bool IsAtOrBelow(string path, string directory)
    {
        path = path.TrimEnd('/');
        directory = directory.TrimEnd('/');
        return path == directory || path.StartsWith(directory + "/", StringComparison.Ordinal);
    }

    /// <summary>Copies what is in <paramref name="source"/> without following links: directories, files and links, owners and modes.</summary>
    private static void CopyChildren(string source, string target)
    {
        foreach (string from in Directory.EnumerateFileSystemEntries(source))
        {
            string to = Path.Join(target, Path.GetFileName(from));
            if (Lstat(from) is not { } entry)
            {
                continue;
            }

            switch (entry.Mode & Statx.FileTypeMask)
            {
                case Statx.Directory:
                    Directory.CreateDirectory(to);
                    CopyChildren(from, to);
                    break;
                case Statx.Regular:
                    File.Copy(from, to);
                    break;
                case Statx.Symlink:
                    File.CreateSymbolicLink(to, new FileInfo(from).LinkTarget!);
                    break;
                default:
                    continue; // devices, pipes and sockets: the image store neutralises them; nothing to carry
            }

            Apply(to, entry);
        }
    }

    /// <summary>Owner first: a chown clears set-id bits that a chmod before it would have set.</summary>
    private static void Apply(string path, StatxResult entry)
    {
        if (ImageLibc.Lchown(path, entry.Uid, entry.Gid) != 0)
        {
            throw new IOException($"image volume {path}: cannot give it to {entry.Uid}:{entry.Gid}: {ImageLibc.LastErrorText}");
        }

        if ((entry.Mode & Statx.FileTypeMask) != Statx.Symlink && !OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, (UnixFileMode)(entry.Mode & 0xFFF));
        }
    }

    private static StatxResult? Lstat(string path) =>
        Statx.Get(Statx.AtFdCwd, path, Statx.AtSymlinkNoFollow, Statx.BasicStats, out var result) == 0 ? result : null;
}
