using System.Security.Cryptography;
using System.Text.Json.Nodes;

namespace EdgeVisor.Protocol.Tests.Signing;

/// <summary>
/// Thousands of seeded random mutations of a valid signed document: whatever arrives on the desired topic, the
/// device gets either a verified, valid document or a <see cref="ProtocolException"/> — never another exception
/// type that could take the agent down. The seed is in every failure message.
/// </summary>
public sealed class MutationFuzzTests : IDisposable
{
    private const int MaxBytes = 64 * 1024;
    private const int Seed = 20261126;

    private static readonly string[] Hostile =
    [
        "null", "true", "-1", "0", "1e999", "-9223372036854775809", "18446744073709551616", "3.5", "\"\"", "\"x\"",
        "[]", "{}", "[null]", "{\"a\":null}", "\"\\ud800\"", "\"NaN\"", "\"" + new string('a', 5000) + "\"", new string('[', 40) + new string(']', 40),
        "\"9F86D081884C7D659A2FEAA0C55AD015A3BF4F1B2B0B822CD15D6C15B0F00A08\"", "\"ftp://x\"", "\"container\"", "\"always\"",
    ];

    private readonly TrustAnchors _anchors;
    private readonly ECDsa _key;

    public MutationFuzzTests() => (_anchors, _key) = Documents.TrustedKey();

    public void Dispose()
    {
        _anchors.Dispose();
        _key.Dispose();
    }

    [Fact]
    public void Byte_mutations_of_a_signed_envelope_only_ever_raise_protocol_exceptions()
    {
        var random = new Random(Seed);
        byte[] valid = Documents.Envelope(DeploymentSignature.Sign(Documents.Desired(), _key));
        var reasons = new HashSet<RejectionReason>();

        for (int i = 0; i < 3000; i++)
        {
            byte[] mutated = MutateBytes(valid, random);
            reasons.UnionWith(Outcome(mutated, $"seed {Seed}, envelope mutation {i}"));
        }

        // The mutations reach past parsing into the signature checks.
        Assert.Superset(new HashSet<RejectionReason> { RejectionReason.Malformed, RejectionReason.BadSignature }, reasons);
    }

    [Fact]
    public void Byte_mutations_of_a_payload_signed_by_a_trusted_key_only_ever_raise_protocol_exceptions()
    {
        // The worst case: a trusted signer (or a bug on the controller) signs garbage; parsing and rules must hold.
        var random = new Random(Seed + 1);
        byte[] payload = ProtocolJson.Serialize(Documents.Desired(Documents.Firmware("a"), Documents.Firmware("b")));
        var reasons = new HashSet<RejectionReason>();

        for (int i = 0; i < 2000; i++)
        {
            byte[] message = Documents.Envelope(DeploymentSignature.SignPayload(MutateBytes(payload, random), _key));
            reasons.UnionWith(Outcome(message, $"seed {Seed + 1}, payload mutation {i}"));
        }

        Assert.Contains(RejectionReason.Malformed, reasons);
    }

    [Fact]
    public void Value_mutations_of_a_signed_payload_only_ever_raise_protocol_exceptions()
    {
        // Valid JSON with one value anywhere replaced by a hostile one: exercises the rules, not just the parser.
        var random = new Random(Seed + 2);
        string json = Documents.Text(ProtocolJson.Serialize(Documents.Desired(Documents.Firmware("a"), Documents.Firmware("b"))));
        var reasons = new HashSet<RejectionReason>();
        int accepted = 0;

        for (int i = 0; i < 2000; i++)
        {
            string mutated = ReplaceOneValue(json, random);
            byte[] message = Documents.Envelope(DeploymentSignature.SignPayload(Documents.Utf8(mutated), _key));
            var outcome = Outcome(message, $"seed {Seed + 2}, value mutation {i}: {mutated}");
            reasons.UnionWith(outcome);
            accepted += outcome.Count == 0 ? 1 : 0;
        }

        Assert.Superset(new HashSet<RejectionReason> { RejectionReason.Malformed, RejectionReason.Invalid }, reasons);
        Assert.InRange(accepted, 1, 1999);
    }

    [Fact]
    public void Byte_mutations_of_the_other_records_only_ever_raise_protocol_exceptions()
    {
        var random = new Random(Seed + 3);
        byte[] reported = ProtocolJson.Serialize(new ReportedState
        {
            DeviceId = "pi-01",
            Version = 3,
            LastRejection = new Rejection { Reason = RejectionReason.Replayed, Message = "m" },
            Workloads = [new WorkloadReport { Name = "a", Kind = "firmware", State = WorkloadState.Failed, Reason = "exit 3" }],
        });
        byte[] command = ProtocolJson.Serialize(new CommandRequest { Arguments = new Dictionary<string, string> { ["workload"] = "a" } });
        byte[] evt = ProtocolJson.Serialize(new EventRecord { DeviceId = "pi-01", Kind = EventKinds.WorkloadState, Message = "running", Reason = RejectionReason.Invalid });

        for (int i = 0; i < 1000; i++)
        {
            ParseOrProtocolException<ReportedState>(MutateBytes(reported, random), i);
            ParseOrProtocolException<CommandRequest>(MutateBytes(command, random), i);
            ParseOrProtocolException<EventRecord>(MutateBytes(evt, random), i);
        }
    }

    /// <summary>The rejection reason (empty set: accepted); fails the test on any exception but <see cref="ProtocolException"/>.</summary>
    private HashSet<RejectionReason> Outcome(byte[] message, string what)
    {
        try
        {
            var state = DeploymentSignature.Verify(message, _anchors, MaxBytes);
            Assert.NotNull(state.Workloads);
            return [];
        }
        catch (ProtocolException e)
        {
            Assert.False(string.IsNullOrWhiteSpace(e.Message), what);
            Assert.DoesNotContain('\n', e.Message);
            return [e.Reason];
        }
        catch (Exception e)
        {
            Assert.Fail($"{what}: {e.GetType().Name}: {e.Message}");
            throw;
        }
    }

    private static void ParseOrProtocolException<T>(byte[] bytes, int i)
        where T : class
    {
        try
        {
            ProtocolJson.Parse<T>(bytes);
        }
        catch (ProtocolException)
        {
        }
        catch (Exception e)
        {
            Assert.Fail($"seed {Seed + 3}, {typeof(T).Name} mutation {i}: {e.GetType().Name}: {e.Message}");
        }
    }

    private static byte[] MutateBytes(byte[] original, Random random)
    {
        var bytes = new List<byte>(original);
        int edits = 1 + random.Next(3);
        for (int e = 0; e < edits && bytes.Count > 0; e++)
        {
            int at = random.Next(bytes.Count);
            switch (random.Next(6))
            {
                case 0:
                    bytes[at] ^= (byte)(1 << random.Next(8));
                    break;
                case 1:
                    bytes.Insert(at, "{}[]\",:\\0-e9 \u00ff"u8[random.Next(15)]);
                    break;
                case 2:
                    bytes.RemoveAt(at);
                    break;
                case 3:
                    bytes.RemoveRange(at, bytes.Count - at);
                    break;
                case 4:
                    int length = Math.Min(random.Next(1, 40), bytes.Count - at);
                    bytes.InsertRange(at, bytes.GetRange(at, length));
                    break;
                default:
                    bytes[at] = (byte)random.Next(256);
                    break;
            }
        }

        return [.. bytes];
    }

    private static string ReplaceOneValue(string json, Random random)
    {
        var root = JsonNode.Parse(json)!;
        var nodes = new List<JsonNode>();
        Collect(root, nodes);
        var target = nodes[random.Next(nodes.Count)];
        string replacement = Hostile[random.Next(Hostile.Length)];
        if (target.Parent is null)
        {
            return replacement;
        }

        // Spliced in as text: some hostile values (a lone surrogate) cannot pass through JsonNode.
        target.ReplaceWith(JsonValue.Create("__hostile__"));
        return root.ToJsonString().Replace("\"__hostile__\"", replacement, StringComparison.Ordinal);
    }

    private static void Collect(JsonNode node, List<JsonNode> nodes)
    {
        nodes.Add(node);
        IEnumerable<JsonNode?> children = node switch
        {
            JsonObject o => o.Select(p => p.Value),
            JsonArray a => a,
            _ => [],
        };
        foreach (var child in children.OfType<JsonNode>())
        {
            Collect(child, nodes);
        }
    }
}
