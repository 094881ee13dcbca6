namespace EdgeVisor.Emulation.Loading;

/// <summary>
/// A firmware image that cannot be used: not a recognised format, corrupt or truncated, built for
/// another architecture, or with segments the board has no memory for. The message is one line
/// that names the file and what is wrong, ready to show a user as is.
/// </summary>
public sealed class ImageFormatException : Exception
{
    /// <summary>Creates the exception; the message becomes "<paramref name="imagePath"/>: <paramref name="problem"/>".</summary>
    public ImageFormatException(string imagePath, string problem)
        : base($"{imagePath}: {problem}")
    {
        ImagePath = imagePath;
        Problem = problem;
    }

    /// <summary>The image file as the user named it.</summary>
    public string ImagePath { get; }

    /// <summary>What is wrong, without the file name.</summary>
    public string Problem { get; }
}
