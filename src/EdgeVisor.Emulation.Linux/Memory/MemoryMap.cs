using System.Text;
using EdgeVisor.Emulation.Arm64.Memory;
using EdgeVisor.Emulation.Linux.Kernel;

namespace EdgeVisor.Emulation.Linux.Memory;

/// <summary>How mmap chooses the address.</summary>
public enum MapPlacement
{
    /// <summary>The hint if that range is free, else the highest free range below <see cref="MemoryMap.MmapTop"/> (top-down, like Linux).</summary>
    Hint,

    /// <summary>MAP_FIXED: exactly there, replacing what was mapped.</summary>
    Fixed,

    /// <summary>MAP_FIXED_NOREPLACE: exactly there, or EEXIST when anything is mapped in the range.</summary>
    FixedNoReplace,
}

/// <summary>
/// The kernel's list of areas (VMAs) of one guest address space and the operations of mmap, munmap, mprotect,
/// mremap, madvise and brk over <see cref="GuestMemory"/>'s primitives. Operations return the result or a negated
/// errno, as the system calls do. Thread-safe: guest threads share one map.
/// </summary>
public sealed class MemoryMap
{
    /// <summary>Lowest address mmap hands out or accepts a hint for (vm.mmap_min_addr).</summary>
    public const ulong MinimumAddress = 0x1_0000;

    /// <summary>Size of the main thread's stack (also RLIMIT_STACK's soft limit).</summary>
    public const ulong StackSize = 8UL << 20;

    // Linux keeps at least 128 MiB plus the stack guard gap between the stack top and the mmap area.
    private const ulong StackGap = (128UL << 20) + (1UL << 20);

    private const int RemapMayMove = 1;
    private const int RemapFixed = 2;
    private const int RemapDontUnmap = 4;

    private readonly GuestMemory _memory;
    private readonly List<MemoryArea> _areas = [];
    private readonly Lock _lock = new();

    public MemoryMap(GuestMemory memory)
    {
        _memory = memory;
        StackTop = memory.Size;
        MmapTop = StackTop - StackGap;
    }

    /// <summary>One past the highest stack address (the stack grows down from here).</summary>
    public ulong StackTop { get; }

    /// <summary>Top-down mmap placement starts below this address.</summary>
    public ulong MmapTop { get; }

    /// <summary>Where the brk heap starts (page-aligned end of the program's highest segment).</summary>
    public ulong BrkStart { get; private set; }

    /// <summary>The current program break as the guest last set it.</summary>
    public ulong Brk { get; private set; }

    /// <summary>A snapshot of the areas in address order (fork, /proc/self/maps, tests).</summary>
    public IReadOnlyList<MemoryArea> Areas
    {
        get
        {
            lock (_lock)
            {
                return [.. _areas];
            }
        }
    }

    /// <summary>The area containing <paramref name="address"/>, or null.</summary>
    public MemoryArea? Find(ulong address)
    {
        lock (_lock)
        {
            int i = IndexOfAreaEndingAfter(address);
            return i < _areas.Count && _areas[i].Contains(address) ? _areas[i] : null;
        }
    }

    /// <summary>The text of /proc/self/maps.</summary>
    public string FormatMaps()
    {
        var text = new StringBuilder();
        foreach (var area in Areas)
        {
            text.Append(area.ToMapsLine()).Append('\n');
        }

        return text.ToString();
    }

    /// <summary>Sets the start of the brk heap (the loader calls this after placing the program); the break starts there.</summary>
    public void SetBrkStart(ulong address)
    {
        lock (_lock)
        {
            BrkStart = PageAlignUp(address);
            Brk = BrkStart;
        }
    }

    /// <summary>
    /// brk(2): moves the break to <paramref name="requested"/> when the pages it needs are free, and returns the break
    /// in force afterwards (the old one on failure, as the kernel does).
    /// </summary>
    public ulong SetBrk(ulong requested)
    {
        lock (_lock)
        {
            if (requested < BrkStart || requested > _memory.Size)
            {
                return Brk;
            }

            ulong oldTop = PageAlignUp(Brk);
            ulong newTop = PageAlignUp(requested);
            if (newTop < oldTop)
            {
                UnmapLocked(newTop, oldTop - newTop);
            }
            else if (newTop > oldTop)
            {
                // The kernel also keeps a guard page free above the heap.
                if (newTop + GuestMemory.PageSize > MmapLimit || Overlaps(oldTop, newTop - oldTop + GuestMemory.PageSize))
                {
                    return Brk;
                }

                _memory.Map(oldTop, newTop - oldTop, PagePermissions.ReadWrite);
                InsertMerging(new MemoryArea(oldTop, newTop, PagePermissions.ReadWrite, MemoryAreaFlags.Anonymous | MemoryAreaFlags.Heap, Label: "[heap]"));
            }

            Brk = requested;
            return Brk;
        }
    }

    /// <summary>Maps zero-filled memory; returns its address or -errno.</summary>
    public long MapAnonymous(ulong address, ulong length, PagePermissions permissions, MemoryAreaFlags flags, MapPlacement placement, string? label = null)
    {
        lock (_lock)
        {
            long at = Place(address, length, placement);
            if (at < 0)
            {
                return at;
            }

            ulong start = (ulong)at;
            ulong size = PageAlignUp(length);
            _memory.Map(start, size, Effective(permissions));
            Insert(new MemoryArea(start, start + size, permissions, flags | MemoryAreaFlags.Anonymous, Label: label));
            MergeAround(start, start + size);
            return at;
        }
    }

    /// <summary>
    /// Maps <paramref name="length"/> bytes of host file <paramref name="hostFd"/> from <paramref name="offset"/>;
    /// returns the address or -errno (EACCES when the file's open mode does not allow the mapping, ENODEV when it
    /// cannot be mapped, EBADF when it is not open).
    /// </summary>
    public long MapFile(ulong address, ulong length, PagePermissions permissions, MemoryAreaFlags flags, MapPlacement placement, int hostFd, long offset, string? label = null)
    {
        if (!HostFileInfo.TryGetAccess(hostFd, out bool readable, out bool writable))
        {
            return -Errno.EBADF;
        }

        bool shared = (flags & MemoryAreaFlags.Shared) != 0;
        if (!readable || (shared && (permissions & PagePermissions.Write) != 0 && !writable))
        {
            return -Errno.EACCES;
        }

        long fileSize = HostFileInfo.Size(hostFd);
        if (fileSize < 0)
        {
            return -Errno.ENODEV;
        }

        string? path = HostFileInfo.PathOf(hostFd);
        if (shared && !writable)
        {
            flags |= MemoryAreaFlags.ReadOnlyFile;
        }

        lock (_lock)
        {
            long at = Place(address, length, placement);
            if (at < 0)
            {
                return at;
            }

            ulong start = (ulong)at;
            ulong size = PageAlignUp(length);
            try
            {
                _memory.MapFile(start, size, Effective(permissions), hostFd, offset, fileSize, shared, writable);
            }
            catch (IOException)
            {
                _memory.Unmap(start, size);
                return -Errno.ENODEV;
            }

            Insert(new MemoryArea(start, start + size, permissions, flags & ~MemoryAreaFlags.Anonymous, path, offset, label ?? path));
            return at;
        }
    }

    /// <summary>munmap(2): removes every mapping in the range (holes are fine).</summary>
    public long Unmap(ulong address, ulong length)
    {
        if ((address & GuestMemory.PageMask) != 0 || length == 0 || !InAddressSpace(address, PageAlignUp(length)))
        {
            return -Errno.EINVAL;
        }

        lock (_lock)
        {
            UnmapLocked(address, PageAlignUp(length));
            return 0;
        }
    }

    /// <summary>mprotect(2): the whole range must be mapped (ENOMEM otherwise).</summary>
    public long Protect(ulong address, ulong length, PagePermissions permissions)
    {
        if ((address & GuestMemory.PageMask) != 0)
        {
            return -Errno.EINVAL;
        }

        if (length == 0)
        {
            return 0;
        }

        ulong end = address + PageAlignUp(length);
        if (end < address || end > _memory.Size)
        {
            return -Errno.ENOMEM;
        }

        lock (_lock)
        {
            var covered = Overlapping(address, end);
            if (!Covers(covered, address, end))
            {
                return -Errno.ENOMEM;
            }

            if ((permissions & PagePermissions.Write) != 0 && covered.Exists(a => (a.Flags & MemoryAreaFlags.ReadOnlyFile) != 0))
            {
                return -Errno.EACCES;
            }

            foreach (var area in covered)
            {
                var changed = area.Slice(address, end) with { Permissions = permissions };
                ReplaceRange(area, changed);
                _memory.Protect(changed.Start, changed.Length, Effective(permissions));
            }

            MergeAround(address, end);
            return 0;
        }
    }

    /// <summary>mremap(2) with MREMAP_MAYMOVE / MREMAP_FIXED; returns the new address or -errno.</summary>
    public long Remap(ulong oldAddress, ulong oldLength, ulong newLength, int flags, ulong newAddress)
    {
        if ((oldAddress & GuestMemory.PageMask) != 0 || (flags & ~(RemapMayMove | RemapFixed | RemapDontUnmap)) != 0
            || ((flags & RemapFixed) != 0 && (flags & RemapMayMove) == 0) || newLength == 0 || (flags & RemapDontUnmap) != 0)
        {
            return -Errno.EINVAL;
        }

        ulong oldSize = PageAlignUp(oldLength);
        ulong newSize = PageAlignUp(newLength);
        if (newSize == 0 || newSize > _memory.Size)
        {
            return -Errno.ENOMEM;
        }

        lock (_lock)
        {
            int index = IndexOfAreaEndingAfter(oldAddress);
            if (index >= _areas.Count || !_areas[index].Contains(oldAddress) || oldSize == 0 || oldAddress + oldSize > _areas[index].End)
            {
                return -Errno.EFAULT;
            }

            var area = _areas[index];
            if ((flags & RemapFixed) != 0)
            {
                if ((newAddress & GuestMemory.PageMask) != 0 || !InAddressSpace(newAddress, newSize)
                    || (newAddress < oldAddress + oldSize && oldAddress < newAddress + newSize))
                {
                    return -Errno.EINVAL;
                }

                UnmapLocked(newAddress, newSize);
                return MoveLocked(area, oldAddress, oldSize, newAddress, newSize);
            }

            if (newSize <= oldSize)
            {
                if (newSize < oldSize)
                {
                    UnmapLocked(oldAddress + newSize, oldSize - newSize);
                }

                return (long)oldAddress;
            }

            ulong extraStart = oldAddress + oldSize;
            ulong extra = newSize - oldSize;
            if (extraStart + extra <= MmapLimit && !Overlaps(extraStart, extra))
            {
                ExtendLocked(area, oldAddress, extraStart, extra);
                return (long)oldAddress;
            }

            if ((flags & RemapMayMove) == 0)
            {
                return -Errno.ENOMEM;
            }

            long target = FindFree(newSize);
            return target < 0 ? target : MoveLocked(area, oldAddress, oldSize, (ulong)target, newSize);
        }
    }

    /// <summary>madvise(MADV_DONTNEED): private pages read back as zeros (anonymous) or the file's bytes; ENOMEM on holes.</summary>
    public long DiscardPages(ulong address, ulong length)
    {
        ulong end = address + PageAlignUp(length);
        lock (_lock)
        {
            var covered = Overlapping(address, end);
            if (!Covers(covered, address, end))
            {
                return -Errno.ENOMEM;
            }

            foreach (var area in covered)
            {
                if ((area.Flags & MemoryAreaFlags.Shared) != 0)
                {
                    continue;
                }

                var part = area.Slice(address, end);
                _memory.Unmap(part.Start, part.Length);
                if (!MapBacking(part, part.Start, part.Length))
                {
                    _memory.Map(part.Start, part.Length, Effective(part.Permissions));
                }
            }

            return 0;
        }
    }

    /// <summary>Whether every page of the range belongs to some area (msync, mincore, madvise: ENOMEM otherwise).</summary>
    public bool IsFullyMapped(ulong address, ulong length)
    {
        ulong end = address + PageAlignUp(length);
        if (end < address)
        {
            return false;
        }

        lock (_lock)
        {
            return Covers(Overlapping(address, end), address, end);
        }
    }

    /// <summary>
    /// Records an area the caller has already mapped in <see cref="GuestMemory"/> (the loader's segments and stack, a
    /// forked child re-creating its parent's areas). The range must be free in this map.
    /// </summary>
    public void AddMapped(MemoryArea area)
    {
        ArgumentNullException.ThrowIfNull(area);
        lock (_lock)
        {
            if (Overlaps(area.Start, area.Length))
            {
                throw new InvalidOperationException($"0x{area.Start:x}-0x{area.End:x} overlaps an existing area");
            }

            Insert(area);
        }
    }

    /// <summary>The address a new mapping of <paramref name="length"/> bytes would get (top-down), or -ENOMEM.</summary>
    public long FindFree(ulong length)
    {
        lock (_lock)
        {
            ulong size = PageAlignUp(length);
            ulong top = MmapTop;
            for (int i = _areas.Count - 1; i >= 0; i--)
            {
                var area = _areas[i];
                if (area.Start >= top)
                {
                    continue;
                }

                if (area.End < top && top - area.End >= size)
                {
                    return (long)(top - size);
                }

                top = area.Start;
            }

            return top >= MinimumAddress + size ? (long)(top - size) : -Errno.ENOMEM;
        }
    }

    /// <summary>Unmaps everything (execve replacing the image).</summary>
    public void Clear()
    {
        lock (_lock)
        {
            foreach (var area in _areas)
            {
                _memory.Unmap(area.Start, area.Length);
            }

            _areas.Clear();
            BrkStart = Brk = 0;
        }
    }

    /// <summary>What the guest's permissions give in the page table: arm64 has no write-only pages, so write implies read.</summary>
    public static PagePermissions Effective(PagePermissions permissions) =>
        (permissions & PagePermissions.Write) != 0 ? permissions | PagePermissions.Read : permissions;

    public static ulong PageAlignUp(ulong value) => (value + GuestMemory.PageMask) & ~GuestMemory.PageMask;

    private ulong MmapLimit => StackTop;

    private bool InAddressSpace(ulong address, ulong length) => address + length >= address && address + length <= _memory.Size;

    private long Place(ulong address, ulong length, MapPlacement placement)
    {
        if (length == 0)
        {
            return -Errno.EINVAL;
        }

        ulong size = PageAlignUp(length);
        if (size < length || size > _memory.Size)
        {
            return -Errno.ENOMEM;
        }

        switch (placement)
        {
            case MapPlacement.Fixed:
            case MapPlacement.FixedNoReplace:
                if ((address & GuestMemory.PageMask) != 0)
                {
                    return -Errno.EINVAL;
                }

                if (!InAddressSpace(address, size))
                {
                    return -Errno.ENOMEM;
                }

                if (address < MinimumAddress)
                {
                    return -Errno.EPERM;
                }

                if (placement == MapPlacement.FixedNoReplace && Overlaps(address, size))
                {
                    return -Errno.EEXIST;
                }

                UnmapLocked(address, size);
                return (long)address;
            default:
                ulong hint = PageAlignUp(address);
                if (address != 0 && hint >= MinimumAddress && InAddressSpace(hint, size) && hint + size <= MmapLimit && !Overlaps(hint, size))
                {
                    return (long)hint;
                }

                return FindFree(size);
        }
    }

    private long MoveLocked(MemoryArea area, ulong oldAddress, ulong oldSize, ulong newAddress, ulong newSize)
    {
        var moved = area.Slice(oldAddress, oldAddress + oldSize) with { Start = newAddress, End = newAddress + newSize };
        bool shared = (area.Flags & MemoryAreaFlags.Shared) != 0;
        if (!MapBacking(moved, newAddress, newSize))
        {
            _memory.Map(newAddress, newSize, PagePermissions.ReadWrite);
        }

        if (!shared || area.FilePath is null)
        {
            CopyPrivileged(oldAddress, newAddress, oldSize);
        }

        _memory.Protect(newAddress, newSize, Effective(moved.Permissions));
        UnmapLocked(oldAddress, oldSize);
        Insert(moved);
        return (long)newAddress;
    }

    private void ExtendLocked(MemoryArea area, ulong oldAddress, ulong extraStart, ulong extra)
    {
        var grown = area.Slice(oldAddress, extraStart) with { Start = extraStart, End = extraStart + extra };
        grown = grown with { FileOffset = area.FilePath is null ? 0 : area.FileOffset + (long)(extraStart - area.Start) };
        if (!MapBacking(grown, extraStart, extra))
        {
            _memory.Map(extraStart, extra, Effective(area.Permissions));
        }

        InsertMerging(grown);
    }

    /// <summary>Maps the file behind a file area at [address, address+length) again; false for anonymous areas (or an unreadable file).</summary>
    private bool MapBacking(MemoryArea area, ulong address, ulong length)
    {
        if (area.FilePath is null)
        {
            return false;
        }

        bool shared = (area.Flags & MemoryAreaFlags.Shared) != 0;
        bool writable = shared && (area.Flags & MemoryAreaFlags.ReadOnlyFile) == 0;
        int fd = HostFileInfo.Open(area.FilePath, writable);
        if (fd < 0)
        {
            return false;
        }

        try
        {
            _memory.MapFile(address, length, Effective(area.Permissions), fd, area.FileOffset, HostFileInfo.Size(fd), shared, writable);
            return true;
        }
        catch (IOException)
        {
            return false;
        }
        finally
        {
            HostFileInfo.Close(fd);
        }
    }

    private unsafe void CopyPrivileged(ulong from, ulong to, ulong length) =>
        Buffer.MemoryCopy(_memory.Base + from, _memory.Base + to, length, length);

    private void UnmapLocked(ulong address, ulong length)
    {
        ulong end = address + length;
        foreach (var area in Overlapping(address, end))
        {
            var gone = area.Slice(address, end);
            _areas.Remove(area);
            if (area.Start < gone.Start)
            {
                Insert(area.Slice(area.Start, gone.Start));
            }

            if (gone.End < area.End)
            {
                Insert(area.Slice(gone.End, area.End));
            }

            _memory.Unmap(gone.Start, gone.Length);
        }
    }

    /// <summary>Replaces the part of <paramref name="area"/> covered by <paramref name="changed"/> with it.</summary>
    private void ReplaceRange(MemoryArea area, MemoryArea changed)
    {
        _areas.Remove(area);
        if (area.Start < changed.Start)
        {
            Insert(area.Slice(area.Start, changed.Start));
        }

        if (changed.End < area.End)
        {
            Insert(area.Slice(changed.End, area.End));
        }

        Insert(changed);
    }

    private void Insert(MemoryArea area)
    {
        int i = IndexOfAreaEndingAfter(area.Start);
        _areas.Insert(i, area);
    }

    /// <summary>Inserts and merges with a neighbour of the same kind directly below (brk growth, mremap in place).</summary>
    private void InsertMerging(MemoryArea area)
    {
        int i = IndexOfAreaEndingAfter(area.Start);
        if (i > 0)
        {
            var below = _areas[i - 1];
            if (below.End == area.Start && below.Permissions == area.Permissions && below.Flags == area.Flags && below.FilePath == area.FilePath
                && (below.FilePath is null || below.FileOffset + (long)below.Length == area.FileOffset))
            {
                _areas[i - 1] = below with { End = area.End };
                return;
            }
        }

        _areas.Insert(i, area);
    }

    /// <summary>
    /// Joins neighbouring areas in and around [start, end) that Linux would keep as one VMA (same permissions, kind,
    /// file and contiguous offsets), so later calls that must stay inside one area (mremap) see what the guest expects.
    /// </summary>
    private void MergeAround(ulong start, ulong end)
    {
        int i = Math.Max(IndexOfAreaEndingAfter(start) - 1, 0);
        while (i + 1 < _areas.Count && _areas[i].Start <= end)
        {
            var low = _areas[i];
            var high = _areas[i + 1];
            if (low.End == high.Start && CanMerge(low, high))
            {
                _areas[i] = low with { End = high.End };
                _areas.RemoveAt(i + 1);
            }
            else
            {
                i++;
            }
        }
    }

    private static bool CanMerge(MemoryArea low, MemoryArea high) =>
        low.Permissions == high.Permissions && low.Flags == high.Flags && low.Label == high.Label && low.FilePath == high.FilePath
        && (low.FilePath is null || low.FileOffset + (long)low.Length == high.FileOffset);

    /// <summary>Index of the first area whose end is above <paramref name="address"/> (binary search).</summary>
    private int IndexOfAreaEndingAfter(ulong address)
    {
        int low = 0;
        int high = _areas.Count;
        while (low < high)
        {
            int mid = (low + high) >>> 1;
            if (_areas[mid].End <= address)
            {
                low = mid + 1;
            }
            else
            {
                high = mid;
            }
        }

        return low;
    }

    private List<MemoryArea> Overlapping(ulong start, ulong end)
    {
        var result = new List<MemoryArea>();
        for (int i = IndexOfAreaEndingAfter(start); i < _areas.Count && _areas[i].Start < end; i++)
        {
            result.Add(_areas[i]);
        }

        return result;
    }

    private bool Overlaps(ulong start, ulong length)
    {
        int i = IndexOfAreaEndingAfter(start);
        return i < _areas.Count && _areas[i].Start < start + length;
    }

    private static bool Covers(List<MemoryArea> areas, ulong start, ulong end)
    {
        ulong next = start;
        foreach (var area in areas)
        {
            if (area.Start > next)
            {
                return false;
            }

            next = area.End;
        }

        return next >= end;
    }
}
