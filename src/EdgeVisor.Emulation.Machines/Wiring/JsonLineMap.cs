using System.Text;
using System.Text.Json;

namespace EdgeVisor.Emulation.Machines.Wiring;

/// <summary>
/// The line each value of a JSON document starts on, by JSON path ("devices[2].pin"). System.Text.Json's DOM keeps
/// no positions, so one pass of the reader records them; errors can then name the line a user has to edit.
/// </summary>
public sealed class JsonLineMap
{
    private readonly Dictionary<string, int> _lines;

    private JsonLineMap(Dictionary<string, int> lines) => _lines = lines;

    /// <summary>A map without lines (for documents built in code): every lookup answers 0, "unknown".</summary>
    public static JsonLineMap Empty { get; } = new([]);

    /// <summary>Maps an explicit path → line table (YAML documents, whose parser reports the lines itself).</summary>
    public static JsonLineMap FromLines(Dictionary<string, int> lines) => new(lines);

    /// <summary>The 1-based line the value at <paramref name="path"/> starts on; 0 if unknown.</summary>
    public int LineOf(string path) => _lines.GetValueOrDefault(path);

    /// <summary>Reads <paramref name="utf8"/> (comments and trailing commas allowed) and records where each value starts.</summary>
    public static JsonLineMap Build(ReadOnlySpan<byte> utf8)
    {
        var lines = new Dictionary<string, int>(StringComparer.Ordinal);
        var newlines = NewlineOffsets(utf8);
        var reader = new Utf8JsonReader(utf8, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });

        // One frame per open object/array: the path of the container and, for arrays, the next element index.
        var frames = new Stack<(string Path, bool IsArray, int Index)>();
        string? property = null;
        while (reader.Read())
        {
            int line = LineAt(newlines, reader.TokenStartIndex);
            if (reader.TokenType == JsonTokenType.PropertyName)
            {
                property = reader.GetString();
                continue;
            }

            if (reader.TokenType is JsonTokenType.EndObject or JsonTokenType.EndArray)
            {
                frames.Pop();
                continue;
            }

            string path = PathOfValue(frames, ref property);
            lines.TryAdd(path, line);
            if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray)
            {
                frames.Push((path, reader.TokenType == JsonTokenType.StartArray, 0));
            }
        }

        return new JsonLineMap(lines);
    }

    /// <summary>Appends a property name to a path: "devices[0]" + "pin" → "devices[0].pin".</summary>
    public static string Child(string path, string property) => path.Length == 0 ? property : path + "." + property;

    /// <summary>Appends an array index to a path: "devices" + 2 → "devices[2]".</summary>
    public static string Element(string path, int index) => $"{path}[{index}]";

    private static string PathOfValue(Stack<(string Path, bool IsArray, int Index)> frames, ref string? property)
    {
        if (frames.Count == 0)
        {
            return "";
        }

        var (parent, isArray, index) = frames.Pop();
        string path;
        if (isArray)
        {
            path = Element(parent, index);
            frames.Push((parent, true, index + 1));
        }
        else
        {
            path = Child(parent, property ?? "");
            property = null;
            frames.Push((parent, false, 0));
        }

        return path;
    }

    private static List<long> NewlineOffsets(ReadOnlySpan<byte> utf8)
    {
        var offsets = new List<long>();
        for (int i = 0; i < utf8.Length; i++)
        {
            if (utf8[i] == (byte)'\n')
            {
                offsets.Add(i);
            }
        }

        return offsets;
    }

    private static int LineAt(List<long> newlines, long offset)
    {
        int index = newlines.BinarySearch(offset);
        return (index < 0 ? ~index : index) + 1;
    }

    /// <summary>Convenience for text: UTF-8 encodes and builds.</summary>
    public static JsonLineMap Build(string json) => Build(Encoding.UTF8.GetBytes(json));
}
