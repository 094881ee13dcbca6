namespace EdgeVisor.Protocol;

/// <summary>
/// The MQTT topic layout. Everything a device sends or receives lives under
/// <c>edgevisor/v1/devices/{deviceId}/</c>, so one broker ACL pattern confines a device to its own subtree.
/// </summary>
public static class DeviceTopics
{
    /// <summary>The root of every device subtree; the <c>v1</c> segment changes only with an incompatible topic layout.</summary>
    public const string Root = "edgevisor/v1/devices";

    /// <summary>Retained, controller to device: the signed desired-state document (<see cref="SignedDocument"/>).</summary>
    public static string Desired(string deviceId) => $"{Subtree(deviceId)}/desired";

    /// <summary>Retained, device to controller: what the device runs (<see cref="ReportedState"/>).</summary>
    public static string Reported(string deviceId) => $"{Subtree(deviceId)}/reported";

    /// <summary>Retained: <see cref="DeviceStatus"/> <c>online</c> on connect, <c>offline</c> as the last will.</summary>
    public static string Status(string deviceId) => $"{Subtree(deviceId)}/status";

    /// <summary>Controller to device, MQTT 5 request/response: the reply goes to the request's response topic with its correlation data.</summary>
    public static string Command(string deviceId, string name) => $"{Subtree(deviceId)}/commands/{Level(name, "command name")}";

    /// <summary>The subscription that receives every command for a device.</summary>
    public static string AllCommands(string deviceId) => $"{Subtree(deviceId)}/commands/+";

    /// <summary>Device to controller: <see cref="EventRecord"/>s (rejections, state changes, restarts), in order.</summary>
    public static string Events(string deviceId) => $"{Subtree(deviceId)}/events";

    /// <summary>Device to controller: <see cref="TelemetryRecord"/>s of one stream.</summary>
    public static string Telemetry(string deviceId, string stream) => $"{Subtree(deviceId)}/telemetry/{Level(stream, "stream name")}";

    /// <summary>Device to controller: <see cref="LogRecord"/>s with a workload's console output.</summary>
    public static string Logs(string deviceId, string workload) => $"{Subtree(deviceId)}/logs/{Level(workload, "workload name")}";

    /// <summary>
    /// Where a controller asks a device's replies to go (the response topic of its commands). Inside the device's
    /// subtree, so a device never needs to write outside it; the controller subscribes to its own id's level.
    /// </summary>
    public static string Replies(string deviceId, string controllerId)
    {
        Names.Check(controllerId, "controller id");
        return $"{Subtree(deviceId)}/replies/{controllerId}";
    }

    /// <summary>Controller subscription: every device's status.</summary>
    public const string AllStatus = Root + "/+/status";

    /// <summary>Controller subscription: every device's reported state.</summary>
    public const string AllReported = Root + "/+/reported";

    /// <summary>Controller subscription: every device's events.</summary>
    public const string AllEvents = Root + "/+/events";

    /// <summary>The device subtree itself, e.g. for a broker ACL pattern (<c>edgevisor/v1/devices/%c/#</c> in mosquitto).</summary>
    public static string Subtree(string deviceId)
    {
        Names.CheckDeviceId(deviceId);
        return $"{Root}/{deviceId}";
    }

    /// <summary>
    /// The last topic level: a valid name, or <c>+</c> (every name: a subscription filter such as all logs of a
    /// device). Anything else — a '/', '#' — would change which topic is meant.
    /// </summary>
    private static string Level(string name, string what) => name == SingleLevelWildcard ? name : Names.Check(name, what);

    /// <summary>MQTT's single-level wildcard, accepted as the last level of command, telemetry and log topics for subscriptions.</summary>
    public const string SingleLevelWildcard = "+";

    /// <summary>The device id and the rest of the topic after the device subtree, or false for a topic outside <see cref="Root"/>.</summary>
    public static bool TryParse(string topic, out string deviceId, out string rest)
    {
        deviceId = "";
        rest = "";
        if (!topic.StartsWith(Root + "/", StringComparison.Ordinal))
        {
            return false;
        }

        string tail = topic[(Root.Length + 1)..];
        int slash = tail.IndexOf('/', StringComparison.Ordinal);
        deviceId = slash < 0 ? tail : tail[..slash];
        rest = slash < 0 ? "" : tail[(slash + 1)..];
        return Names.IsValid(deviceId);
    }
}
