using System.Text.Json;
using System.Text.RegularExpressions;

namespace EdgeVisor.Protocol;

/// <summary>
/// Turns the serializer's exceptions into one line an operator can act on: the field's path in the document,
/// then what was wrong in wire terms ("expected an integer"), never .NET type names or hints for developers.
/// </summary>
internal static partial class JsonErrorText
{
    /// <summary>One line for <paramref name="e"/>; field paths are below <paramref name="prefix"/> when one is given.</summary>
    public static string Describe(JsonException e, string prefix = "")
    {
        string path = string.IsNullOrEmpty(e.Path) || e.Path == "$" ? "" : e.Path.StartsWith("$.", StringComparison.Ordinal) ? e.Path[2..] : e.Path.TrimStart('$');
        path = prefix.Length == 0 ? path : path.Length == 0 ? prefix : path.StartsWith('[') ? prefix + path : $"{prefix}.{path}";
        if (e is NullElementException nullElement)
        {
            return $"{path}{nullElement.Suffix}: null is not allowed here";
        }

        // An unmapped field (only with JsonUnmappedMemberHandling.Disallow): the path already ends in its name.
        string what = e.Message.Contains("could not be mapped to any .NET member", StringComparison.Ordinal) ? "unknown field" : What(e);
        return path.Length == 0 ? what : $"{path}: {what}";
    }

    private static string What(JsonException e)
    {
        string message = e.Message;
        var missing = MissingRequired().Match(message);
        if (missing.Success)
        {
            var names = QuotedName().Matches(missing.Groups["names"].Value).Select(m => m.Value).ToList();
            return names.Count == 1 ? $"missing required field {names[0]}" : $"missing required fields {string.Join(", ", names)}";
        }

        if (e.InnerException is InvalidOperationException inner
            && (inner.Message.Contains("UTF-16", StringComparison.Ordinal) || inner.Message.Contains("UTF-8", StringComparison.Ordinal)))
        {
            return "not valid Unicode text (a lone surrogate escape such as \\ud800?)";
        }

        var conversion = ConvertTo().Match(message);
        if (conversion.Success)
        {
            return "expected " + Expected(conversion.Groups["type"].Value);
        }

        var duplicate = Duplicate().Match(message);
        if (duplicate.Success)
        {
            return $"field {duplicate.Groups["name"].Value} is given twice in one object";
        }

        if (message.Contains("maximum configured depth", StringComparison.Ordinal) || message.Contains("MaxDepth", StringComparison.Ordinal))
        {
            return $"nested deeper than {ProtocolJson.MaxDepth} levels";
        }

        if (message.Contains("allow setting null", StringComparison.Ordinal) || message.Contains("cannot be null", StringComparison.Ordinal)
            || message.Contains("non-nullable", StringComparison.Ordinal))
        {
            return "null is not allowed here";
        }

        if (message.Contains("Expected depth to be zero", StringComparison.Ordinal))
        {
            return "the text ends before every object and array is closed";
        }

        if (message.Contains("is invalid after a single JSON value", StringComparison.Ordinal))
        {
            return $"more text after the JSON object{Where(e)}";
        }

        // The reader's own messages ("'x' is invalid after a single JSON value") are already in JSON terms;
        // keep the first sentence and say where in the text it happened.
        return FirstSentence(message) + Where(e);
    }

    private static string Where(JsonException e) =>
        e.LineNumber is long line && e.BytePositionInLine is long column ? $" (line {line + 1}, byte {column + 1})" : "";

    private static string FirstSentence(string message)
    {
        foreach (string stop in new[] { ". ", " Path:", " LineNumber:", "\n" })
        {
            int cut = message.IndexOf(stop, StringComparison.Ordinal);
            if (cut > 0)
            {
                message = message[..cut];
            }
        }

        return message.TrimEnd(' ', '.', '|');
    }

    private static string Expected(string dotnetType)
    {
        string name = dotnetType.Split('`')[0];
        return name switch
        {
            "System.Int32" or "System.Int64" or "System.UInt32" or "System.Nullable`1[System.Int32]" => "an integer",
            "System.Double" or "System.Single" or "System.Decimal" => "a number",
            "System.String" => "a string",
            "System.Boolean" => "true or false",
            "System.DateTimeOffset" or "System.DateTime" => "a date-time like 2026-01-31T12:00:00Z",
            "System.Collections.Generic.IReadOnlyList" or "System.Collections.Generic.List" => "an array",
            "System.Collections.Generic.IReadOnlyDictionary" or "System.Collections.Generic.Dictionary"
                or "System.Text.Json.Nodes.JsonObject" => "an object",
            "EdgeVisor.Protocol.WorkloadState" => "one of " + string.Join(", ", Enum.GetNames<WorkloadState>().Select(Kebab)),
            "EdgeVisor.Protocol.RejectionReason" => "one of " + string.Join(", ", Enum.GetNames<RejectionReason>().Select(Kebab)),
            _ when name.StartsWith("System.Nullable", StringComparison.Ordinal) => Expected(InnerOfNullable(dotnetType)),
            _ when name.StartsWith("EdgeVisor.Protocol.", StringComparison.Ordinal) => "an object",
            _ => "a different kind of value",
        };
    }

    private static string InnerOfNullable(string dotnetType)
    {
        int open = dotnetType.IndexOf('[', StringComparison.Ordinal);
        return open < 0 ? "" : dotnetType[(open + 1)..].TrimEnd(']');
    }

    private static string Kebab(string name) => JsonNamingPolicy.KebabCaseLower.ConvertName(name);

    [GeneratedRegex("missing required properties,? including:? (?<names>.*)$", RegexOptions.CultureInvariant)]
    private static partial Regex MissingRequired();

    [GeneratedRegex("'[^']*'", RegexOptions.CultureInvariant)]
    private static partial Regex QuotedName();

    [GeneratedRegex("could not be converted to (?<type>[^ ]+?)\\.?( |$)", RegexOptions.CultureInvariant)]
    private static partial Regex ConvertTo();

    [GeneratedRegex("[Dd]uplicate propert(y|ies) (?<name>'[^']*')", RegexOptions.CultureInvariant)]
    private static partial Regex Duplicate();
}
