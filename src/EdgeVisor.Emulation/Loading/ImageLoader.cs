using EdgeVisor.Emulation.Memory;

namespace EdgeVisor.Emulation.Loading;

/// <summary>
/// Reads firmware images (ELF, Intel HEX, raw binary), telling the format from the content, never
/// from the file name, and places them into a board's memory.
/// </summary>
public static class ImageLoader
{
    // Larger than any microcontroller's memory by far; stops a wrong path from eating the host's RAM.
    private const long MaxFileBytes = 512L << 20;

    /// <summary>Reads an image for a 32-bit Arm (Cortex-M) machine.</summary>
    /// <param name="path">The file; error messages name it as given.</param>
    /// <param name="binaryLoadAddress">Where a raw binary goes; ignored for ELF and Intel HEX.</param>
    /// <exception cref="ImageFormatException">The content is not a usable image.</exception>
    /// <exception cref="IOException">The file cannot be read.</exception>
    public static FirmwareImage Load(string path, uint? binaryLoadAddress) => Load(path, binaryLoadAddress, ElfTarget.Arm);

    /// <summary>Reads an image whose ELF form must be built for <paramref name="elfTarget"/>.</summary>
    public static FirmwareImage Load(string path, uint? binaryLoadAddress, ElfTarget elfTarget)
    {
        byte[] data;
        try
        {
            var length = new FileInfo(path).Length;
            if (length > MaxFileBytes)
            {
                throw new ImageFormatException(path, $"file of {length} bytes is too large for a firmware image");
            }

            data = File.ReadAllBytes(path);
        }
        catch (UnauthorizedAccessException e)
        {
            // Callers handle unreadable files as I/O errors; on Unix .NET reports EACCES this way.
            throw new IOException($"cannot read the file ({e.Message})", e);
        }

        return Parse(data, path, binaryLoadAddress, elfTarget);
    }

    /// <summary>Parses an image already in memory; <paramref name="path"/> names it in messages.</summary>
    public static FirmwareImage Parse(byte[] data, string path, uint? binaryLoadAddress, ElfTarget elfTarget)
    {
        if (data.Length == 0)
        {
            throw new ImageFormatException(path, "empty file");
        }

        if (ElfReader.HasElfMagic(data))
        {
            var elf = ElfReader.Read(data, path, elfTarget);
            return ElfImageBuilder.Build(elf, path);
        }

        if (IntelHexReader.LooksLikeIntelHex(data))
        {
            return IntelHexReader.Read(data, path);
        }

        if (binaryLoadAddress is not { } address)
        {
            throw new ImageFormatException(path, DescribeUnknown(data));
        }

        if ((ulong)address + (ulong)data.Length - 1 > uint.MaxValue)
        {
            throw new ImageFormatException(path, $"{data.Length} bytes at 0x{address:X8} run past the 4 GiB address space");
        }

        return new FirmwareImage(path, ImageFormat.Binary, [new ImageSegment(address, data)], null, SymbolTable.Empty);
    }

    /// <summary>
    /// Writes the image into memory after checking that every segment lies in RAM or ROM; if one
    /// does not, nothing is written.
    /// </summary>
    /// <exception cref="ImageFormatException">A segment lies (partly) outside the board's memory.</exception>
    public static void Place(FirmwareImage image, AddressSpace memory)
    {
        foreach (var segment in image.Segments)
        {
            if (segment.Length != 0 && !memory.IsMemory(segment.Address, segment.Length))
            {
                throw new ImageFormatException(image.Path, $"segment {segment.DescribeRange()} lies outside the board's memory");
            }
        }

        foreach (var segment in image.Segments)
        {
            memory.Load(segment.Address, segment.Data);
        }
    }

    private static string DescribeUnknown(ReadOnlySpan<byte> data)
    {
        if (data.Length >= 2 && data[0] == (byte)'S' && data[1] is >= (byte)'0' and <= (byte)'9')
        {
            return "Motorola S-record files are not supported (convert with arm-none-eabi-objcopy -O ihex)";
        }

        if (data[0] == (byte)':')
        {
            return "not a valid Intel HEX file (it contains bytes that are not HEX text)";
        }

        return "not ELF or Intel HEX; a raw binary needs a load address (--load-address)";
    }
}
