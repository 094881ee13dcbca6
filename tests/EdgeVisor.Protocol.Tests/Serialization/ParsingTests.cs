using System.Text;

namespace EdgeVisor.Protocol.Tests.Serialization;

/// <summary>What a device does with documents it cannot read: one <see cref="ProtocolException"/> with a clear line, never anything else.</summary>
public class ParsingTests
{
    [Fact]
    public void A_newer_document_with_unknown_fields_at_every_level_parses()
    {
        string json = Documents.DesiredJson()
            .Replace("\"deviceId\":", "\"rolloutWave\":{\"n\":2,\"of\":[1,2]},\"deviceId\":", StringComparison.Ordinal)
            .Replace("\"name\":\"sensor\"", "\"name\":\"sensor\",\"priority\":7", StringComparison.Ordinal)
            .Replace("\"size\":12345", "\"size\":12345,\"mirrors\":[\"https://m.example/a\"]", StringComparison.Ordinal)
            .Replace("\"mode\":\"on-failure\"", "\"mode\":\"on-failure\",\"jitter\":true", StringComparison.Ordinal)
            .Replace("\"realtime\":true", "\"realtime\":true,\"cores\":2", StringComparison.Ordinal);

        var state = ProtocolJson.Parse<DesiredState>(Documents.Utf8(json));

        Assert.Equal("sensor", Assert.Single(state.Workloads).Name);
        Assert.Equal(Documents.Sha, state.Workloads[0].Artifact.Sha256);
        Assert.Equal("stm32f4-discovery", state.Workloads[0].Firmware!.Board);
    }

    [Fact]
    public void A_missing_required_field_is_named()
    {
        string json = Documents.DesiredJson().Replace("\"version\":3,", "", StringComparison.Ordinal);

        var e = Reject(json);

        Assert.Equal(RejectionReason.Malformed, e.Reason);
        Assert.Equal("missing required field 'version'", e.Message);
    }

    [Fact]
    public void A_missing_required_field_inside_a_workload_is_named_with_its_path()
    {
        string json = Documents.DesiredJson().Replace("\"sha256\":\"9f86", "\"digest\":\"9f86", StringComparison.Ordinal);

        Assert.Equal("workloads[0].artifact: missing required field 'sha256'", Reject(json).Message);
    }

    [Theory]
    [InlineData("\"version\":3", "\"version\":\"3\"", "version: expected an integer")]
    [InlineData("\"version\":3", "\"version\":1e999", "version: expected an integer")]
    [InlineData("\"version\":3", "\"version\":123456789012345678901234567890", "version: expected an integer")]
    [InlineData("\"version\":3", "\"version\":3.5", "version: expected an integer")]
    [InlineData("\"deviceId\":\"pi-01\"", "\"deviceId\":7", "deviceId: expected a string")]
    [InlineData("\"realtime\":true", "\"realtime\":\"yes\"", "workloads[0].firmware.realtime: expected true or false")]
    [InlineData("\"issuedAt\":\"2026-11-26T12:00:00+00:00\"", "\"issuedAt\":\"yesterday\"", "issuedAt: expected a date-time like 2026-01-31T12:00:00Z")]
    [InlineData("\"backoffSeconds\":1", "\"backoffSeconds\":\"NaN\"", "workloads[0].restart.backoffSeconds: expected a number")]
    [InlineData("\"workloads\":[", "\"workloads\":{\"a\":1},\"x\":[", "workloads: expected an array")]
    [InlineData("\"configuration\":{}", "\"configuration\":{\"a\":1}", "workloads[0].configuration.a: expected a string")]
    public void A_value_of_the_wrong_type_is_named_with_what_was_expected(string find, string replace, string message)
    {
        string json = Documents.DesiredJson().Replace(find, replace, StringComparison.Ordinal);
        Assert.NotEqual(Documents.DesiredJson(), json);

        var e = Reject(json);

        Assert.Equal(RejectionReason.Malformed, e.Reason);
        Assert.Equal(message, e.Message);
    }

    [Theory]
    [InlineData("\"workloads\":[", "\"workloads\":[null,", "workloads[0]: null is not allowed here")]
    [InlineData("\"board\":\"stm32f4-discovery\"", "\"board\":null", "workloads[0].firmware.board: null is not allowed here")]
    [InlineData("\"arguments\":[]", "\"arguments\":[\"-v\",null]", "workloads[0].firmware.arguments[1]: null is not allowed here")]
    [InlineData("\"configuration\":{}", "\"configuration\":{\"mode\":null}", "workloads[0].configuration.mode: null is not allowed here")]
    public void Null_where_a_value_is_needed_is_refused_with_its_path(string find, string replace, string message)
    {
        string json = Documents.DesiredJson().Replace(find, replace, StringComparison.Ordinal);
        Assert.NotEqual(Documents.DesiredJson(), json);

        Assert.Equal(message, Reject(json).Message);
    }

    [Fact]
    public void A_field_given_twice_is_refused_so_no_two_readers_can_disagree_on_it()
    {
        string json = Documents.DesiredJson().Replace("\"version\":3", "\"version\":3,\"version\":9", StringComparison.Ordinal);

        Assert.Equal("version: field 'version' is given twice in one object", Reject(json).Message);
    }

    [Fact]
    public void A_field_given_twice_in_a_free_form_object_is_refused()
    {
        string json = Documents.DesiredJson().Replace("\"configuration\":{}", "\"extensions\":{\"a\":1,\"a\":2},\"configuration\":{}", StringComparison.Ordinal);

        Assert.Contains("same field twice", Reject(json).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Field_names_are_case_sensitive()
    {
        string json = Documents.DesiredJson().Replace("\"version\"", "\"Version\"", StringComparison.Ordinal);

        Assert.Equal("missing required field 'version'", Reject(json).Message);
    }

    [Theory]
    [InlineData("", "empty message: expected a JSON object")]
    [InlineData("null", "expected a JSON object, found null")]
    [InlineData("[]", "expected an object")]
    [InlineData("42", "expected an object")]
    [InlineData("{\"deviceId\":", "deviceId: the text ends before every object and array is closed")]
    [InlineData("{\"deviceId\" \"x\"}", "'\"' is invalid after a property name (line 1, byte 13)")]
    public void Text_that_is_not_a_document_is_malformed(string text, string message)
    {
        var e = Reject(text);

        Assert.Equal(RejectionReason.Malformed, e.Reason);
        Assert.Equal(message, e.Message);
    }

    [Fact]
    public void Trailing_garbage_after_a_valid_document_is_refused()
    {
        var e = Reject(Documents.DesiredJson() + " {}");

        Assert.StartsWith("more text after the JSON object", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Nesting_deeper_than_the_limit_is_refused_without_a_stack_overflow()
    {
        string deep = new string('[', 10_000) + new string(']', 10_000);
        string json = Documents.DesiredJson().Replace("\"configuration\":{}", $"\"extensions\":{{\"x\":{deep}}},\"configuration\":{{}}", StringComparison.Ordinal);

        Assert.Equal($"nested deeper than {ProtocolJson.MaxDepth} levels", Reject(json).Message.Split(": ")[^1]);
    }

    [Fact]
    public void Invalid_utf8_is_refused_with_the_byte_position()
    {
        byte[] bytes = Documents.Utf8(Documents.DesiredJson());
        int at = Documents.DesiredJson().IndexOf("greenhouse", StringComparison.Ordinal);
        bytes[at] = 0xC3;
        bytes[at + 1] = 0x28;

        var e = Assert.Throws<ProtocolException>(() => ProtocolJson.Parse<DesiredState>(bytes));

        Assert.Equal(RejectionReason.Malformed, e.Reason);
        Assert.Equal($"not valid UTF-8 text (byte {at + 1})", e.Message);
    }

    [Fact]
    public void A_lone_surrogate_escape_is_refused()
    {
        string json = Documents.DesiredJson().Replace("\"greenhouse\"", "\"green\\ud800house\"", StringComparison.Ordinal);

        Assert.StartsWith("deploymentId: not valid Unicode text", Reject(json).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_message_over_the_limit_is_too_large_before_it_is_read()
    {
        byte[] bytes = Documents.Utf8(Documents.DesiredJson());

        var e = Assert.Throws<ProtocolException>(() => ProtocolJson.Parse<DesiredState>(bytes, maxBytes: 100));

        Assert.Equal(RejectionReason.TooLarge, e.Reason);
        Assert.Equal($"{bytes.Length} bytes is more than the 100 this device accepts", e.Message);
    }

    [Theory]
    [InlineData(2)]
    [InlineData(0)]
    public void A_schema_this_build_does_not_read_is_unsupported(int schema)
    {
        string json = Documents.DesiredJson().Replace("\"schema\":1", $"\"schema\":{schema}", StringComparison.Ordinal);

        var e = Reject(json);

        Assert.Equal(RejectionReason.UnsupportedSchema, e.Reason);
        Assert.Equal($"schema: {schema} is not supported (this device reads 1 to 1)", e.Message);
    }

    [Fact]
    public void A_newer_schema_that_also_changed_required_fields_is_unsupported_not_malformed()
    {
        var e = Reject("""{"schema":2,"device":{"id":"pi-01"},"revision":"7"}""");

        Assert.Equal(RejectionReason.UnsupportedSchema, e.Reason);
    }

    [Fact]
    public void Enums_are_read_only_as_their_kebab_case_names()
    {
        string json = """{"name":"a","kind":"firmware","state":"running","since":"2026-11-26T12:00:00Z"}""";
        Assert.Equal(WorkloadState.Running, ProtocolJson.Parse<WorkloadReport>(Encoding.UTF8.GetBytes(json)).State);

        var e = Assert.Throws<ProtocolException>(() => ProtocolJson.Parse<WorkloadReport>(Encoding.UTF8.GetBytes(json.Replace("\"running\"", "3", StringComparison.Ordinal))));
        Assert.Equal("state: expected one of pending, downloading, starting, running, failed, stopped", e.Message);
    }

    private static ProtocolException Reject(string json) =>
        Assert.Throws<ProtocolException>(() => ProtocolJson.Parse<DesiredState>(Documents.Utf8(json)));
}
