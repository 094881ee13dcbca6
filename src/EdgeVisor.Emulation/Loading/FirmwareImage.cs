namespace EdgeVisor.Emulation.Loading;

/// <summary>Which file format an image was read from.</summary>
public enum ImageFormat
{
    /// <summary>ELF executable.</summary>
    Elf,

    /// <summary>Intel HEX text.</summary>
    IntelHex,

    /// <summary>Raw bytes placed at a given address.</summary>
    Binary,
}

/// <summary>
/// A firmware image ready to place into a board's memory: what goes where, where execution starts
/// (when the format says), and the symbols for diagnostics.
/// </summary>
public sealed class FirmwareImage
{
    /// <summary>Creates an image from already-validated parts.</summary>
    public FirmwareImage(string path, ImageFormat format, IReadOnlyList<ImageSegment> segments, uint? entryPoint, SymbolTable symbols)
    {
        Path = path;
        Format = format;
        Segments = segments;
        EntryPoint = entryPoint;
        Symbols = symbols;
    }

    /// <summary>The file it came from, as the caller named it (used in error messages).</summary>
    public string Path { get; }

    /// <summary>The format detected from the file's content.</summary>
    public ImageFormat Format { get; }

    /// <summary>The bytes to place, by physical address, in file order.</summary>
    public IReadOnlyList<ImageSegment> Segments { get; }

    /// <summary>
    /// Entry address from the image (ELF e_entry, Intel HEX start address), or null. For Thumb code
    /// it keeps bit 0 as the toolchain wrote it. Cortex-M cores start from the reset vector instead.
    /// </summary>
    public uint? EntryPoint { get; }

    /// <summary>Symbols (ELF .symtab); empty for HEX and binary images.</summary>
    public SymbolTable Symbols { get; }

    /// <summary>"main+0x12" for an address, from <see cref="Symbols"/>; "0x00001234" when no symbol fits.</summary>
    public string Describe(uint address) => Symbols.Describe(address);

    /// <summary>Total bytes over all segments.</summary>
    public long TotalBytes => Segments.Sum(s => (long)s.Length);
}
