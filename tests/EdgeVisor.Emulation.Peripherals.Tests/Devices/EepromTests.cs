using System.Text.Json;
using EdgeVisor.Emulation.Peripherals.Devices;
using EdgeVisor.Emulation.Peripherals.I2c;

namespace EdgeVisor.Emulation.Peripherals.Tests.Devices;

public sealed class EepromTests
{
    private const int Address = 0x50;
    private readonly TestBench _bench = new(1_000_000);
    private readonly I2cBus _bus;
    private readonly I2cController _i2c;

    public EepromTests()
    {
        _bus = new I2cBus("i2c1", () => _bench.Clock.Now);
        _i2c = new I2cController(_bus);
    }

    private Eeprom24Cxx Attach(Eeprom24Cxx eeprom)
    {
        for (int i = 0; i < eeprom.Targets.Count; i++)
        {
            _bus.Attach(Address + i, eeprom.Targets[i]);
        }

        return eeprom;
    }

    private void WaitForWriteCycle()
    {
        int polls = 0;
        while (!_bus.Start(Address, read: false))
        {
            _bus.Stop();
            _bench.Advance(_bench.Clock.CyclesFor(TimeSpan.FromMicroseconds(100)));
            Assert.True(++polls < 1000, "the write cycle never ended");
        }

        _bus.Stop();
    }

    [Fact]
    public void Erased_24c02_reads_ff_and_byte_write_reads_back_at_random_address()
    {
        var eeprom = Attach(new Eeprom24Cxx("eeprom", _bench.Clock));
        Assert.Equal(256, eeprom.Size);
        Assert.Equal([0xFF, 0xFF], _i2c.ReadRegisters(Address, 0x10, 2));

        Assert.True(_i2c.Write(Address, 0x42, 0xA5));
        WaitForWriteCycle();
        Assert.Equal(0xA5, _i2c.ReadRegister(Address, 0x42));
        Assert.Equal(1, eeprom.Get("writes"));
    }

    [Fact]
    public void Acknowledge_polling_sees_nack_for_the_5_ms_write_cycle()
    {
        Attach(new Eeprom24Cxx("eeprom", _bench.Clock));
        Assert.True(_i2c.Write(Address, 0x00, 1, 2, 3));
        ulong start = _bench.Clock.Now;
        Assert.False(_i2c.Write(Address, 0x00));
        _bench.Advance(_bench.Clock.CyclesFor(TimeSpan.FromMilliseconds(4.9)));
        Assert.False(_bus.Start(Address, read: true));
        _bus.Stop();
        WaitForWriteCycle();
        Assert.Equal(5000UL, _bench.Clock.Now - start, 100UL);
    }

    [Fact]
    public void Page_write_wraps_inside_the_8_byte_page()
    {
        Attach(new Eeprom24Cxx("eeprom", _bench.Clock));
        Assert.True(_i2c.Write(Address, 0x0D, 0xD0, 0xD1, 0xD2, 0xD3, 0xD4)); // 0x0D..0x0F, then wraps to 0x08
        WaitForWriteCycle();
        Assert.Equal([0xD3, 0xD4, 0xFF, 0xFF, 0xFF, 0xD0, 0xD1, 0xD2, 0xFF], _i2c.ReadRegisters(Address, 0x08, 9));
    }

    [Fact]
    public void More_than_a_page_overwrites_the_start_of_the_page()
    {
        Attach(new Eeprom24Cxx("eeprom", _bench.Clock));
        Assert.True(_i2c.Write(Address, [0x20, .. Enumerable.Range(1, 10).Select(i => (byte)i)]));
        WaitForWriteCycle();
        Assert.Equal([9, 10, 3, 4, 5, 6, 7, 8], _i2c.ReadRegisters(Address, 0x20, 8));
    }

    [Fact]
    public void Sequential_read_rolls_over_from_the_last_byte_to_the_first()
    {
        byte[] contents = [.. Enumerable.Range(0, 256).Select(i => (byte)i)];
        Attach(new Eeprom24Cxx("eeprom", _bench.Clock, contents: contents));
        Assert.Equal([0xFE, 0xFF, 0x00, 0x01], _i2c.ReadRegisters(Address, 0xFE, 4));
        Assert.Equal([0x02, 0x03], _i2c.Read(Address, 2)); // current-address read goes on from the counter
    }

    [Fact]
    public void A_write_not_ended_by_stop_is_not_programmed()
    {
        var eeprom = Attach(new Eeprom24Cxx("eeprom", _bench.Clock));
        Assert.True(_bus.Start(Address, read: false));
        Assert.True(_bus.Write(0x30));
        Assert.True(_bus.Write(0x77));
        Assert.True(_bus.Start(Address, read: true)); // repeated START instead of STOP
        _bus.Read(ack: false);
        _bus.Stop();
        Assert.Equal(0, eeprom.Writes);
        Assert.Equal(0xFF, _i2c.ReadRegister(Address, 0x30));
    }

    [Fact]
    public void A_24c16_answers_at_eight_addresses_with_16_byte_pages()
    {
        var eeprom = Attach(new Eeprom24Cxx("big", _bench.Clock, size: 2048));
        Assert.Equal(16, eeprom.PageSize);
        Assert.True(_i2c.Write(0x53, 0x10, 0x33));
        WaitForWriteCycle();
        Assert.Equal(0x33, eeprom.Contents[0x310]);
        Assert.Equal(0x33, _i2c.ReadRegister(0x53, 0x10));
        Assert.Equal(0xFF, _i2c.ReadRegister(0x50, 0x10));
        Assert.Equal([0xFF, 0xFF], _i2c.ReadRegisters(0x57, 0xFF, 2)); // 0x7FF then rolls over to 0x000
    }

    [Fact]
    public void File_image_is_loaded_and_rewritten_after_each_write_cycle()
    {
        string path = Path.Combine(Path.GetTempPath(), $"edgevisor-eeprom-{Guid.NewGuid():N}.bin");
        try
        {
            var spec = new DeviceSpec("cfg", "24c02", new Dictionary<string, JsonElement>
            {
                ["file"] = JsonSerializer.SerializeToElement(path),
                ["contents"] = JsonSerializer.SerializeToElement("01 02 03"),
            });
            SimulatedDeviceCatalog.Create(spec, DeviceConnection.OnBus(_bus, Address), _bench.Clock);
            Assert.Equal([1, 2, 3, 0xFF], _i2c.ReadRegisters(Address, 0, 4));
            Assert.True(_i2c.Write(Address, 0x01, 0x99));
            WaitForWriteCycle();

            byte[] image = File.ReadAllBytes(path);
            Assert.Equal(256, image.Length);
            Assert.Equal([1, 0x99, 3], image[..3]);

            // A second run starts from the saved image.
            var bus2 = new I2cBus("i2c2", () => _bench.Clock.Now);
            SimulatedDeviceCatalog.Create(spec with { Properties = new Dictionary<string, JsonElement> { ["file"] = JsonSerializer.SerializeToElement(path) } }, DeviceConnection.OnBus(bus2, Address), _bench.Clock);
            Assert.Equal(0x99, new I2cController(bus2).ReadRegister(Address, 0x01));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Catalog_rejects_a_misaligned_24c04_and_a_size_that_is_not_a_part()
    {
        var size = Assert.Throws<FormatException>(() => SimulatedDeviceCatalog.Create(
            new DeviceSpec("e", "24c02", new Dictionary<string, JsonElement> { ["size"] = JsonSerializer.SerializeToElement(300) }),
            DeviceConnection.OnBus(_bus, 0x50),
            _bench.Clock));
        Assert.Equal("device e: property 'size' must be one of 128, 256, 512, 1024, 2048", size.Message);

        var aligned = Assert.Throws<FormatException>(() => SimulatedDeviceCatalog.Create(
            new DeviceSpec("e", "24c02", new Dictionary<string, JsonElement> { ["size"] = JsonSerializer.SerializeToElement(512) }),
            DeviceConnection.OnBus(_bus, 0x51),
            _bench.Clock));
        Assert.Equal("device e: this 24c02 takes 2 consecutive addresses from a base that is a multiple of 2, not 0x51", aligned.Message);
        Assert.Empty(_bus.Targets);
    }
}
