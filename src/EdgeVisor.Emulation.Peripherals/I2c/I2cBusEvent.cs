namespace EdgeVisor.Emulation.Peripherals.I2c;

/// <summary>What happened on the wire.</summary>
public enum I2cBusEventKind
{
    /// <summary>START or repeated START with an address byte; <see cref="I2cBusEvent.Acknowledged"/> says whether a target answered.</summary>
    Start,
    Write,
    Read,
    Stop,
}

/// <summary>
/// One step of an I2C transaction as a logic analyser would show it, with the virtual cycle it happened at.
/// <see cref="Data"/> is the data byte for Write/Read; <see cref="Read"/> is the R/W bit of a Start.
/// For a Read, <see cref="Acknowledged"/> is the controller's ACK after the byte.
/// </summary>
public readonly record struct I2cBusEvent(
    string Bus,
    I2cBusEventKind Kind,
    int Address,
    bool Read,
    byte Data,
    bool Acknowledged,
    bool Repeated,
    ulong Cycle)
{
    public override string ToString() => Kind switch
    {
        I2cBusEventKind.Start => $"{Bus}: {(Repeated ? "Sr" : "S")} 0x{Address:X2} {(Read ? "R" : "W")} {(Acknowledged ? "ACK" : "NACK")}",
        I2cBusEventKind.Write => $"{Bus}: W 0x{Data:X2} {(Acknowledged ? "ACK" : "NACK")}",
        I2cBusEventKind.Read => $"{Bus}: R 0x{Data:X2} {(Acknowledged ? "ACK" : "NACK")}",
        _ => $"{Bus}: P",
    };
}
