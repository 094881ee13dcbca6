using EdgeVisor.Emulation.Peripherals.I2c;
using EdgeVisor.Emulation.Time;

namespace EdgeVisor.Emulation.Peripherals.Devices;

/// <summary>
/// Solomon SSD1306 OLED controller with a 128x64 (or "height": 32) panel on I2C (address 0x3C/0x3D). After the
/// address each transfer starts with a control byte: Co = 0 makes the rest of the transfer a stream of commands
/// (D/C# = 0) or of GDDRAM data (D/C# = 1); Co = 1 covers only the next byte, then another control byte follows.
/// Commands: display on/off, contrast, entire display on, invert, addressing modes (horizontal, vertical, page)
/// with column/page ranges and page-mode start addresses, display start line, segment remap, COM scan direction,
/// multiplex ratio, display offset, COM pin configuration, charge pump; scrolling commands are parsed but the
/// picture does not scroll. <see cref="Render"/> shows what the panel shows (dark unless the display is on and
/// the charge pump or "externalVcc" powers it), oriented so that the usual init (segment remap A1, COM scan C8)
/// puts column 0 of page 0 at the top left. A read returns the status byte (bit 6: display off).
/// </summary>
public sealed class Ssd1306 : II2cTarget, ISimulatedDevice
{
    internal static readonly DeviceType Entry = new(
        "ssd1306",
        "SSD1306 128x64/128x32 OLED display controller (I2C 0x3C/0x3D)",
        OnBus: true,
        Addresses: [0x3C, 0x3D],
        Options: ["height", "externalVcc"],
        Settable: [],
        (properties, _, _) => Create(properties));

    /// <summary>Panel width in pixels (the controller's 128 segments).</summary>
    public const int Width = 128;

    private const int Pages = 8;
    private const int Rows = 64;

    private readonly DeviceQuantities _quantities;
    private readonly byte[] _ram = new byte[Width * Pages];
    private readonly byte[] _command = new byte[8];
    private int _commandLength;
    private int _commandNeeded;
    private bool _expectControl;
    private bool _singleByte;
    private bool _dataStream;

    private int _addressingMode;
    private int _column;
    private int _page;
    private int _columnStart;
    private int _columnEnd;
    private int _pageStart;
    private int _pageEnd;

    /// <summary>A controller after power-on reset: display off, page addressing, charge pump off, GDDRAM cleared.</summary>
    public Ssd1306(string name, int height = 64, bool externalVcc = false)
    {
        if (height is not (32 or 64))
        {
            throw new ArgumentOutOfRangeException(nameof(height), height, $"device {name}: an SSD1306 panel is 32 or 64 rows high");
        }

        Name = name;
        Height = height;
        ExternalVcc = externalVcc;
        _quantities = new DeviceQuantities(name)
            .Add("on", () => Lit ? 1 : 0)
            .Add("contrast", () => ContrastLevel);
        Reset();
    }

    public string Name { get; }

    public string Type => "ssd1306";

    /// <summary>Panel height in rows (64 or 32).</summary>
    public int Height { get; }

    /// <summary>True if the panel has its own high-voltage supply (the charge pump is then not needed).</summary>
    public bool ExternalVcc { get; }

    /// <summary>True after DISPLAY ON (0xAF).</summary>
    public bool DisplayOn { get; private set; }

    /// <summary>True after the charge pump was enabled (0x8D, 0x14).</summary>
    public bool ChargePumpOn { get; private set; }

    /// <summary>True while the panel shows anything: display on and powered.</summary>
    public bool Lit => DisplayOn && (ChargePumpOn || ExternalVcc);

    /// <summary>Contrast setting 0…255 (0x81).</summary>
    public int ContrastLevel { get; private set; }

    /// <summary>True after 0xA7 (lit pixels for zero bits).</summary>
    public bool Inverted { get; private set; }

    /// <summary>True after 0xA5 (every pixel lit whatever GDDRAM holds).</summary>
    public bool EntireDisplayOn { get; private set; }

    /// <summary>True after 0xA1: column 127 drives SEG0.</summary>
    public bool SegmentRemap { get; private set; }

    /// <summary>True after 0xC8: scan from COM[N-1] to COM0.</summary>
    public bool ComScanReversed { get; private set; }

    /// <summary>Display start line (0x40-0x7F).</summary>
    public int StartLine { get; private set; }

    /// <summary>Multiplex ratio as the number of rows driven (0xA8 value + 1).</summary>
    public int Multiplex { get; private set; }

    /// <summary>Display offset (0xD3).</summary>
    public int Offset { get; private set; }

    /// <summary>COM pins configuration byte (0xDA): bit 4 alternative COM pins, bit 5 left/right remap.</summary>
    public byte ComPins { get; private set; }

    /// <summary>Graphic display data RAM: 8 pages of 128 columns, bit 0 of a byte is the page's top row.</summary>
    public ReadOnlySpan<byte> Gddram => _ram;

    public IReadOnlyCollection<string> Quantities => _quantities.Names;

    public double Get(string quantity) => _quantities.Get(quantity);

    public void Set(string quantity, double value) => _quantities.Set(quantity, value);

    /// <summary>What the panel shows now.</summary>
    public MonochromeImage Render()
    {
        var image = new MonochromeImage(Width, Height);
        if (!Lit)
        {
            return image;
        }

        for (int line = 0; line < Rows; line++)
        {
            int y = ImageRow(line);
            int ramRow = RamRowOnLine(line);
            if (y < 0 || ramRow < 0)
            {
                continue; // a COM pin the panel does not use, or a line the multiplexer does not drive
            }

            for (int column = 0; column < Width; column++)
            {
                bool bit = (_ram[((ramRow >> 3) * Width) + column] & (1 << (ramRow & 7))) != 0;
                int x = SegmentRemap ? column : Width - 1 - column;
                image[x, y] = EntireDisplayOn || (bit != Inverted);
            }
        }

        return image;
    }

    /// <summary>Saves what the panel shows: PNG, or PBM for a ".pbm" path (lit pixels white).</summary>
    public void SaveImage(string path) => Render().Save(path);

    /// <summary>What the panel shows as text: '#' lit, '.' dark, one line per row.</summary>
    public string ToAscii() => Render().ToAscii();

    public bool Start(bool read)
    {
        _expectControl = !read;
        return true;
    }

    public bool Write(byte value)
    {
        if (_expectControl)
        {
            _singleByte = (value & 0x80) != 0;
            _dataStream = (value & 0x40) != 0;
            _expectControl = false;
            return true;
        }

        if (_dataStream)
        {
            WriteData(value);
        }
        else
        {
            CommandByte(value);
        }

        // With Co set, only this one byte belonged to the control byte: the next one is a control byte again.
        _expectControl = _singleByte;
        return true;
    }

    /// <summary>In I2C mode a read returns the status byte: bit 6 is set while the display is off.</summary>
    public byte Read(bool ack) => (byte)(DisplayOn ? 0x00 : 0x40);

    public void Stop() => _expectControl = false;

    public override string ToString() => $"{Name}: SSD1306 {Width}x{Height}, {(Lit ? "on" : "off")}";

    private static Ssd1306 Create(DeviceProperties properties)
    {
        int height = properties.Integer("height", 64, 32, 64);
        return height is 32 or 64
            ? new Ssd1306(properties.DeviceName, height, properties.Bool("externalVcc", false))
            : throw properties.Bad("height", "32 or 64");
    }

    private void Reset()
    {
        DisplayOn = false;
        ChargePumpOn = false;
        ContrastLevel = 0x7F;
        Inverted = false;
        EntireDisplayOn = false;
        SegmentRemap = false;
        ComScanReversed = false;
        StartLine = 0;
        Multiplex = Rows;
        Offset = 0;
        ComPins = 0x12;
        _addressingMode = 2;
        _column = 0;
        _page = 0;
        _columnStart = 0;
        _columnEnd = Width - 1;
        _pageStart = 0;
        _pageEnd = Pages - 1;
        _commandLength = 0;
        _commandNeeded = 0;
    }

    private void CommandByte(byte value)
    {
        _command[_commandLength++] = value;
        if (_commandLength == 1)
        {
            _commandNeeded = 1 + Ssd1306Commands.ParameterCount(value);
        }

        if (_commandLength == _commandNeeded)
        {
            Execute(_command.AsSpan(0, _commandLength));
            _commandLength = 0;
        }
    }

    private void Execute(ReadOnlySpan<byte> c)
    {
        byte op = c[0];
        switch (op)
        {
            case <= 0x0F:
                SetPageModeColumn((_column & 0xF0) | op);
                break;
            case <= 0x1F:
                SetPageModeColumn(((op & 0x07) << 4) | (_column & 0x0F));
                break;
            case Ssd1306Commands.MemoryAddressingMode:
                _addressingMode = c[1] & 3; // 3 is invalid on the part; treat like page mode
                break;
            case Ssd1306Commands.ColumnAddress:
                _columnStart = c[1] & 0x7F;
                _columnEnd = c[2] & 0x7F;
                _column = _columnStart;
                break;
            case Ssd1306Commands.PageAddress:
                _pageStart = c[1] & 7;
                _pageEnd = c[2] & 7;
                _page = _pageStart;
                break;
            case >= 0x40 and <= 0x7F:
                StartLine = op & 0x3F;
                break;
            case Ssd1306Commands.Contrast:
                ContrastLevel = c[1];
                break;
            case Ssd1306Commands.ChargePump:
                ChargePumpOn = (c[1] & 0x04) != 0;
                break;
            case Ssd1306Commands.SegmentRemapNormal or Ssd1306Commands.SegmentRemapReversed:
                SegmentRemap = op == Ssd1306Commands.SegmentRemapReversed;
                break;
            case Ssd1306Commands.FollowRam or Ssd1306Commands.EntireDisplayOn:
                EntireDisplayOn = op == Ssd1306Commands.EntireDisplayOn;
                break;
            case Ssd1306Commands.NormalDisplay or Ssd1306Commands.InverseDisplay:
                Inverted = op == Ssd1306Commands.InverseDisplay;
                break;
            case Ssd1306Commands.MultiplexRatio:
                // Values below 15 are invalid and ignored by the part.
                if ((c[1] & 0x3F) >= 15)
                {
                    Multiplex = (c[1] & 0x3F) + 1;
                }

                break;
            case Ssd1306Commands.DisplayOff or Ssd1306Commands.DisplayOn:
                DisplayOn = op == Ssd1306Commands.DisplayOn;
                break;
            case >= 0xB0 and <= 0xB7:
                _page = op & 7; // see SetPageModeColumn: honoured in every mode, as parts do
                break;
            case Ssd1306Commands.ComScanNormal or Ssd1306Commands.ComScanReversed:
                ComScanReversed = op == Ssd1306Commands.ComScanReversed;
                break;
            case Ssd1306Commands.DisplayOffset:
                Offset = c[1] & 0x3F;
                break;
            case Ssd1306Commands.ComPins:
                ComPins = (byte)((c[1] & 0x30) | 0x02); // A[1] is fixed at 1
                break;
            default:
                break; // scrolling, timing and NOP: accepted, no effect on the picture
        }
    }

    /// <summary>
    /// The page-mode start commands (0x00-0x1F, 0xB0-0xB7) move the pointers in horizontal and vertical mode too:
    /// the datasheet describes them for page mode only, but parts follow them in every mode and widely used
    /// drivers (u8g2 selects horizontal mode, then positions every tile with them) rely on it.
    /// </summary>
    private void SetPageModeColumn(int column) => _column = column & 0x7F;

    private void WriteData(byte value)
    {
        _ram[(_page * Width) + _column] = value;
        switch (_addressingMode)
        {
            case 0: // horizontal: along the column range, then the next page
                if (_column >= _columnEnd)
                {
                    _column = _columnStart;
                    _page = _page >= _pageEnd ? _pageStart : _page + 1;
                }
                else
                {
                    _column++;
                }

                break;
            case 1: // vertical: down the page range, then the next column
                if (_page >= _pageEnd)
                {
                    _page = _pageStart;
                    _column = _column >= _columnEnd ? _columnStart : _column + 1;
                }
                else
                {
                    _page++;
                }

                break;
            default: // page: along the page, wrapping to the column start, the page stays
                _column = _column >= _columnEnd ? _columnStart : _column + 1;
                break;
        }
    }

    /// <summary>
    /// The GDDRAM row shown on COM line <paramref name="line"/> (lines counted in COM pin order after the scan
    /// direction), or -1 when the multiplexer does not drive it: the row counter runs 0…MUX-1, shifted by the
    /// display offset, and reads from the start line on.
    /// </summary>
    private int RamRowOnLine(int line)
    {
        int scan = ComScanReversed ? (Multiplex - 1 - line + Rows) % Rows : line;
        int counter = (scan + Offset) % Rows;
        return counter < Multiplex ? (counter + StartLine) % Rows : -1;
    }

    /// <summary>
    /// The picture row COM line <paramref name="line"/> lights, or -1. The COM pin configuration routes lines to
    /// pins (sequential or alternating between the two halves, optionally swapped); the panel's rows are wired to
    /// the pins in the order its intended configuration produces (alternative for 64 rows, sequential for 32), so
    /// another configuration interleaves the picture as on a real module.
    /// </summary>
    private int ImageRow(int line)
    {
        int pin = PinFor(line, ComPins);
        int panelRow = Height == 64 ? PanelRow64(pin) : pin;
        return panelRow < Height ? Height - 1 - panelRow : -1;
    }

    private static int PinFor(int line, byte config)
    {
        bool alternative = (config & 0x10) != 0;
        bool swapped = (config & 0x20) != 0;
        int pin = alternative ? ((line & 1) == 0 ? line / 2 : 32 + (line / 2)) : line;
        return swapped ? (pin + 32) % Rows : pin;
    }

    // A 128x64 panel is wired for the alternative configuration: pin k < 32 drives row 2k, pin 32 + k row 2k + 1.
    private static int PanelRow64(int pin) => pin < 32 ? 2 * pin : (2 * (pin - 32)) + 1;
}
