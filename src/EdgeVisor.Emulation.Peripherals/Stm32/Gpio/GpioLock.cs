namespace EdgeVisor.Emulation.Peripherals.Stm32.Gpio;

/// <summary>
/// GPIOx_LCKR (RM0090 §8.4.8): the lock key sequence — write LCKK=1 with the pin mask, LCKK=0 with the same mask,
/// LCKK=1 with the same mask — freezes the configuration of the masked pins until reset; LCKK then reads 1.
/// Any other write aborts the sequence. Once locked, LCKR itself cannot change.
/// </summary>
internal sealed class GpioLock
{
    private const uint Lckk = 1u << 16;
    private int _step;

    /// <summary>The register as firmware reads it: the mask written, LCKK once locked.</summary>
    public uint Value { get; private set; }

    /// <summary>Pins whose configuration is frozen (0 until the sequence completes).</summary>
    public uint LockedPins => (Value & Lckk) != 0 ? Value & 0xFFFF : 0;

    public void Write(uint value)
    {
        if ((Value & Lckk) != 0)
        {
            return;
        }

        uint mask = value & 0xFFFF;
        bool lckk = (value & Lckk) != 0;
        bool sameMask = mask == (Value & 0xFFFF);
        _step = (_step, lckk) switch
        {
            (0, true) => 1,
            (1, false) when sameMask => 2,
            (2, true) when sameMask => 3,
            (_, true) => 1, // a fresh first step
            _ => 0,
        };
        Value = _step == 3 ? mask | Lckk : mask;
    }

    public void Reset()
    {
        _step = 0;
        Value = 0;
    }
}
