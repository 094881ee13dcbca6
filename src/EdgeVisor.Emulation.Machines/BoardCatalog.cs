using EdgeVisor.Emulation.Boards;

namespace EdgeVisor.Emulation.Machines;

/// <summary>The boards that ship inside EdgeVisor (embedded board files) plus board files loaded from a path.</summary>
public static class BoardCatalog
{
    private const string ResourcePrefix = "boards/";
    private static readonly Lazy<IReadOnlyList<BoardDescription>> Embedded = new(LoadEmbedded);

    /// <summary>The bundled boards, by name.</summary>
    public static IReadOnlyList<BoardDescription> All => Embedded.Value;

    /// <summary>The bundled boards' names.</summary>
    public static IEnumerable<string> Names => All.Select(b => b.Name);

    /// <summary>
    /// A bundled board by name (case-insensitive), or a board file when <paramref name="nameOrPath"/> names an
    /// existing file or ends in .json. Throws <see cref="ArgumentException"/> listing the known boards for an
    /// unknown name, <see cref="FormatException"/> for a bad board file, <see cref="IOException"/> if it cannot be read.
    /// </summary>
    public static BoardDescription Get(string nameOrPath)
    {
        var board = All.FirstOrDefault(b => string.Equals(b.Name, nameOrPath, StringComparison.OrdinalIgnoreCase));
        if (board is not null)
        {
            return board;
        }

        if (File.Exists(nameOrPath) || nameOrPath.EndsWith(".json", StringComparison.OrdinalIgnoreCase))
        {
            return LoadFile(nameOrPath);
        }

        throw new ArgumentException($"unknown board '{nameOrPath}' (known boards: {string.Join(", ", Names)}; or give the path of a board file)");
    }

    /// <summary>Loads and validates a board file.</summary>
    public static BoardDescription LoadFile(string path)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"board file {path}: no such file", path);
        }

        return BoardDescription.Parse(File.ReadAllText(path), path);
    }

    private static IReadOnlyList<BoardDescription> LoadEmbedded()
    {
        var assembly = typeof(BoardCatalog).Assembly;
        var boards = new List<BoardDescription>();
        foreach (string resource in assembly.GetManifestResourceNames().Where(r => r.StartsWith(ResourcePrefix, StringComparison.Ordinal)).Order(StringComparer.Ordinal))
        {
            using var stream = assembly.GetManifestResourceStream(resource)!;
            using var reader = new StreamReader(stream);
            boards.Add(BoardDescription.Parse(reader.ReadToEnd(), resource));
        }

        return boards;
    }
}
