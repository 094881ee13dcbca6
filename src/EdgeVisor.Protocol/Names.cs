using System.Text.RegularExpressions;

namespace EdgeVisor.Protocol;

/// <summary>
/// The one rule for device ids, workload names, command names and stream names: they become MQTT topic levels
/// and file names, so 1-64 characters of letters, digits, '.', '_' and '-', not starting with '.' or '-'.
/// </summary>
public static partial class Names
{
    public static bool IsValid(string? name) => name is not null && Pattern().IsMatch(name);

    public static void CheckDeviceId(string deviceId)
    {
        if (!IsValid(deviceId))
        {
            throw new ArgumentException($"device id '{deviceId}' is not valid: use 1-64 letters, digits, '.', '_' or '-', not starting with '.' or '-'", nameof(deviceId));
        }
    }

    [GeneratedRegex("^[A-Za-z0-9_][A-Za-z0-9._-]{0,63}$", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();
}
