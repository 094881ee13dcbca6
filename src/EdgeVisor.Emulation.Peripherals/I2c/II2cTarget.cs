namespace EdgeVisor.Emulation.Peripherals.I2c;

/// <summary>
/// A device on an I2C bus, seen from the wire: the controller addresses it after a (repeated) START, then writes
/// or reads bytes one at a time, and ends with STOP. Simulated devices (sensors, EEPROMs, displays) and host
/// passthrough targets implement it; an <see cref="I2cBus"/> calls it only for the address it is attached at.
/// </summary>
public interface II2cTarget
{
    /// <summary>
    /// START (or repeated START) with this target's address. <paramref name="read"/> is the R/W bit.
    /// Return true to ACK the address, false to NACK it (the controller then sees an address NACK).
    /// </summary>
    bool Start(bool read);

    /// <summary>A data byte from the controller (write transfer). Return true to ACK it, false to NACK.</summary>
    bool Write(byte value);

    /// <summary>
    /// The controller clocks in a byte (read transfer). <paramref name="ack"/> is what the controller answers
    /// after it: true means more bytes follow, false (NACK) means this was the last byte before STOP or repeated START.
    /// </summary>
    byte Read(bool ack);

    /// <summary>STOP: the transaction with this target is over.</summary>
    void Stop();
}
