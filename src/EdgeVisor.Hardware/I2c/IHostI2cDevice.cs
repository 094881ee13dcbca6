namespace EdgeVisor.Hardware;

/// <summary>
/// One device on a host I2C bus. Each call is one complete I2C transaction (START … STOP); the length of a read is
/// fixed before it starts. Failures (the device NACKs, the bus times out) throw <see cref="HostHardwareException"/>.
/// </summary>
public interface IHostI2cDevice : IDisposable
{
    int Bus { get; }

    /// <summary>7-bit address.</summary>
    int Address { get; }

    /// <summary>One write transaction.</summary>
    void Write(ReadOnlySpan<byte> data);

    /// <summary>One read transaction of exactly <paramref name="buffer"/>'s length.</summary>
    void Read(Span<byte> buffer);

    /// <summary>A write, a repeated START and a read in one transaction (how register reads are done).</summary>
    void WriteRead(ReadOnlySpan<byte> write, Span<byte> read);
}
