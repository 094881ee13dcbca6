namespace EdgeVisor.Fleet.Client;

/// <summary>Why a fleet operation failed, so the CLI can map it to an exit code.</summary>
public enum FleetErrorKind
{
    /// <summary>The broker cannot be reached (refused, unresolvable, timed out, TLS handshake failed).</summary>
    BrokerUnavailable,

    /// <summary>The broker refused this controller's identity or one of its publishes/subscriptions.</summary>
    NotAuthorized,

    /// <summary>A device did not answer in time.</summary>
    Timeout,

    /// <summary>The operation makes no sense for the device's current state (e.g. a version not above the current one).</summary>
    Conflict,
}

/// <summary>A fleet operation that failed, with a one-line message for the operator.</summary>
public sealed class FleetException : Exception
{
    public FleetException(FleetErrorKind kind, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        Kind = kind;
    }

    public FleetException()
    {
    }

    public FleetException(string message)
        : base(message)
    {
    }

    public FleetException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public FleetErrorKind Kind { get; }
}
