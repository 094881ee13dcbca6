using EdgeVisor.Emulation.Peripherals.Stm32.Exti;

namespace EdgeVisor.Emulation.Peripherals.Stm32.Syscfg;

/// <summary>
/// The STM32F4 system configuration controller (RM0090 §9): MEMRMP (kept; the board's boot alias does not move),
/// PMC (Ethernet MII/RMII selection), EXTICR1-4 (which GPIO port drives EXTI line 0-15: 0 = port A … 8 = port I)
/// and CMPCR (the I/O compensation cell: READY once it is powered). GPIO ports report every pin edge here; the
/// edge reaches EXTI only from the port EXTICR selects for that pin's line. Changing EXTICR does not itself make
/// an edge (as in QEMU's stm32f4xx_syscfg).
/// </summary>
public sealed class Stm32Syscfg : IPeripheral
{
    private const uint MemRmp = 0x00;
    private const uint Pmc = 0x04;
    private const uint ExtiCr1 = 0x08;
    private const uint ExtiCr4 = 0x14;
    private const uint CmpCr = 0x20;

    private const uint PmcWritable = 1u << 23;
    private const uint CompensationCellPowered = 1u << 0;
    private const uint CompensationCellReady = 1u << 8;

    private readonly Stm32Exti? _exti;
    private readonly uint[] _exticr = new uint[4];
    private uint _memrmp;
    private uint _pmc;
    private uint _cmpcr;

    /// <param name="exti">The EXTI controller GPIO lines go to (null: pin edges go nowhere).</param>
    public Stm32Syscfg(string name, Stm32Exti? exti)
    {
        Name = name;
        _exti = exti;
    }

    /// <inheritdoc />
    public string Name { get; }

    /// <summary>The GPIO port (0 = A … 8 = I) EXTICR routes to EXTI line <paramref name="line"/> (0-15).</summary>
    public int ExtiPort(int line) => (int)((_exticr[line >> 2] >> ((line & 3) * 4)) & 0xF);

    /// <summary>A GPIO pin changed level: forwards the edge to EXTI if this port is the one selected for the pin's line.</summary>
    public void PinChanged(int port, int pin, bool level)
    {
        if (pin is >= 0 and < 16 && ExtiPort(pin) == port)
        {
            _exti?.Input(pin, level);
        }
    }

    /// <inheritdoc />
    public uint Read(uint offset, int size) => ByteLanes.Read(Register(offset & ~3u), offset, size);

    /// <inheritdoc />
    public void Write(uint offset, uint value, int size) =>
        WriteRegister(offset & ~3u, ByteLanes.Merge(Register(offset & ~3u), value, offset, size));

    private uint Register(uint offset) =>
        offset switch
        {
            MemRmp => _memrmp,
            Pmc => _pmc,
            >= ExtiCr1 and <= ExtiCr4 when (offset & 3) == 0 => _exticr[(offset - ExtiCr1) / 4],
            CmpCr => _cmpcr,
            _ => 0,
        };

    private void WriteRegister(uint offset, uint value)
    {
        switch (offset)
        {
            case MemRmp:
                _memrmp = value & 0x3;
                break;
            case Pmc:
                _pmc = value & PmcWritable;
                break;
            case >= ExtiCr1 and <= ExtiCr4 when (offset & 3) == 0:
                _exticr[(offset - ExtiCr1) / 4] = value & 0xFFFF;
                break;
            case CmpCr:
                _cmpcr = (value & CompensationCellPowered) != 0 ? CompensationCellPowered | CompensationCellReady : 0;
                break;
            default:
                break;
        }
    }

    /// <inheritdoc />
    public void Reset()
    {
        _memrmp = 0; // BOOT0 = 0 on the board: main flash at 0
        _pmc = 0;
        Array.Clear(_exticr);
        _cmpcr = 0;
    }
}
