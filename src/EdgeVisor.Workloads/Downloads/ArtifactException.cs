namespace EdgeVisor.Workloads.Downloads;

/// <summary>
/// An artifact could not be fetched. The message is one line naming the URL and what went wrong.
/// <see cref="Permanent"/> tells the reconciler whether trying again can help: a digest mismatch, a 404/410 or a
/// local file that is missing or not allowed will not fix itself; a dropped connection, a 5xx, a timeout or a full
/// disk may (the partial download is kept, so the retry resumes).
/// </summary>
public sealed class ArtifactException : Exception
{
    public ArtifactException()
    {
    }

    public ArtifactException(string message)
        : base(message)
    {
    }

    public ArtifactException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public ArtifactException(string message, bool permanent, Exception? innerException = null)
        : base(message, innerException)
    {
        Permanent = permanent;
    }

    /// <summary>True when retrying the same artifact reference cannot succeed.</summary>
    public bool Permanent { get; }
}
