namespace EdgeVisor.Protocol;

/// <summary>A message that cannot be accepted, with the stable reason code and a one-line explanation.</summary>
public sealed class ProtocolException : Exception
{
    public ProtocolException(RejectionReason reason, string message)
        : base(message)
    {
        Reason = reason;
    }

    public ProtocolException()
    {
    }

    public ProtocolException(string message)
        : base(message)
    {
    }

    public ProtocolException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Why: the stable code reported on the wire.</summary>
    public RejectionReason Reason { get; } = RejectionReason.Malformed;

    /// <summary>The refused document's deployment id, when it could be read (for <see cref="Rejection.DeploymentId"/>).</summary>
    public string? DeploymentId { get; init; }

    /// <summary>The refused document's version, when it could be read (for <see cref="Rejection.Version"/>).</summary>
    public long? Version { get; init; }

    /// <summary>This failure as the <see cref="Rejection"/> a device reports in <see cref="ReportedState.LastRejection"/>.</summary>
    public Rejection ToRejection(DateTimeOffset at) => new()
    {
        Reason = Reason,
        Message = Message,
        DeploymentId = DeploymentId,
        Version = Version,
        At = at,
    };
}
