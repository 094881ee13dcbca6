using System.Text.Json;
using System.Text.Json.Serialization;

namespace EdgeVisor.Protocol;

/// <summary>
/// How every record goes on the wire: UTF-8 JSON, camelCase names, enums as kebab-case strings, nulls left out.
/// Readers tolerate unknown fields (newer senders) and refuse missing required ones with the field's path.
/// </summary>
public static class ProtocolJson
{
    /// <summary>The schema version this build writes and the highest it reads.</summary>
    public const int SchemaVersion = 1;

    public static JsonSerializerOptions Options { get; } = CreateOptions();

    public static byte[] Serialize<T>(T record) => JsonSerializer.SerializeToUtf8Bytes(record, Options);

    /// <summary>
    /// Parses one record; throws <see cref="ProtocolException"/> (<see cref="RejectionReason.TooLarge"/>,
    /// <see cref="RejectionReason.Malformed"/>, <see cref="RejectionReason.UnsupportedSchema"/>) naming what was wrong and where.
    /// </summary>
    public static T Parse<T>(ReadOnlySpan<byte> utf8, int maxBytes = int.MaxValue)
        where T : class
    {
        if (utf8.Length > maxBytes)
        {
            throw new ProtocolException(RejectionReason.TooLarge, $"{utf8.Length} bytes is more than the {maxBytes} this device accepts");
        }

        T? record;
        try
        {
            record = JsonSerializer.Deserialize<T>(utf8, Options);
        }
        catch (JsonException e)
        {
            throw new ProtocolException(RejectionReason.Malformed, Describe(e));
        }

        if (record is null)
        {
            throw new ProtocolException(RejectionReason.Malformed, $"expected a {typeof(T).Name} object, found null");
        }

        if (typeof(T).GetProperty("Schema")?.GetValue(record) is int schema && (schema < 1 || schema > SchemaVersion))
        {
            throw new ProtocolException(RejectionReason.UnsupportedSchema, $"schema: {schema} is not supported (this device reads 1 to {SchemaVersion})");
        }

        return record;
    }

    private static string Describe(JsonException e)
    {
        string where = string.IsNullOrEmpty(e.Path) || e.Path == "$" ? "" : e.Path.TrimStart('$', '.') + ": ";
        // The serializer's messages carry type names and hints for .NET developers; keep the first sentence.
        string message = e.Message;
        int cut = message.IndexOf(". Path:", StringComparison.Ordinal);
        if (cut > 0)
        {
            message = message[..cut];
        }

        return where + message.Split('\n')[0].TrimEnd('.');
    }

    private static JsonSerializerOptions CreateOptions()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web)
        {
            DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
            RespectNullableAnnotations = true,
            RespectRequiredConstructorParameters = true,
            UnmappedMemberHandling = JsonUnmappedMemberHandling.Skip,
            MaxDepth = 32,
        };
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower, allowIntegerValues: false));
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }
}
