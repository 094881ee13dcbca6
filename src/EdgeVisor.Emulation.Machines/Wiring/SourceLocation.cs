namespace EdgeVisor.Emulation.Machines.Wiring;

/// <summary>
/// Where a value of a wiring or board file is: the file (as the user named it), the 1-based line if known, and the
/// JSON path ("devices[2].pin"). Printed as "wiring.json:12: devices[2].pin", the form every wiring error starts with.
/// </summary>
public readonly record struct SourceLocation(string Source, int Line, string Path)
{
    public override string ToString()
    {
        string file = Line > 0 ? $"{Source}:{Line}" : Source;
        return Path.Length == 0 ? file : $"{file}: {Path}";
    }
}
