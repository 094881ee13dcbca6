using EdgeVisor.Emulation.Loading;
using EdgeVisor.Emulation.Memory;

namespace EdgeVisor.Emulation.Tests.Loading;

public sealed class ImageLoaderTests : IDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("edgevisor-loader-");

    public void Dispose() => _dir.Delete(recursive: true);

    private string File(string name, byte[] content)
    {
        string path = Path.Combine(_dir.FullName, name);
        System.IO.File.WriteAllBytes(path, content);
        return path;
    }

    private static byte[] SmallElf() => new ElfBuilder().Segment(0x100, [1, 2, 3]).Build();

    private static byte[] SmallHex() => System.Text.Encoding.ASCII.GetBytes(":0100000001FE\n:00000001FF\n");

    [Fact]
    public void The_format_comes_from_the_content_whatever_the_extension_says()
    {
        Assert.Equal(ImageFormat.Elf, ImageLoader.Load(File("firmware.bin", SmallElf()), 0x0).Format);
        Assert.Equal(ImageFormat.IntelHex, ImageLoader.Load(File("firmware.elf", SmallHex()), null).Format);
        var binary = ImageLoader.Load(File("firmware.hex", [0x00, 0x10, 0x00, 0x20]), 0x0800_0000);
        Assert.Equal(ImageFormat.Binary, binary.Format);
        Assert.Equal(0x0800_0000u, binary.Segments.Single().Address);
        Assert.Equal([0x00, 0x10, 0x00, 0x20], binary.Segments.Single().Data);
        Assert.Null(binary.EntryPoint);
    }

    [Fact]
    public void A_raw_binary_without_a_load_address_asks_for_one()
    {
        string path = File("x.bin", [0x00, 0x10, 0x00, 0x20, 0xFF]);
        var e = Assert.Throws<ImageFormatException>(() => ImageLoader.Load(path, null));
        Assert.Equal($"{path}: not ELF or Intel HEX; a raw binary needs a load address (--load-address)", e.Message);
        Assert.Equal(path, e.ImagePath);
    }

    [Fact]
    public void Empty_files_s_records_and_binary_data_starting_with_a_colon_are_explained()
    {
        Assert.EndsWith("empty file", Assert.Throws<ImageFormatException>(() => ImageLoader.Load(File("e.elf", []), 0)).Message);
        Assert.Contains("Motorola S-record", Assert.Throws<ImageFormatException>(() => ImageLoader.Load(File("s.srec", "S00600004844521B\n"u8.ToArray()), null)).Message);
        Assert.Contains("not a valid Intel HEX file", Assert.Throws<ImageFormatException>(() => ImageLoader.Load(File("c.bin", [(byte)':', 0, 1, 2]), null)).Message);
        Assert.Equal(ImageFormat.Binary, ImageLoader.Load(File("c2.bin", [(byte)':', 0, 1, 2]), 0x100).Format);
    }

    [Fact]
    public void A_binary_that_would_run_past_4_GiB_is_refused()
    {
        Assert.Contains("run past the 4 GiB address space", Assert.Throws<ImageFormatException>(() => ImageLoader.Load(File("big.bin", new byte[16]), 0xFFFF_FFF8)).Message);
    }

    [Fact]
    public void A_missing_file_is_an_io_error()
    {
        Assert.Throws<FileNotFoundException>(() => ImageLoader.Load(Path.Combine(_dir.FullName, "missing.elf"), null));
    }

    [Fact]
    public void A_directory_named_like_an_image_is_an_io_error()
    {
        string path = Directory.CreateDirectory(Path.Combine(_dir.FullName, "dir.elf")).FullName;
        Assert.ThrowsAny<IOException>(() => ImageLoader.Load(path, null));
    }

    [Fact]
    public void Place_writes_every_segment_into_rom_and_ram()
    {
        using var memory = new AddressSpace();
        memory.MapMemory("flash", 0, 0x1000, RegionKind.Rom);
        memory.MapMemory("ram", 0x2000_0000, 0x1000, RegionKind.Ram);
        var image = new FirmwareImage("fw.elf", ImageFormat.Elf,
            [new ImageSegment(0x10, [1, 2]), new ImageSegment(0x2000_0FFE, [3, 4]), new ImageSegment(0x5000_0000, [])], null, SymbolTable.Empty);

        ImageLoader.Place(image, memory);

        Assert.Equal((ushort)0x0201, memory.Read16(0x10));
        Assert.Equal((ushort)0x0403, memory.Read16(0x2000_0FFE));
    }

    [Fact]
    public void Place_refuses_a_segment_outside_memory_before_writing_anything()
    {
        using var memory = new AddressSpace();
        memory.MapMemory("flash", 0, 0x1000, RegionKind.Rom);
        memory.MapDevice("uart", 0x4000_0000, 0x1000, new Memory.RecordingDevice());
        var image = new FirmwareImage("fw.elf", ImageFormat.Elf,
            [new ImageSegment(0x0, [1, 2, 3, 4]), new ImageSegment(0xFF0, new byte[0x20])], null, SymbolTable.Empty);

        var e = Assert.Throws<ImageFormatException>(() => ImageLoader.Place(image, memory));

        Assert.Equal("fw.elf: segment 0x00000FF0..0x0000100F (32 bytes) lies outside the board's memory", e.Message);
        Assert.Equal(0u, memory.Read32(0));

        var intoDevice = new FirmwareImage("fw.hex", ImageFormat.IntelHex, [new ImageSegment(0x4000_0000, [1])], null, SymbolTable.Empty);
        Assert.Contains("0x40000000..0x40000000 (1 bytes) lies outside", Assert.Throws<ImageFormatException>(() => ImageLoader.Place(intoDevice, memory)).Message);
    }
}
