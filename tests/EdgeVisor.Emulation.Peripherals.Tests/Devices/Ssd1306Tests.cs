using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;
using EdgeVisor.Emulation.Peripherals.Devices;
using EdgeVisor.Emulation.Peripherals.I2c;

namespace EdgeVisor.Emulation.Peripherals.Tests.Devices;

public sealed class Ssd1306Tests
{
    private const int Address = 0x3C;
    private readonly TestBench _bench = new(1_000_000);
    private readonly I2cBus _bus;
    private readonly I2cController _i2c;

    public Ssd1306Tests()
    {
        _bus = new I2cBus("i2c1", () => _bench.Clock.Now);
        _i2c = new I2cController(_bus);
    }

    private Ssd1306 Attach(int height = 64)
    {
        var display = new Ssd1306("oled", height);
        _bus.Attach(Address, display);
        return display;
    }

    private void Commands(params byte[] commands) => Assert.True(_i2c.Write(Address, [0x00, .. commands]));

    private void Data(params byte[] data) => Assert.True(_i2c.Write(Address, [0x40, .. data]));

    /// <summary>The init sequence a typical Arduino/Linux driver sends for a 128xN module.</summary>
    private void TypicalInit(int height = 64) => Commands(
        0xAE, 0xD5, 0x80, 0xA8, (byte)(height - 1), 0xD3, 0x00, 0x40, 0x8D, 0x14, 0x20, 0x00,
        0xA1, 0xC8, 0xDA, (byte)(height == 64 ? 0x12 : 0x02), 0x81, 0xCF, 0xD9, 0xF1, 0xDB, 0x40, 0xA4, 0xA6, 0x2E, 0xAF);

    private static string[] Lines(Ssd1306 display) => display.ToAscii().Split('\n', StringSplitOptions.RemoveEmptyEntries);

    [Fact]
    public void Power_on_state_is_dark_until_display_on_and_charge_pump()
    {
        var display = Attach();
        Data(0xFF, 0xFF);
        Assert.Equal(0, display.Render().LitCount);
        Assert.Equal(0x40, _i2c.Read(Address, 1)[0]); // status: display off

        Commands(0xAF);
        Assert.Equal(0, display.Render().LitCount); // no high voltage yet
        Commands(0x8D, 0x14);
        Assert.Equal(16, display.Render().LitCount);
        Assert.Equal(1, display.Get("on"));
        Assert.Equal(0x00, _i2c.Read(Address, 1)[0]);
    }

    [Fact]
    public void Typical_init_and_horizontal_writes_draw_upright_with_column_0_page_0_top_left()
    {
        var display = Attach();
        TypicalInit();
        Commands(0x21, 0, 127, 0x22, 0, 7);
        byte[] frame = new byte[1024];
        frame[0] = 0x01;           // (0, 0)
        frame[127] = 0x80;         // (127, 7)
        frame[128 + 3] = 0x0F;     // (3, 8..11)
        frame[1023] = 0x80;        // (127, 63)
        Data(frame);

        var image = display.Render();
        Assert.True(image[0, 0]);
        Assert.True(image[127, 7]);
        Assert.True(image[3, 8] && image[3, 11] && !image[3, 12]);
        Assert.True(image[127, 63]);
        Assert.Equal(7, image.LitCount);
    }

    [Fact]
    public void A_drawn_pattern_renders_as_ascii()
    {
        var display = Attach(height: 32);
        TypicalInit(height: 32);
        Commands(0x21, 0, 7, 0x22, 0, 0);
        Data(0xFF, 0x81, 0x81, 0x81, 0x81, 0x81, 0x81, 0xFF); // an 8x8 box at the top left

        string[] lines = Lines(display);
        Assert.Equal(32, lines.Length);
        Assert.Equal("########" + new string('.', 120), lines[0]);
        Assert.Equal("#......#" + new string('.', 120), lines[3]);
        Assert.Equal("########" + new string('.', 120), lines[7]);
        Assert.Equal(new string('.', 128), lines[8]);
    }

    [Fact]
    public void Horizontal_mode_wraps_inside_the_column_and_page_window()
    {
        var display = Attach();
        TypicalInit();
        Commands(0x21, 10, 12, 0x22, 2, 3);
        Data(1, 2, 3, 4, 5, 6, 7);
        byte[] ram = display.Gddram.ToArray();
        Assert.Equal([7, 2, 3], ram[266..269]); // page 2, columns 10..12; the 7th byte wrapped to the window's start
        Assert.Equal([4, 5, 6], ram[394..397]); // page 3
        Assert.Equal(0, ram[269]);
    }

    [Fact]
    public void Vertical_mode_goes_down_the_pages_first()
    {
        var display = Attach();
        TypicalInit();
        Commands(0x20, 0x01, 0x21, 0, 127, 0x22, 0, 1);
        Data(0xA, 0xB, 0xC);
        byte[] ram = display.Gddram.ToArray();
        Assert.Equal(0xA, ram[0]);
        Assert.Equal(0xB, ram[128]);
        Assert.Equal(0xC, ram[1]);
    }

    [Fact]
    public void Page_mode_uses_page_and_column_start_commands_and_stays_on_the_page()
    {
        var display = Attach();
        TypicalInit();
        Commands(0x20, 0x02, 0xB5, 0x0E, 0x17); // page 5, column 0x7E
        Data(0x11, 0x22, 0x33);
        byte[] ram = display.Gddram.ToArray();
        Assert.Equal(0x11, ram[(5 * 128) + 126]);
        Assert.Equal(0x22, ram[(5 * 128) + 127]);
        Assert.Equal(0x33, ram[5 * 128]); // wraps to the column start, same page
        Assert.Equal(0, ram[6 * 128]);
    }

    [Fact]
    public void Page_and_column_start_commands_position_writes_in_horizontal_mode_too()
    {
        // A tile-based driver: horizontal mode from its init, then column nibbles and page before each tile.
        var display = Attach();
        TypicalInit();
        Commands(0x40, 0x10 | (40 >> 4), 40 & 15, 0xB0 | 3);
        Data(0xFF, 0x81, 0x81, 0x81, 0x81, 0x81, 0x81, 0xFF);
        byte[] ram = display.Gddram.ToArray();
        Assert.Equal(0xFF, ram[(3 * 128) + 40]);
        Assert.Equal(0xFF, ram[(3 * 128) + 47]);
        Assert.True(display.Render()[40, 24]);
        Assert.Equal(8 + 8 + 6 + 6, display.Render().LitCount);
    }

    [Fact]
    public void Single_byte_control_bytes_interleave_commands_and_parameters()
    {
        var display = Attach();
        Assert.True(_i2c.Write(Address, 0x80, 0x8D, 0x80, 0x14, 0x80, 0xAF, 0xC0, 0xFF));
        Assert.True(display.Lit);
        Assert.Equal(0xFF, display.Gddram[0]);
    }

    [Fact]
    public void Invert_entire_display_on_and_display_off_change_the_picture_not_the_ram()
    {
        var display = Attach();
        TypicalInit();
        Data(0xFF);
        Commands(0xA7);
        Assert.Equal((128 * 64) - 8, display.Render().LitCount);
        Commands(0xA6, 0xA5);
        Assert.Equal(128 * 64, display.Render().LitCount);
        Commands(0xA4, 0xAE);
        Assert.Equal(0, display.Render().LitCount);
        Commands(0xAF);
        Assert.Equal(8, display.Render().LitCount);
    }

    [Fact]
    public void Segment_remap_and_com_scan_direction_mirror_the_picture()
    {
        var display = Attach();
        TypicalInit();
        Data(0x01); // column 0, row 0
        Commands(0xA0);
        Assert.True(display.Render()[127, 0]);
        Commands(0xC0);
        Assert.True(display.Render()[127, 63]);
    }

    [Fact]
    public void Start_line_and_display_offset_shift_the_picture_vertically()
    {
        var display = Attach();
        TypicalInit();
        Commands(0xB0, 0x00, 0x10);
        Data(0x01); // row 0
        Commands(0x40 | 5);
        Assert.True(display.Render()[0, 59]); // row 0 now shown 5 lines further on the wrap-around
        Commands(0x40, 0xD3, 0x03);
        Assert.Equal(1, display.Render().LitCount);
        Assert.False(display.Render()[0, 0]);
    }

    [Fact]
    public void Sequential_com_pins_on_a_64_row_panel_interleave_the_picture_as_on_a_real_module()
    {
        var display = Attach();
        TypicalInit();
        Commands(0xDA, 0x02);
        Data(0x03); // rows 0 and 1
        var image = display.Render();
        Assert.Equal(2, image.LitCount);
        Assert.False(image[0, 0] && image[0, 1]); // no longer adjacent
    }

    [Fact]
    public void Save_image_writes_a_valid_png_with_the_lit_pixels_white()
    {
        var display = Attach(height: 32);
        TypicalInit(height: 32);
        Data(0x01, 0x00, 0x01);
        string path = Path.Combine(Path.GetTempPath(), $"edgevisor-oled-{Guid.NewGuid():N}.png");
        try
        {
            display.SaveImage(path);
            byte[] png = File.ReadAllBytes(path);
            Assert.Equal([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A], png[..8]);

            var chunks = PngChunks(png);
            Assert.Equal(["IHDR", "IDAT", "IEND"], chunks.Select(c => c.Type));
            byte[] header = chunks[0].Data;
            Assert.Equal(128, BinaryPrimitives.ReadInt32BigEndian(header));
            Assert.Equal(32, BinaryPrimitives.ReadInt32BigEndian(header.AsSpan(4)));
            Assert.Equal(1, header[8]);

            using var zlib = new ZLibStream(new MemoryStream(chunks[1].Data), CompressionMode.Decompress);
            using var raw = new MemoryStream();
            zlib.CopyTo(raw);
            byte[] rows = raw.ToArray();
            Assert.Equal(32 * 17, rows.Length);
            Assert.Equal(0, rows[0]);            // filter type none
            Assert.Equal(0b1010_0000, rows[1]);  // pixels (0,0) and (2,0) white
            Assert.All(rows[2..17], b => Assert.Equal(0, b));
            Assert.All(rows[17..], b => Assert.Equal(0, b));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Save_image_writes_pbm_for_a_pbm_path()
    {
        var display = Attach(height: 32);
        TypicalInit(height: 32);
        Data(0x01);
        string path = Path.Combine(Path.GetTempPath(), $"edgevisor-oled-{Guid.NewGuid():N}.pbm");
        try
        {
            display.SaveImage(path);
            byte[] pbm = File.ReadAllBytes(path);
            byte[] header = Encoding.ASCII.GetBytes("P4\n128 32\n");
            Assert.Equal(header, pbm[..header.Length]);
            Assert.Equal(header.Length + (16 * 32), pbm.Length);
            Assert.Equal(0x7F, pbm[header.Length]); // lit (0,0) is white: PBM bit 0
            Assert.Equal(0xFF, pbm[header.Length + 1]);
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static List<(string Type, byte[] Data)> PngChunks(byte[] png)
    {
        var chunks = new List<(string, byte[])>();
        for (int at = 8; at < png.Length;)
        {
            int length = BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(at));
            byte[] typeAndData = png[(at + 4)..(at + 8 + length)];
            uint crc = BinaryPrimitives.ReadUInt32BigEndian(png.AsSpan(at + 8 + length));
            Assert.Equal(Crc32(typeAndData), crc);
            chunks.Add((Encoding.ASCII.GetString(typeAndData, 0, 4), typeAndData[4..]));
            at += 12 + length;
        }

        return chunks;
    }

    // A bitwise CRC-32, independent of the table-driven one under test.
    private static uint Crc32(byte[] data)
    {
        uint crc = 0xFFFFFFFF;
        foreach (byte b in data)
        {
            crc ^= b;
            for (int k = 0; k < 8; k++)
            {
                crc = (crc >> 1) ^ (0xEDB88320 & (0 - (crc & 1)));
            }
        }

        return ~crc;
    }
}
