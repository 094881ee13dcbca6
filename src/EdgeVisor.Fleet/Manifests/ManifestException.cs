namespace EdgeVisor.Fleet.Manifests;

/// <summary>
/// A deployment manifest that cannot be turned into a desired state. The message is one line naming the file and
/// the JSON path, e.g. <c>deploy.json: workloads[0].firmware.board: required</c>.
/// </summary>
public sealed class ManifestException : Exception
{
    public ManifestException()
    {
    }

    public ManifestException(string message)
        : base(message)
    {
    }

    public ManifestException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
