using System.Text.RegularExpressions;

namespace EdgeVisor.Protocol;

/// <summary>
/// The one rule for device ids, workload names, command names and stream names: they become MQTT topic levels
/// and file names, so 1-64 characters of letters, digits, '.', '_' and '-', not starting with '.' or '-'.
/// </summary>
public static partial class Names
{
    /// <summary>The rule in words, for error messages.</summary>
    public const string Rule = "1-64 letters, digits, '.', '_' or '-', not starting with '.' or '-'";

    /// <summary>True when <paramref name="name"/> follows the rule.</summary>
    public static bool IsValid(string? name) => name is not null && Pattern().IsMatch(name);

    /// <summary>Throws <see cref="ArgumentException"/> naming the id when <paramref name="deviceId"/> breaks the rule.</summary>
    public static void CheckDeviceId(string deviceId)
    {
        if (!IsValid(deviceId))
        {
            throw new ArgumentException($"device id '{deviceId}' is not valid: use {Rule}", nameof(deviceId));
        }
    }

    /// <summary>
    /// Returns <paramref name="name"/> when it follows the rule, else throws <see cref="ArgumentException"/> naming
    /// <paramref name="what"/> (e.g. "command name"): a name with '/', '+' or '#' would change which topic is meant.
    /// </summary>
    public static string Check(string name, string what)
    {
        if (!IsValid(name))
        {
            throw new ArgumentException($"{what} '{name}' is not valid: use {Rule}", nameof(name));
        }

        return name;
    }

    // \z, not $: $ also matches before a trailing newline, which would let "pi-01\n" through.
    [GeneratedRegex("^[A-Za-z0-9_][A-Za-z0-9._-]{0,63}\\z", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();
}
