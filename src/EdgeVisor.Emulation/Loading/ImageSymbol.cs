namespace EdgeVisor.Emulation.Loading;

/// <summary>What a symbol names, as far as diagnostics care.</summary>
public enum SymbolKind
{
    /// <summary>Code (ELF STT_FUNC). Its address has the Thumb bit cleared.</summary>
    Function,

    /// <summary>Data (ELF STT_OBJECT).</summary>
    Object,

    /// <summary>A label without a type (assembler labels, linker-script symbols).</summary>
    Label,
}

/// <summary>A named address from the image's symbol table.</summary>
/// <param name="Name">Symbol name as the linker wrote it.</param>
/// <param name="Address">First byte (Thumb bit cleared for functions).</param>
/// <param name="Size">Size in bytes; 0 when the producer gave none.</param>
/// <param name="Kind">Code, data or label.</param>
public sealed record ImageSymbol(string Name, uint Address, uint Size, SymbolKind Kind)
{
    /// <summary>True if <paramref name="address"/> lies inside the symbol (never for a size-0 symbol).</summary>
    public bool Covers(uint address) => address - Address < Size;
}
