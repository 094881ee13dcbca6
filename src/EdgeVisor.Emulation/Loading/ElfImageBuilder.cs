namespace EdgeVisor.Emulation.Loading;

/// <summary>
/// Turns a 32-bit ELF into a <see cref="FirmwareImage"/> the way a bare-metal board loads it:
/// every PT_LOAD segment at its physical (load) address, so initialised data lands in flash for
/// the start-up code to copy, exactly as qemu-system-arm's -kernel does for M-profile boards.
/// </summary>
public static class ElfImageBuilder
{
    /// <summary>Builds the image; <paramref name="path"/> is used in error messages.</summary>
    public static FirmwareImage Build(ElfFile elf, string path)
    {
        var segments = new List<ImageSegment>();
        for (int i = 0; i < elf.ProgramHeaders.Count; i++)
        {
            var header = elf.ProgramHeaders[i];
            if (!header.IsLoad || header.MemorySize == 0)
            {
                continue;
            }

            if (header.PhysicalAddress + header.MemorySize - 1 > uint.MaxValue)
            {
                throw new ImageFormatException(path, $"segment {i} at 0x{header.PhysicalAddress:X} (0x{header.MemorySize:X} bytes) does not fit a 32-bit address space");
            }

            segments.Add(new ImageSegment((uint)header.PhysicalAddress, elf.ReadSegment(header)));
        }

        bool thumbCapable = elf.Machine == ElfTarget.Arm.Machine;
        var symbols = elf.Symbols
            .Where(IsUseful)
            .Where(s => s.Value <= uint.MaxValue)
            .Select(s => ToSymbol(s, thumbCapable));
        uint? entry = elf.Entry <= uint.MaxValue ? (uint)elf.Entry : null;
        return new FirmwareImage(path, ImageFormat.Elf, segments, entry, new SymbolTable(symbols));
    }

    // Mapping symbols ($t, $a, $d, $x) mark instruction-set changes, not names a person wrote.
    private static bool IsUseful(ElfSymbol s) =>
        s.IsDefinedInSection
        && s.Type is ElfSymbol.NoType or ElfSymbol.ObjectType or ElfSymbol.FunctionType
        && s.Name.Length > 0
        && s.Name[0] != '$';

    private static ImageSymbol ToSymbol(ElfSymbol s, bool thumbCapable)
    {
        var kind = s.Type switch
        {
            ElfSymbol.FunctionType => SymbolKind.Function,
            ElfSymbol.ObjectType => SymbolKind.Object,
            _ => SymbolKind.Label,
        };
        uint address = (uint)s.Value;
        if (thumbCapable && kind == SymbolKind.Function)
        {
            // Bit 0 of a Thumb function's value says "Thumb", it is not part of the address.
            address &= ~1u;
        }

        return new ImageSymbol(s.Name, address, (uint)Math.Min(s.Size, uint.MaxValue), kind);
    }
}
