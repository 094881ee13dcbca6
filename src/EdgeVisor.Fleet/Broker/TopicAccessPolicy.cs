using EdgeVisor.Protocol;

namespace EdgeVisor.Fleet.Broker;

/// <summary>
/// The per-device ACL, the same rule as provisioning's mosquitto configuration:
/// a device reads only its own <c>desired</c> and <c>commands/+</c>, and writes only its own
/// <c>reported</c>, <c>status</c>, <c>events</c>, <c>telemetry/+</c>, <c>logs/+</c> and <c>replies/+</c>;
/// a controller reads and writes everything under <c>edgevisor/</c>. Nothing else is allowed to anybody.
/// </summary>
public static class TopicAccessPolicy
{
    private const string ControllerRoot = "edgevisor/";

    /// <summary>Whether <paramref name="client"/> may publish to <paramref name="topic"/> (a topic name, no wildcards).</summary>
    public static bool CanPublish(ClientIdentity client, string topic)
    {
        ArgumentNullException.ThrowIfNull(client);
        if (topic.Contains('+', StringComparison.Ordinal) || topic.Contains('#', StringComparison.Ordinal))
        {
            return false;
        }

        if (client.Role == ClientRole.Controller)
        {
            return topic.StartsWith(ControllerRoot, StringComparison.Ordinal);
        }

        return DeviceWritable(client.Name).Any(pattern => Covers(pattern, topic));
    }

    /// <summary>
    /// Whether <paramref name="client"/> may subscribe to <paramref name="filter"/>: for a device, every topic the
    /// filter can match must be readable, so <c>…/pi-01/#</c> is refused: it would also match the device's own
    /// reported state, telemetry and replies, which only controllers read.
    /// </summary>
    public static bool CanSubscribe(ClientIdentity client, string filter)
    {
        ArgumentNullException.ThrowIfNull(client);
        if (filter.StartsWith("$share/", StringComparison.Ordinal))
        {
            // A shared subscription's filter is the part after the group name.
            string[] parts = filter.Split('/', 3);
            if (parts.Length < 3)
            {
                return false;
            }

            filter = parts[2];
        }

        if (client.Role == ClientRole.Controller)
        {
            return filter.StartsWith(ControllerRoot, StringComparison.Ordinal);
        }

        return DeviceReadable(client.Name).Any(pattern => Covers(pattern, filter));
    }

    private static string[] DeviceReadable(string deviceId) =>
    [
        DeviceTopics.Desired(deviceId),
        DeviceTopics.AllCommands(deviceId),
    ];

    private static string[] DeviceWritable(string deviceId)
    {
        string subtree = DeviceTopics.Subtree(deviceId);
        return
        [
            DeviceTopics.Reported(deviceId),
            DeviceTopics.Status(deviceId),
            DeviceTopics.Events(deviceId),
            subtree + "/telemetry/+",
            subtree + "/logs/+",
            subtree + "/replies/+",
        ];
    }

    /// <summary>
    /// True when every topic <paramref name="filter"/> matches is also matched by <paramref name="pattern"/>
    /// (a pattern of literal levels and single-level '+' wildcards). A '+' in the filter is covered only by a
    /// '+' in the pattern, and a '#' in the filter by nothing (the patterns have fixed depth).
    /// </summary>
    internal static bool Covers(string pattern, string filter)
    {
        string[] patternLevels = pattern.Split('/');
        string[] filterLevels = filter.Split('/');
        if (patternLevels.Length != filterLevels.Length)
        {
            return false;
        }

        for (int i = 0; i < patternLevels.Length; i++)
        {
            string level = filterLevels[i];
            if (level == "#")
            {
                return false;
            }

            if (patternLevels[i] == "+")
            {
                // An empty level is a distinct topic level in MQTT, but still a single level: covered.
                continue;
            }

            if (level != patternLevels[i])
            {
                return false;
            }
        }

        return true;
    }
}
