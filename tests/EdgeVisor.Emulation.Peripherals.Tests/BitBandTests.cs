using EdgeVisor.Emulation.Memory;
using EdgeVisor.Emulation.Peripherals.Bus;

namespace EdgeVisor.Emulation.Peripherals.Tests;

public sealed class BitBandTests : IDisposable
{
    private readonly AddressSpace _bus = new();

    public BitBandTests()
    {
        _bus.MapMemory("sram", 0x20000000, 0x10000, RegionKind.Ram);
        _bus.MapDevice("alias", 0x22000000, 0x02000000, new BitBandAlias("alias", _bus, 0x20000000));
    }

    [Fact]
    public void Alias_words_read_and_write_single_bits_of_the_target()
    {
        _bus.Write8(0x20000003, 0b1000_0001);
        Assert.Equal(1u, _bus.Read32(0x22000000 + (3 * 32) + (0 * 4)));
        Assert.Equal(0u, _bus.Read32(0x22000000 + (3 * 32) + (1 * 4)));
        Assert.Equal(1u, _bus.Read32(0x22000000 + (3 * 32) + (7 * 4)));
        _bus.Write32(0x22000000 + (3 * 32) + (4 * 4), 0xFFFFFFFF);
        _bus.Write32(0x22000000 + (3 * 32) + (0 * 4), 0);
        Assert.Equal(0b1001_0000, _bus.Read8(0x20000003));
        Assert.Equal(0u, _bus.Read32(0x20000000) & 0x00FFFFFF);
    }

    public void Dispose() => _bus.Dispose();
}
