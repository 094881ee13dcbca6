using System.Text;
using Microsoft.Win32.SafeHandles;

namespace EdgeVisor.Workloads.Containers.Bundles;

/// <summary>
/// Reads small text files out of an image's root file system, which is untrusted: its /etc/passwd may be a symlink
/// to <c>/etc/shadow</c> or <c>../../../</c> anything. Paths resolve with openat2(RESOLVE_IN_ROOT), so every
/// symlink and ".." is taken relative to the rootfs, as it will be inside the container, and never reaches the host.
/// </summary>
internal static class RootfsFile
{
    /// <summary>Larger than any real passwd or group file; a bigger one is an image trying to exhaust the agent's memory.</summary>
    private const int MaxBytes = 4 * 1024 * 1024;

    /// <summary>
    /// The text of <paramref name="path"/> (absolute inside the rootfs), or null when it does not exist; throws
    /// <see cref="WorkloadStartException"/> when it is not a regular file or cannot be read.
    /// </summary>
    public static string? ReadText(string rootfs, string path)
    {
        using SafeFileHandle root = OpenRoot(rootfs);
        int fd = BundleNative.Openat2(root, path.TrimStart('/'), new BundleNative.OpenHow
        {
            // Non-blocking so a FIFO planted at /etc/passwd cannot hang the agent; the type check below refuses it.
            Flags = BundleNative.ORdOnly | BundleNative.ONoCtty | BundleNative.ONonBlock | BundleNative.OCloExec,
            Resolve = BundleNative.ResolveInRoot | BundleNative.ResolveNoMagicLinks,
        });
        if (fd < 0)
        {
            int error = BundleNative.LastError();
            return error is Enoent or Enotdir ? null : throw new WorkloadStartException($"image file {path}: cannot open: {BundleNative.LastErrorMessage()}");
        }

        using var file = new SafeFileHandle(fd, ownsHandle: true);
        if (Statx.Get(fd, "", Statx.AtEmptyPath, Statx.BasicStats, out var stat) != 0)
        {
            throw new WorkloadStartException($"image file {path}: cannot stat: {BundleNative.LastErrorMessage()}");
        }

        if ((stat.Mode & Statx.FileTypeMask) != Statx.Regular)
        {
            throw new WorkloadStartException($"image file {path} is not a regular file");
        }

        using var stream = new FileStream(file, FileAccess.Read, bufferSize: 0);
        var buffer = new MemoryStream();
        var chunk = new byte[64 * 1024];
        int read;
        while ((read = stream.Read(chunk)) > 0)
        {
            buffer.Write(chunk, 0, read);
            if (buffer.Length > MaxBytes)
            {
                throw new WorkloadStartException($"image file {path} is larger than {MaxBytes / (1024 * 1024)} MiB");
            }
        }

        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    private const int Enoent = 2;
    private const int Enotdir = 20;

    private static SafeFileHandle OpenRoot(string rootfs)
    {
        if (!Path.IsPathRooted(rootfs))
        {
            throw new ArgumentException($"rootfs path '{rootfs}' is not absolute", nameof(rootfs));
        }

        int fd = BundleNative.Openat2(Statx.AtFdCwd, rootfs, new BundleNative.OpenHow { Flags = BundleNative.OPath | BundleNative.OCloExec });
        return fd >= 0
            ? new SafeFileHandle(fd, ownsHandle: true)
            : throw new WorkloadStartException($"container rootfs {rootfs}: cannot open: {BundleNative.LastErrorMessage()}");
    }
}
