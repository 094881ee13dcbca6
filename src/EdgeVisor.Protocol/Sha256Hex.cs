namespace EdgeVisor.Protocol;

/// <summary>
/// How an artifact's digest is written in a deployment (<see cref="ArtifactRef.Sha256"/>): the 64 hex digits of its
/// SHA-256, either case (compared lower-case).
/// </summary>
public static class Sha256Hex
{
    /// <summary>True when <paramref name="text"/> is 64 hex digits.</summary>
    public static bool IsValid(string? text) => text is { Length: 64 } && text.All(char.IsAsciiHexDigit);
}
