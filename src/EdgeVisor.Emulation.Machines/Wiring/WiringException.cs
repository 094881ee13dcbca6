namespace EdgeVisor.Emulation.Machines.Wiring;

/// <summary>
/// A wiring file (or a board's own device list) that cannot be applied: the message is one line naming the file,
/// the line and the JSON path of the problem, and what is allowed there. Nothing was created or claimed.
/// </summary>
public sealed class WiringException : Exception
{
    public WiringException(string message)
        : base(message)
    {
    }

    public WiringException(string message, Exception inner)
        : base(message, inner)
    {
    }

    /// <summary>An error at <paramref name="where"/>: "wiring.json:12: devices[2].pin: what is wrong".</summary>
    public WiringException(SourceLocation where, string problem)
        : base($"{where}: {problem}")
    {
    }
}
