namespace EdgeVisor.Emulation.Machines.Stimulus;

/// <summary>A stimulus script that cannot be run: one line naming the file and line ("stim.txt:3: …"). Nothing was scheduled.</summary>
public sealed class StimulusException : Exception
{
    public StimulusException(string message)
        : base(message)
    {
    }

    public StimulusException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
