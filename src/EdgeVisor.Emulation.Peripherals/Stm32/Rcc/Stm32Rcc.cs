using EdgeVisor.Emulation.Interrupts;
using EdgeVisor.Emulation.Time;
using static EdgeVisor.Emulation.Peripherals.Stm32.Rcc.RccRegisters;

namespace EdgeVisor.Emulation.Peripherals.Stm32.Rcc;

/// <summary>
/// The STM32F4 reset and clock control (RM0090 §7): every register with its reset value; oscillators and PLLs
/// that become ready a short virtual time after firmware turns them on (with the CIR ready interrupts on the RCC
/// IRQ); SYSCLK switching only to a ready source (SWS follows SW once it is); PLL configuration locked while the
/// PLL runs; sources in use that cannot be turned off; the reset flags in CSR (power-on at start, RMVF clears).
/// It is the board's <see cref="IStm32Clocks"/>: HSI 16 MHz, HSE from the board file, PLL and prescaler math.
/// Not modelled: the clock security system, MCO outputs, backup-domain write protection (PWR_CR.DBP).
/// </summary>
public sealed class Stm32Rcc : IPeripheral, IStm32Clocks
{
    private static readonly int[] IndexOfOffset = BuildIndex();

    private readonly VirtualClock _clock;
    private readonly InterruptLine _interrupt;
    private readonly ulong _hseHz;
    private readonly uint[] _registers = new uint[Count];
    private readonly ScheduledEvent?[] _startUps = new ScheduledEvent?[Oscillator.All.Length];
    private readonly Action[] _readyCallbacks;
    private ClockTree _tree;

    /// <param name="hseHz">Frequency of the board's HSE crystal (8 MHz on the STM32F4DISCOVERY).</param>
    public Stm32Rcc(string name, VirtualClock clock, InterruptLine interrupt, ulong hseHz)
    {
        Name = name;
        _clock = clock;
        _interrupt = interrupt;
        _hseHz = hseHz;
        _readyCallbacks = [.. Oscillator.All.Select((o, i) => (Action)(() => BecomeReady(i)))];
    }

    /// <inheritdoc />
    public string Name { get; }

    /// <inheritdoc />
    public ulong SysclkHz => _tree.Sysclk;

    /// <inheritdoc />
    public ulong HclkHz => _tree.Hclk;

    /// <summary>The main PLL's 48 MHz-domain output (PLL48CK: VCO / Q), for USB OTG FS, SDIO and the RNG.</summary>
    public ulong Pll48Hz
    {
        get
        {
            uint pllcfgr = _registers[PllCfgr / 4];
            ulong vco = ClockTree.PllOutput(pllcfgr, _hseHz) * ((((pllcfgr >> 16) & 0x3) + 1) * 2);
            return vco / Math.Max((pllcfgr >> 24) & 0xF, 2);
        }
    }

    /// <inheritdoc />
    public event Action? Changed;

    /// <summary>
    /// Raised with an instance name ("i2c1", "gpiod") when firmware sets its bit in AHB1RSTR, APB1RSTR or APB2RSTR:
    /// the machine resets that peripheral (on silicon it is held in reset until the bit is cleared again).
    /// </summary>
    public event Action<string>? PeripheralReset;

    /// <inheritdoc />
    public ulong PclkHz(int apb) => apb == 1 ? _tree.Pclk1 : _tree.Pclk2;

    /// <inheritdoc />
    public ulong TimerClockHz(int apb)
    {
        uint ppre = (_registers[Cfgr / 4] >> (apb == 1 ? 10 : 13)) & 0x7;
        return ppre < 4 ? PclkHz(apb) : PclkHz(apb) * 2;
    }

    /// <inheritdoc />
    public uint Read(uint offset, int size) => ByteLanes.Read(Register(offset & ~3u), offset, size);

    /// <inheritdoc />
    public void Write(uint offset, uint value, int size)
    {
        uint aligned = offset & ~3u;
        int index = aligned < 4 * Count ? IndexOfOffset[aligned / 4] : -1;
        if (index < 0)
        {
            return;
        }

        // Action bits (CIR clears, RMVF, BDRST) read as 0, so merging a narrow write never repeats them.
        value = ByteLanes.Merge(Register(aligned), value, offset, size);
        offset = aligned;

        uint writable = Table[index].Writable;
        switch (offset)
        {
            case Cr:
                writable &= ~LockedCrBits(value);
                break;
            case PllCfgr when (_registers[Cr / 4] & (PllOn | PllRdy)) != 0:
            case PllI2sCfgr when (_registers[Cr / 4] & (PllI2sOn | PllI2sRdy)) != 0:
                return; // the PLL's configuration cannot change while it runs
            case Cir:
                AcknowledgeInterrupts(value);
                break;
            case Csr when (value & RemoveResetFlags) != 0:
                _registers[Csr / 4] &= ~ResetFlags;
                break;
            case Bdcr when (value & (1u << 16)) != 0:
                _registers[Bdcr / 4] = 0; // BDRST: the backup domain goes back to its reset state
                CancelStartUp(Oscillator.Lse);
                return;
            default:
                break;
        }

        ref uint register = ref _registers[offset / 4];
        uint asserted = value & writable & ~register;
        register = (register & ~writable) | (value & writable);
        if (asserted != 0 && PeripheralResetBits.ByRegister.TryGetValue(offset, out var names))
        {
            RaiseResets(asserted, names);
        }

        if (offset is Cr or Bdcr or Csr)
        {
            UpdateOscillators();
        }

        UpdateClockSwitch();
    }

    /// <inheritdoc />
    public void Reset()
    {
        for (int i = 0; i < _startUps.Length; i++)
        {
            _startUps[i]?.Cancel();
            _startUps[i] = null;
        }

        foreach (var (offset, reset, _) in Table)
        {
            _registers[offset / 4] = reset;
        }

        _tree = ClockTree.From(_registers[Cfgr / 4], _registers[PllCfgr / 4], _hseHz);
        UpdateInterrupt();
    }

    private void RaiseResets(uint asserted, string[] names)
    {
        for (int bit = 0; bit < 32; bit++)
        {
            if ((asserted & (1u << bit)) != 0 && names[bit] is { } name)
            {
                PeripheralReset?.Invoke(name);
            }
        }
    }

    private uint Register(uint aligned) => aligned < 4 * Count && IndexOfOffset[aligned / 4] >= 0 ? _registers[aligned / 4] : 0;

    private static int[] BuildIndex()
    {
        var index = Enumerable.Repeat(-1, Count).ToArray();
        for (int i = 0; i < Table.Length; i++)
        {
            index[Table[i].Offset / 4] = i;
        }

        return index;
    }

    /// <summary>CR bits firmware cannot clear now: a source the system clock or the running PLL uses stays on.</summary>
    private uint LockedCrBits(uint value)
    {
        uint cr = _registers[Cr / 4];
        uint sws = (_registers[Cfgr / 4] >> SwsShift) & 0x3;
        bool pllRunning = (cr & PllOn) != 0;
        bool pllFromHse = (_registers[PllCfgr / 4] & PllSrcHse) != 0;
        uint locked = 0;
        if (sws == 0 || (pllRunning && !pllFromHse))
        {
            locked |= HsiOn;
        }

        if (sws == 1 || (pllRunning && pllFromHse))
        {
            locked |= HseOn;
        }

        if (sws == 2)
        {
            locked |= PllOn;
        }

        if ((cr & HseOn) != 0)
        {
            locked |= HseBypass; // HSEBYP can only change while HSE is off
        }

        return locked & ~value & cr;
    }

    /// <summary>Starts the start-up timer of every source just turned on; a source turned off loses RDY at once.</summary>
    private void UpdateOscillators()
    {
        for (int i = 0; i < Oscillator.All.Length; i++)
        {
            var o = Oscillator.All[i];
            ref uint register = ref _registers[o.Register / 4];
            if ((register & o.OnBit) == 0)
            {
                register &= ~o.ReadyBit;
                CancelStartUp(o);
            }
            else if ((register & o.ReadyBit) == 0 && _startUps[i] is null && InputReady(o))
            {
                _startUps[i] = _clock.Schedule(Math.Max(_clock.CyclesFor(o.StartUp), 1), _readyCallbacks[i]);
            }
        }
    }

    /// <summary>A PLL locks only once its input oscillator runs.</summary>
    private bool InputReady(Oscillator o)
    {
        if (o != Oscillator.Pll && o != Oscillator.PllI2s)
        {
            return true;
        }

        uint cr = _registers[Cr / 4];
        return (_registers[PllCfgr / 4] & PllSrcHse) != 0 ? (cr & HseRdy) != 0 : (cr & HsiRdy) != 0;
    }

    private void CancelStartUp(Oscillator o)
    {
        int i = Array.IndexOf(Oscillator.All, o);
        _startUps[i]?.Cancel();
        _startUps[i] = null;
    }

    private void BecomeReady(int i)
    {
        var o = Oscillator.All[i];
        _startUps[i] = null;
        _registers[o.Register / 4] |= o.ReadyBit;
        uint cir = _registers[Cir / 4];
        if ((cir & (1u << (o.CirFlag + 8))) != 0)
        {
            _registers[Cir / 4] = cir | (1u << o.CirFlag);
            UpdateInterrupt();
        }

        UpdateOscillators(); // a PLL waiting for this source can start locking now
        UpdateClockSwitch();
    }

    private void AcknowledgeInterrupts(uint value)
    {
        uint clear = (value >> CirClearShift) & 0x3F;
        if ((value & CssClear) != 0)
        {
            clear |= CssFlag;
        }

        _registers[Cir / 4] &= ~clear;
    }

    private void UpdateInterrupt() => _interrupt.Set((_registers[Cir / 4] & 0xBF) != 0);

    /// <summary>SWS follows SW when the selected source is ready; the frequencies follow SWS and the prescalers.</summary>
    private void UpdateClockSwitch()
    {
        UpdateInterrupt();
        ref uint cfgr = ref _registers[Cfgr / 4];
        uint cr = _registers[Cr / 4];
        uint sw = cfgr & SwMask;
        bool ready = sw switch
        {
            0 => (cr & HsiRdy) != 0,
            1 => (cr & HseRdy) != 0,
            2 => (cr & PllRdy) != 0,
            _ => false,
        };
        if (ready)
        {
            cfgr = (cfgr & ~(0x3u << SwsShift)) | (sw << SwsShift);
        }

        var tree = ClockTree.From(cfgr, _registers[PllCfgr / 4], _hseHz);
        if (tree != _tree)
        {
            _tree = tree;
            Changed?.Invoke();
        }
    }
}
