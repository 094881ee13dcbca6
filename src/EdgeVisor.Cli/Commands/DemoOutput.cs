namespace EdgeVisor.Cli.Commands;

/// <summary>What the demo prints: a short header, then one line per event, written whole even from MQTT threads.</summary>
internal sealed class DemoOutput(TextWriter writer)
{
    private readonly Lock _lock = new();

    public void Header(string broker, string device, string stateDirectory, string keyId)
    {
        Line("EdgeVisor demo: a broker, one device agent and a signed firmware deployment, all on this machine");
        Line($"  broker      {broker} (embedded MQTT 5, per-device ACL)");
        Line($"  device      {device} (agent state in {stateDirectory})");
        Line($"  signing key {keyId} (P-256; the device trusts only this key)");
    }

    public void Line(string text)
    {
        lock (_lock)
        {
            writer.WriteLine(text);
            writer.Flush();
        }
    }
}
