using EdgeVisor.Emulation.Interrupts;

namespace EdgeVisor.Emulation.Peripherals.Interrupts;

/// <summary>
/// Sits between device interrupt outputs and the core's interrupt controller and ORs outputs that share a
/// line, as the MPS2 FPGA does for the UART overflow interrupts (UART0-2 overflow all drive IRQ 12). Each
/// <see cref="InterruptLine"/> reports only transitions, so a per-line count of asserted sources is exact.
/// Line <see cref="NmiLine"/> (CMSIS's NonMaskableInt_IRQn) is routed to the core's NMI input.
/// </summary>
public sealed class InterruptRouter : IInterruptController
{
    /// <summary>The number board files use for the NMI input (CMSIS numbering: NonMaskableInt_IRQn = -14).</summary>
    public const int NmiLine = -14;

    // InterruptLine treats negative numbers as unconnected, so the NMI travels under this number inside the router.
    private const int NmiInput = int.MaxValue;

    private readonly Dictionary<int, int> _asserted = [];
    private readonly IInterruptController? _target;
    private readonly Action<bool>? _nmi;

    /// <param name="target">The core's interrupt controller (null: lines go nowhere, e.g. in unit tests).</param>
    /// <param name="nmi">Sets the core's NMI input level (null: NMI sources go nowhere).</param>
    public InterruptRouter(IInterruptController? target, Action<bool>? nmi = null)
    {
        _target = target;
        _nmi = nmi;
    }

    /// <summary>Creates a device's output wired to <paramref name="line"/> through this router.</summary>
    public InterruptLine Line(int line) => new(this, line == NmiLine ? NmiInput : line);

    /// <summary>True if some source currently holds <paramref name="line"/> high.</summary>
    public bool IsAsserted(int line) => _asserted.GetValueOrDefault(line == NmiLine ? NmiInput : line) > 0;

    public void SetLevel(int line, bool asserted)
    {
        line = line == NmiLine ? NmiInput : line;
        int count = _asserted.GetValueOrDefault(line);
        int updated = Math.Max(0, count + (asserted ? 1 : -1));
        _asserted[line] = updated;
        if ((count > 0) != (updated > 0))
        {
            Forward(line, updated > 0);
        }
    }

    public void Pulse(int line)
    {
        if (line is NmiLine or NmiInput)
        {
            _nmi?.Invoke(true);
            _nmi?.Invoke(IsAsserted(NmiLine));
            return;
        }

        _target?.Pulse(line);
    }

    private void Forward(int line, bool level)
    {
        if (line is NmiLine or NmiInput)
        {
            _nmi?.Invoke(level);
        }
        else
        {
            _target?.SetLevel(line, level);
        }
    }
}
