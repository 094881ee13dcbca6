using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace EdgeVisor.Emulation.Memory;

/// <summary>
/// A 32-bit guest address space. RAM and ROM are flat unmanaged memory reached through a page
/// table, so an ordinary access costs one table load, one null test and one range test. Pages that
/// hold decoded code, carry a watchpoint or belong to a device have no fast pointer and take the
/// slow path, which dispatches to devices, reports code writes and checks watchpoints.
/// </summary>
public sealed unsafe class AddressSpace : IDisposable
{
    public const int PageBits = 12;
    public const uint PageSize = 1u << PageBits;
    public const uint PageMask = PageSize - 1;
    private const int PageCount = 1 << (32 - PageBits);
    private static readonly nuint PageTableBytes = (nuint)PageCount * (nuint)sizeof(nint);

    // Host pointer to each guest page's first byte, or null where the slow path must decide.
    private readonly byte** _readPages;
    private readonly byte** _writePages;

    // Backing pointer for every RAM/ROM page, kept so a page's fast pointers can be restored.
    private readonly byte** _backing;
    private readonly byte* _pageFlags;
    private readonly List<MemoryRegion> _regions = [];
    private readonly List<(nint Block, nuint Size)> _allocations = [];
    private readonly List<Watchpoint> _watchpoints = [];

    // Guest pages that share one backing page (a region and its aliases), keyed by the backing
    // page. Only pages flagged Aliased are in it; code watching and code-write reports must cover
    // every window onto the same bytes, or a write through a mirror would leave stale decoded code.
    private readonly Dictionary<nint, List<uint>> _aliasGroups = [];
    private bool _disposed;

    [Flags]
    private enum PageFlags : byte
    {
        None = 0,
        Rom = 1,
        Code = 2,
        Watched = 4,
        Aliased = 8,
    }

    public AddressSpace()
    {
        _readPages = (byte**)ZeroedMemory.Allocate(PageTableBytes);
        _writePages = (byte**)ZeroedMemory.Allocate(PageTableBytes);
        _backing = (byte**)ZeroedMemory.Allocate(PageTableBytes);
        _pageFlags = (byte*)ZeroedMemory.Allocate(PageCount);
    }

    ~AddressSpace() => Free();

    /// <summary>Raised with a page's base address when the guest writes to a page holding decoded code.</summary>
    public event Action<uint>? CodeModified;

    /// <summary>Raised when an access touches a watched range: address, size, whether it was a write.</summary>
    public event Action<uint, int, bool>? WatchpointHit;

    /// <summary>Called before every slow-path device access so the owner can bring device time up to date.</summary>
    public Action? BeforeDeviceAccess { get; set; }

    public IReadOnlyList<MemoryRegion> Regions => _regions;

    /// <summary>
    /// Offered every guest write to ROM (address, value, size) before it becomes a bus fault; returning true means a
    /// device took it. A flash controller uses this to program its array (STM32 FLASH_CR.PG) while the core still
    /// reads and executes flash through the fast path.
    /// </summary>
    public Func<uint, uint, int, bool>? RomWriteHandler { get; set; }

    /// <summary>Maps fresh zeroed memory. Base and size must be page aligned.</summary>
    public MemoryRegion MapMemory(string name, uint baseAddress, uint size, RegionKind kind)
    {
        if (kind == RegionKind.Mmio)
        {
            throw new ArgumentException("use MapDevice for device windows", nameof(kind));
        }

        CheckPageAligned(name, baseAddress, size);
        var memory = (byte*)ZeroedMemory.Allocate(size);
        _allocations.Add(((nint)memory, size));
        return AddMemory(new MemoryRegion(name, baseAddress, size, kind), memory);
    }

    /// <summary>
    /// Maps a second window onto the memory already mapped at <paramref name="target"/> (e.g. flash
    /// aliased at 0). The target must be page aligned. Writes through either window reach the same
    /// bytes, and a write through one invalidates code decoded through the other.
    /// </summary>
    public MemoryRegion MapAlias(string name, uint baseAddress, uint size, uint target)
    {
        CheckPageAligned(name, baseAddress, size);
        if ((target & PageMask) != 0)
        {
            throw new ArgumentException($"alias {name}: target 0x{target:X8} must be a multiple of {PageSize}");
        }

        var source = FindRegion(target) ?? throw new ArgumentException($"alias {name}: nothing mapped at 0x{target:X8}");
        if (source.Kind == RegionKind.Mmio || target + (ulong)size - 1 > source.End)
        {
            throw new ArgumentException($"alias {name}: 0x{target:X8}+0x{size:X} is not inside memory region {source.Name}");
        }

        var region = AddMemory(new MemoryRegion(name, baseAddress, size, source.Kind), _backing[target >> PageBits]);
        for (uint i = 0; i < size >> PageBits; i++)
        {
            uint original = (target >> PageBits) + i;
            uint alias = (baseAddress >> PageBits) + i;
            if (!_aliasGroups.TryGetValue((nint)_backing[original], out var group))
            {
                group = [original];
                _aliasGroups[(nint)_backing[original]] = group;
                _pageFlags[original] |= (byte)PageFlags.Aliased;
            }

            group.Add(alias);
            _pageFlags[alias] |= (byte)(PageFlags.Aliased | ((PageFlags)_pageFlags[original] & PageFlags.Code));
            RefreshPage(alias);
        }

        return region;
    }

    /// <summary>Maps a device's register window. Any size; the slow path dispatches by address.</summary>
    public MemoryRegion MapDevice(string name, uint baseAddress, uint size, IMmioDevice device)
    {
        var region = new MemoryRegion(name, baseAddress, size, RegionKind.Mmio, device);
        Insert(region);
        return region;
    }

    public MemoryRegion? FindRegion(uint address)
    {
        int lo = 0, hi = _regions.Count - 1;
        while (lo <= hi)
        {
            int mid = (lo + hi) >>> 1;
            var r = _regions[mid];
            if (address < r.Base)
            {
                hi = mid - 1;
            }
            else if (address > r.End)
            {
                lo = mid + 1;
            }
            else
            {
                return r;
            }
        }

        return null;
    }

    /// <summary>Host pointer to guest memory at <paramref name="address"/>, or null if it is not RAM/ROM.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public byte* HostPointer(uint address)
    {
        var page = _backing[address >> PageBits];
        return page == null ? null : page + (address & PageMask);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public uint Read32(uint address)
    {
        var page = _readPages[address >> PageBits];
        uint offset = address & PageMask;
        if (page != null && offset <= PageSize - 4)
        {
            return Unsafe.ReadUnaligned<uint>(page + offset);
        }

        return ReadSlow(address, 4);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ushort Read16(uint address)
    {
        var page = _readPages[address >> PageBits];
        uint offset = address & PageMask;
        if (page != null && offset <= PageSize - 2)
        {
            return Unsafe.ReadUnaligned<ushort>(page + offset);
        }

        return (ushort)ReadSlow(address, 2);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public byte Read8(uint address)
    {
        var page = _readPages[address >> PageBits];
        return page != null ? page[address & PageMask] : (byte)ReadSlow(address, 1);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Write32(uint address, uint value)
    {
        var page = _writePages[address >> PageBits];
        uint offset = address & PageMask;
        if (page != null && offset <= PageSize - 4)
        {
            Unsafe.WriteUnaligned(page + offset, value);
            return;
        }

        WriteSlow(address, value, 4);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Write16(uint address, ushort value)
    {
        var page = _writePages[address >> PageBits];
        uint offset = address & PageMask;
        if (page != null && offset <= PageSize - 2)
        {
            Unsafe.WriteUnaligned(page + offset, value);
            return;
        }

        WriteSlow(address, value, 2);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Write8(uint address, byte value)
    {
        var page = _writePages[address >> PageBits];
        if (page != null)
        {
            page[address & PageMask] = value;
            return;
        }

        WriteSlow(address, value, 1);
    }

    /// <summary>
    /// Writes an image into RAM or ROM, bypassing write protection (what a loader or a debugger
    /// does). Throws <see cref="ArgumentException"/> naming the first address that is not memory.
    /// </summary>
    public void Load(uint address, ReadOnlySpan<byte> data)
    {
        // Check everything first so a failed load leaves memory as it was.
        if (!IsMemory(address, (uint)data.Length))
        {
            for (int i = 0; i < data.Length; i++)
            {
                if (HostPointer(address + (uint)i) == null || (ulong)address + (uint)i > uint.MaxValue)
                {
                    throw new ArgumentException($"0x{(ulong)address + (uint)i:X8} is not in any memory region");
                }
            }
        }

        for (int i = 0; i < data.Length; i++)
        {
            uint a = address + (uint)i;
            var p = HostPointer(a);
            if (p == null)
            {
                throw new ArgumentException($"0x{a:X8} is not in any memory region");
            }

            *p = data[i];
        }

        for (ulong page = address >> PageBits; page <= (address + (ulong)Math.Max(data.Length, 1) - 1) >> PageBits; page++)
        {
            NotifyCodeWrite((uint)page);
        }
    }

    /// <summary>True if every byte of [address, address+length) is RAM or ROM.</summary>
    public bool IsMemory(uint address, uint length)
    {
        for (ulong a = address; a < (ulong)address + length; a = (a | PageMask) + 1)
        {
            if (a > uint.MaxValue || _backing[a >> PageBits] == null)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// Debugger and semihosting access: reads what is there without side effects on memory and
    /// through the device for registers. Returns false if some byte is not mapped.
    /// </summary>
    public bool TryReadBytes(uint address, Span<byte> destination)
    {
        for (int i = 0; i < destination.Length; i++)
        {
            uint a = address + (uint)i;
            var p = HostPointer(a);
            if (p != null)
            {
                destination[i] = *p;
                continue;
            }

            var region = FindRegion(a);
            if (region?.Device is null)
            {
                return false;
            }

            try
            {
                destination[i] = (byte)region.Device.Read(a - region.Base, 1);
            }
            catch (BusFaultException)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// Debugger and semihosting write: RAM and ROM alike (a debugger may patch flash). False if some
    /// byte is unmapped, in which case nothing is written.
    /// </summary>
    public bool TryWriteBytes(uint address, ReadOnlySpan<byte> source)
    {
        for (int i = 0; i < source.Length; i++)
        {
            uint a = address + (uint)i;
            if ((ulong)address + (uint)i > uint.MaxValue || (HostPointer(a) == null && FindRegion(a)?.Device is null))
            {
                return false;
            }
        }

        for (int i = 0; i < source.Length; i++)
        {
            uint a = address + (uint)i;
            var p = HostPointer(a);
            if (p != null)
            {
                *p = source[i];
                NotifyCodeWrite(a >> PageBits);
                continue;
            }

            var region = FindRegion(a);
            if (region?.Device is null)
            {
                return false;
            }

            try
            {
                region.Device.Write(a - region.Base, source[i], 1);
            }
            catch (BusFaultException)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Marks the page holding <paramref name="address"/> as containing decoded code, so writes to it are reported.</summary>
    public void WatchCode(uint address)
    {
        uint page = address >> PageBits;
        if ((_pageFlags[page] & (byte)PageFlags.Code) != 0 || _backing[page] == null)
        {
            return;
        }

        foreach (uint p in WindowsOnto(page))
        {
            _pageFlags[p] |= (byte)PageFlags.Code;
            RefreshPage(p);
        }
    }

    /// <summary>Watches [address, address+length) for reads, writes or both; hits raise <see cref="WatchpointHit"/>.</summary>
    public void AddWatchpoint(uint address, uint length, bool onRead, bool onWrite)
    {
        _watchpoints.Add(new Watchpoint(address, Math.Max(length, 1), onRead, onWrite));
        RefreshWatchedPages();
    }

    public bool RemoveWatchpoint(uint address, uint length, bool onRead, bool onWrite)
    {
        bool removed = _watchpoints.Remove(new Watchpoint(address, Math.Max(length, 1), onRead, onWrite));
        RefreshWatchedPages();
        return removed;
    }

    public void Dispose()
    {
        Free();
        GC.SuppressFinalize(this);
    }

    private MemoryRegion AddMemory(MemoryRegion region, byte* memory)
    {
        Insert(region);
        for (uint i = 0; i < region.Size >> PageBits; i++)
        {
            uint page = (region.Base >> PageBits) + i;
            _backing[page] = memory + ((ulong)i << PageBits);
            _pageFlags[page] = region.Kind == RegionKind.Rom ? (byte)PageFlags.Rom : (byte)0;
            RefreshPage(page);
        }

        return region;
    }

    private void Insert(MemoryRegion region)
    {
        if (region.Size == 0 || region.Base + (ulong)region.Size - 1 > uint.MaxValue)
        {
            throw new ArgumentException($"region {region.Name}: size 0x{region.Size:X} at 0x{region.Base:X8} does not fit the address space");
        }

        foreach (var other in _regions)
        {
            if (region.Base <= other.End && other.Base <= region.End)
            {
                throw new ArgumentException($"region {region.Name} at 0x{region.Base:X8} overlaps {other.Name} at 0x{other.Base:X8}");
            }
        }

        int index = _regions.FindIndex(r => r.Base > region.Base);
        _regions.Insert(index < 0 ? _regions.Count : index, region);
    }

    private static void CheckPageAligned(string name, uint baseAddress, uint size)
    {
        if ((baseAddress & PageMask) != 0 || (size & PageMask) != 0 || size == 0)
        {
            throw new ArgumentException($"memory region {name}: base 0x{baseAddress:X8} and size 0x{size:X} must be multiples of {PageSize}");
        }
    }

    private void RefreshPage(uint page)
    {
        var flags = (PageFlags)_pageFlags[page];
        var backing = _backing[page];
        bool watched = (flags & PageFlags.Watched) != 0;
        _readPages[page] = watched ? null : backing;
        _writePages[page] = watched || (flags & (PageFlags.Rom | PageFlags.Code)) != 0 ? null : backing;
    }

    private void RefreshWatchedPages()
    {
        for (uint page = 0; page < PageCount; page++)
        {
            if ((_pageFlags[page] & (byte)PageFlags.Watched) != 0)
            {
                _pageFlags[page] &= unchecked((byte)~PageFlags.Watched);
                RefreshPage(page);
            }
        }

        foreach (var w in _watchpoints)
        {
            for (ulong a = w.Address & ~(ulong)PageMask; a < (ulong)w.Address + w.Length; a += PageSize)
            {
                uint page = (uint)(a >> PageBits);
                _pageFlags[page] |= (byte)PageFlags.Watched;
                RefreshPage(page);
            }
        }
    }

    private void NotifyCodeWrite(uint page)
    {
        if ((_pageFlags[page] & (byte)PageFlags.Code) == 0)
        {
            return;
        }

        foreach (uint p in WindowsOnto(page))
        {
            if ((_pageFlags[p] & (byte)PageFlags.Code) != 0)
            {
                _pageFlags[p] &= unchecked((byte)~PageFlags.Code);
                RefreshPage(p);
                CodeModified?.Invoke(p << PageBits);
            }
        }
    }

    /// <summary>Every guest page that shows the same bytes as <paramref name="page"/> (itself included).</summary>
    private IEnumerable<uint> WindowsOnto(uint page) =>
        (_pageFlags[page] & (byte)PageFlags.Aliased) != 0 ? _aliasGroups[(nint)_backing[page]] : [page];

    private void CheckWatchpoints(uint address, int size, bool isWrite)
    {
        foreach (var w in _watchpoints)
        {
            if ((isWrite ? w.OnWrite : w.OnRead) && address < (ulong)w.Address + w.Length && w.Address < (ulong)address + (uint)size)
            {
                WatchpointHit?.Invoke(address, size, isWrite);
                return;
            }
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private uint ReadSlow(uint address, int size)
    {
        var region = FindRegion(address);
        if (region is null)
        {
            throw new BusFaultException(address, false, "nothing mapped");
        }

        if (region.Device is { } device)
        {
            if ((ulong)(address - region.Base) + (uint)size > region.Size)
            {
                throw new BusFaultException(address, false, $"access crosses the end of {region.Name}");
            }

            BeforeDeviceAccess?.Invoke();
            CheckWatchpoints(address, size, false);
            return device.Read(address - region.Base, size);
        }

        if ((ulong)address + (uint)size > 1UL << 32)
        {
            throw new BusFaultException(address, false, "access wraps past the end of the address space");
        }

        CheckWatchpoints(address, size, false);
        uint value = 0;
        for (int i = 0; i < size; i++)
        {
            var p = HostPointer(address + (uint)i);
            if (p == null)
            {
                throw new BusFaultException(address + (uint)i, false, "nothing mapped");
            }

            value |= (uint)*p << (8 * i);
        }

        return value;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void WriteSlow(uint address, uint value, int size)
    {
        var region = FindRegion(address);
        if (region is null)
        {
            throw new BusFaultException(address, true, "nothing mapped");
        }

        if (region.Device is { } device)
        {
            if ((ulong)(address - region.Base) + (uint)size > region.Size)
            {
                throw new BusFaultException(address, true, $"access crosses the end of {region.Name}");
            }

            BeforeDeviceAccess?.Invoke();
            CheckWatchpoints(address, size, true);
            device.Write(address - region.Base, value, size);
            return;
        }

        if ((ulong)address + (uint)size > 1UL << 32)
        {
            throw new BusFaultException(address, true, "access wraps past the end of the address space");
        }

        if ((_pageFlags[address >> PageBits] & (byte)PageFlags.Rom) != 0 && RomWriteHandler is { } romWrite && romWrite(address, value, size))
        {
            return;
        }

        for (int i = 0; i < size; i++)
        {
            uint a = address + (uint)i;
            uint page = a >> PageBits;
            if (_backing[page] == null)
            {
                throw new BusFaultException(a, true, "nothing mapped");
            }

            if ((_pageFlags[page] & (byte)PageFlags.Rom) != 0)
            {
                throw new BusFaultException(a, true, $"{FindRegion(a)?.Name ?? "region"} is read-only");
            }
        }

        CheckWatchpoints(address, size, true);
        for (int i = 0; i < size; i++)
        {
            uint a = address + (uint)i;
            _backing[a >> PageBits][a & PageMask] = (byte)(value >> (8 * i));
        }

        // Report after the bytes changed, so a listener that re-decodes sees the new code.
        NotifyCodeWrite(address >> PageBits);
        NotifyCodeWrite((address + (uint)size - 1) >> PageBits);
    }

    private void Free()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        foreach (var (block, size) in _allocations)
        {
            ZeroedMemory.Free((void*)block, size);
        }

        ZeroedMemory.Free(_readPages, PageTableBytes);
        ZeroedMemory.Free(_writePages, PageTableBytes);
        ZeroedMemory.Free(_backing, PageTableBytes);
        ZeroedMemory.Free(_pageFlags, PageCount);
    }

    private readonly record struct Watchpoint(uint Address, uint Length, bool OnRead, bool OnWrite);
}
