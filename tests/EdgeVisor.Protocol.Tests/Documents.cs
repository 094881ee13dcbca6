using System.Security.Cryptography;
using System.Text;

namespace EdgeVisor.Protocol.Tests;

/// <summary>Valid documents the tests start from and then break in one place.</summary>
internal static class Documents
{
    public const string Sha = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";

    public const string WiringSha = "2c26b46b68ffc68ff99b453c1d30413413422d706483bfa0f98a5e886266e7ae";

    public static readonly DateTimeOffset Noon = new(2026, 11, 26, 12, 0, 0, TimeSpan.Zero);

    public static WorkloadSpec Firmware(string name = "sensor") => new()
    {
        Name = name,
        Kind = WorkloadKinds.Firmware,
        Artifact = new ArtifactRef { Url = "https://artifacts.example/sensor-monitor.elf", Sha256 = Sha, Size = 12345 },
        Firmware = new FirmwareSpec
        {
            Board = "stm32f4-discovery",
            Wiring = new ArtifactRef { Url = "file:///opt/edgevisor/sensor-monitor.wiring.json", Sha256 = WiringSha },
        },
    };

    public static DesiredState Desired(params WorkloadSpec[] workloads) => new()
    {
        DeviceId = "pi-01",
        DeploymentId = "greenhouse",
        Version = 3,
        IssuedAt = Noon,
        Workloads = workloads.Length == 0 ? [Firmware()] : workloads,
    };

    public static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);

    public static string Text(byte[] utf8) => Encoding.UTF8.GetString(utf8);

    /// <summary>The JSON of a valid desired state, for tests that edit the text itself.</summary>
    public static string DesiredJson() => Text(ProtocolJson.Serialize(Desired()));

    public static byte[] Envelope(SignedDocument document) => ProtocolJson.Serialize(document);

    public static (TrustAnchors Anchors, ECDsa Key) TrustedKey()
    {
        var key = SigningKey.Generate();
        var anchors = new TrustAnchors();
        anchors.AddPem(SigningKey.ExportPublicPem(key), "test key");
        return (anchors, key);
    }
}
