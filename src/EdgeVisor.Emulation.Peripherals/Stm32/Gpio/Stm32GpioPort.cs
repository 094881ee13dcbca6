using EdgeVisor.Emulation.Peripherals.Gpio;
using EdgeVisor.Emulation.Peripherals.Stm32.Syscfg;
using EdgeVisor.Emulation.Time;

namespace EdgeVisor.Emulation.Peripherals.Stm32.Gpio;

/// <summary>
/// One STM32F4 GPIO port (RM0090 §8): MODER, OTYPER, OSPEEDR, PUPDR, IDR, ODR, BSRR (set wins over reset), LCKR
/// and AFRL/AFRH for 16 pins. Each pin is a <see cref="GpioPin"/> named "&lt;port&gt;.&lt;n&gt;" ("gpiod.12"):
/// in output mode the port drives it (push-pull, or open drain per OTYPER); in input, alternate-function and
/// analog mode it does not (an alternate function's peripheral drives the pin on silicon; <see cref="AlternateFunction"/>
/// tells later routing which one). PUPDR sets the pull (none in analog mode). IDR reads the wire, 0 for analog
/// pins. Every edge goes to SYSCFG, which passes it to EXTI if EXTICR selects this port for that line.
/// </summary>
public sealed class Stm32GpioPort : IPeripheral, IGpioPort
{
    /// <summary>Pins per port.</summary>
    public const int PinCount = 16;

    private const uint Moder = 0x00;
    private const uint Otyper = 0x04;
    private const uint Ospeedr = 0x08;
    private const uint Pupdr = 0x0C;
    private const uint Idr = 0x10;
    private const uint Odr = 0x14;
    private const uint Bsrr = 0x18;
    private const uint Lckr = 0x1C;
    private const uint Afrl = 0x20;
    private const uint Afrh = 0x24;

    private readonly GpioPin[] _pins = new GpioPin[PinCount];
    private readonly int _portIndex;
    private readonly Stm32Syscfg? _syscfg;
    private readonly Stm32GpioResetValues _resetValues;
    private readonly GpioLock _lock = new();
    private uint _moder;
    private uint _otyper;
    private uint _ospeedr;
    private uint _pupdr;
    private uint _odr;
    private uint _afrl;
    private uint _afrh;

    /// <param name="portIndex">0 for port A … 8 for port I: the number SYSCFG_EXTICR uses for this port.</param>
    /// <param name="syscfg">Where pin edges go on their way to EXTI (null: nowhere).</param>
    public Stm32GpioPort(string name, VirtualClock clock, int portIndex, Stm32Syscfg? syscfg, Stm32GpioResetValues resetValues)
    {
        Name = name;
        _portIndex = portIndex;
        _syscfg = syscfg;
        _resetValues = resetValues;
        for (int i = 0; i < PinCount; i++)
        {
            _pins[i] = new GpioPin($"{name}.{i}", i, () => clock.Now);
            _pins[i].Changed += PinChanged;
        }
    }

    /// <inheritdoc />
    public string Name { get; }

    /// <inheritdoc />
    public IReadOnlyList<GpioPin> Pins => _pins;

    /// <summary>IDR: the level on each pin's wire (bit n = pin n); analog pins read 0.</summary>
    public uint InputData
    {
        get
        {
            uint levels = 0;
            for (int i = 0; i < PinCount; i++)
            {
                if (_pins[i].Level && Mode(i) != Stm32PinMode.Analog)
                {
                    levels |= 1u << i;
                }
            }

            return levels;
        }
    }

    /// <summary>
    /// Raised with the pin number after firmware changed a pin's mode or alternate function number, so routing can
    /// connect the pin to the peripheral that now drives it (USART TX on AF7, I2C SDA/SCL on AF4, …).
    /// </summary>
    public event Action<Stm32GpioPort, int>? PinFunctionChanged;

    /// <summary>The pin's MODER setting.</summary>
    public Stm32PinMode Mode(int pin) => (Stm32PinMode)((_moder >> (2 * pin)) & 0x3);

    /// <summary>The alternate function number (AF0-AF15) AFRL/AFRH select for the pin; it matters in alternate mode.</summary>
    public int AlternateFunction(int pin) => (int)(((pin < 8 ? _afrl : _afrh) >> (4 * (pin & 7))) & 0xF);

    /// <inheritdoc />
    public uint Read(uint offset, int size) => ByteLanes.Read(Register(offset & ~3u), offset, size);

    /// <inheritdoc />
    public void Write(uint offset, uint value, int size) =>
        WriteRegister(offset & ~3u, ByteLanes.Merge(Register(offset & ~3u), value, offset, size)); // BSRR reads 0: only its written lanes act

    private uint Register(uint offset) =>
        offset switch
        {
            Moder => _moder,
            Otyper => _otyper,
            Ospeedr => _ospeedr,
            Pupdr => _pupdr,
            Idr => InputData,
            Odr => _odr,
            Lckr => _lock.Value,
            Afrl => _afrl,
            Afrh => _afrh,
            _ => 0, // BSRR reads 0
        };

    private void WriteRegister(uint offset, uint value)
    {
        uint moder = _moder, afrl = _afrl, afrh = _afrh;
        ConfigureRegister(offset, value);
        if (PinFunctionChanged is { } changed && (moder != _moder || afrl != _afrl || afrh != _afrh))
        {
            for (int pin = 0; pin < PinCount; pin++)
            {
                uint afBefore = ((pin < 8 ? afrl : afrh) >> (4 * (pin & 7))) & 0xF;
                if (((moder ^ _moder) >> (2 * pin) & 0x3) != 0 || afBefore != (uint)AlternateFunction(pin))
                {
                    changed(this, pin);
                }
            }
        }
    }

    private void ConfigureRegister(uint offset, uint value)
    {
        uint locked = _lock.LockedPins;
        switch (offset)
        {
            case Moder:
                _moder = Keep(_moder, value, Spread(locked, 2));
                break;
            case Otyper:
                _otyper = Keep(_otyper, value & 0xFFFF, locked);
                break;
            case Ospeedr:
                _ospeedr = Keep(_ospeedr, value, Spread(locked, 2));
                return;
            case Pupdr:
                _pupdr = Keep(_pupdr, value, Spread(locked, 2));
                break;
            case Odr:
                _odr = value & 0xFFFF;
                break;
            case Bsrr:
                // Set has priority over reset when both bits of a pin are written (RM0090 §8.4.7).
                _odr = ((_odr & ~(value >> 16)) | value) & 0xFFFF;
                break;
            case Lckr:
                _lock.Write(value);
                return;
            case Afrl:
                _afrl = Keep(_afrl, value, Spread(locked & 0xFF, 4));
                return;
            case Afrh:
                _afrh = Keep(_afrh, value, Spread(locked >> 8, 4));
                return;
            default:
                return;
        }

        ApplyPins();
    }

    /// <inheritdoc />
    public void Reset()
    {
        _moder = _resetValues.Moder;
        _otyper = 0;
        _ospeedr = _resetValues.Ospeedr;
        _pupdr = _resetValues.Pupdr;
        _odr = 0;
        _afrl = 0;
        _afrh = 0;
        _lock.Reset();
        ApplyPins();
    }

    /// <summary>New register value where the locked field bits keep their old value.</summary>
    private static uint Keep(uint old, uint value, uint lockedBits) => (old & lockedBits) | (value & ~lockedBits);

    /// <summary>Widens a per-pin mask to fields of <paramref name="width"/> bits (pin n -> bits n*width ...).</summary>
    private static uint Spread(uint pins, int width)
    {
        uint field = (1u << width) - 1;
        uint result = 0;
        for (int i = 0; pins != 0 && i * width < 32; i++, pins >>= 1)
        {
            if ((pins & 1) != 0)
            {
                result |= field << (i * width);
            }
        }

        return result;
    }

    /// <summary>Brings each pin whose configuration or output level changed in line with the registers.</summary>
    private void ApplyPins()
    {
        for (int i = 0; i < PinCount; i++)
        {
            var mode = Mode(i);
            var direction = mode == Stm32PinMode.Output ? GpioDirection.Output : GpioDirection.Input;
            bool level = (_odr & (1u << i)) != 0;
            bool openDrain = (_otyper & (1u << i)) != 0;
            var pull = mode == Stm32PinMode.Analog ? GpioPull.None : ((_pupdr >> (2 * i)) & 0x3) switch
            {
                1 => GpioPull.Up,
                2 => GpioPull.Down,
                _ => GpioPull.None,
            };
            var pin = _pins[i];
            if (pin.Direction != direction || pin.OutputLevel != level || pin.OpenDrain != openDrain || pin.Pull != pull)
            {
                pin.Configure(direction, level, openDrain, pull);
            }
        }
    }

    private void PinChanged(GpioPin pin, bool level, ulong cycle)
    {
        if (Mode(pin.Index) != Stm32PinMode.Analog)
        {
            _syscfg?.PinChanged(_portIndex, pin.Index, level);
        }
    }
}
