using System.Globalization;

namespace EdgeVisor.Hardware;

/// <summary>
/// One line of a host GPIO chip, as the Linux GPIO character device names it: /dev/gpiochip<see cref="Chip"/>,
/// line offset <see cref="Line"/> (on a Raspberry Pi 4 the BCM GPIO number is the line offset on gpiochip0).
/// </summary>
public readonly record struct HostPin(int Chip, int Line)
{
    /// <summary>"gpiochip0 line 17": the form every error message uses.</summary>
    public override string ToString() => $"gpiochip{Chip} line {Line}";

    /// <summary>
    /// Parses "gpiochip0:17", "0:17" or "17" (chip 0). Returns false for anything else, including negative numbers.
    /// </summary>
    public static bool TryParse(string? text, out HostPin pin)
    {
        pin = default;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        string trimmed = text.Trim();
        int colon = trimmed.IndexOf(':', StringComparison.Ordinal);
        string chipText = colon < 0 ? "0" : trimmed[..colon];
        string lineText = colon < 0 ? trimmed : trimmed[(colon + 1)..];
        if (chipText.StartsWith("gpiochip", StringComparison.OrdinalIgnoreCase))
        {
            chipText = chipText["gpiochip".Length..];
        }

        if (!int.TryParse(chipText, NumberStyles.None, CultureInfo.InvariantCulture, out int chip)
            || !int.TryParse(lineText, NumberStyles.None, CultureInfo.InvariantCulture, out int line))
        {
            return false;
        }

        pin = new HostPin(chip, line);
        return true;
    }
}
