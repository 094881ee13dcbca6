using System.Globalization;
using EdgeVisor.Hardware;
using EdgeVisor.Protocol;

namespace EdgeVisor.Workloads.Firmware;

/// <summary>
/// The configuration keys a firmware workload understands (<see cref="WorkloadSpec.Configuration"/>), parsed and
/// checked. Anything else is refused by name, so a typo ("hostacess") is an error at deploy time rather than a
/// setting silently ignored on the device.
/// </summary>
internal sealed record FirmwareSettings
{
    /// <summary>Host lines and buses the wiring may pass through, e.g. <c>gpiochip0:2-27,i2c-1</c> (HostAccessPolicy syntax).</summary>
    public const string HostAccessKey = "hostAccess";

    /// <summary>Where a raw binary image goes (ELF and Intel HEX carry their own addresses), e.g. <c>0x08000000</c>.</summary>
    public const string LoadAddressKey = "loadAddress";

    /// <summary>Instructions the firmware may run before it is stopped as failed (a bound for test and batch firmware).</summary>
    public const string MaxInstructionsKey = "maxInstructions";

    /// <summary>Every key this driver reads.</summary>
    public static readonly IReadOnlyList<string> Keys = [HostAccessKey, LoadAddressKey, MaxInstructionsKey];

    /// <summary>The parsed host access policy text, or null: simulated devices only.</summary>
    public string? HostAccess { get; init; }

    public uint? LoadAddress { get; init; }

    public ulong? MaxInstructions { get; init; }

    /// <summary>A fresh policy object for one machine (the policy is mutable, so each start parses its own).</summary>
    public HostAccessPolicy? CreatePolicy() => HostAccess is null ? null : HostAccessPolicy.Parse(HostAccess);

    /// <summary>Parses <paramref name="configuration"/>; on failure returns null and one line naming the key in <paramref name="error"/>.</summary>
    public static FirmwareSettings? Parse(IReadOnlyDictionary<string, string> configuration, out string? error)
    {
        error = null;
        foreach (string key in configuration.Keys)
        {
            if (!Keys.Contains(key, StringComparer.Ordinal))
            {
                error = $"configuration.{key}: not a firmware setting (known: {string.Join(", ", Keys)})";
                return null;
            }
        }

        string? hostAccess = null;
        if (configuration.TryGetValue(HostAccessKey, out string? access))
        {
            try
            {
                HostAccessPolicy.Parse(access);
                hostAccess = access;
            }
            catch (FormatException e)
            {
                error = $"configuration.{HostAccessKey}: {e.Message}";
                return null;
            }
        }

        uint? loadAddress = null;
        if (configuration.TryGetValue(LoadAddressKey, out string? addressText))
        {
            if (!TryParseNumber(addressText, out ulong address) || address > uint.MaxValue)
            {
                error = $"configuration.{LoadAddressKey}: \"{addressText}\" is not a 32-bit address (e.g. 0x08000000)";
                return null;
            }

            loadAddress = (uint)address;
        }

        ulong? maxInstructions = null;
        if (configuration.TryGetValue(MaxInstructionsKey, out string? maxText))
        {
            if (!TryParseNumber(maxText, out ulong max) || max == 0)
            {
                error = $"configuration.{MaxInstructionsKey}: \"{maxText}\" is not a positive whole number";
                return null;
            }

            maxInstructions = max;
        }

        return new FirmwareSettings { HostAccess = hostAccess, LoadAddress = loadAddress, MaxInstructions = maxInstructions };
    }

    private static bool TryParseNumber(string text, out ulong value)
    {
        text = text.Trim().Replace("_", "", StringComparison.Ordinal);
        return text.StartsWith("0x", StringComparison.OrdinalIgnoreCase)
            ? ulong.TryParse(text.AsSpan(2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out value)
            : ulong.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value);
    }
}
