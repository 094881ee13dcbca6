using System.Globalization;
using System.Text;
using System.Text.Json;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace EdgeVisor.Emulation.Machines.Wiring;

/// <summary>
/// Turns a YAML wiring file into the equivalent JSON so one parser reads both, keeping each value's line for
/// errors. Plain scalars become numbers, true/false or null where YAML 1.2's core schema says so; quoted ones and
/// everything else (such as "0x48") stay strings, which the wiring parser reads the same way as in JSON.
/// </summary>
internal static class YamlToJson
{
    public static (byte[] Json, JsonLineMap Lines) Convert(string yaml, string source)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(yaml));
        }
        catch (YamlException e)
        {
            throw new WiringException($"{source}:{e.Start.Line}: not valid YAML: {e.Message}", e);
        }

        var lines = new Dictionary<string, int>(StringComparer.Ordinal);
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            if (stream.Documents.Count == 0)
            {
                writer.WriteStartObject();
                writer.WriteEndObject();
            }
            else
            {
                Write(stream.Documents[0].RootNode, "", writer, lines, source);
            }
        }

        return (buffer.ToArray(), JsonLineMap.FromLines(lines));
    }

    private static void Write(YamlNode node, string path, Utf8JsonWriter writer, Dictionary<string, int> lines, string source)
    {
        lines.TryAdd(path, (int)node.Start.Line);
        switch (node)
        {
            case YamlMappingNode mapping:
                writer.WriteStartObject();
                foreach (var (key, value) in mapping.Children)
                {
                    if (key is not YamlScalarNode { Value: { } name })
                    {
                        throw new WiringException($"{source}:{key.Start.Line}: {path}: keys must be plain names");
                    }

                    writer.WritePropertyName(name);
                    Write(value, JsonLineMap.Child(path, name), writer, lines, source);
                }

                writer.WriteEndObject();
                break;
            case YamlSequenceNode sequence:
                writer.WriteStartArray();
                int index = 0;
                foreach (var item in sequence.Children)
                {
                    Write(item, JsonLineMap.Element(path, index++), writer, lines, source);
                }

                writer.WriteEndArray();
                break;
            case YamlScalarNode scalar:
                WriteScalar(scalar, writer);
                break;
            default:
                throw new WiringException($"{source}:{node.Start.Line}: {path}: aliases and tags are not supported in wiring files");
        }
    }

    private static void WriteScalar(YamlScalarNode scalar, Utf8JsonWriter writer)
    {
        string text = scalar.Value ?? "";
        if (scalar.Style != ScalarStyle.Plain)
        {
            writer.WriteStringValue(text);
            return;
        }

        switch (text)
        {
            case "true" or "True" or "TRUE":
                writer.WriteBooleanValue(true);
                return;
            case "false" or "False" or "FALSE":
                writer.WriteBooleanValue(false);
                return;
            case "" or "~" or "null" or "Null" or "NULL":
                writer.WriteNullValue();
                return;
        }

        if (long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long integer))
        {
            writer.WriteNumberValue(integer);
        }
        else if (IsDecimal(text) && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double real))
        {
            writer.WriteNumberValue(real);
        }
        else
        {
            writer.WriteStringValue(text);
        }
    }

    /// <summary>YAML 1.2 core schema floats: digits with an optional sign, point and exponent (no "0x", no words).</summary>
    private static bool IsDecimal(string text)
    {
        var digits = new StringBuilder();
        foreach (char c in text)
        {
            if (!(char.IsAsciiDigit(c) || c is '.' or '-' or '+' or 'e' or 'E'))
            {
                return false;
            }

            digits.Append(c);
        }

        return digits.Length > 0 && text.Any(char.IsAsciiDigit);
    }
}
