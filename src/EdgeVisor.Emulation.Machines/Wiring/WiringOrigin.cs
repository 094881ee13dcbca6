namespace EdgeVisor.Emulation.Machines.Wiring;

/// <summary>The file a wiring entry came from (a wiring file, or a board file's "devices"), with its line map.</summary>
public sealed class WiringOrigin(string source, JsonLineMap lines)
{
    /// <summary>The file as the user named it ("wiring.json"), or "board stm32f4-discovery" for a board's own devices.</summary>
    public string Source { get; } = source;

    /// <summary>Where <paramref name="path"/> is in this file.</summary>
    public SourceLocation At(string path) => new(Source, lines.LineOf(path), path);
}
