namespace EdgeVisor.Emulation.Peripherals.Devices;

/// <summary>
/// The SSD1306 command set as data: how many parameter bytes follow each command byte, so the decoder stays in
/// step with the stream even for commands the model does not act on (scrolling, timing, VCOMH).
/// </summary>
internal static class Ssd1306Commands
{
    public const byte MemoryAddressingMode = 0x20;
    public const byte ColumnAddress = 0x21;
    public const byte PageAddress = 0x22;
    public const byte DeactivateScroll = 0x2E;
    public const byte ActivateScroll = 0x2F;
    public const byte Contrast = 0x81;
    public const byte ChargePump = 0x8D;
    public const byte SegmentRemapNormal = 0xA0;
    public const byte SegmentRemapReversed = 0xA1;
    public const byte FollowRam = 0xA4;
    public const byte EntireDisplayOn = 0xA5;
    public const byte NormalDisplay = 0xA6;
    public const byte InverseDisplay = 0xA7;
    public const byte MultiplexRatio = 0xA8;
    public const byte DisplayOff = 0xAE;
    public const byte DisplayOn = 0xAF;
    public const byte ComScanNormal = 0xC0;
    public const byte ComScanReversed = 0xC8;
    public const byte DisplayOffset = 0xD3;
    public const byte ComPins = 0xDA;

    // Commands with parameters; everything else is a single byte (ranges 0x00-0x1F, 0x40-0x7F, 0xB0-0xB7 included).
    private static readonly Dictionary<byte, int> Parameters = new()
    {
        [MemoryAddressingMode] = 1,
        [ColumnAddress] = 2,
        [PageAddress] = 2,
        [0x26] = 6, // right horizontal scroll setup
        [0x27] = 6, // left horizontal scroll setup
        [0x29] = 5, // vertical and right horizontal scroll setup
        [0x2A] = 5, // vertical and left horizontal scroll setup
        [Contrast] = 1,
        [ChargePump] = 1,
        [0xA3] = 2, // vertical scroll area
        [MultiplexRatio] = 1,
        [0xAD] = 1, // internal IREF selection (SSD1306B)
        [DisplayOffset] = 1,
        [0xD5] = 1, // display clock divide ratio / oscillator frequency
        [0xD9] = 1, // pre-charge period
        [ComPins] = 1,
        [0xDB] = 1, // VCOMH deselect level
    };

    /// <summary>Parameter bytes that follow <paramref name="command"/>.</summary>
    public static int ParameterCount(byte command) => Parameters.GetValueOrDefault(command);
}
