namespace EdgeVisor.Emulation.Peripherals.Stm32.Flash;

/// <summary>
/// A two-key unlock sequence (FLASH_KEYR, FLASH_OPTKEYR): the first key then the second unlocks; any other write
/// is a wrong sequence, which on silicon locks the register until the next reset.
/// </summary>
internal sealed class FlashKeySequence(uint key1, uint key2)
{
    private bool _firstKeySeen;

    /// <summary>True after a wrong sequence: nothing unlocks until reset.</summary>
    public bool LockedOut { get; private set; }

    /// <summary>Feeds one write of the key register; true when it completed the sequence.</summary>
    public bool Accept(uint value)
    {
        if (LockedOut)
        {
            return false;
        }

        if (!_firstKeySeen && value == key1)
        {
            _firstKeySeen = true;
            return false;
        }

        if (_firstKeySeen && value == key2)
        {
            _firstKeySeen = false;
            return true;
        }

        _firstKeySeen = false;
        LockedOut = true;
        return false;
    }

    public void Reset()
    {
        _firstKeySeen = false;
        LockedOut = false;
    }
}
