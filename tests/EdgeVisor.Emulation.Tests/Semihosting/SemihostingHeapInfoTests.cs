using EdgeVisor.Emulation.Loading;
using EdgeVisor.Emulation.Memory;
using EdgeVisor.Emulation.Semihosting;
using EdgeVisor.Emulation.Tests.Reference;

namespace EdgeVisor.Emulation.Tests.Semihosting;

public sealed class SemihostingHeapInfoTests
{
    private static ImageSegment Segment(uint address, int length) => new(address, new byte[length]);

    /// <summary>The RAM of mps2-an385 as qemu-system-arm 7.2 maps it.</summary>
    private static AddressSpace An385Memory()
    {
        var memory = new AddressSpace();
        memory.MapMemory("ssram1", 0x0000_0000, 4 << 20, RegionKind.Ram);
        memory.MapAlias("ssram1-mirror", 0x0040_0000, 4 << 20, 0);
        memory.MapMemory("blockram", 0x0100_0000, 16 << 10, RegionKind.Ram);
        memory.MapMemory("ssram23", 0x2000_0000, 4 << 20, RegionKind.Ram);
        memory.MapAlias("ssram23-mirror", 0x2040_0000, 4 << 20, 0x2000_0000);
        memory.MapMemory("psram", 0x2100_0000, 16 << 20, RegionKind.Ram);
        return memory;
    }

    [Fact]
    public void Heap_and_stack_share_the_largest_ram_region_like_qemu_reports_for_an385()
    {
        string elf = ArmToolchain.Build("heapinfo.c");
        var qemu = Qemu.Run(elf);
        using var memory = An385Memory();

        var info = SemihostingHeapInfo.LikeQemu(memory, ImageLoader.Load(elf, null).Segments);

        Assert.Equal(qemu.Stdout, $"{info.HeapBase:x8} {info.HeapLimit:x8} {info.StackBase:x8} {info.StackLimit:x8}\n");
        Assert.Equal(new SemihostingHeapInfo(0x2100_0000, 0x2200_0000, 0x2200_0000, 0x2100_0000), info);
    }

    [Fact]
    public void The_largest_free_stretch_beside_the_image_is_used()
    {
        using var memory = new AddressSpace();
        memory.MapMemory("flash", 0, 0x1_0000, RegionKind.Rom);
        memory.MapMemory("ram", 0x2000_0000, 0x1_0000, RegionKind.Ram);
        memory.MapMemory("small", 0x3000_0000, 0x1000, RegionKind.Ram);

        var info = SemihostingHeapInfo.LikeQemu(memory, [Segment(0, 0x8000), Segment(0x2000_1000, 0x1000), Segment(0x2000_8000, 0x100)]);

        Assert.Equal(new SemihostingHeapInfo(0x2000_8100, 0x2001_0000, 0x2001_0000, 0x2000_8100), info);
    }

    [Fact]
    public void On_a_tie_the_first_region_and_the_first_gap_win()
    {
        using var memory = new AddressSpace();
        memory.MapMemory("a", 0x1000_0000, 0x2000, RegionKind.Ram);
        memory.MapMemory("b", 0x2000_0000, 0x2000, RegionKind.Ram);

        var info = SemihostingHeapInfo.LikeQemu(memory, [Segment(0x1000_0800, 0x1000)]);

        Assert.Equal(new SemihostingHeapInfo(0x1000_0000, 0x1000_0800, 0x1000_0800, 0x1000_0000), info);
    }

    [Fact]
    public void Without_ram_there_is_nothing_to_report()
    {
        using var memory = new AddressSpace();
        memory.MapMemory("rom", 0, 0x1000, RegionKind.Rom);

        Assert.Equal(default, SemihostingHeapInfo.LikeQemu(memory, []));
    }
}
