namespace EdgeVisor.Emulation.Loading;

/// <summary>
/// The image's symbols sorted by address, for turning addresses into "main+0x12" in traces, fault
/// reports and the debugger, and names into addresses in tests. Lookups are binary searches.
/// </summary>
public sealed class SymbolTable
{
    private readonly ImageSymbol[] _byAddress;
    private readonly uint[] _addresses;

    // _coverEnd[i] = the highest end (exclusive) of any sized symbol at index <= i, so a backward
    // search for a symbol that covers an address can stop as soon as nothing earlier reaches it.
    private readonly ulong[] _coverEnd;
    private readonly Dictionary<string, ImageSymbol> _byName = new(StringComparer.Ordinal);

    /// <summary>Builds a table; for duplicate names the first symbol given wins a name lookup.</summary>
    public SymbolTable(IEnumerable<ImageSymbol> symbols)
    {
        // Same address: the most descriptive symbol sorts last, because lookups scan backwards.
        _byAddress = [.. symbols.OrderBy(s => s.Address).ThenByDescending(Rank).ThenBy(s => s.Name, StringComparer.Ordinal)];
        _addresses = [.. _byAddress.Select(s => s.Address)];
        _coverEnd = new ulong[_byAddress.Length];
        ulong reach = 0;
        for (int i = 0; i < _byAddress.Length; i++)
        {
            var s = _byAddress[i];
            if (s.Size != 0)
            {
                reach = Math.Max(reach, (ulong)s.Address + s.Size);
            }

            _coverEnd[i] = reach;
            _byName.TryAdd(s.Name, s);
        }
    }

    /// <summary>A table with no symbols (HEX and binary images).</summary>
    public static SymbolTable Empty { get; } = new([]);

    /// <summary>Number of symbols.</summary>
    public int Count => _byAddress.Length;

    /// <summary>All symbols in address order.</summary>
    public IReadOnlyList<ImageSymbol> All => _byAddress;

    /// <summary>
    /// The symbol an address belongs to: the nearest sized symbol that covers it, otherwise the
    /// nearest preceding label (a symbol without size) if nothing sized lies in between.
    /// </summary>
    public ImageSymbol? Lookup(uint address)
    {
        int index = Array.BinarySearch(_addresses, address);
        if (index >= 0)
        {
            // Move to the last (best-ranked) entry at this exact address.
            while (index + 1 < _addresses.Length && _addresses[index + 1] == address)
            {
                index++;
            }
        }
        else
        {
            index = ~index - 1;
        }

        if (index < 0)
        {
            return null;
        }

        for (int i = index; i >= 0 && _coverEnd[i] > address; i--)
        {
            if (_byAddress[i].Covers(address))
            {
                return _byAddress[i];
            }
        }

        var nearest = _byAddress[index];
        return nearest.Size == 0 ? nearest : null;
    }

    /// <summary>"main+0x12", "main" at its first byte, or "0x00001234" when no symbol fits.</summary>
    public string Describe(uint address)
    {
        var symbol = Lookup(address);
        if (symbol is null)
        {
            return $"0x{address:X8}";
        }

        uint offset = address - symbol.Address;
        return offset == 0 ? symbol.Name : $"{symbol.Name}+0x{offset:x}";
    }

    /// <summary>Finds a symbol by exact name.</summary>
    public ImageSymbol? Find(string name) => _byName.GetValueOrDefault(name);

    private static int Rank(ImageSymbol s) => (s.Size != 0 ? 0 : 3) + s.Kind switch
    {
        SymbolKind.Function => 0,
        SymbolKind.Object => 1,
        _ => 2,
    };
}
