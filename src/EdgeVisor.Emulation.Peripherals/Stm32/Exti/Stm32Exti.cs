using EdgeVisor.Emulation.Interrupts;

namespace EdgeVisor.Emulation.Peripherals.Stm32.Exti;

/// <summary>
/// The STM32F4 external interrupt/event controller (RM0090 §12): 23 lines with interrupt and event masks
/// (IMR, EMR), rising and falling edge selection (RTSR, FTSR), software triggers (SWIER) and pending bits (PR,
/// write 1 to clear). Lines 0-15 come from GPIO pins through SYSCFG_EXTICR; 16-22 from PVD, RTC alarm, USB OTG FS
/// wake-up, Ethernet wake-up, USB OTG HS wake-up, RTC tamper/time stamp and RTC wake-up (models call
/// <see cref="Input"/>). An edge selected in RTSR/FTSR sets the pending bit whatever IMR says (as QEMU's
/// stm32f4xx_exti does); each line's interrupt output is PR AND IMR, a level, so an ISR that does not clear PR
/// is entered again, as on silicon. Writing 1 to a SWIER bit that is 0 sets the pending bit if the line is
/// unmasked (RM0090; QEMU 7.2 only stores SWIER); SWIER bits clear with their PR bit. Events (EMR) that wake a
/// WFE are not modelled.
/// </summary>
public sealed class Stm32Exti : IPeripheral
{
    /// <summary>Number of EXTI lines on the F405/407.</summary>
    public const int LineCount = 23;
    private const uint LineMask = (1u << LineCount) - 1;

    private const uint Imr = 0x00;
    private const uint Emr = 0x04;
    private const uint Rtsr = 0x08;
    private const uint Ftsr = 0x0C;
    private const uint Swier = 0x10;
    private const uint Pr = 0x14;

    private readonly InterruptLine[] _outputs;
    private uint _imr;
    private uint _emr;
    private uint _rtsr;
    private uint _ftsr;
    private uint _swier;
    private uint _pr;
    private uint _asserted;

    /// <param name="outputs">The interrupt output of each line (index = line; EXTI5-9 and EXTI10-15 share NVIC lines in the board file).</param>
    public Stm32Exti(string name, IReadOnlyList<InterruptLine> outputs)
    {
        Name = name;
        _outputs = [.. Enumerable.Range(0, LineCount).Select(i => i < outputs.Count ? outputs[i] : new InterruptLine(null, -1))];
    }

    /// <inheritdoc />
    public string Name { get; }

    /// <summary>The pending register (PR).</summary>
    public uint Pending => _pr;

    /// <summary>An input line changed to <paramref name="level"/> (a GPIO pin through SYSCFG, or an internal source).</summary>
    public void Input(int line, bool level)
    {
        if ((uint)line >= LineCount)
        {
            return;
        }

        uint bit = 1u << line;
        uint selectedEdges = level ? _rtsr : _ftsr;
        if ((selectedEdges & bit) != 0)
        {
            _pr |= bit;
            UpdateOutputs();
        }
    }

    /// <inheritdoc />
    public uint Read(uint offset, int size) => ByteLanes.Read(Register(offset & ~3u), offset, size);

    /// <inheritdoc />
    public void Write(uint offset, uint value, int size)
    {
        uint aligned = offset & ~3u;
        // PR is write-1-to-clear: lanes not written must not clear anything.
        value = aligned == Pr ? ByteLanes.Place(value, offset, size) : ByteLanes.Merge(Register(aligned), value, offset, size);
        WriteRegister(aligned, value);
    }

    private uint Register(uint aligned) =>
        aligned switch
        {
            Imr => _imr,
            Emr => _emr,
            Rtsr => _rtsr,
            Ftsr => _ftsr,
            Swier => _swier,
            Pr => _pr,
            _ => 0,
        };

    private void WriteRegister(uint offset, uint value)
    {
        value &= LineMask;
        switch (offset)
        {
            case Imr:
                _imr = value;
                break;
            case Emr:
                _emr = value;
                break;
            case Rtsr:
                _rtsr = value;
                break;
            case Ftsr:
                _ftsr = value;
                break;
            case Swier:
                uint triggered = value & ~_swier & (_imr | _emr);
                _swier |= value;
                _pr |= triggered & _imr;
                break;
            case Pr:
                _pr &= ~value;
                _swier &= ~value;
                break;
            default:
                return;
        }

        UpdateOutputs();
    }

    /// <inheritdoc />
    public void Reset()
    {
        _imr = _emr = _rtsr = _ftsr = _swier = _pr = 0;
        UpdateOutputs();
    }

    private void UpdateOutputs()
    {
        uint asserted = _pr & _imr;
        uint changed = asserted ^ _asserted;
        _asserted = asserted;
        for (int line = 0; changed != 0; line++, changed >>= 1)
        {
            if ((changed & 1) != 0)
            {
                _outputs[line].Set((asserted & (1u << line)) != 0);
            }
        }
    }
}
