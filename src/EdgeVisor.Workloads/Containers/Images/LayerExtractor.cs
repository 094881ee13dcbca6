using System.Formats.Tar;
using EdgeVisor.Workloads.Downloads;

namespace EdgeVisor.Workloads.Containers.Images;

/// <summary>
/// Writes one layer's tar into its own empty directory the way overlayfs wants a lower layer, trusting nothing in
/// it. Whiteouts become overlayfs whiteouts (a 0/0 character device) and opaque markers the
/// <c>trusted.overlay.opaque</c> xattr, instead of deleting anything. Nothing is ever written through a symlink:
/// every parent component is checked with statx(AT_SYMLINK_NOFOLLOW) to be a real directory made by this
/// extraction (the directory is private to the store, so no other process can swap a component between check and
/// use), a final component that exists is removed before the entry replaces it, and files are created O_EXCL.
/// Device nodes are dropped (the runtime gives containers their /dev) and setuid/setgid bits stripped from files.
/// </summary>
internal sealed class LayerExtractor(string root, string layerDigest, BlobStore blobs)
{
    private const long SpaceCheckBytes = 64L * 1024 * 1024;
    private const string WhiteoutPrefix = ".wh.";
    private const string OpaqueMarker = ".wh..wh..opq";
    private const UnixFileMode DirectoryDefault = (UnixFileMode)0x1ed; // 0755, for directories the tar implies but does not list
    private const UnixFileMode SetIdBits = UnixFileMode.SetUser | UnixFileMode.SetGroup;

    /// <summary>Directory metadata, applied after all content (a read-only or back-dated directory must not stop or change later entries).</summary>
    private readonly Dictionary<string, TarEntry> _directories = new(StringComparer.Ordinal);
    private long _sinceSpaceCheck;

    /// <summary>Character and block devices left out.</summary>
    public int DevicesDropped { get; private set; }

    /// <summary>Files whose setuid or setgid bit was cleared.</summary>
    public int SetIdStripped { get; private set; }

    public async Task ExtractAsync(Stream tar, CancellationToken ct)
    {
        await using var reader = new TarReader(tar, leaveOpen: true);
        while (await reader.GetNextEntryAsync(copyData: false, ct).ConfigureAwait(false) is { } entry)
        {
            await ApplyAsync(entry, ct).ConfigureAwait(false);
        }

        ApplyDirectoryMetadata();
    }

    private async Task ApplyAsync(TarEntry entry, CancellationToken ct)
    {
        if (entry.EntryType is TarEntryType.GlobalExtendedAttributes)
        {
            return;
        }

        string[] parts = TarPaths.Components(entry.Name) ?? throw Reject(entry.Name, "escapes the root");
        if (parts.Length == 0)
        {
            _directories[""] = entry.EntryType == TarEntryType.Directory ? entry : throw Reject(entry.Name, "names the root but is not a directory");
            return;
        }

        string leaf = parts[^1];
        string parent = EnsureParents(parts, entry.Name);
        if (leaf.StartsWith(WhiteoutPrefix, StringComparison.Ordinal))
        {
            ApplyWhiteout(parent, leaf, entry.Name);
            return;
        }

        string path = Path.Combine(parent, leaf);
        switch (entry.EntryType)
        {
            case TarEntryType.Directory:
                if (ImageLibc.FileType(path) != Statx.Directory)
                {
                    Remove(path);
                    MakeDirectory(path);
                }

                _directories[path] = entry;
                break;
            case TarEntryType.RegularFile or TarEntryType.V7RegularFile or TarEntryType.ContiguousFile:
                Remove(path);
                await WriteFileAsync(path, entry, ct).ConfigureAwait(false);
                ApplyMetadata(path, entry);
                break;
            case TarEntryType.SymbolicLink:
                // Symlinks may point anywhere: they are resolved inside the container at run time, never here.
                if (string.IsNullOrEmpty(entry.LinkName))
                {
                    throw Reject(entry.Name, "is a symlink with no target");
                }

                Remove(path);
                File.CreateSymbolicLink(path, entry.LinkName);
                Check(ImageLibc.Lchown(path, (uint)entry.Uid, (uint)entry.Gid), path, "lchown");
                SetTimes(path, entry.ModificationTime);
                break;
            case TarEntryType.HardLink:
                string target = HardlinkTarget(entry);
                if (target == path)
                {
                    throw Reject(entry.Name, "is a hardlink to itself");
                }

                Remove(path);
                Check(ImageLibc.Link(target, path), path, "link");
                break;
            case TarEntryType.CharacterDevice or TarEntryType.BlockDevice:
                DevicesDropped++;
                break;
            case TarEntryType.Fifo:
                Remove(path);
                Check(ImageLibc.Mkfifo(path, 0x180), path, "mkfifo");
                ApplyMetadata(path, entry);
                break;
            default:
                throw Reject(entry.Name, $"has an entry type this store does not unpack ({entry.EntryType})");
        }
    }

    /// <summary><c>.wh.name</c> hides <c>name</c> of the layers below; <c>.wh..wh..opq</c> hides everything below its directory.</summary>
    private void ApplyWhiteout(string parent, string leaf, string entryName)
    {
        if (leaf == OpaqueMarker)
        {
            Check(ImageLibc.Lsetxattr(parent, "trusted.overlay.opaque", "y"u8, 1, 0), parent, "setxattr trusted.overlay.opaque");
            return;
        }

        string hidden = leaf[WhiteoutPrefix.Length..];
        if (hidden.StartsWith(WhiteoutPrefix, StringComparison.Ordinal))
        {
            return; // other .wh..wh. metadata (aufs hardlink bookkeeping) means nothing to overlayfs
        }

        if (hidden is "" or "." or "..")
        {
            throw Reject(entryName, "is a whiteout of nothing");
        }

        string path = Path.Combine(parent, hidden);
        Remove(path);
        Check(ImageLibc.Mknod(path, Statx.CharacterDevice, 0), path, "mknod whiteout");
    }

    /// <summary>Makes the entry's missing parents (0755) and checks the present ones are real directories; returns the parent's path.</summary>
    private string EnsureParents(string[] parts, string entryName)
    {
        string current = root;
        for (int i = 0; i < parts.Length - 1; i++)
        {
            current = Path.Combine(current, parts[i]);
            uint type = ImageLibc.FileType(current);
            if (type == 0)
            {
                MakeDirectory(current);
            }
            else if (type != Statx.Directory)
            {
                throw Reject(entryName, $"goes through '{TarPaths.Join(parts[..(i + 1)])}', which is {Describe(type)}");
            }
        }

        return current;
    }

    /// <summary>A hardlink's target: inside the layer, reached through real directories, and a regular file this layer already holds.</summary>
    private string HardlinkTarget(TarEntry entry)
    {
        string[] parts = TarPaths.Components(entry.LinkName) ?? throw Reject(entry.Name, $"is a hardlink to '{entry.LinkName}', outside the root");
        string current = root;
        for (int i = 0; i < parts.Length; i++)
        {
            current = Path.Combine(current, parts[i]);
            uint type = ImageLibc.FileType(current);
            bool last = i == parts.Length - 1;
            if ((last && type != Statx.Regular) || (!last && type != Statx.Directory))
            {
                throw Reject(entry.Name, $"is a hardlink to '{entry.LinkName}', which is not a regular file in this layer");
            }
        }

        return parts.Length > 0 ? current : throw Reject(entry.Name, "is a hardlink to the root");
    }

    private async Task WriteFileAsync(string path, TarEntry entry, CancellationToken ct)
    {
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Options = FileOptions.Asynchronous };
        await using var output = new FileStream(path, options);
        if (entry.DataStream is not { } data)
        {
            return;
        }

        byte[] buffer = new byte[1 << 16];
        int read;
        while ((read = await data.ReadAsync(buffer, ct).ConfigureAwait(false)) > 0)
        {
            await output.WriteAsync(buffer.AsMemory(0, read), ct).ConfigureAwait(false);
            _sinceSpaceCheck += read;
            if (_sinceSpaceCheck >= SpaceCheckBytes)
            {
                // A small compressed blob can expand without bound: keep the device's reserve free while it does.
                _sinceSpaceCheck = 0;
                EnsureSpace();
            }
        }
    }

    private void EnsureSpace()
    {
        try
        {
            blobs.EnsureSpace(0);
        }
        catch (ArtifactException e)
        {
            throw new ArtifactException($"layer {layerDigest}: unpacking stopped: {e.Message}", permanent: false, e);
        }
    }

    /// <summary>Owner, then mode (after chown, which clears set-id bits, and after the content), then times.</summary>
    private void ApplyMetadata(string path, TarEntry entry)
    {
        Check(ImageLibc.Lchown(path, (uint)entry.Uid, (uint)entry.Gid), path, "lchown");
        var mode = entry.Mode;
        if ((mode & SetIdBits) != 0)
        {
            // Containers run with no-new-privileges, so the bits do nothing inside; on the host they would be a risk.
            mode &= ~SetIdBits;
            SetIdStripped++;
        }

        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, mode);
        }

        SetTimes(path, entry.ModificationTime);
    }

    private void ApplyDirectoryMetadata()
    {
        foreach (var (key, entry) in _directories.OrderByDescending(d => d.Key.Length))
        {
            string path = key.Length == 0 ? root : key;
            if (ImageLibc.FileType(path) != Statx.Directory)
            {
                continue;
            }

            Check(ImageLibc.Lchown(path, (uint)entry.Uid, (uint)entry.Gid), path, "lchown");
            if (!OperatingSystem.IsWindows())
            {
                // A directory's setgid bit only passes its group on to new files; setuid means nothing on one.
                File.SetUnixFileMode(path, entry.Mode & ~UnixFileMode.SetUser);
            }

            SetTimes(path, entry.ModificationTime);
        }
    }

    /// <summary>Removes what an entry replaces (never following it if it is a symlink) and forgets its directories' metadata.</summary>
    private void Remove(string path)
    {
        uint type = ImageLibc.FileType(path);
        if (type == 0)
        {
            return;
        }

        if (type == Statx.Directory)
        {
            Directory.Delete(path, recursive: true);
            string prefix = path + "/";
            foreach (string key in _directories.Keys.Where(k => k == path || k.StartsWith(prefix, StringComparison.Ordinal)).ToList())
            {
                _directories.Remove(key);
            }
        }
        else
        {
            File.Delete(path);
        }
    }

    private static void MakeDirectory(string path)
    {
        Directory.CreateDirectory(path);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, DirectoryDefault);
        }
    }

    private static void SetTimes(string path, DateTimeOffset time)
    {
        long ticks = time.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks;
        long seconds = Math.DivRem(ticks, TimeSpan.TicksPerSecond, out long rest);
        if (rest < 0)
        {
            seconds--;
            rest += TimeSpan.TicksPerSecond;
        }

        var times = new ImageLibc.AccessAndModificationTimes(seconds, rest * 100);
        Check(ImageLibc.Utimensat(Statx.AtFdCwd, path, in times, Statx.AtSymlinkNoFollow), path, "utimensat");
    }

    private static void Check(int result, string path, string call)
    {
        if (result != 0)
        {
            throw new IOException($"{path}: {call} failed: {ImageLibc.LastErrorText}");
        }
    }

    private static string Describe(uint type) =>
        type switch
        {
            Statx.Symlink => "a symlink",
            Statx.Regular => "a file",
            _ => "not a directory",
        };

    private ArtifactException Reject(string entryName, string what) =>
        new($"layer {layerDigest}: entry '{entryName}' {what}", permanent: true);
}
