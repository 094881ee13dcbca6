using EdgeVisor.Emulation.Memory;

namespace EdgeVisor.Emulation.Tests.Memory;

public sealed class AddressSpaceTests : IDisposable
{
    private const uint Flash = 0x0000_0000;
    private const uint Mirror = 0x0040_0000;
    private const uint Ram = 0x2000_0000;
    private const uint Rom = 0x1000_0000;
    private const uint Device = 0x4000_0000;
    private const uint Page = AddressSpace.PageSize;

    private readonly AddressSpace _bus = new();
    private readonly RecordingDevice _device = new();

    public AddressSpaceTests()
    {
        _bus.MapMemory("flash", Flash, 4 * Page, RegionKind.Ram);
        _bus.MapAlias("flash-mirror", Mirror, 4 * Page, Flash);
        _bus.MapMemory("ram", Ram, 4 * Page, RegionKind.Ram);
        _bus.MapMemory("rom", Rom, 2 * Page, RegionKind.Rom);
        _bus.MapDevice("uart", Device, 0x10, _device);
    }

    public void Dispose() => _bus.Dispose();

    [Fact]
    public void Fresh_memory_reads_zero_and_values_round_trip_little_endian()
    {
        Assert.Equal(0u, _bus.Read32(Ram + 0x100));
        _bus.Write32(Ram, 0x11223344);
        _bus.Write16(Ram + 4, 0xBEEF);
        _bus.Write8(Ram + 6, 0x7F);

        Assert.Equal(0x11223344u, _bus.Read32(Ram));
        Assert.Equal((byte)0x44, _bus.Read8(Ram));
        Assert.Equal((ushort)0x1122, _bus.Read16(Ram + 2));
        Assert.Equal(0x007FBEEFu, _bus.Read32(Ram + 4));
    }

    [Fact]
    public void Unaligned_accesses_are_allowed_within_a_page()
    {
        _bus.Write32(Ram + 1, 0xCAFEF00D);
        Assert.Equal(0xCAFEF00Du, _bus.Read32(Ram + 1));
        Assert.Equal(0xFEF00D00u, _bus.Read32(Ram));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Accesses_that_cross_a_page_boundary_read_and_write_both_pages(uint bytesBeforeBoundary)
    {
        uint address = Ram + Page - bytesBeforeBoundary;
        _bus.Write32(address, 0xA1B2C3D4);

        Assert.Equal(0xA1B2C3D4u, _bus.Read32(address));
        Assert.Equal((byte)0xD4, _bus.Read8(address));
        Assert.Equal((byte)0xA1, _bus.Read8(address + 3));
        _bus.Write16(Ram + Page - 1, 0x5566);
        Assert.Equal((ushort)0x5566, _bus.Read16(Ram + Page - 1));
    }

    [Fact]
    public void Reading_nothing_is_a_bus_fault_naming_the_address()
    {
        var e = Assert.Throws<BusFaultException>(() => _bus.Read32(0x3000_0000));
        Assert.Equal(0x3000_0000u, e.Address);
        Assert.False(e.IsWrite);
        Assert.Contains("0x30000000", e.Message);
        Assert.Throws<BusFaultException>(() => _bus.Write8(0x3000_0001, 1));
    }

    [Fact]
    public void A_write_running_off_the_end_of_memory_faults_without_writing_any_byte()
    {
        uint last = Ram + (4 * Page) - 2;
        _bus.Write16(last, 0x1111);

        var e = Assert.Throws<BusFaultException>(() => _bus.Write32(last, 0xFFFFFFFF));

        Assert.Equal(Ram + (4 * Page), e.Address);
        Assert.True(e.IsWrite);
        Assert.Equal((ushort)0x1111, _bus.Read16(last));
        Assert.Throws<BusFaultException>(() => _bus.Read32(last));
    }

    [Fact]
    public void An_access_wrapping_past_the_top_of_the_address_space_faults()
    {
        using var bus = new AddressSpace();
        bus.MapMemory("low", 0, Page, RegionKind.Ram);
        bus.MapMemory("top", 0xFFFF_F000, Page, RegionKind.Ram);

        Assert.Throws<BusFaultException>(() => bus.Read32(0xFFFF_FFFE));
        Assert.Throws<BusFaultException>(() => bus.Write32(0xFFFF_FFFE, 1));
        Assert.Equal(0u, bus.Read32(0));
        Assert.Equal((ushort)0, bus.Read16(0xFFFF_FFFE));
    }

    [Fact]
    public void Rom_reads_but_guest_writes_are_bus_faults_and_leave_it_unchanged()
    {
        _bus.Load(Rom, [1, 2, 3, 4]);

        Assert.Equal(0x04030201u, _bus.Read32(Rom));
        var e = Assert.Throws<BusFaultException>(() => _bus.Write32(Rom, 0));
        Assert.True(e.IsWrite);
        Assert.Contains("read-only", e.Message);
        Assert.Throws<BusFaultException>(() => _bus.Write16(Rom + 2, 0));
        Assert.Throws<BusFaultException>(() => _bus.Write8(Rom + 1, 0));
        Assert.Equal(0x04030201u, _bus.Read32(Rom));
    }

    [Fact]
    public void A_write_from_ram_into_rom_is_refused_as_a_whole()
    {
        using var bus = new AddressSpace();
        bus.MapMemory("ram", 0, Page, RegionKind.Ram);
        bus.MapMemory("rom", Page, Page, RegionKind.Rom);

        Assert.Throws<BusFaultException>(() => bus.Write32(Page - 2, 0xFFFFFFFF));
        Assert.Equal((ushort)0, bus.Read16(Page - 2));
    }

    [Fact]
    public void An_alias_shows_the_same_bytes_both_ways()
    {
        _bus.Write32(Flash + 0x10, 0xDEADBEEF);
        Assert.Equal(0xDEADBEEFu, _bus.Read32(Mirror + 0x10));

        _bus.Write8(Mirror + 0x2001, 0x42);
        Assert.Equal((byte)0x42, _bus.Read8(Flash + 0x2001));
        Assert.Equal(RegionKind.Ram, _bus.FindRegion(Mirror)!.Kind);
    }

    [Fact]
    public void An_alias_of_rom_is_read_only_too()
    {
        _bus.MapAlias("rom-mirror", 0x5000_0000, Page, Rom);
        _bus.Load(Rom, [9]);

        Assert.Equal((byte)9, _bus.Read8(0x5000_0000));
        Assert.Throws<BusFaultException>(() => _bus.Write8(0x5000_0000, 1));
    }

    [Fact]
    public void Bad_alias_and_region_requests_are_refused_with_the_name()
    {
        Assert.Contains("nothing mapped", Assert.Throws<ArgumentException>(() => _bus.MapAlias("a", 0x6000_0000, Page, 0x7000_0000)).Message);
        Assert.Contains("not inside", Assert.Throws<ArgumentException>(() => _bus.MapAlias("b", 0x6000_0000, 8 * Page, Flash)).Message);
        Assert.Contains("multiple", Assert.Throws<ArgumentException>(() => _bus.MapAlias("c", 0x6000_0000, Page, Flash + 4)).Message);
        Assert.Contains("overlaps", Assert.Throws<ArgumentException>(() => _bus.MapMemory("d", Ram + Page, Page, RegionKind.Ram)).Message);
        Assert.Contains("multiples", Assert.Throws<ArgumentException>(() => _bus.MapMemory("e", 0x6000_0004, Page, RegionKind.Ram)).Message);
        Assert.Throws<ArgumentException>(() => _bus.MapMemory("f", 0x6000_0000, Page, RegionKind.Mmio));
        Assert.Throws<ArgumentException>(() => _bus.MapDevice("g", Device + 8, 4, new RecordingDevice()));
    }

    [Fact]
    public void Regions_are_listed_in_address_order_and_found_by_address()
    {
        Assert.Equal(["flash", "flash-mirror", "rom", "ram", "uart"], _bus.Regions.Select(r => r.Name));
        Assert.Equal("ram", _bus.FindRegion(Ram + 5)!.Name);
        Assert.Equal("uart", _bus.FindRegion(Device + 0xF)!.Name);
        Assert.Null(_bus.FindRegion(Device + 0x10));
        Assert.Null(_bus.FindRegion(0xFFFF_FFFF));
    }

    [Fact]
    public void Device_accesses_reach_the_device_with_offset_and_width_after_the_time_hook()
    {
        var order = new List<string>();
        _bus.BeforeDeviceAccess = () => order.Add($"sync{_device.Accesses.Count}");

        _bus.Write32(Device + 4, 0x1234);
        _bus.Write8(Device + 8, 0x56);
        uint value = _bus.Read16(Device + 4);

        Assert.Equal(0x1234u, value);
        Assert.Equal([(true, 4u, 0x1234u, 4), (true, 8u, 0x56u, 1), (false, 4u, 0x1234u, 2)], _device.Accesses);
        Assert.Equal(["sync0", "sync1", "sync2"], order);
    }

    [Fact]
    public void Device_faults_and_accesses_past_a_device_window_are_bus_faults()
    {
        _device.Holes.Add(0xC);

        Assert.Throws<BusFaultException>(() => _bus.Read32(Device + 0xC));
        Assert.Contains("crosses the end", Assert.Throws<BusFaultException>(() => _bus.Read32(Device + 0xE)).Message);
        Assert.Throws<BusFaultException>(() => _bus.Write16(Device + 0xF, 1));
    }

    [Fact]
    public void A_device_window_smaller_than_the_access_is_a_bus_fault()
    {
        var tiny = new RecordingDevice();
        _bus.MapDevice("tiny", 0x4001_0000, 2, tiny);

        Assert.Throws<BusFaultException>(() => _bus.Read32(0x4001_0000));
        Assert.Throws<BusFaultException>(() => _bus.Write32(0x4001_0000, 0));
        Assert.Empty(tiny.Accesses);
        _bus.Read16(0x4001_0000);
        Assert.Single(tiny.Accesses);
    }

    [Fact]
    public void Writing_to_watched_code_reports_the_page_once_after_the_bytes_changed()
    {
        var reports = new List<(uint Page, uint SeenValue)>();
        _bus.CodeModified += page => reports.Add((page, _bus.Read32(Ram + 0x1100)));
        _bus.WatchCode(Ram + 0x1000);

        _bus.Write32(Ram + 0x1100, 0xE7FEE7FE);
        _bus.Write32(Ram + 0x1104, 1);
        _bus.Write32(Ram + 0x2000, 1);

        Assert.Equal([(Ram + 0x1000, 0xE7FEE7FEu)], reports);
    }

    [Fact]
    public void Writing_code_through_an_alias_reports_every_window_it_was_decoded_through()
    {
        var reports = new List<uint>();
        _bus.CodeModified += reports.Add;
        _bus.WatchCode(Flash + 0x40);

        _bus.Write16(Mirror + 0x40, 0xBF00);

        Assert.Equal([Flash, Mirror], reports.Order());
        Assert.Equal(0xBF00, _bus.Read16(Flash + 0x40));

        reports.Clear();
        _bus.WatchCode(Mirror + Page);
        _bus.Write8(Flash + Page + 3, 0);
        Assert.Equal([Flash + Page, Mirror + Page], reports.Order());
    }

    [Fact]
    public void A_page_crossing_write_into_watched_code_reports_that_page()
    {
        var reports = new List<uint>();
        _bus.CodeModified += reports.Add;
        _bus.WatchCode(Ram + Page);

        _bus.Write32(Ram + Page - 2, 0x12345678);

        Assert.Equal([Ram + Page], reports);
        Assert.Equal(0x12345678u, _bus.Read32(Ram + Page - 2));
    }

    [Fact]
    public void Loader_and_debugger_writes_report_code_changes_too()
    {
        var reports = new List<uint>();
        _bus.CodeModified += reports.Add;

        _bus.WatchCode(Rom);
        _bus.Load(Rom + 8, [1, 2]);
        _bus.WatchCode(Ram);
        Assert.True(_bus.TryWriteBytes(Ram + 2, [7]));

        Assert.Equal([Rom, Ram], reports);
    }

    [Fact]
    public void Load_writes_rom_and_ram_but_refuses_unmapped_bytes_without_writing_anything()
    {
        _bus.Load(Rom, [0xAA, 0xBB]);
        Assert.Equal((ushort)0xBBAA, _bus.Read16(Rom));

        var e = Assert.Throws<ArgumentException>(() => _bus.Load(Ram + (4 * Page) - 2, [1, 2, 3, 4]));

        Assert.Contains($"0x{Ram + (4 * Page):X8}", e.Message);
        Assert.Equal((ushort)0, _bus.Read16(Ram + (4 * Page) - 2));
    }

    [Fact]
    public void IsMemory_is_true_only_when_every_byte_is_ram_or_rom()
    {
        Assert.True(_bus.IsMemory(Ram, 4 * Page));
        Assert.False(_bus.IsMemory(Ram, (4 * Page) + 1));
        Assert.True(_bus.IsMemory(Flash, 4 * Page));
        Assert.True(_bus.IsMemory(Rom + 5, 10));
        Assert.False(_bus.IsMemory(Device, 4));
        Assert.False(_bus.IsMemory(0xFFFF_FFF0, 0x20));
    }

    [Fact]
    public void Debugger_reads_and_writes_cover_memory_rom_and_devices_and_report_holes()
    {
        _bus.Write32(Ram, 0x04030201);
        var buffer = new byte[4];

        Assert.True(_bus.TryReadBytes(Ram, buffer));
        Assert.Equal([1, 2, 3, 4], buffer);
        Assert.True(_bus.TryWriteBytes(Rom, [5, 6]));
        Assert.Equal((ushort)0x0605, _bus.Read16(Rom));
        Assert.True(_bus.TryWriteBytes(Device, [0x77]));
        Assert.Contains((true, 0u, 0x77u, 1), _device.Accesses);
        Assert.False(_bus.TryReadBytes(Ram + (4 * Page) - 2, buffer));
        Assert.False(_bus.TryWriteBytes(0x3000_0000, [1]));
        _device.Holes.Add(1);
        Assert.False(_bus.TryReadBytes(Device, buffer));
    }

    [Fact]
    public void A_debugger_write_running_into_unmapped_space_writes_nothing()
    {
        uint last = Ram + (4 * Page) - 2;

        Assert.False(_bus.TryWriteBytes(last, [1, 2, 3, 4]));
        Assert.Equal((ushort)0, _bus.Read16(last));
        Assert.False(_bus.TryWriteBytes(0xFFFF_FFFF, [1, 2]));
    }

    [Fact]
    public void Read_watchpoints_fire_on_overlapping_reads_only()
    {
        var hits = new List<(uint Address, int Size, bool IsWrite)>();
        _bus.WatchpointHit += (a, s, w) => hits.Add((a, s, w));
        _bus.AddWatchpoint(Ram + 0x10, 4, onRead: true, onWrite: false);

        _bus.Read32(Ram + 0x0C);
        _bus.Read8(Ram + 0x14);
        _bus.Write32(Ram + 0x10, 5);
        _bus.Read16(Ram + 0x0F);
        _bus.Read8(Ram + 0x13);

        Assert.Equal([(Ram + 0x0F, 2, false), (Ram + 0x13, 1, false)], hits);
        Assert.Equal(5u, _bus.Read32(Ram + 0x10));
    }

    [Fact]
    public void Write_watchpoints_fire_on_writes_across_pages_and_on_devices_and_can_be_removed()
    {
        var hits = new List<(uint Address, int Size, bool IsWrite)>();
        _bus.WatchpointHit += (a, s, w) => hits.Add((a, s, w));
        _bus.AddWatchpoint(Ram + Page - 1, 2, onRead: false, onWrite: true);
        _bus.AddWatchpoint(Device + 4, 4, onRead: true, onWrite: true);

        _bus.Read16(Ram + Page - 1);
        _bus.Write8(Ram + Page, 1);
        _bus.Write32(Device + 4, 9);
        _bus.Read32(Device + 4);
        Assert.True(_bus.RemoveWatchpoint(Ram + Page - 1, 2, onRead: false, onWrite: true));
        Assert.False(_bus.RemoveWatchpoint(Ram, 2, onRead: false, onWrite: true));
        _bus.Write8(Ram + Page, 2);

        Assert.Equal([(Ram + Page, 1, true), (Device + 4, 4, true), (Device + 4, 4, false)], hits);
        Assert.Equal((byte)2, _bus.Read8(Ram + Page));
    }
}
