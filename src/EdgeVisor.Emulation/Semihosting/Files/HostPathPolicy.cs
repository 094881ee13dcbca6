namespace EdgeVisor.Emulation.Semihosting.Files;

/// <summary>
/// Decides which host path a guest file name means: the name itself (QEMU's behaviour), or a path
/// inside a root directory the firmware cannot climb out of, or nothing at all.
/// </summary>
internal sealed class HostPathPolicy
{
    private readonly string? _root;
    private readonly bool _allowed;

    public HostPathPolicy(string? root, bool allowed)
    {
        _allowed = allowed;
        _root = root is null ? null : Path.TrimEndingDirectorySeparator(Path.GetFullPath(root));
    }

    /// <summary>The host path for <paramref name="guestName"/>; EACCES if the policy forbids it.</summary>
    public string Resolve(string guestName)
    {
        if (!_allowed)
        {
            throw new SemihostingErrorException(SemihostingErrno.AccessDenied);
        }

        if (guestName.Length == 0)
        {
            throw new SemihostingErrorException(SemihostingErrno.NoSuchFile);
        }

        if (_root is null)
        {
            return guestName;
        }

        // Inside a root, "/x" means root/x, like a chroot.
        string full = Path.GetFullPath(Path.Combine(_root, guestName.TrimStart('/', '\\')));
        bool inside = full == _root || full.StartsWith(_root + Path.DirectorySeparatorChar, StringComparison.Ordinal);
        return inside ? full : throw new SemihostingErrorException(SemihostingErrno.AccessDenied);
    }

    /// <summary>A name for SYS_TMPNAM: under the root when there is one, else in the host's temp directory.</summary>
    public string TempName(int id) => _root is null
        ? Path.Combine(Path.GetTempPath(), $"edgevisor-{Environment.ProcessId:x}-{id:x2}")
        : $"tmp-{id:x2}";
}
