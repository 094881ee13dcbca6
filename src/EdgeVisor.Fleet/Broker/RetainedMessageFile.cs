using System.Buffers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using MQTTnet;
using MQTTnet.Packets;
using MQTTnet.Protocol;

namespace EdgeVisor.Fleet.Broker;

/// <summary>
/// The broker's retained messages on disk (<c>retained.json</c> in the data directory), so a restarted
/// <c>fleet broker</c> still holds every device's desired document, reported state and status. The file is
/// replaced atomically (write to a temporary file, then rename), so a crash leaves the previous or the new
/// snapshot, never a torn one.
/// </summary>
internal sealed class RetainedMessageFile(string path)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        WriteIndented = false,
    };

    public string Path { get; } = path;

    /// <summary>The stored messages, or none when there is no file yet. A damaged file is an error naming it.</summary>
    public async Task<List<MqttApplicationMessage>> LoadAsync(CancellationToken ct)
    {
        if (!File.Exists(Path))
        {
            return [];
        }

        List<StoredMessage>? stored;
        try
        {
            await using var stream = File.OpenRead(Path);
            stored = await JsonSerializer.DeserializeAsync<List<StoredMessage>>(stream, Json, ct).ConfigureAwait(false);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{Path}: not a retained-message file ({e.Message})", e);
        }

        return (stored ?? []).Select(ToMessage).ToList();
    }

    /// <summary>Replaces the file with <paramref name="messages"/>.</summary>
    public async Task SaveAsync(IReadOnlyList<MqttApplicationMessage> messages, CancellationToken ct)
    {
        string temporary = Path + ".tmp";
        await using (var stream = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            await JsonSerializer.SerializeAsync(stream, messages.Select(FromMessage).ToList(), Json, ct).ConfigureAwait(false);
            await stream.FlushAsync(ct).ConfigureAwait(false);
            stream.Flush(flushToDisk: true);
        }

        File.Move(temporary, Path, overwrite: true);
    }

    private static StoredMessage FromMessage(MqttApplicationMessage message) => new()
    {
        Topic = message.Topic,
        Payload = Convert.ToBase64String(message.Payload.ToArray()),
        Qos = (int)message.QualityOfServiceLevel,
        ContentType = message.ContentType,
        PayloadFormat = message.PayloadFormatIndicator == MqttPayloadFormatIndicator.CharacterData ? "utf8" : null,
        MessageExpiryInterval = message.MessageExpiryInterval == 0 ? null : message.MessageExpiryInterval,
        ResponseTopic = message.ResponseTopic,
        CorrelationData = message.CorrelationData is { Length: > 0 } data ? Convert.ToBase64String(data) : null,
        UserProperties = message.UserProperties is { Count: > 0 } properties
            ? properties.Select(p => new StoredProperty { Name = p.Name, Value = p.ReadValueAsString() }).ToList()
            : null,
    };

    private static MqttApplicationMessage ToMessage(StoredMessage stored)
    {
        var builder = new MqttApplicationMessageBuilder()
            .WithTopic(stored.Topic)
            .WithPayload(Convert.FromBase64String(stored.Payload))
            .WithQualityOfServiceLevel((MqttQualityOfServiceLevel)Math.Clamp(stored.Qos, 0, 2))
            .WithRetainFlag(true);
        if (stored.ContentType is { } contentType)
        {
            builder.WithContentType(contentType);
        }

        if (stored.PayloadFormat == "utf8")
        {
            builder.WithPayloadFormatIndicator(MqttPayloadFormatIndicator.CharacterData);
        }

        if (stored.MessageExpiryInterval is { } expiry)
        {
            builder.WithMessageExpiryInterval(expiry);
        }

        if (stored.ResponseTopic is { } responseTopic)
        {
            builder.WithResponseTopic(responseTopic);
        }

        if (stored.CorrelationData is { } correlation)
        {
            builder.WithCorrelationData(Convert.FromBase64String(correlation));
        }

        foreach (var property in stored.UserProperties ?? [])
        {
            builder.WithUserProperty(property.Name, new ReadOnlyMemory<byte>(Encoding.UTF8.GetBytes(property.Value)));
        }

        return builder.Build();
    }

    private sealed class StoredMessage
    {
        public string Topic { get; set; } = "";

        public string Payload { get; set; } = "";

        public int Qos { get; set; }

        public string? ContentType { get; set; }

        public string? PayloadFormat { get; set; }

        public uint? MessageExpiryInterval { get; set; }

        public string? ResponseTopic { get; set; }

        public string? CorrelationData { get; set; }

        public List<StoredProperty>? UserProperties { get; set; }
    }

    private sealed class StoredProperty
    {
        public string Name { get; set; } = "";

        public string Value { get; set; } = "";
    }
}
