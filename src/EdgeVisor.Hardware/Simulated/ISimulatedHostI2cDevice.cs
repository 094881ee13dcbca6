namespace EdgeVisor.Hardware.Simulated;

/// <summary>A device on a simulated host I2C bus; each call is one whole transaction. Throw <see cref="HostHardwareException"/> to fail it.</summary>
public interface ISimulatedHostI2cDevice
{
    void Write(ReadOnlySpan<byte> data);

    void Read(Span<byte> buffer);

    /// <summary>Write, repeated START, read: one transaction.</summary>
    void WriteRead(ReadOnlySpan<byte> write, Span<byte> read);
}
