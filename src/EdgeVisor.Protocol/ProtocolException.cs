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

    public RejectionReason Reason { get; } = RejectionReason.Malformed;
}
