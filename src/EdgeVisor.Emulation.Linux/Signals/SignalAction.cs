namespace EdgeVisor.Emulation.Linux.Signals;

/// <summary>
/// The guest's struct sigaction as the arm64 kernel takes it (32 bytes: sa_handler, sa_flags, sa_restorer,
/// sa_mask as one 64-bit word).
/// </summary>
public readonly record struct SignalAction(ulong Handler, ulong Flags, ulong Restorer, ulong Mask)
{
    /// <summary>sizeof(struct sigaction) in the kernel ABI.</summary>
    public const int Size = 32;

    /// <summary>SIG_DFL with no flags.</summary>
    public static SignalAction Default => default;

    /// <summary>Whether the guest runs a function for the signal.</summary>
    public bool HasHandler => Handler != SignalNumbers.SIG_DFL && Handler != SignalNumbers.SIG_IGN;

    public bool Has(ulong flag) => (Flags & flag) != 0;
}
