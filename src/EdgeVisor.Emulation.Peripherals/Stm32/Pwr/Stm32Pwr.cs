namespace EdgeVisor.Emulation.Peripherals.Stm32.Pwr;

/// <summary>
/// The STM32F4 power controller (RM0090 §5.4): CR with the regulator voltage scale (VOS, 1 at reset on the
/// F405/407), backup-domain write access (DBP), the PVD settings and the wake-up/standby flag clears; CSR with
/// VOSRDY set (the regulator is always ready, as HAL polls it) and the backup regulator ready as soon as it is
/// enabled. Low-power modes and the PVD comparator are not modelled (no supply voltage to compare).
/// </summary>
public sealed class Stm32Pwr : IPeripheral
{
    private const uint Cr = 0x00;
    private const uint Csr = 0x04;

    private const uint CrReset = 0x00004000;
    private const uint CrWritable = 0x000043F3; // LPDS, PDDS, PVDE, PLS, DBP, FPDS, VOS
    private const uint ClearWakeUpFlag = 1u << 2;
    private const uint ClearStandbyFlag = 1u << 3;

    private const uint WakeUpFlag = 1u << 0;
    private const uint StandbyFlag = 1u << 1;
    private const uint BackupRegulatorReady = 1u << 3;
    private const uint CsrWritable = 0x00000300; // EWUP, BRE
    private const uint BackupRegulatorEnable = 1u << 9;
    private const uint VoltageScalingReady = 1u << 14;

    private uint _cr;
    private uint _csr;

    public Stm32Pwr(string name) => Name = name;

    /// <inheritdoc />
    public string Name { get; }

    /// <summary>True while firmware allows writes to the backup domain (CR.DBP).</summary>
    public bool BackupDomainWritable => (_cr & (1u << 8)) != 0;

    /// <inheritdoc />
    public uint Read(uint offset, int size) => ByteLanes.Read(Register(offset & ~3u), offset, size);

    /// <inheritdoc />
    public void Write(uint offset, uint value, int size)
    {
        value = ByteLanes.Merge(Register(offset & ~3u), value, offset, size);
        offset &= ~3u;
        if (offset == Cr)
        {
            _cr = value & CrWritable;
            if ((value & ClearWakeUpFlag) != 0)
            {
                _csr &= ~WakeUpFlag;
            }

            if ((value & ClearStandbyFlag) != 0)
            {
                _csr &= ~StandbyFlag;
            }
        }
        else if (offset == Csr)
        {
            _csr = (_csr & ~CsrWritable) | (value & CsrWritable);
            _csr = (_csr & BackupRegulatorEnable) != 0 ? _csr | BackupRegulatorReady : _csr & ~BackupRegulatorReady;
        }
    }

    private uint Register(uint aligned) => aligned switch { Cr => _cr, Csr => _csr, _ => 0 };

    /// <inheritdoc />
    public void Reset()
    {
        _cr = CrReset;
        _csr = VoltageScalingReady;
    }
}
