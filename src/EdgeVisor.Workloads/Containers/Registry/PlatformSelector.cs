using EdgeVisor.Workloads.Containers.Images;

namespace EdgeVisor.Workloads.Containers.Registry;

/// <summary>
/// Picks the manifest of an index for a platform: the same OS and architecture; the variant equal when both name
/// one, where arm64's unnamed variant is v8 and an armv7 device also runs v6 and then v5 images. An exact variant
/// beats an unnamed one, which beats an older arm variant.
/// </summary>
public static class PlatformSelector
{
    /// <summary>The best entry for <paramref name="platform"/>, or null when none fits.</summary>
    public static Descriptor? Choose(ImageIndex index, Platform platform)
    {
        ArgumentNullException.ThrowIfNull(index);
        ArgumentNullException.ThrowIfNull(platform);
        return index.Manifests
            .Select((entry, order) => (entry, order, rank: Rank(entry.Platform, platform)))
            .Where(candidate => candidate.rank is not null)
            .OrderBy(candidate => candidate.rank)
            .ThenBy(candidate => candidate.order)
            .Select(candidate => candidate.entry)
            .FirstOrDefault();
    }

    /// <summary>What an index offers, for the error that none fits: <c>linux/amd64, linux/arm/v7</c>.</summary>
    public static string Offered(ImageIndex index)
    {
        ArgumentNullException.ThrowIfNull(index);
        string[] platforms = [.. index.Manifests.Select(entry => entry.Platform?.ToString() ?? "unknown").Distinct()];
        return platforms.Length == 0 ? "none" : string.Join(", ", platforms);
    }

    /// <summary>0 = exact, 1 = the image names no variant, 2.. = an older arm variant; null = does not run here.</summary>
    private static int? Rank(Platform? offered, Platform wanted)
    {
        if (offered is null
            || !offered.Os.Equals(wanted.Os, StringComparison.OrdinalIgnoreCase)
            || !offered.Architecture.Equals(wanted.Architecture, StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        string? have = Normalise(offered);
        string? want = Normalise(wanted);
        if (have == want)
        {
            return 0;
        }

        if (have is null || want is null)
        {
            return 1;
        }

        // An arm device runs images built for older arm variants: v7 runs v6 and v5, preferring the newest.
        return wanted.Architecture == "arm" && ArmLevel(have) is int image && ArmLevel(want) is int device && image < device
            ? 1 + device - image
            : null;
    }

    private static string? Normalise(Platform platform) =>
        platform.Architecture == "arm64" && platform.Variant is null ? "v8" : platform.Variant?.ToLowerInvariant();

    private static int? ArmLevel(string variant) =>
        variant is ['v', .. var digits] && int.TryParse(digits, out int level) ? level : null;
}
