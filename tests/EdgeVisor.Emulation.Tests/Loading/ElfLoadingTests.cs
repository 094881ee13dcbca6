using System.Buffers.Binary;
using EdgeVisor.Emulation.Loading;

namespace EdgeVisor.Emulation.Tests.Loading;

/// <summary>ELF parsing and the Cortex-M placement policy on hand-made files, including broken ones.</summary>
public sealed class ElfLoadingTests
{
    private const string Path = "fw.elf";

    private static FirmwareImage Parse(byte[] data, ElfTarget? target = null) =>
        ImageLoader.Parse(data, Path, null, target ?? ElfTarget.Arm);

    private static string Error(byte[] data, ElfTarget? target = null) =>
        Assert.Throws<ImageFormatException>(() => Parse(data, target)).Message;

    [Fact]
    public void Load_segments_go_to_their_physical_address_with_memory_size_zero_filled()
    {
        var elf = new ElfBuilder()
            .Segment(0x0, [1, 2, 3, 4])
            .Segment(0x8000, [5, 6], memorySize: 6, virtualAddress: 0x2000_0000)
            .Segment(0x9000, [9], type: 4)
            .Build();

        var image = Parse(elf);

        Assert.Equal(ImageFormat.Elf, image.Format);
        Assert.Equal(2, image.Segments.Count);
        Assert.Equal(0x0u, image.Segments[0].Address);
        Assert.Equal([1, 2, 3, 4], image.Segments[0].Data);
        Assert.Equal(0x8000u, image.Segments[1].Address);
        Assert.Equal([5, 6, 0, 0, 0, 0], image.Segments[1].Data);
        Assert.Equal(0x101u, image.EntryPoint);
        Assert.Equal(10, image.TotalBytes);
    }

    [Fact]
    public void Symbols_keep_functions_objects_and_labels_with_the_thumb_bit_cleared()
    {
        var elf = new ElfBuilder()
            .Segment(0, new byte[0x100])
            .Symbol("main", 0x41, 0x10, type: 2)
            .Symbol("counter", 0x80, 4, type: 1)
            .Symbol("Reset_Handler", 0x20, 0, type: 0)
            .Symbol("$t", 0x40, 0, type: 0)
            .Symbol("startup.c", 0, 0, type: 4)
            .Symbol(".text", 0, 0, type: 3)
            .Symbol("printf", 0, 0, type: 2, section: 0)
            .Symbol("__stack_size", 0x400, 0, type: 0, section: 0xFFF1)
            .Build();

        var symbols = Parse(elf).Symbols;

        Assert.Equal(["Reset_Handler", "main", "counter"], symbols.All.Select(s => s.Name));
        Assert.Equal(new ImageSymbol("main", 0x40, 0x10, SymbolKind.Function), symbols.Find("main"));
        Assert.Equal(new ImageSymbol("counter", 0x80, 4, SymbolKind.Object), symbols.Find("counter"));
        Assert.Equal(SymbolKind.Label, symbols.Find("Reset_Handler")!.Kind);
        Assert.Equal("main+0x2", symbols.Describe(0x42));
        Assert.Null(symbols.Find("printf"));
    }

    [Fact]
    public void A_stripped_file_loads_with_no_symbols()
    {
        var elf = new ElfBuilder().Segment(0, [1]).Build();
        Assert.Equal(0, Parse(elf).Symbols.Count);
    }

    [Fact]
    public void An_elf_for_another_machine_says_which_one()
    {
        var elf = new ElfBuilder { Machine = 62, Is64 = true }.Segment(0, [1]).Build();
        Assert.Equal("fw.elf: ELF for x86-64 (machine 62), expected ARM", Error(elf));

        var riscv = new ElfBuilder { Machine = 243 }.Segment(0, [1]).Build();
        Assert.Equal("fw.elf: ELF for RISC-V (machine 243), expected ARM", Error(riscv));

        var unknown = new ElfBuilder { Machine = 4242 }.Segment(0, [1]).Build();
        Assert.Equal("fw.elf: ELF for machine 4242, expected ARM", Error(unknown));
    }

    [Fact]
    public void Wrong_class_and_byte_order_are_named()
    {
        var arm64Class = new ElfBuilder { Is64 = true }.Segment(0, [1]).Build();
        Assert.Equal("fw.elf: 64-bit ELF, expected 32-bit for ARM", Error(arm64Class));

        var bigEndian = new ElfBuilder().Segment(0, [1]).Build();
        bigEndian[5] = 2;
        BinaryPrimitives.WriteUInt16BigEndian(bigEndian.AsSpan(18), 40);
        Assert.Equal("fw.elf: big-endian ELF, expected little-endian ARM", Error(bigEndian));

        var badClass = new ElfBuilder().Segment(0, [1]).Build();
        badClass[4] = 7;
        Assert.Contains("invalid class 7", Error(badClass));
    }

    [Fact]
    public void Relocatable_objects_and_core_dumps_are_not_executables()
    {
        Assert.Contains("relocatable object file, not a linked executable", Error(new ElfBuilder { Type = 1 }.Segment(0, [1]).Build()));
        Assert.Contains("core dump", Error(new ElfBuilder { Type = 4 }.Segment(0, [1]).Build()));
    }

    [Fact]
    public void Truncated_headers_and_segments_are_reported_not_crashed_on()
    {
        var elf = new ElfBuilder().Segment(0, new byte[64]).Build();

        Assert.Contains("truncated ELF header", Error(elf[..30]));
        Assert.Contains("truncated ELF header", Error(elf[..10]));
        Assert.Contains("truncated program headers", Error(elf[..60]));
        Assert.Contains("truncated: segment 0", Error(elf[..100]));
    }

    [Fact]
    public void Every_prefix_of_a_valid_file_fails_with_a_one_line_format_error()
    {
        var elf = new ElfBuilder().Segment(0, new byte[40]).Symbol("main", 1, 2, 2).Build();
        for (int length = 1; length < elf.Length; length++)
        {
            var e = Assert.Throws<ImageFormatException>(() => ImageLoader.Parse(elf[..length], Path, null, ElfTarget.Arm));
            Assert.DoesNotContain('\n', e.Message);
            Assert.StartsWith("fw.elf: ", e.Message);
        }
    }

    [Fact]
    public void Corrupt_program_headers_are_reported()
    {
        var fileBiggerThanMemory = new ElfBuilder().Segment(0, [1, 2, 3, 4], memorySize: 2).Build();
        Assert.Contains("exceeds memory size", Error(fileBiggerThanMemory));

        var noLoad = new ElfBuilder().Segment(0, [1], type: 4).Build();
        Assert.Contains("no loadable (PT_LOAD) segments", Error(noLoad));

        var huge = new ElfBuilder().Segment(0, [1], memorySize: 0x8000_0000).Build();
        Assert.Contains("too large", Error(huge));

        var pastFourGiB = new ElfBuilder().Segment(0xFFFF_FF00, [1], memorySize: 0x200).Build();
        Assert.Contains("does not fit a 32-bit address space", Error(pastFourGiB));
    }

    [Fact]
    public void The_reader_handles_elf64_for_aarch64_when_asked_for_it()
    {
        var elf = new ElfBuilder { Is64 = true, Machine = 183, Entry = 0x40_0000 }
            .Segment(0x40_0000, [0x1F, 0x20, 0x03, 0xD5], memorySize: 8)
            .Symbol("_start", 0x40_0001, 4, type: 2)
            .Build();

        var file = ElfReader.Read(elf, Path, ElfTarget.AArch64);
        var image = ElfImageBuilder.Build(file, Path);

        Assert.True(file.Is64Bit);
        Assert.Equal(0x40_0000UL, file.Entry);
        Assert.Equal([0x1F, 0x20, 0x03, 0xD5, 0, 0, 0, 0], image.Segments[0].Data);
        // Only 32-bit Arm uses bit 0 as the Thumb flag.
        Assert.Equal(0x40_0001u, image.Symbols.Find("_start")!.Address);
        Assert.Equal("fw.elf: ELF for ARM (machine 40), expected AArch64", Error(new ElfBuilder().Segment(0, [1]).Build(), ElfTarget.AArch64));
    }
}
