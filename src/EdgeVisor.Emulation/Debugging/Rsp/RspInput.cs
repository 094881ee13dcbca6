namespace EdgeVisor.Emulation.Debugging.Rsp;

/// <summary>What arrived from the client: a packet, an acknowledgement, or an interrupt request.</summary>
public enum RspInputKind
{
    /// <summary>A packet whose checksum matched; <see cref="RspInput.Payload"/> holds it unescaped.</summary>
    Packet,

    /// <summary>A packet whose checksum did not match (answered with '-' in acknowledgement mode).</summary>
    CorruptPacket,

    /// <summary>'+': the client received our last packet.</summary>
    Ack,

    /// <summary>'-': the client wants our last packet again.</summary>
    Nak,

    /// <summary>0x03 outside a packet: stop the running target.</summary>
    Interrupt,
}

/// <summary>One unit of client input.</summary>
public readonly record struct RspInput(RspInputKind Kind, byte[] Payload)
{
    public static readonly RspInput Ack = new(RspInputKind.Ack, []);
    public static readonly RspInput Nak = new(RspInputKind.Nak, []);
    public static readonly RspInput Interrupt = new(RspInputKind.Interrupt, []);
}
