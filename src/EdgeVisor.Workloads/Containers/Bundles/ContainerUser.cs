using System.Globalization;

namespace EdgeVisor.Workloads.Containers.Bundles;

/// <summary>The identity a container's process runs as, resolved from the image's own /etc/passwd and /etc/group.</summary>
/// <param name="Home">The user's home directory from /etc/passwd (null: unknown user or no passwd entry).</param>
internal sealed record ContainerUser(uint Uid, uint Gid, IReadOnlyList<uint> AdditionalGids, string? Home)
{
    /// <summary>
    /// Resolves <c>user[:group]</c> (names or numbers; null or empty: root) against the rootfs. A numeric uid needs no
    /// passwd entry (its gid is then 0, unless given); a name must be in /etc/passwd and a group name in /etc/group,
    /// or <see cref="WorkloadStartException"/> names what is missing. Supplementary groups are the user's memberships
    /// in /etc/group, unless a group is given explicitly: then the process runs with exactly that group.
    /// </summary>
    public static ContainerUser Resolve(string? user, string rootfs)
    {
        if (string.IsNullOrEmpty(user))
        {
            user = "0";
        }

        int colon = user.IndexOf(':', StringComparison.Ordinal);
        string userPart = colon < 0 ? user : user[..colon];
        string? groupPart = colon < 0 ? null : user[(colon + 1)..];
        if (userPart.Length == 0 || groupPart is { Length: 0 })
        {
            throw new WorkloadStartException($"container user '{user}' is not user[:group]");
        }

        var passwd = new Lazy<IReadOnlyList<PasswdEntry>>(() => PasswdEntry.ParseAll(RootfsFile.ReadText(rootfs, "/etc/passwd")));
        var groups = new Lazy<IReadOnlyList<GroupEntry>>(() => GroupEntry.ParseAll(RootfsFile.ReadText(rootfs, "/etc/group")));

        PasswdEntry? entry;
        uint uid;
        if (TryParseId(userPart, out uid))
        {
            entry = passwd.Value.FirstOrDefault(p => p.Uid == uid);
        }
        else
        {
            entry = passwd.Value.FirstOrDefault(p => p.Name == userPart)
                ?? throw new WorkloadStartException($"container user '{userPart}' is not in the image's /etc/passwd");
            uid = entry.Uid;
        }

        if (groupPart is not null)
        {
            uint gid = TryParseId(groupPart, out uint number)
                ? number
                : groups.Value.FirstOrDefault(g => g.Name == groupPart)?.Gid
                    ?? throw new WorkloadStartException($"container group '{groupPart}' is not in the image's /etc/group");
            return new ContainerUser(uid, gid, [], entry?.Home);
        }

        uint primary = entry?.Gid ?? 0;
        uint[] additional = entry is null
            ? []
            : [.. groups.Value.Where(g => g.Members.Contains(entry.Name) && g.Gid != primary).Select(g => g.Gid).Distinct()];
        return new ContainerUser(uid, primary, additional, entry?.Home);
    }

    /// <summary>A decimal id below 2³²−1 (which is (uid_t)-1, "no change", to the kernel).</summary>
    private static bool TryParseId(string text, out uint id) =>
        uint.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out id) && id != uint.MaxValue;

    /// <summary>One line of /etc/passwd: <c>name:password:uid:gid:gecos:home:shell</c>.</summary>
    private sealed record PasswdEntry(string Name, uint Uid, uint Gid, string Home)
    {
        public static IReadOnlyList<PasswdEntry> ParseAll(string? text) =>
            [.. Lines(text).Select(Parse).OfType<PasswdEntry>()];

        // Malformed lines are skipped, as the C library's getpwnam does, rather than failing the whole start.
        private static PasswdEntry? Parse(string line)
        {
            string[] fields = line.Split(':');
            return fields.Length >= 6 && TryParseId(fields[2], out uint uid) && TryParseId(fields[3], out uint gid)
                ? new PasswdEntry(fields[0], uid, gid, fields[5])
                : null;
        }
    }

    /// <summary>One line of /etc/group: <c>name:password:gid:member,member</c>.</summary>
    private sealed record GroupEntry(string Name, uint Gid, IReadOnlyList<string> Members)
    {
        public static IReadOnlyList<GroupEntry> ParseAll(string? text) =>
            [.. Lines(text).Select(Parse).OfType<GroupEntry>()];

        private static GroupEntry? Parse(string line)
        {
            string[] fields = line.Split(':');
            return fields.Length >= 4 && TryParseId(fields[2], out uint gid)
                ? new GroupEntry(fields[0], gid, fields[3].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                : null;
        }
    }

    private static IEnumerable<string> Lines(string? text) =>
        (text ?? "").Split('\n').Select(l => l.TrimEnd('\r')).Where(l => l.Length > 0 && !l.StartsWith('#'));
}
