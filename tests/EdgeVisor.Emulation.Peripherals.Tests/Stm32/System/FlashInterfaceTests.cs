using EdgeVisor.Emulation.Memory;
using EdgeVisor.Emulation.Peripherals.Stm32.Flash;

namespace EdgeVisor.Emulation.Peripherals.Tests.Stm32.SystemModels;

public sealed class FlashInterfaceTests : IDisposable
{
    private const uint Acr = 0x00, Keyr = 0x04, OptKeyr = 0x08, Sr = 0x0C, Cr = 0x10, OptCr = 0x14;
    private const uint Array = 0x08000000;
    private readonly TestBench _bench = new();
    private readonly AddressSpace _bus = new();
    private readonly Stm32FlashInterface _flash;

    public FlashInterfaceTests()
    {
        _bus.MapMemory("flash", Array, 1024 * 1024, RegionKind.Rom);
        _bus.MapAlias("alias", 0, 1024 * 1024, Array);
        _bus.Load(Array, [0x78, 0x56, 0x34, 0x12]);
        _flash = new Stm32FlashInterface("flash", _bus, _bench.Line(4), Array, 0);
        _flash.Reset();
    }

    public void Dispose() => _bus.Dispose();

    private void Unlock()
    {
        _flash.Write(Keyr, 0x45670123, 4);
        _flash.Write(Keyr, 0xCDEF89AB, 4);
    }

    [Fact]
    public void Registers_reset_locked_and_acr_reads_back_latency_and_caches()
    {
        Assert.Equal((0x80000000u, 0x0FFFAAEDu, 0u), (_flash.Read(Cr, 4), _flash.Read(OptCr, 4), _flash.Read(Sr, 4)));
        _flash.Write(Acr, 0x0705, 4); // 5 wait states, prefetch, I- and D-cache
        Assert.Equal(0x0705u, _flash.Read(Acr, 4));
    }

    [Fact]
    public void The_key_sequence_unlocks_and_a_wrong_key_locks_until_reset()
    {
        _flash.Write(Cr, 1, 4);
        Assert.Equal(0x80000000u, _flash.Read(Cr, 4)); // locked: ignored
        Unlock();
        Assert.Equal(0u, _flash.Read(Cr, 4));
        _flash.Write(Cr, 1u << 31, 4);
        Assert.True(_flash.IsLocked);
        _flash.Write(Keyr, 0x12345678, 4); // wrong key
        Unlock();
        Assert.True(_flash.IsLocked);
        _flash.Reset();
        Unlock();
        Assert.False(_flash.IsLocked);
    }

    [Fact]
    public void The_option_key_sequence_unlocks_optcr()
    {
        _flash.Write(OptCr, 0x0FFF55EC, 4);
        Assert.Equal(0x0FFFAAEDu, _flash.Read(OptCr, 4));
        _flash.Write(OptKeyr, 0x08192A3B, 4);
        _flash.Write(OptKeyr, 0x4C5D6E7F, 4);
        Assert.Equal(0x0FFFAAECu, _flash.Read(OptCr, 4));
        _flash.Write(OptCr, 0x0FFFAACC, 4); // BOR level 3 -> 0
        Assert.Equal(0x0FFFAACCu, _flash.Read(OptCr, 4));
    }

    [Fact]
    public void With_pg_set_core_writes_program_bits_from_1_to_0_only()
    {
        _bus.Load(Array + 0x100, [0xFF, 0xFF, 0xFF, 0xFF]);
        Unlock();
        _flash.Write(Cr, (2u << 8) | 1, 4); // PSIZE x32, PG
        _bus.Write32(Array + 0x100, 0xA5A5F00F);
        Assert.Equal(0xA5A5F00Fu, _bus.Read32(Array + 0x100));
        _bus.Write32(0x100, 0xFFFF0000); // through the boot alias; 1s cannot come back
        Assert.Equal(0xA5A50000u, _bus.Read32(Array + 0x100));
        Assert.Equal(0u, _flash.Read(Sr, 4));
    }

    [Fact]
    public void Writes_without_pg_or_of_the_wrong_size_are_errors_that_change_nothing()
    {
        _bus.Write32(Array, 0);
        Assert.Equal(0x12345678u, _bus.Read32(Array));
        Assert.Equal(1u << 7, _flash.Read(Sr, 4)); // PGSERR
        _flash.Write(Sr, 1u << 7, 4);
        Unlock();
        _flash.Write(Cr, (2u << 8) | 1, 4);
        _bus.Write8(Array, 0);
        Assert.Equal(1u << 6, _flash.Read(Sr, 4)); // PGPERR
        Assert.Equal(0x12345678u, _bus.Read32(Array));
    }

    [Fact]
    public void Sector_erase_sets_one_sector_to_ff_and_reports_eop_on_the_flash_irq()
    {
        _bus.Load(Array + 0x4000, [1, 2, 3, 4]); // sector 1 (16 KiB at 0x08004000)
        _bus.Load(Array + 0x8000, [5, 6, 7, 8]); // sector 2
        Unlock();
        _flash.Write(Cr, (1u << 24) | (1u << 3) | (1u << 1), 4); // EOPIE, SNB 1, SER
        _flash.Write(Cr, (1u << 24) | (1u << 3) | (1u << 1) | (1u << 16), 4); // STRT
        Assert.Equal(0xFFFFFFFFu, _bus.Read32(Array + 0x4000));
        Assert.Equal(0xFFFFFFFFu, _bus.Read32(Array + 0x7FFC));
        Assert.Equal(0x08070605u, _bus.Read32(Array + 0x8000));
        Assert.Equal(0x12345678u, _bus.Read32(Array));
        Assert.Equal(1u, _flash.Read(Sr, 4) & 1);
        Assert.True(_bench.Controller.Level(4));
        _flash.Write(Sr, 1, 4);
        Assert.False(_bench.Controller.Level(4));
    }

    [Fact]
    public void Mass_erase_clears_the_whole_array()
    {
        Unlock();
        _flash.Write(Cr, (1u << 2) | (1u << 16), 4);
        Assert.Equal(0xFFFFFFFFu, _bus.Read32(Array));
        Assert.Equal(0xFFFFFFFFu, _bus.Read32(Array + 0xFFFFC));
    }
}
