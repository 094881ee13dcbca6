using System.Reflection;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using System.Text.Unicode;

namespace EdgeVisor.Protocol;

/// <summary>
/// How every record goes on the wire: UTF-8 JSON, camelCase names, enums as kebab-case strings, nulls left out.
/// Readers tolerate unknown fields (newer senders) and refuse missing required ones with the field's path.
/// Reading is strict otherwise: names are case-sensitive, numbers are JSON numbers (not strings), a property
/// may appear once per object, and a list or map holds no nulls — two parsers must never disagree on what a
/// signed document says.
/// </summary>
public static class ProtocolJson
{
    /// <summary>The schema version this build writes and the highest it reads.</summary>
    public const int SchemaVersion = 1;

    /// <summary>Nesting allowed in a document (the records need 5; free-form extensions get the rest).</summary>
    public const int MaxDepth = 32;

    /// <summary>The serializer options of the wire format; read-only.</summary>
    public static JsonSerializerOptions Options { get; } = CreateOptions();

    /// <summary>The UTF-8 JSON of <paramref name="record"/> as it goes on the wire.</summary>
    public static byte[] Serialize<T>(T record) => JsonSerializer.SerializeToUtf8Bytes(record, Options);

    /// <summary>
    /// Parses one record; throws <see cref="ProtocolException"/> (<see cref="RejectionReason.TooLarge"/>,
    /// <see cref="RejectionReason.Malformed"/>, <see cref="RejectionReason.UnsupportedSchema"/>) naming what was
    /// wrong and where — and never any other exception, whatever the bytes.
    /// </summary>
    public static T Parse<T>(ReadOnlySpan<byte> utf8, int maxBytes = int.MaxValue)
        where T : class
    {
        if (utf8.Length > maxBytes)
        {
            throw new ProtocolException(RejectionReason.TooLarge, $"{utf8.Length} bytes is more than the {maxBytes} this device accepts");
        }

        if (utf8.IsEmpty)
        {
            throw new ProtocolException(RejectionReason.Malformed, "empty message: expected a JSON object");
        }

        if (!Utf8.IsValid(utf8))
        {
            throw new ProtocolException(RejectionReason.Malformed, $"not valid UTF-8 text (byte {FirstInvalidUtf8(utf8) + 1})");
        }

        T? record = Deserialize<T>(utf8, Options, "", wholeDocument: true);
        if (record is null)
        {
            throw new ProtocolException(RejectionReason.Malformed, "expected a JSON object, found null");
        }

        CheckSchema(SchemaOf<T>.Read(record));
        return record;
    }

    /// <summary>
    /// Parses one section of a hand-written file (an operator's deployment manifest) as the record the wire
    /// carries: the same types and checks, but a field the record does not have is an error (in a file a person
    /// wrote it is a typo, where on the wire it is a newer sender). Errors name the field below
    /// <paramref name="path"/> (<c>workloads[0].container.network.mode: expected a string</c>).
    /// </summary>
    public static T ParseSection<T>(string json, string path)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(json);
        ArgumentNullException.ThrowIfNull(path);
        return Deserialize<T>(Encoding.UTF8.GetBytes(json), ExactOptions, path, wholeDocument: false)
            ?? throw new ProtocolException(RejectionReason.Malformed, $"{path}: expected a JSON object, found null");
    }

    private static JsonSerializerOptions ExactOptions { get; } = new(Options) { UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow };

    /// <summary>The serializer's call with every exception it can throw turned into a <see cref="ProtocolException"/>.</summary>
    private static T? Deserialize<T>(ReadOnlySpan<byte> utf8, JsonSerializerOptions options, string path, bool wholeDocument)
        where T : class
    {
        try
        {
            return JsonSerializer.Deserialize<T>(utf8, options);
        }
        catch (JsonException e)
        {
            if (wholeDocument)
            {
                // A newer schema may have moved or added required fields: say "newer schema", not "malformed".
                CheckSchema(SchemaPeek.TopLevelSchema(utf8));
            }

            throw new ProtocolException(RejectionReason.Malformed, JsonErrorText.Describe(e, path));
        }
        catch (ArgumentException e) when (e.Message.Contains("same key", StringComparison.Ordinal))
        {
            // A free-form object (JsonObject) with a repeated name: the serializer's duplicate check does not reach it.
            throw new ProtocolException(RejectionReason.Malformed, "an object in the document has the same field twice");
        }
        catch (Exception e) when (e is InvalidOperationException or ArgumentException or FormatException or OverflowException)
        {
            // Nothing known reaches here (the cases above cover what the serializer throws); still never let a
            // document crash a reader with an unexpected exception type.
            throw new ProtocolException(RejectionReason.Malformed, $"not valid JSON text: {FirstSentence(e.Message)}");
        }
    }

    private static void CheckSchema(int? schema)
    {
        if (schema is { } value && (value < 1 || value > SchemaVersion))
        {
            throw new ProtocolException(RejectionReason.UnsupportedSchema, $"schema: {value} is not supported (this device reads 1 to {SchemaVersion})");
        }
    }

    private static int FirstInvalidUtf8(ReadOnlySpan<byte> utf8)
    {
        int index = 0;
        while (index < utf8.Length)
        {
            if (Rune.DecodeFromUtf8(utf8[index..], out _, out int consumed) != System.Buffers.OperationStatus.Done)
            {
                return index;
            }

            index += consumed;
        }

        return index;
    }

    private static string FirstSentence(string message)
    {
        int cut = message.IndexOf(". ", StringComparison.Ordinal);
        return (cut > 0 ? message[..cut] : message).Split('\n')[0].TrimEnd('.');
    }

    private static JsonSerializerOptions CreateOptions()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web)
        {
            DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
            RespectNullableAnnotations = true,
            RespectRequiredConstructorParameters = true,
            UnmappedMemberHandling = JsonUnmappedMemberHandling.Skip,
            MaxDepth = MaxDepth,

            // The web defaults are lenient in ways a signed contract must not be.
            PropertyNameCaseInsensitive = false,
            NumberHandling = JsonNumberHandling.Strict,
            AllowDuplicateProperties = false,
            Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
            TypeInfoResolver = new DefaultJsonTypeInfoResolver { Modifiers = { NullElementCheck.Install } },
        };
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower, allowIntegerValues: false));
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }

    /// <summary>The <c>Schema</c> property of a record type, looked up once per type.</summary>
    private static class SchemaOf<T>
    {
        private static readonly PropertyInfo? Property = typeof(T).GetProperty("Schema", typeof(int));

        public static int? Read(T record) => Property?.GetValue(record) as int?;
    }
}

/// <summary>Reads the top-level <c>schema</c> number of a document that did not parse, without trusting anything else in it.</summary>
internal static class SchemaPeek
{
    public static int? TopLevelSchema(ReadOnlySpan<byte> utf8)
    {
        try
        {
            var reader = new Utf8JsonReader(utf8, new JsonReaderOptions { MaxDepth = ProtocolJson.MaxDepth });
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return null;
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                bool isSchema = reader.ValueTextEquals("schema"u8);
                if (!reader.Read())
                {
                    return null;
                }

                if (isSchema)
                {
                    return reader.TokenType == JsonTokenType.Number && reader.TryGetInt32(out int schema) ? schema : null;
                }

                reader.Skip();
            }

            return null;
        }
        catch (JsonException)
        {
            return null;
        }
        catch (InvalidOperationException)
        {
            return null;
        }
    }

    /// <summary>True when <paramref name="utf8"/> is a JSON object with a top-level property <paramref name="name"/>.</summary>
    public static bool HasTopLevelProperty(ReadOnlySpan<byte> utf8, string name)
    {
        byte[] wanted = Encoding.UTF8.GetBytes(name);
        try
        {
            var reader = new Utf8JsonReader(utf8, new JsonReaderOptions { MaxDepth = ProtocolJson.MaxDepth });
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return false;
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals(wanted))
                {
                    return true;
                }

                reader.Read();
                reader.Skip();
            }
        }
        catch (JsonException)
        {
        }
        catch (InvalidOperationException)
        {
        }

        return false;
    }

    /// <summary>True when <paramref name="utf8"/> starts like a JSON object (so it is worth asking what it lacks).</summary>
    public static bool IsObject(ReadOnlySpan<byte> utf8)
    {
        try
        {
            var reader = new Utf8JsonReader(utf8);
            return reader.Read() && reader.TokenType == JsonTokenType.StartObject;
        }
        catch (JsonException)
        {
            return false;
        }
    }
}
