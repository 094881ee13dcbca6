using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace EdgeVisor.Emulation.Arm64.Memory;

/// <summary>
/// A sparse 64-bit guest address space for user-mode programs. Guest address A lives at host address
/// <see cref="Base"/> + A inside one large PROT_NONE reservation, so a mapped access is a bounds check, a permission
/// byte and a host load or store. Guest permissions are enforced in software from a byte-per-page table (the host
/// pages of mapped guest memory are always readable and writable, so no host signal can reach the runtime); the
/// kernel layer maps, unmaps and protects through the primitives here and keeps its own list of areas.
/// Accesses are little-endian and may be unaligned; those that must be aligned say so.
/// Thread-safe for concurrent guest threads: the table is read without locks, like a TLB; mapping changes are
/// serialised by the caller.
/// </summary>
public sealed unsafe partial class GuestMemory : IDisposable
{
    public const int PageBits = 12;
    public const ulong PageSize = 1UL << PageBits;
    public const ulong PageMask = PageSize - 1;

    /// <summary>Default size of the guest address space in bits (1 TiB: room for qemu-like PIE and mmap bases).</summary>
    public const int DefaultAddressBits = 40;

    private const int ProtNone = 0;
    private const int ProtRead = 1;
    private const int ProtWrite = 2;
    private const int MapShared = 0x01;
    private const int MapPrivate = 0x02;
    private const int MapFixed = 0x10;
    private const int MapAnonymous = 0x20;
    private const int MapNoReserve = 0x4000;

    private readonly byte* _base;
    private readonly byte* _permissions;
    private readonly ulong _pageLimit;
    private int _disposed;

    /// <param name="addressBits">Guest addresses run from 0 to 2^addressBits - 1 (at most 47).</param>
    public GuestMemory(int addressBits = DefaultAddressBits)
    {
        if (addressBits is < 20 or > 47)
        {
            throw new ArgumentOutOfRangeException(nameof(addressBits), addressBits, "between 20 and 47 bits");
        }

        if (!OperatingSystem.IsLinux())
        {
            throw new PlatformNotSupportedException("the user-mode guest address space needs Linux mmap");
        }

        Size = 1UL << addressBits;
        _pageLimit = Size >> PageBits;
        _base = Reserve(Size);
        _permissions = Reserve(_pageLimit, ProtRead | ProtWrite);
    }

    ~GuestMemory() => Release();

    /// <summary>Bytes of guest address space (addresses 0 .. Size-1).</summary>
    public ulong Size { get; }

    /// <summary>Host address of guest address 0.</summary>
    public byte* Base => _base;

    /// <summary>
    /// Raised after guest code pages were written, remapped, unmapped or reprotected: (first page address, length).
    /// Block caches drop what they decoded from the range.
    /// </summary>
    public event Action<ulong, ulong>? CodeModified;

    // ---- Fast paths: one bounds compare, one permission byte, one host access. ----

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public byte Read8(ulong address)
    {
        ulong page = address >> PageBits;
        if (page < _pageLimit && (_permissions[page] & (byte)PagePermissions.Read) != 0)
        {
            return _base[address];
        }

        throw Fault(address, write: false);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ushort Read16(ulong address) => CanRead(address, 2) ? Unsafe.ReadUnaligned<ushort>(_base + address) : (ushort)ReadSlow(address, 2);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public uint Read32(ulong address) => CanRead(address, 4) ? Unsafe.ReadUnaligned<uint>(_base + address) : (uint)ReadSlow(address, 4);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ulong Read64(ulong address) => CanRead(address, 8) ? Unsafe.ReadUnaligned<ulong>(_base + address) : ReadSlow(address, 8);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector128<byte> Read128(ulong address)
    {
        if (CanRead(address, 16))
        {
            return Unsafe.ReadUnaligned<Vector128<byte>>(_base + address);
        }

        ulong lo = ReadSlow(address, 8);
        ulong hi = ReadSlow(address + 8, 8);
        return Vector128.Create(lo, hi).AsByte();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Write8(ulong address, byte value)
    {
        ulong page = address >> PageBits;
        if (page < _pageLimit && (_permissions[page] & (byte)(PagePermissions.Write | PagePermissions.Code)) == (byte)PagePermissions.Write)
        {
            _base[address] = value;
            return;
        }

        WriteSlow(address, value, 1);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Write16(ulong address, ushort value)
    {
        if (CanWrite(address, 2))
        {
            Unsafe.WriteUnaligned(_base + address, value);
            return;
        }

        WriteSlow(address, value, 2);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Write32(ulong address, uint value)
    {
        if (CanWrite(address, 4))
        {
            Unsafe.WriteUnaligned(_base + address, value);
            return;
        }

        WriteSlow(address, value, 4);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Write64(ulong address, ulong value)
    {
        if (CanWrite(address, 8))
        {
            Unsafe.WriteUnaligned(_base + address, value);
            return;
        }

        WriteSlow(address, value, 8);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Write128(ulong address, Vector128<byte> value)
    {
        if (CanWrite(address, 16))
        {
            Unsafe.WriteUnaligned(_base + address, value);
            return;
        }

        // Check both halves before writing either, so a faulting store changes nothing.
        CheckAccess(address, 16, write: true);
        WriteSlow(address, value.AsUInt64().GetElement(0), 8);
        WriteSlow(address + 8, value.AsUInt64().GetElement(1), 8);
    }

    /// <summary>
    /// Host pointer for an atomic or exclusive access of <paramref name="size"/> bytes: the address must be aligned
    /// to the size (alignment fault otherwise) and the page must allow reading and, for <paramref name="write"/>,
    /// writing. Code pages written this way are invalidated first.
    /// </summary>
    public byte* AtomicPointer(ulong address, int size, bool write)
    {
        if ((address & (ulong)(size - 1)) != 0)
        {
            throw new GuestFaultException(address, write, execute: false, GuestFaultKind.Alignment);
        }

        CheckAccess(address, size, write);
        if (write)
        {
            InvalidateIfCode(address, (ulong)size);
        }

        return _base + address;
    }

    /// <summary>Reads an instruction word; the page must be executable. Marks the page as holding decoded code.</summary>
    public uint FetchInstruction(ulong address)
    {
        ulong page = address >> PageBits;
        if ((address & 3) != 0 || page >= _pageLimit || (_permissions[page] & (byte)PagePermissions.Execute) == 0)
        {
            throw new GuestFaultException(address, write: false, execute: true);
        }

        _permissions[page] |= (byte)PagePermissions.Code;
        return Unsafe.ReadUnaligned<uint>(_base + address);
    }

    // ---- The kernel's view: copies that ignore guest permissions but not the absence of a mapping. ----

    /// <summary>Whether every page of [address, address+length) is mapped with at least <paramref name="required"/>.</summary>
    public bool IsAccessible(ulong address, ulong length, PagePermissions required)
    {
        if (length == 0)
        {
            return true;
        }

        ulong last = address + length - 1;
        if (last < address || (last >> PageBits) >= _pageLimit)
        {
            return false;
        }

        for (ulong page = address >> PageBits; page <= last >> PageBits; page++)
        {
            if ((_permissions[page] & (byte)required) != (byte)required)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>A span over guest memory for the kernel layer (syscall buffers); null when any page lacks <paramref name="required"/>.</summary>
    public Span<byte> GetSpan(ulong address, int length, PagePermissions required = PagePermissions.Read)
    {
        if (!IsAccessible(address, (ulong)length, required))
        {
            throw new GuestFaultException(address, (required & PagePermissions.Write) != 0, execute: false);
        }

        if ((required & PagePermissions.Write) != 0)
        {
            InvalidateIfCode(address, (ulong)length);
        }

        return new Span<byte>(_base + address, length);
    }

    /// <summary>Copies guest bytes out, as the kernel's copy_from_user: fails (false) if any page is unreadable.</summary>
    public bool TryRead(ulong address, Span<byte> destination)
    {
        if (!IsAccessible(address, (ulong)destination.Length, PagePermissions.Read))
        {
            return false;
        }

        new ReadOnlySpan<byte>(_base + address, destination.Length).CopyTo(destination);
        return true;
    }

    /// <summary>Copies bytes into the guest, as copy_to_user: fails (false) if any page is unwritable.</summary>
    public bool TryWrite(ulong address, ReadOnlySpan<byte> source)
    {
        if (!IsAccessible(address, (ulong)source.Length, PagePermissions.Write))
        {
            return false;
        }

        InvalidateIfCode(address, (ulong)source.Length);
        source.CopyTo(new Span<byte>(_base + address, source.Length));
        return true;
    }

    /// <summary>Writes regardless of guest permissions (loaders filling read-only segments); the pages must be mapped.</summary>
    public void WritePrivileged(ulong address, ReadOnlySpan<byte> source)
    {
        if (!IsMapped(address, (ulong)source.Length))
        {
            throw new GuestFaultException(address, write: true, execute: false);
        }

        InvalidateIfCode(address, (ulong)source.Length);
        source.CopyTo(new Span<byte>(_base + address, source.Length));
    }

    // ---- Mapping primitives for the kernel layer. Ranges are page-aligned; callers check arguments. ----

    /// <summary>Maps fresh zero-filled pages over [address, address+length), replacing whatever was there.</summary>
    public void Map(ulong address, ulong length, PagePermissions permissions)
    {
        CheckRange(address, length);
        HostMap(address, length, ProtRead | ProtWrite, MapPrivate | MapAnonymous, -1, 0);
        SetPermissions(address, length, Mapped(permissions));
    }

    /// <summary>
    /// Maps <paramref name="length"/> bytes of host file <paramref name="hostFd"/> from <paramref name="offset"/>.
    /// Pages wholly past the end of the file are mapped but inaccessible (the guest would get SIGBUS there; a host
    /// access would crash the runtime). Shared mappings write through to the file.
    /// </summary>
    public void MapFile(ulong address, ulong length, PagePermissions permissions, int hostFd, long offset, long fileSize, bool shared, bool fileWritable)
    {
        CheckRange(address, length);
        ulong fileBytes = fileSize > offset ? (ulong)(fileSize - offset) : 0;
        ulong filePages = Math.Min(length, (fileBytes + PageMask) & ~PageMask);
        if (filePages > 0)
        {
            int prot = shared && !fileWritable ? ProtRead : ProtRead | ProtWrite;
            HostMap(address, filePages, prot, (shared ? MapShared : MapPrivate), hostFd, offset);
            var effective = shared && !fileWritable ? permissions & ~PagePermissions.Write : permissions;
            SetPermissions(address, filePages, Mapped(effective));
        }

        if (filePages < length)
        {
            HostMap(address + filePages, length - filePages, ProtRead | ProtWrite, MapPrivate | MapAnonymous, -1, 0);
            SetPermissions(address + filePages, length - filePages, Mapped(PagePermissions.None));
        }
    }

    /// <summary>Removes the mapping of [address, address+length); the range becomes inaccessible again.</summary>
    public void Unmap(ulong address, ulong length)
    {
        CheckRange(address, length);
        InvalidateIfCode(address, length);
        HostMap(address, length, ProtNone, MapPrivate | MapAnonymous | MapNoReserve, -1, 0);
        SetPermissions(address, length, 0);
        ClearMapped(address, length);
    }

    /// <summary>Changes guest permissions of mapped pages in [address, address+length).</summary>
    public void Protect(ulong address, ulong length, PagePermissions permissions)
    {
        CheckRange(address, length);
        InvalidateIfCode(address, length);
        SetPermissions(address, length, Mapped(permissions));
    }

    /// <summary>Guest permissions of the page holding <paramref name="address"/> (None when unmapped).</summary>
    public PagePermissions PermissionsAt(ulong address)
    {
        ulong page = address >> PageBits;
        return page < _pageLimit ? (PagePermissions)(_permissions[page] & (byte)PagePermissions.All) : PagePermissions.None;
    }

    /// <summary>Whether every page of the range is mapped (with any permissions, even none).</summary>
    public bool IsMapped(ulong address, ulong length)
    {
        if (length == 0)
        {
            return true;
        }

        ulong last = address + length - 1;
        if (last < address || (last >> PageBits) >= _pageLimit)
        {
            return false;
        }

        for (ulong page = address >> PageBits; page <= last >> PageBits; page++)
        {
            if ((_permissions[page] & MappedBit) == 0)
            {
                return false;
            }
        }

        return true;
    }

    public void Dispose()
    {
        Release();
        GC.SuppressFinalize(this);
    }

    // Pages that exist (even PROT_NONE) carry this bit so munmap/mprotect can tell them from holes.
    private const byte MappedBit = 0x80;

    private static byte Mapped(PagePermissions permissions) => (byte)((byte)(permissions & PagePermissions.All) | MappedBit);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private bool CanRead(ulong address, int size)
    {
        ulong page = address >> PageBits;
        return page < _pageLimit && (_permissions[page] & (byte)PagePermissions.Read) != 0 && (address & PageMask) <= PageSize - (ulong)size;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private bool CanWrite(ulong address, int size)
    {
        ulong page = address >> PageBits;
        return page < _pageLimit
            && (_permissions[page] & (byte)(PagePermissions.Write | PagePermissions.Code)) == (byte)PagePermissions.Write
            && (address & PageMask) <= PageSize - (ulong)size;
    }

    private static GuestFaultException Fault(ulong address, bool write) => new(address, write, execute: false);

    private void CheckAccess(ulong address, int size, bool write)
    {
        var required = write ? PagePermissions.Write : PagePermissions.Read;
        ulong last = address + (ulong)size - 1;
        if (!IsAccessible(address, 1, required))
        {
            throw Fault(address, write);
        }

        if (!IsAccessible(last, 1, required))
        {
            throw Fault(last & ~PageMask, write);
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private ulong ReadSlow(ulong address, int size)
    {
        CheckAccess(address, size, write: false);
        ulong value = 0;
        for (int i = 0; i < size; i++)
        {
            value |= (ulong)_base[address + (ulong)i] << (8 * i);
        }

        return value;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void WriteSlow(ulong address, ulong value, int size)
    {
        CheckAccess(address, size, write: true);
        InvalidateIfCode(address, (ulong)size);
        for (int i = 0; i < size; i++)
        {
            _base[address + (ulong)i] = (byte)(value >> (8 * i));
        }
    }

    /// <summary>Clears the code mark of pages in the range and tells the block caches, before the bytes change.</summary>
    private void InvalidateIfCode(ulong address, ulong length)
    {
        if (length == 0)
        {
            return;
        }

        ulong first = address >> PageBits;
        ulong last = Math.Min((address + length - 1) >> PageBits, _pageLimit - 1);
        for (ulong page = first; page <= last; page++)
        {
            if ((_permissions[page] & (byte)PagePermissions.Code) != 0)
            {
                _permissions[page] &= unchecked((byte)~PagePermissions.Code);
                CodeModified?.Invoke(page << PageBits, PageSize);
            }
        }
    }

    private void SetPermissions(ulong address, ulong length, byte value) =>
        new Span<byte>(_permissions + (address >> PageBits), checked((int)(length >> PageBits))).Fill(value);

    private void ClearMapped(ulong address, ulong length) =>
        new Span<byte>(_permissions + (address >> PageBits), checked((int)(length >> PageBits))).Clear();

    private void CheckRange(ulong address, ulong length)
    {
        if ((address & PageMask) != 0 || (length & PageMask) != 0 || length == 0 || address + length > Size || address + length < address)
        {
            throw new ArgumentOutOfRangeException(nameof(address), $"range 0x{address:x}+0x{length:x} is not page-aligned inside the guest address space");
        }
    }

    private void HostMap(ulong address, ulong length, int prot, int flags, int fd, long offset)
    {
        void* want = _base + address;
        void* got = Mmap(want, (nuint)length, prot, flags | MapFixed, fd, (nint)offset);
        if (got != want)
        {
            throw new IOException($"host mmap of guest 0x{address:x}+0x{length:x} failed (errno {Marshal.GetLastPInvokeError()})");
        }
    }

    private static byte* Reserve(ulong size, int prot = ProtNone)
    {
        void* p = Mmap(null, (nuint)size, prot, MapPrivate | MapAnonymous | MapNoReserve, -1, 0);
        if (p == (void*)-1)
        {
            throw new OutOfMemoryException($"cannot reserve {size >> 20} MiB of host address space for the guest (errno {Marshal.GetLastPInvokeError()})");
        }

        return (byte*)p;
    }

    private void Release()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        _ = Munmap(_base, (nuint)Size);
        _ = Munmap(_permissions, (nuint)_pageLimit);
    }

    [LibraryImport("libc", EntryPoint = "mmap", SetLastError = true)]
    private static partial void* Mmap(void* address, nuint length, int protection, int flags, int fd, nint offset);

    [LibraryImport("libc", EntryPoint = "munmap")]
    private static partial int Munmap(void* address, nuint length);
}
