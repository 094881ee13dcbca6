namespace EdgeVisor.Workloads.Containers.Images;

/// <summary>Content digests as the image spec writes them: <c>sha256:</c> and 64 lowercase hex digits.</summary>
public static class Digests
{
    public const string Sha256Prefix = "sha256:";

    private static readonly System.Buffers.SearchValues<char> LowerHex = System.Buffers.SearchValues.Create("0123456789abcdef");

    /// <summary>True for <c>sha256:</c> followed by exactly 64 lowercase hex digits (nothing else is accepted or stored).</summary>
    public static bool IsValid(string? digest) =>
        digest is { Length: 71 } && digest.StartsWith(Sha256Prefix, StringComparison.Ordinal) && digest.AsSpan(7).IndexOfAnyExcept(LowerHex) < 0;

    /// <summary>The hex part of a valid digest; throws <see cref="FormatException"/> naming it otherwise.</summary>
    public static string Hex(string digest) =>
        IsValid(digest) ? digest[7..] : throw new FormatException($"'{digest}' is not a sha256:<64 lowercase hex> digest");

    /// <summary>A digest from bare hex (the form a desired-state <c>sha256</c> field has).</summary>
    public static string FromHex(string hex) => Sha256Prefix + hex;
}
