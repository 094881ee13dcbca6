using EdgeVisor.Emulation.Loading;

namespace EdgeVisor.Emulation.Tests.Loading;

public sealed class SymbolTableTests
{
    private readonly SymbolTable _table = new(
    [
        new ImageSymbol("Reset_Handler", 0x100, 0, SymbolKind.Label),
        new ImageSymbol("main", 0x200, 0x40, SymbolKind.Function),
        new ImageSymbol("main_label", 0x200, 0, SymbolKind.Label),
        new ImageSymbol("loop", 0x210, 0, SymbolKind.Label),
        new ImageSymbol("helper", 0x240, 0x10, SymbolKind.Function),
        new ImageSymbol("table", 0x2000_0000, 0x100, SymbolKind.Object),
        new ImageSymbol("table_entry", 0x2000_0010, 4, SymbolKind.Object),
    ]);

    [Theory]
    [InlineData(0x200u, "main")]
    [InlineData(0x212u, "main+0x12")]
    [InlineData(0x23Fu, "main+0x3f")]
    [InlineData(0x240u, "helper")]
    [InlineData(0x104u, "Reset_Handler+0x4")]
    [InlineData(0x1FFu, "Reset_Handler+0xff")]
    [InlineData(0x250u, "0x00000250")]
    [InlineData(0x50u, "0x00000050")]
    [InlineData(0x2000_0012u, "table_entry+0x2")]
    [InlineData(0x2000_0020u, "table+0x20")]
    [InlineData(0xFFFF_FFFFu, "0xFFFFFFFF")]
    public void Describe_names_the_symbol_an_address_belongs_to(uint address, string expected)
    {
        Assert.Equal(expected, _table.Describe(address));
    }

    [Fact]
    public void Lookup_and_find_return_the_symbols()
    {
        Assert.Equal("main", _table.Lookup(0x210)!.Name);
        Assert.Null(_table.Lookup(0x250));
        Assert.Equal(0x240u, _table.Find("helper")!.Address);
        Assert.Null(_table.Find("nothing"));
        Assert.Equal(7, _table.Count);
        Assert.Equal("0x00000010", SymbolTable.Empty.Describe(0x10));
        var image = new FirmwareImage("fw.elf", ImageFormat.Elf, [], null, _table);
        Assert.Equal("helper+0x4", image.Describe(0x244));
    }

    [Fact]
    public void Lookup_is_right_across_a_large_table()
    {
        var big = new SymbolTable(Enumerable.Range(0, 100_000).Select(i => new ImageSymbol($"f{i}", (uint)i * 16, 16, SymbolKind.Function)));
        for (uint a = 0; a < 1_600_000; a += 7)
        {
            Assert.Equal($"f{a / 16}", big.Lookup(a)!.Name);
        }
    }
}
