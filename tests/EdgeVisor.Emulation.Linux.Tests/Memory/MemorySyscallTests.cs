using EdgeVisor.Emulation.Arm64.Memory;
using EdgeVisor.Emulation.Linux.Kernel;
using EdgeVisor.Emulation.Linux.Memory;
using EdgeVisor.Emulation.Linux.Tests.Kernel;

namespace EdgeVisor.Emulation.Linux.Tests.Memory;

/// <summary>
/// mmap, munmap, mprotect, mremap, madvise, mincore and brk called as the guest calls them, with the results and
/// errno values Linux gives (mmap(2), mremap(2), mprotect(2), brk(2)).
/// </summary>
public sealed class MemorySyscallTests : IDisposable
{
    private const ulong ProtRead = 1;
    private const ulong ProtWrite = 2;
    private const ulong ProtExec = 4;
    private const ulong MapShared = 0x01;
    private const ulong MapPrivate = 0x02;
    private const ulong MapFixed = 0x10;
    private const ulong MapAnonymous = 0x20;
    private const ulong MapFixedNoReplace = 0x100000;
    private const ulong Page = 4096;
    private const ulong NoFd = ulong.MaxValue; // -1

    private const ulong OpenReadOnly = 0;
    private const ulong OpenReadWrite = 2;
    private const ulong AtCurrentDirectory = unchecked((ulong)-100);

    private readonly GuestProcess _guest = new();

    /// <summary>openat(AT_FDCWD, path, flags) in the guest: a guest descriptor.</summary>
    private ulong Open(string path, ulong flags)
    {
        Assert.True(_guest.Memory.TryWrite(GuestProcess.Scratch, System.Text.Encoding.UTF8.GetBytes(path + "\0")));
        long fd = _guest.Call(SyscallNumber.Openat, AtCurrentDirectory, GuestProcess.Scratch, flags);
        Assert.True(fd >= 0, $"openat {path}: {fd}");
        return (ulong)fd;
    }

    public void Dispose() => _guest.Dispose();

    private long Mmap(ulong address, ulong length, ulong prot, ulong flags, ulong fd = NoFd, ulong offset = 0) =>
        _guest.Call(SyscallNumber.Mmap, address, length, prot, flags, fd, offset);

    private ulong MapAnon(ulong length, ulong prot = ProtRead | ProtWrite)
    {
        long at = Mmap(0, length, prot, MapPrivate | MapAnonymous);
        Assert.True(at > 0, $"mmap failed: {at}");
        return (ulong)at;
    }

    [Fact]
    public void Anonymous_mappings_are_zeroed_page_aligned_and_placed_top_down()
    {
        ulong first = MapAnon(10);
        ulong second = MapAnon(3 * Page);

        Assert.Equal(0UL, first % Page);
        Assert.True(second < first, "Linux places new mappings below earlier ones");
        Assert.Equal(first, second + 3 * Page);
        Assert.All(_guest.Read(second, (int)(4 * Page)), b => Assert.Equal(0, b));
        Assert.Equal(PagePermissions.ReadWrite, _guest.Memory.PermissionsAt(first));
    }

    [Fact]
    public void A_free_hint_is_honoured_and_a_taken_one_is_not()
    {
        const ulong hint = 0x40_0000_0000;
        Assert.Equal((long)hint, Mmap(hint, Page, ProtRead, MapPrivate | MapAnonymous));

        long second = Mmap(hint, Page, ProtRead, MapPrivate | MapAnonymous);

        Assert.True(second > 0 && (ulong)second != hint);
    }

    [Fact]
    public void Map_fixed_replaces_existing_pages_and_fixed_noreplace_refuses_with_eexist()
    {
        ulong at = MapAnon(4 * Page);
        Assert.True(_guest.Memory.TryWrite(at + Page, [1, 2, 3]));

        Assert.Equal((long)(at + Page), Mmap(at + Page, Page, ProtRead, MapPrivate | MapAnonymous | MapFixed));
        Assert.Equal(-Errno.EEXIST, Mmap(at, Page, ProtRead, MapPrivate | MapAnonymous | MapFixedNoReplace));

        Assert.Equal(new byte[3], _guest.Read(at + Page, 3));
        Assert.Equal(PagePermissions.Read, _guest.Memory.PermissionsAt(at + Page));
        Assert.Equal(PagePermissions.ReadWrite, _guest.Memory.PermissionsAt(at));
        Assert.Equal(3, _guest.Process.MemoryMap.Areas.Count(a => a.Start >= at && a.End <= at + 4 * Page));
    }

    [Fact]
    public void Invalid_mmap_arguments_are_einval()
    {
        Assert.Equal(-Errno.EINVAL, Mmap(0, 0, ProtRead, MapPrivate | MapAnonymous)); // length 0
        Assert.Equal(-Errno.EINVAL, Mmap(0, Page, ProtRead, MapAnonymous)); // neither shared nor private
        Assert.Equal(-Errno.EINVAL, Mmap(0x10_0001, Page, ProtRead, MapPrivate | MapAnonymous | MapFixed)); // unaligned fixed address
        Assert.Equal(-Errno.EINVAL, Mmap(0, Page, ProtRead, MapPrivate, 0, 100)); // unaligned offset
        Assert.Equal(-Errno.EINVAL, Mmap(0, Page, 0x80, MapPrivate | MapAnonymous)); // unknown protection bit
    }

    [Fact]
    public void A_file_mapping_of_a_descriptor_that_is_not_open_is_ebadf()
    {
        Assert.Equal(-Errno.EBADF, Mmap(0, Page, ProtRead, MapPrivate, 987_654));
    }

    [Fact]
    public void Munmap_of_the_middle_splits_the_area_and_leaves_a_hole()
    {
        ulong at = MapAnon(3 * Page);

        Assert.Equal(0, _guest.Call(SyscallNumber.Munmap, at + Page, Page));

        Assert.False(_guest.Memory.IsMapped(at + Page, Page));
        Assert.True(_guest.Memory.IsAccessible(at, Page, PagePermissions.ReadWrite));
        Assert.True(_guest.Memory.IsAccessible(at + 2 * Page, Page, PagePermissions.ReadWrite));
        Assert.NotNull(_guest.Process.MemoryMap.Find(at));
        Assert.Null(_guest.Process.MemoryMap.Find(at + Page));
        Assert.Equal(-Errno.EINVAL, _guest.Call(SyscallNumber.Munmap, at + 1, Page));
        Assert.Equal(-Errno.EINVAL, _guest.Call(SyscallNumber.Munmap, at, 0));
        Assert.Equal(0, _guest.Call(SyscallNumber.Munmap, at + Page, Page)); // a hole is fine
    }

    [Fact]
    public void Mprotect_splits_areas_and_refuses_ranges_with_holes()
    {
        ulong at = MapAnon(4 * Page);

        Assert.Equal(0, _guest.Call(SyscallNumber.Mprotect, at + Page, 2 * Page, ProtRead));
        Assert.Equal(PagePermissions.ReadWrite, _guest.Memory.PermissionsAt(at));
        Assert.Equal(PagePermissions.Read, _guest.Memory.PermissionsAt(at + Page));
        Assert.Equal(PagePermissions.Read, _guest.Memory.PermissionsAt(at + 2 * Page));
        Assert.Equal(PagePermissions.ReadWrite, _guest.Memory.PermissionsAt(at + 3 * Page));
        Assert.Equal(PagePermissions.Read, _guest.Process.MemoryMap.Find(at + Page)!.Permissions);

        Assert.Equal(0, _guest.Call(SyscallNumber.Munmap, at + 3 * Page, Page));
        Assert.Equal(-Errno.ENOMEM, _guest.Call(SyscallNumber.Mprotect, at, 4 * Page, ProtRead));
        Assert.Equal(-Errno.EINVAL, _guest.Call(SyscallNumber.Mprotect, at + 8, Page, ProtRead));
        Assert.Equal(0, _guest.Call(SyscallNumber.Mprotect, at, Page, ProtRead | ProtExec));
        Assert.Equal(PagePermissions.ReadExecute, _guest.Memory.PermissionsAt(at));
    }

    [Fact]
    public void Mremap_shrinks_in_place_grows_in_place_when_free_and_moves_with_the_contents_otherwise()
    {
        ulong at = MapAnon(4 * Page);
        Assert.True(_guest.Memory.TryWrite(at, "abc"u8));

        Assert.Equal((long)at, _guest.Call(SyscallNumber.Mremap, at, 4 * Page, 2 * Page, 0));
        Assert.False(_guest.Memory.IsMapped(at + 2 * Page, Page));
        Assert.Equal((long)at, _guest.Call(SyscallNumber.Mremap, at, 2 * Page, 3 * Page, 0));
        Assert.True(_guest.Memory.IsAccessible(at + 2 * Page, Page, PagePermissions.ReadWrite));

        // Something right above: growing needs MREMAP_MAYMOVE, and the move keeps the bytes.
        Assert.Equal((long)(at + 3 * Page), Mmap(at + 3 * Page, Page, ProtRead, MapPrivate | MapAnonymous | MapFixed));
        Assert.Equal(-Errno.ENOMEM, _guest.Call(SyscallNumber.Mremap, at, 3 * Page, 8 * Page, 0));
        long moved = _guest.Call(SyscallNumber.Mremap, at, 3 * Page, 8 * Page, 1);

        Assert.True(moved > 0 && (ulong)moved != at);
        Assert.Equal("abc"u8.ToArray(), _guest.Read((ulong)moved, 3));
        Assert.True(_guest.Memory.IsAccessible((ulong)moved, 8 * Page, PagePermissions.ReadWrite));
        Assert.False(_guest.Memory.IsMapped(at, Page));
        Assert.Equal(-Errno.EFAULT, _guest.Call(SyscallNumber.Mremap, at, Page, 2 * Page, 1));
        Assert.Equal(-Errno.EINVAL, _guest.Call(SyscallNumber.Mremap, (ulong)moved, Page, 2 * Page, 2)); // FIXED without MAYMOVE
    }

    [Fact]
    public void Areas_that_become_alike_again_merge_so_mremap_can_treat_them_as_one()
    {
        ulong at = MapAnon(2 * Page);
        Assert.Equal(0, _guest.Call(SyscallNumber.Mprotect, at + Page, Page, ProtRead));
        Assert.Equal(-Errno.EFAULT, _guest.Call(SyscallNumber.Mremap, at, 2 * Page, 3 * Page, 1)); // spans two areas, as on Linux

        Assert.Equal(0, _guest.Call(SyscallNumber.Mprotect, at + Page, Page, ProtRead | ProtWrite));

        var area = _guest.Process.MemoryMap.Find(at)!;
        Assert.Equal(at + 2 * Page, area.End);
        Assert.True(_guest.Call(SyscallNumber.Mremap, at, 2 * Page, 3 * Page, 1) > 0);
    }

    [Fact]
    public void Mremap_fixed_moves_to_the_given_address()
    {
        ulong at = MapAnon(Page);
        Assert.True(_guest.Memory.TryWrite(at, "xyz"u8));
        const ulong target = 0x30_0000_0000;

        Assert.Equal((long)target, _guest.Call(SyscallNumber.Mremap, at, Page, 2 * Page, 3, target));

        Assert.Equal("xyz"u8.ToArray(), _guest.Read(target, 3));
        Assert.False(_guest.Memory.IsMapped(at, Page));
    }

    [Fact]
    public void Madvise_dontneed_zeroes_private_anonymous_pages()
    {
        ulong at = MapAnon(2 * Page);
        Assert.True(_guest.Memory.TryWrite(at, [9, 9, 9]));
        Assert.True(_guest.Memory.TryWrite(at + Page, [8]));

        Assert.Equal(0, _guest.Call(SyscallNumber.Madvise, at, Page, 4));

        Assert.Equal(new byte[3], _guest.Read(at, 3));
        Assert.Equal([8], _guest.Read(at + Page, 1));
        Assert.Equal(0, _guest.Call(SyscallNumber.Madvise, at, Page, 3)); // MADV_WILLNEED: accepted
        Assert.Equal(-Errno.ENOMEM, _guest.Call(SyscallNumber.Madvise, 0x10_0000_0000, Page, 4));
    }

    [Fact]
    public void Mincore_reports_mapped_pages_resident_and_holes_as_enomem()
    {
        ulong at = MapAnon(3 * Page);

        Assert.Equal(0, _guest.Call(SyscallNumber.Mincore, at, 3 * Page, GuestProcess.Scratch));
        Assert.Equal([1, 1, 1], _guest.Read(GuestProcess.Scratch, 3));
        Assert.Equal(0, _guest.Call(SyscallNumber.Munmap, at + Page, Page));
        Assert.Equal(-Errno.ENOMEM, _guest.Call(SyscallNumber.Mincore, at, 3 * Page, GuestProcess.Scratch));
    }

    [Fact]
    public void Brk_grows_and_shrinks_the_heap_and_ignores_requests_below_its_start()
    {
        var map = _guest.Process.MemoryMap;
        map.SetBrkStart(0x50_0123);
        ulong start = (ulong)_guest.Call(SyscallNumber.Brk, 0);
        Assert.Equal(0x50_1000UL, start);

        Assert.Equal((long)(start + 10_000), _guest.Call(SyscallNumber.Brk, start + 10_000));
        Assert.True(_guest.Memory.IsAccessible(start, 10_000, PagePermissions.ReadWrite));
        Assert.True(_guest.Memory.TryWrite(start + 9_999, [1]));
        Assert.Equal("[heap]", map.Find(start)!.Label);

        Assert.Equal((long)(start + 100), _guest.Call(SyscallNumber.Brk, start + 100));
        Assert.False(_guest.Memory.IsMapped(start + Page, Page));
        Assert.Equal((long)(start + 100), _guest.Call(SyscallNumber.Brk, start - Page));

        // Growing into a mapping fails and keeps the old break.
        Assert.True(Mmap(start + 4 * Page, Page, ProtRead, MapPrivate | MapAnonymous | MapFixed) > 0);
        Assert.Equal((long)(start + 100), _guest.Call(SyscallNumber.Brk, start + 8 * Page));
    }

    [Fact]
    public void Private_file_mappings_see_the_file_and_shared_ones_write_through_to_it()
    {
        string path = Path.GetTempFileName();
        try
        {
            File.WriteAllBytes(path, [.. Enumerable.Range(0, 5000).Select(i => (byte)i)]);
            ulong fd = Open(path, OpenReadWrite);

            long privateAt = Mmap(0, 5000, ProtRead | ProtWrite, MapPrivate, fd);
            long sharedAt = Mmap(0, Page, ProtRead | ProtWrite, MapShared, fd, Page);
            Assert.True(privateAt > 0 && sharedAt > 0, $"{privateAt} {sharedAt}");

            Assert.Equal([0, 1, 2, 3], _guest.Read((ulong)privateAt, 4));
            Assert.Equal([(byte)(4096 % 256), (byte)(4097 % 256)], _guest.Read((ulong)sharedAt, 2));
            Assert.Equal(new byte[4], _guest.Read((ulong)privateAt + 5000, 4)); // the rest of the last page reads as zeros
            Assert.True(_guest.Memory.TryWrite((ulong)privateAt, [0xEE]));
            Assert.True(_guest.Memory.TryWrite((ulong)sharedAt + 1, [0xDD]));

            byte[] onDisk = File.ReadAllBytes(path);
            Assert.Equal(0, onDisk[0]);
            Assert.Equal(0xDD, onDisk[4097]);
            Assert.Equal(path, _guest.Process.MemoryMap.Find((ulong)sharedAt)!.FilePath);
            Assert.Contains(" rw-s 00001000 ", _guest.Process.MemoryMap.FormatMaps(), StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void A_shared_writable_mapping_of_a_read_only_descriptor_is_eacces_and_cannot_be_made_writable_later()
    {
        string path = Path.GetTempFileName();
        try
        {
            File.WriteAllBytes(path, new byte[Page]);
            ulong fd = Open(path, OpenReadOnly);

            Assert.Equal(-Errno.EACCES, Mmap(0, Page, ProtRead | ProtWrite, MapShared, fd));
            long at = Mmap(0, Page, ProtRead, MapShared, fd);
            Assert.True(at > 0);
            Assert.Equal(-Errno.EACCES, _guest.Call(SyscallNumber.Mprotect, (ulong)at, Page, ProtRead | ProtWrite));

            // A private mapping of the same descriptor may be written (copy on write).
            Assert.True(Mmap(0, Page, ProtRead | ProtWrite, MapPrivate, fd) > 0);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
