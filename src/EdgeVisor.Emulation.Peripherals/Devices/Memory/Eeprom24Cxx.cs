using EdgeVisor.Emulation.Peripherals.I2c;
using EdgeVisor.Emulation.Time;

namespace EdgeVisor.Emulation.Peripherals.Devices;

/// <summary>
/// A 24Cxx serial EEPROM (24C01/02/04/08/16: 128 bytes to 2 KiB; the default is a 24C02). The first byte of a write
/// sets the word address; the data bytes after it fill one page (8 bytes, 16 from the 24C04 up), wrapping inside
/// the page, and are programmed when STOP arrives: for the write cycle time (5 ms) the part then NACKs its address,
/// which is what acknowledge polling waits for. Reads return bytes from the address counter (current-address read,
/// or random read after a dummy write) and roll over the whole array. Parts above 256 bytes answer at 2/4/8
/// consecutive addresses, the low address bits selecting the 256-byte block (so a 24C16 takes 0x50–0x57).
/// Options: "size" (bytes), "contents" (initial bytes, the rest erased to 0xFF), "file" (an image loaded at start
/// and rewritten after each write cycle), "writeCycleMs". Quantity "writes" (completed write cycles, read-only).
/// </summary>
public sealed class Eeprom24Cxx : ISimulatedDevice, IMultiAddressTarget
{
    internal static readonly DeviceType Entry = new(
        "24c02",
        "24Cxx I2C EEPROM, 24C02 by default (I2C 0x50-0x57; size 128-2048 bytes)",
        OnBus: true,
        Addresses: DeviceType.Range(0x50, 0x57),
        Options: ["size", "contents", "file", "writeCycleMs"],
        Settable: [],
        Create)
    {
        AddressCount = properties => Blocks(properties.Integer("size", 256, 128, 2048)),
    };

    /// <summary>Erased cells read as ones.</summary>
    public const byte Erased = 0xFF;

    private static readonly int[] Sizes = [128, 256, 512, 1024, 2048];

    private readonly VirtualClock _clock;
    private readonly DeviceQuantities _quantities;
    private readonly byte[] _memory;
    private readonly byte[] _page;
    private readonly bool[] _pageWritten;
    private readonly ulong _writeCycle;
    private readonly string? _file;
    private int _counter;
    private int _pageBase;
    private int _pending;
    private bool _expectWordAddress;
    private bool _writeTransfer;
    private ulong _busyUntil;

    /// <summary>An erased (or <paramref name="contents"/>-filled) EEPROM of <paramref name="size"/> bytes.</summary>
    public Eeprom24Cxx(string name, VirtualClock clock, int size = 256, ReadOnlySpan<byte> contents = default, TimeSpan? writeCycle = null, string? file = null)
    {
        if (!Sizes.Contains(size))
        {
            throw new ArgumentOutOfRangeException(nameof(size), size, $"device {name}: size must be one of {string.Join(", ", Sizes)} bytes");
        }

        if (contents.Length > size)
        {
            throw new ArgumentException($"device {name}: {contents.Length} bytes of contents do not fit in {size}", nameof(contents));
        }

        Name = name;
        _clock = clock;
        _memory = new byte[size];
        Array.Fill(_memory, Erased);
        contents.CopyTo(_memory);
        PageSize = size <= 256 ? 8 : 16;
        _page = new byte[PageSize];
        _pageWritten = new bool[PageSize];
        _writeCycle = clock.CyclesFor(writeCycle ?? TimeSpan.FromMilliseconds(5));
        _file = file;
        _quantities = new DeviceQuantities(name).Add("writes", () => Writes);
        Targets = [.. Enumerable.Range(0, Blocks(size)).Select(block => new BlockTarget(this, block))];
    }

    public string Name { get; }

    public string Type => "24c02";

    /// <summary>Capacity in bytes.</summary>
    public int Size => _memory.Length;

    /// <summary>Bytes one write may program (a page write wraps inside it).</summary>
    public int PageSize { get; }

    /// <summary>One I2C target per 256-byte block, for consecutive addresses from the base.</summary>
    public IReadOnlyList<II2cTarget> Targets { get; }

    /// <summary>The array's contents.</summary>
    public ReadOnlySpan<byte> Contents => _memory;

    /// <summary>Write cycles completed.</summary>
    public int Writes { get; private set; }

    /// <summary>True while a write cycle runs (the part NACKs its address).</summary>
    public bool Busy => _clock.Now < _busyUntil;

    public IReadOnlyCollection<string> Quantities => _quantities.Names;

    public double Get(string quantity) => _quantities.Get(quantity);

    public void Set(string quantity, double value) => _quantities.Set(quantity, value);

    public override string ToString() => $"{Name}: {Size}-byte EEPROM, {Writes} writes";

    private static int Blocks(int size) => Math.Max(1, size / 256);

    private static Eeprom24Cxx Create(DeviceProperties properties, DeviceConnection connection, VirtualClock clock)
    {
        int size = properties.Integer("size", 256, 128, 2048);
        if (!Sizes.Contains(size))
        {
            throw properties.Bad("size", "one of " + string.Join(", ", Sizes));
        }

        byte[] contents = properties.Bytes("contents") ?? [];
        if (contents.Length > size)
        {
            throw properties.Bad("contents", $"at most {size} bytes");
        }

        string? file = properties.Text("file");
        if (file is not null)
        {
            contents = LoadImage(properties, file, size, contents);
        }

        double cycleMs = properties.Number("writeCycleMs", 5);
        if (!(cycleMs is >= 0 and <= 1000))
        {
            throw properties.Bad("writeCycleMs", "within 0…1000");
        }

        return new Eeprom24Cxx(properties.DeviceName, clock, size, contents, TimeSpan.FromMilliseconds(cycleMs), file);
    }

    /// <summary>The image in <paramref name="file"/> if it exists (it must be exactly the part's size); else the given contents.</summary>
    private static byte[] LoadImage(DeviceProperties properties, string file, int size, byte[] contents)
    {
        try
        {
            if (!File.Exists(file))
            {
                // Fail now, not at the first write cycle, if the image cannot be created.
                using (File.Open(file, FileMode.CreateNew, FileAccess.Write))
                {
                }

                File.Delete(file);
                return contents;
            }

            byte[] image = File.ReadAllBytes(file);
            return image.Length == size ? image : throw properties.Bad("file", $"an image of exactly {size} bytes ({file} has {image.Length})");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw properties.Bad("file", $"a readable and writable path ({e.Message})");
        }
    }

    private bool Start(int block, bool read)
    {
        if (Busy)
        {
            return false; // programming: the part does not answer (acknowledge polling)
        }

        // A write is started only by STOP; a repeated START abandons the bytes sent so far.
        // A current-address read goes on from the internal counter, whichever block address it was sent to.
        DiscardPage();
        _expectWordAddress = !read;
        _writeTransfer = !read;
        return true;
    }

    private bool Write(int block, byte value)
    {
        if (!_writeTransfer)
        {
            return false; // not addressed for writing
        }

        if (_expectWordAddress)
        {
            _expectWordAddress = false;
            _counter = ((block << 8) | value) % Size;
            _pageBase = _counter & ~(PageSize - 1);
            return true;
        }

        int offset = _counter - _pageBase;
        _page[offset] = value;
        if (!_pageWritten[offset])
        {
            _pageWritten[offset] = true;
            _pending++;
        }

        _counter = _pageBase + ((offset + 1) % PageSize);
        return true;
    }

    private byte Read()
    {
        if (_writeTransfer)
        {
            return 0xFF; // addressed for writing: the part does not drive SDA
        }

        byte value = _memory[_counter];
        _counter = (_counter + 1) % Size;
        return value;
    }

    private void Stop()
    {
        _expectWordAddress = false;
        _writeTransfer = false;
        if (_pending == 0)
        {
            return;
        }

        for (int i = 0; i < PageSize; i++)
        {
            if (_pageWritten[i])
            {
                _memory[_pageBase + i] = _page[i];
            }
        }

        DiscardPage();
        Writes++;
        _busyUntil = _clock.Now + _writeCycle;
        if (_file is not null)
        {
            File.WriteAllBytes(_file, _memory);
        }
    }

    private void DiscardPage()
    {
        if (_pending != 0)
        {
            Array.Clear(_pageWritten);
            _pending = 0;
        }
    }

    /// <summary>The part as seen at one of its addresses: the address's low bits are the block number.</summary>
    private sealed class BlockTarget(Eeprom24Cxx eeprom, int block) : II2cTarget
    {
        public bool Start(bool read) => eeprom.Start(block, read);

        public bool Write(byte value) => eeprom.Write(block, value);

        public byte Read(bool ack) => eeprom.Read();

        public void Stop() => eeprom.Stop();
    }
}
