namespace EdgeVisor.Protocol;

/// <summary>The IANA MQTT ports every EdgeVisor broker connection and listener defaults to.</summary>
public static class BrokerPorts
{
    public const int Plain = 1883;

    public const int Tls = 8883;

    /// <summary>The port a configured 0 (or none) stands for.</summary>
    public static int Default(bool tls) => tls ? Tls : Plain;
}
