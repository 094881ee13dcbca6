using System.Globalization;
using System.Text.RegularExpressions;
using EdgeVisor.Emulation.Loading;
using EdgeVisor.Emulation.Memory;
using EdgeVisor.Emulation.Tests.Reference;

namespace EdgeVisor.Emulation.Tests.Loading;

/// <summary>
/// The loader against the real references: a firmware built by arm-none-eabi-gcc, what binutils
/// (readelf, objcopy, nm, addr2line) say about it, and where qemu-system-arm puts its bytes.
/// </summary>
public sealed partial class LoaderReferenceTests
{
    private static readonly Lazy<string> Firmware = new(() => ArmToolchain.Build("symbols.c"));

    private static string Elf => Firmware.Value;

    private static AddressSpace Mps2Memory()
    {
        var memory = new AddressSpace();
        memory.MapMemory("ssram1", 0x0000_0000, 4 << 20, RegionKind.Ram);
        memory.MapMemory("ssram23", 0x2000_0000, 4 << 20, RegionKind.Ram);
        return memory;
    }

    private static uint Hex(string text) => uint.Parse(text.Replace("0x", "", StringComparison.Ordinal), NumberStyles.HexNumber, CultureInfo.InvariantCulture);

    [Fact]
    public void Program_headers_match_readelf()
    {
        var readelf = ArmToolchain.Binutil("readelf", "-lW", Elf).Stdout;
        var expected = LoadLine().Matches(readelf)
            .Select(m => (Offset: Hex(m.Groups[1].Value), Virtual: Hex(m.Groups[2].Value), Physical: Hex(m.Groups[3].Value), File: Hex(m.Groups[4].Value), Memory: Hex(m.Groups[5].Value)))
            .ToList();

        var elf = ElfReader.Read(File.ReadAllBytes(Elf), Elf, ElfTarget.Arm);
        var actual = elf.ProgramHeaders.Where(h => h.IsLoad)
            .Select(h => (Offset: (uint)h.Offset, Virtual: (uint)h.VirtualAddress, Physical: (uint)h.PhysicalAddress, File: (uint)h.FileSize, Memory: (uint)h.MemorySize))
            .ToList();

        Assert.Equal(2, expected.Count);
        Assert.Equal(expected, actual);
        // .data is linked to run in RAM but loaded behind the code in flash.
        Assert.NotEqual(expected[1].Virtual, expected[1].Physical);
    }

    [Fact]
    public void Placed_memory_matches_objcopy_binary_byte_for_byte()
    {
        string binary = Path.Combine(ArmToolchain.Scratch, $"symbols-{Guid.NewGuid():N}.bin");
        ArmToolchain.Binutil("objcopy", "-O", "binary", Elf, binary);
        var expected = File.ReadAllBytes(binary);

        using var memory = Mps2Memory();
        ImageLoader.Place(ImageLoader.Load(Elf, null), memory);

        var actual = new byte[expected.Length];
        Assert.True(memory.TryReadBytes(0, actual));
        Assert.Equal(expected, actual);
    }

    [Fact]
    public void The_intel_hex_objcopy_writes_loads_to_the_same_bytes_and_entry_as_the_elf()
    {
        string hex = Path.Combine(ArmToolchain.Scratch, $"symbols-{Guid.NewGuid():N}.hex");
        ArmToolchain.Binutil("objcopy", "-O", "ihex", Elf, hex);
        var fromElf = ImageLoader.Load(Elf, null);
        var fromHex = ImageLoader.Load(hex, null);

        using var elfMemory = Mps2Memory();
        using var hexMemory = Mps2Memory();
        ImageLoader.Place(fromElf, elfMemory);
        ImageLoader.Place(fromHex, hexMemory);

        Assert.Equal(ImageFormat.IntelHex, fromHex.Format);
        Assert.Equal(fromElf.EntryPoint, fromHex.EntryPoint);
        foreach (var segment in fromHex.Segments)
        {
            var elfBytes = new byte[segment.Length];
            Assert.True(elfMemory.TryReadBytes(segment.Address, elfBytes));
            Assert.Equal(segment.Data, elfBytes);
        }

        Assert.Equal(Sum(fromElf, elfMemory), Sum(fromElf, hexMemory));
    }

    [Theory]
    [InlineData(0x0001_8000u)]
    [InlineData(0x0800_0000u)]
    public void Intel_hex_with_segment_or_linear_records_places_the_bytes_objcopy_moved(uint shift)
    {
        // objcopy writes extended segment records (02, start 03) below 1 MiB and linear ones (04, start 05) above.
        string hex = Path.Combine(ArmToolchain.Scratch, $"shifted-{shift:x}-{Guid.NewGuid():N}.hex");
        ArmToolchain.Binutil("objcopy", "-O", "ihex", "--change-addresses", $"0x{shift:x}", Elf, hex);
        var fromElf = ImageLoader.Load(Elf, null);
        var fromHex = ImageLoader.Load(hex, null);
        string text = File.ReadAllText(hex);
        Assert.Contains(shift < 0x10_0000 ? ":02000002" : ":02000004", text, StringComparison.Ordinal);

        Assert.Equal(fromElf.EntryPoint + shift, fromHex.EntryPoint);
        using var elfMemory = Mps2Memory();
        ImageLoader.Place(fromElf, elfMemory);
        foreach (var segment in fromHex.Segments)
        {
            var original = new byte[segment.Length];
            Assert.True(elfMemory.TryReadBytes(segment.Address - shift, original));
            Assert.Equal(original, segment.Data);
        }

        long fileBytes = ElfReader.Read(File.ReadAllBytes(Elf), Elf, ElfTarget.Arm).ProgramHeaders.Where(h => h.IsLoad).Sum(h => (long)h.FileSize);
        Assert.Equal(fileBytes, fromHex.TotalBytes);
    }

    [Fact]
    public void Symbols_match_nm()
    {
        var nm = ArmToolchain.Binutil("nm", "-S", "--defined-only", Elf).Stdout;
        var rows = NmLine().Matches(nm)
            .Select(m => (Address: Hex(m.Groups[1].Value), Size: Hex(m.Groups[2].Value), Type: m.Groups[3].Value, Name: m.Groups[4].Value))
            .Where(r => "TtDdBbRr".Contains(r.Type, StringComparison.Ordinal))
            .ToList();
        var unique = rows.GroupBy(r => r.Name).Where(g => g.Count() == 1).Select(g => g.Single()).ToList();
        var symbols = ImageLoader.Load(Elf, null).Symbols;

        Assert.Contains(unique, r => r.Name == "main");
        Assert.True(unique.Count > 50, $"only {unique.Count} symbols from nm");
        foreach (var row in unique)
        {
            var symbol = symbols.Find(row.Name);
            Assert.True(symbol is not null, $"{row.Name} missing");
            Assert.Equal((row.Name, row.Address, row.Size), (symbol.Name, symbol.Address, symbol.Size));
        }
    }

    [Fact]
    public void Symbol_kinds_match_readelf()
    {
        var readelf = ArmToolchain.Binutil("readelf", "-sW", Elf).Stdout;
        var symbols = ImageLoader.Load(Elf, null).Symbols;
        int checkedCount = 0;
        foreach (Match m in SymbolLine().Matches(readelf))
        {
            string type = m.Groups[1].Value;
            string name = m.Groups[2].Value;
            if (type is "FUNC" or "OBJECT" && symbols.Find(name) is { } symbol)
            {
                Assert.Equal(type == "FUNC" ? SymbolKind.Function : SymbolKind.Object, symbol.Kind);
                checkedCount++;
            }
        }

        Assert.True(checkedCount > 50, $"only {checkedCount} symbols compared");
        Assert.Equal(SymbolKind.Object, symbols.Find("vectors")!.Kind);
        Assert.Equal(SymbolKind.Function, symbols.Find("triple")!.Kind);
    }

    [Fact]
    public void Describe_names_the_same_function_as_addr2line()
    {
        var image = ImageLoader.Load(Elf, null);
        var addresses = new[] { "main", "triple", "sum_to", "printf", "Reset_Handler" }
            .Select(name => image.Symbols.Find(name)!)
            .SelectMany(s => new[] { s.Address, s.Address + (s.Size / 2), s.Address + s.Size - 2 })
            .ToList();

        var output = ArmToolchain.Binutil("addr2line", ["-f", "-e", Elf, .. addresses.Select(a => $"0x{a:x}")]).Stdout
            .Split('\n', StringSplitOptions.RemoveEmptyEntries);

        for (int i = 0; i < addresses.Count; i++)
        {
            string function = output[2 * i].Trim();
            string described = image.Symbols.Describe(addresses[i]);
            Assert.True(described == function || described.StartsWith(function + "+0x", StringComparison.Ordinal),
                $"0x{addresses[i]:X8}: addr2line says {function}, Describe says {described}");
        }
    }

    [Fact]
    public void Memory_after_loading_matches_what_qemu_loads_for_the_same_elf()
    {
        var image = ImageLoader.Load(Elf, null);
        using var memory = Mps2Memory();
        ImageLoader.Place(image, memory);
        uint dataLoad = image.Symbols.Find("__data_load")?.Address ?? image.Segments[1].Address;
        uint main = image.Symbols.Find("main")!.Address & ~3u;

        foreach (uint address in new[] { 0u, main, dataLoad })
        {
            var qemu = Qemu.ReadWords(Elf, address, 8);
            var ours = Enumerable.Range(0, 8).Select(i => memory.Read32(address + (uint)(4 * i))).ToArray();
            Assert.Equal(qemu, ours);
        }
    }

    private static long Sum(FirmwareImage image, AddressSpace memory) =>
        image.Segments.Sum(s => Enumerable.Range(0, (int)s.Length).Sum(i => (long)memory.Read8(s.Address + (uint)i)));

    // "  LOAD  0x001000 0x00000000 0x00000000 0x07f34 0x07f34 RWE 0x1000"
    [GeneratedRegex(@"^\s*LOAD\s+(0x[0-9a-f]+)\s+(0x[0-9a-f]+)\s+(0x[0-9a-f]+)\s+(0x[0-9a-f]+)\s+(0x[0-9a-f]+)", RegexOptions.Multiline)]
    private static partial Regex LoadLine();

    // "   42: 000001b9    56 FUNC    GLOBAL DEFAULT    1 Reset_Handler"
    [GeneratedRegex(@"^\s*\d+: [0-9a-f]{8}\s+\d+ (\w+)\s+\w+\s+\w+\s+\d+ (\S+)$", RegexOptions.Multiline)]
    private static partial Regex SymbolLine();

    // "000001b8 00000038 T Reset_Handler"
    [GeneratedRegex(@"^([0-9a-f]{8}) ([0-9a-f]{8}) (\w) (\S+)$", RegexOptions.Multiline)]
    private static partial Regex NmLine();
}
