using EdgeVisor.Emulation.Arm64.Memory;
using EdgeVisor.Emulation.Linux.Files.Host;
using EdgeVisor.Emulation.Linux.Kernel;

namespace EdgeVisor.Emulation.Linux.Files;

/// <summary>
/// The guest's file descriptor table: guest numbers to host descriptors, each with the guest's FD_CLOEXEC flag. Every
/// guest descriptor owns its own host descriptor (dup makes a host dup), so closing one never affects another and the
/// kernel objects (open file descriptions, locks, pipes) behave exactly as on Linux. New guest numbers are the lowest
/// free ones, as POSIX requires. Shared by all threads of the process; lookups and changes take a short lock, host
/// calls that may block happen outside it.
/// </summary>
public sealed class FileDescriptorTable
{
    private const int HardCeiling = 1 << 20;

    private readonly Lock _lock = new();
    private Slot[] _slots = new Slot[64];

    /// <summary>An empty table whose limit is the host's RLIMIT_NOFILE soft limit.</summary>
    public FileDescriptorTable()
    {
        Limit = HostDescriptorLimit();
    }

    /// <summary>Highest guest descriptor number plus one (RLIMIT_NOFILE); opening beyond it fails with EMFILE.</summary>
    public int Limit { get; set; }

    /// <summary>A table whose guest 0, 1 and 2 are the host's standard streams (a freshly started process).</summary>
    public static FileDescriptorTable WithStandardStreams()
    {
        var table = new FileDescriptorTable();
        for (int fd = 0; fd < 3; fd++)
        {
            table._slots[fd] = new Slot(fd, closeOnExec: false, FileKind.Unknown);
        }

        return table;
    }

    /// <summary>The host descriptor behind guest descriptor <paramref name="guestFd"/>; false when it is not open.</summary>
    public bool TryGetHostFd(int guestFd, out int hostFd)
    {
        lock (_lock)
        {
            if ((uint)guestFd < (uint)_slots.Length && _slots[guestFd].IsOpen)
            {
                hostFd = _slots[guestFd].HostFd;
                return true;
            }
        }

        hostFd = -1;
        return false;
    }

    /// <summary>The whole entry for <paramref name="guestFd"/>; false when it is not open.</summary>
    public bool TryGet(int guestFd, out FileDescriptorEntry entry)
    {
        lock (_lock)
        {
            if ((uint)guestFd < (uint)_slots.Length && _slots[guestFd].IsOpen)
            {
                entry = _slots[guestFd].ToEntry(guestFd);
                return true;
            }
        }

        entry = default;
        return false;
    }

    /// <summary>Every open descriptor in guest-number order (linux-proc: fork hands these to the child).</summary>
    public IReadOnlyList<FileDescriptorEntry> Snapshot()
    {
        var list = new List<FileDescriptorEntry>();
        lock (_lock)
        {
            for (int fd = 0; fd < _slots.Length; fd++)
            {
                if (_slots[fd].IsOpen)
                {
                    list.Add(_slots[fd].ToEntry(fd));
                }
            }
        }

        return list;
    }

    /// <summary>
    /// Installs host descriptor <paramref name="hostFd"/> at the lowest free guest number &gt;= <paramref name="minimum"/>
    /// and returns that number; -EMFILE (closing <paramref name="hostFd"/>) when the table is full, -EINVAL when
    /// <paramref name="minimum"/> is at or past the limit.
    /// </summary>
    public int Add(int hostFd, bool closeOnExec, FileKind kind, int minimum = 0)
    {
        lock (_lock)
        {
            if (minimum < 0 || minimum >= Limit)
            {
                HostDescriptors.Release(hostFd);
                return -Errno.EINVAL;
            }

            for (int fd = minimum; fd < Limit; fd++)
            {
                if (fd >= _slots.Length)
                {
                    Grow(fd + 1);
                }

                if (!_slots[fd].IsOpen)
                {
                    _slots[fd] = new Slot(hostFd, closeOnExec, kind);
                    return fd;
                }
            }
        }

        HostDescriptors.Release(hostFd);
        return -Errno.EMFILE;
    }

    /// <summary>
    /// Puts <paramref name="hostFd"/> at guest number <paramref name="guestFd"/> (dup2/dup3), closing whatever was there;
    /// returns <paramref name="guestFd"/> or -EBADF when it is outside the limit.
    /// </summary>
    public int Replace(int guestFd, int hostFd, bool closeOnExec, FileKind kind)
    {
        int previous = -1;
        lock (_lock)
        {
            if (guestFd < 0 || guestFd >= Limit)
            {
                HostDescriptors.Release(hostFd);
                return -Errno.EBADF;
            }

            if (guestFd >= _slots.Length)
            {
                Grow(guestFd + 1);
            }

            if (_slots[guestFd].IsOpen)
            {
                previous = _slots[guestFd].HostFd;
            }

            _slots[guestFd] = new Slot(hostFd, closeOnExec, kind);
        }

        if (previous >= 0)
        {
            HostDescriptors.Release(previous);
        }

        return guestFd;
    }

    /// <summary>
    /// Installs both ends of a new host pipe or socket pair and writes their guest numbers as two ints at
    /// <paramref name="address"/> (pipe2, socketpair). On failure nothing stays installed and both host ends are
    /// released; returns 0 or a negated errno.
    /// </summary>
    public int AddPair(int hostFirst, int hostSecond, bool closeOnExec, FileKind kind, GuestMemory memory, ulong address)
    {
        int first = Add(hostFirst, closeOnExec, kind);
        if (first < 0)
        {
            HostDescriptors.Release(hostSecond);
            return first;
        }

        int second = Add(hostSecond, closeOnExec, kind);
        if (second < 0)
        {
            Close(first);
            return second;
        }

        memory.TryWriteInt32(address, first);
        memory.TryWriteInt32(address + 4, second);
        return 0;
    }

    /// <summary>Closes guest descriptor <paramref name="guestFd"/>: 0, -EBADF when it is not open, or the host's close error.</summary>
    public int Close(int guestFd)
    {
        int hostFd;
        lock (_lock)
        {
            if ((uint)guestFd >= (uint)_slots.Length || !_slots[guestFd].IsOpen)
            {
                return -Errno.EBADF;
            }

            hostFd = _slots[guestFd].HostFd;
            _slots[guestFd] = default;
        }

        return HostDescriptors.Release(hostFd);
    }

    /// <summary>Sets or clears the guest's FD_CLOEXEC flag; false when <paramref name="guestFd"/> is not open.</summary>
    public bool SetCloseOnExec(int guestFd, bool closeOnExec)
    {
        lock (_lock)
        {
            if ((uint)guestFd >= (uint)_slots.Length || !_slots[guestFd].IsOpen)
            {
                return false;
            }

            _slots[guestFd].CloseOnExec = closeOnExec;
            return true;
        }
    }

    /// <summary>
    /// close_range: closes guest descriptors <paramref name="first"/>..<paramref name="last"/>, or only marks them
    /// close-on-exec when <paramref name="markCloseOnExec"/> (CLOSE_RANGE_CLOEXEC).
    /// </summary>
    public void CloseRange(uint first, uint last, bool markCloseOnExec)
    {
        var toRelease = new List<int>();
        lock (_lock)
        {
            for (long fd = first; fd <= last && fd < _slots.Length; fd++)
            {
                if (!_slots[fd].IsOpen)
                {
                    continue;
                }

                if (markCloseOnExec)
                {
                    _slots[fd].CloseOnExec = true;
                }
                else
                {
                    toRelease.Add(_slots[fd].HostFd);
                    _slots[fd] = default;
                }
            }
        }

        foreach (int hostFd in toRelease)
        {
            HostDescriptors.Release(hostFd);
        }
    }

    /// <summary>Closes every descriptor marked close-on-exec (linux-proc calls this when execve replaces the image).</summary>
    public void CloseOnExecDescriptors()
    {
        var toRelease = new List<int>();
        lock (_lock)
        {
            for (int fd = 0; fd < _slots.Length; fd++)
            {
                if (_slots[fd].IsOpen && _slots[fd].CloseOnExec)
                {
                    toRelease.Add(_slots[fd].HostFd);
                    _slots[fd] = default;
                }
            }
        }

        foreach (int hostFd in toRelease)
        {
            HostDescriptors.Release(hostFd);
        }
    }

    /// <summary>
    /// Replaces the whole table with <paramref name="entries"/> without closing anything (a forked child adopting the
    /// descriptors its parent passed down at the same host numbers).
    /// </summary>
    public void Restore(IEnumerable<FileDescriptorEntry> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        lock (_lock)
        {
            Array.Clear(_slots);
            foreach (var entry in entries)
            {
                if (entry.GuestFd < 0 || entry.HostFd < 0)
                {
                    throw new ArgumentException($"descriptor entry {entry} has a negative number", nameof(entries));
                }

                if (entry.GuestFd >= _slots.Length)
                {
                    Grow(entry.GuestFd + 1);
                }

                _slots[entry.GuestFd] = new Slot(entry.HostFd, entry.CloseOnExec, entry.Kind);
            }
        }
    }

    private void Grow(int needed)
    {
        int size = _slots.Length;
        while (size < needed)
        {
            size *= 2;
        }

        Array.Resize(ref _slots, size);
    }

    private static unsafe int HostDescriptorLimit()
    {
        const int RlimitNofile = 7;
        ulong* limits = stackalloc ulong[2];
        if (HostLibc.GetRlimit(RlimitNofile, limits) != 0)
        {
            return 1024;
        }

        return (int)Math.Min(limits[0], HardCeiling);
    }

    // HostFd is stored plus one so that a default slot is a free slot.
    private struct Slot(int hostFd, bool closeOnExec, FileKind kind)
    {
        private readonly int _hostFdPlusOne = hostFd + 1;

        public bool CloseOnExec = closeOnExec;

        public readonly FileKind Kind = kind;

        public readonly bool IsOpen => _hostFdPlusOne != 0;

        public readonly int HostFd => _hostFdPlusOne - 1;

        public readonly FileDescriptorEntry ToEntry(int guestFd) => new(guestFd, HostFd, CloseOnExec, Kind);
    }
}
