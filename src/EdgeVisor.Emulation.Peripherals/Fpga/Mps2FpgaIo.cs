using EdgeVisor.Emulation.Peripherals.Bus;
using EdgeVisor.Emulation.Peripherals.Gpio;
using EdgeVisor.Emulation.Time;

namespace EdgeVisor.Emulation.Peripherals.Fpga;

/// <summary>
/// The MPS2 FPGA I/O block (AN385/AN386 "FPGAIO"): user LEDs (LED0), push buttons (BUTTON), free-running 1 Hz
/// and 100 Hz counters (CLK1HZ, CLK100HZ), a prescaled cycle counter (COUNTER counts each time PSCNTR runs down
/// from PRESCALE) and MISC control bits. Every count is derived from virtual time. Pins 0-1 are the LEDs
/// (outputs), pins 2-3 the buttons (inputs a test can press).
/// </summary>
public sealed class Mps2FpgaIo : IPeripheral, IGpioPort
{
    private const uint Led0 = 0x00;
    private const uint Button = 0x08;
    private const uint Clk1Hz = 0x10;
    private const uint Clk100Hz = 0x14;
    private const uint Counter = 0x18;
    private const uint Prescale = 0x1C;
    private const uint PrescaleCounter = 0x20;
    private const uint Misc = 0x4C;

    private readonly VirtualClock _clock;
    private readonly ulong _prescaleClockHz;
    private readonly GpioPin[] _pins;
    private uint _leds;
    private uint _misc;
    private uint _prescale;
    private uint _counter;
    private uint _prescaleCounter;
    private ulong _counterSyncCycle;
    private ulong _clk1HzOrigin;
    private ulong _clk100HzOrigin;

    /// <param name="prescaleClockHz">Frequency PSCNTR counts at (25 MHz on MPS2, the core clock).</param>
    public Mps2FpgaIo(string name, VirtualClock clock, ulong prescaleClockHz, int ledCount = 2, int buttonCount = 2)
    {
        Name = name;
        _clock = clock;
        _prescaleClockHz = prescaleClockHz;
        Leds = [.. Enumerable.Range(0, ledCount).Select(i => new GpioPin($"{name}.led{i}", i, () => clock.Now))];
        Buttons = [.. Enumerable.Range(0, buttonCount).Select(i => new GpioPin($"{name}.button{i}", ledCount + i, () => clock.Now))];
        _pins = [.. Leds, .. Buttons];
        Reset();
    }

    public string Name { get; }

    /// <summary>LED0 bit n drives Leds[n].</summary>
    public IReadOnlyList<GpioPin> Leds { get; }

    /// <summary>BUTTON bit n reads Buttons[n] (pressed = high).</summary>
    public IReadOnlyList<GpioPin> Buttons { get; }

    public IReadOnlyList<GpioPin> Pins => _pins;

    public uint Read(uint offset, int size)
    {
        uint value = offset switch
        {
            Led0 => _leds,
            Button => ButtonLevels(),
            Clk1Hz => (uint)((_clock.Now - _clk1HzOrigin) / _clock.FrequencyHz),
            Clk100Hz => (uint)((_clock.Now - _clk100HzOrigin) * 100 / _clock.FrequencyHz),
            Counter => Resync().Counter,
            Prescale => _prescale,
            PrescaleCounter => Resync().PrescaleCounter,
            Misc => _misc,
            _ => 0,
        };
        return RegisterAccess.Narrow(value, size);
    }

    public void Write(uint offset, uint value, int size)
    {
        switch (offset)
        {
            case Led0:
                _leds = value & ((1u << Leds.Count) - 1);
                UpdateLeds();
                break;
            case Clk1Hz:
                _clk1HzOrigin = _clock.Now - (value * _clock.FrequencyHz);
                break;
            case Clk100Hz:
                _clk100HzOrigin = _clock.Now - (value * _clock.FrequencyHz / 100);
                break;
            case Counter:
                Resync();
                _counter = value;
                break;
            case Prescale:
                Resync();
                _prescale = value;
                break;
            case PrescaleCounter:
                Resync();
                _prescaleCounter = value;
                break;
            case Misc:
                _misc = value;
                break;
        }
    }

    public void Reset()
    {
        _leds = 0;
        _misc = 0;
        _prescale = 0;
        _counter = 0;
        _prescaleCounter = 0;
        _counterSyncCycle = _clock.Now;
        _clk1HzOrigin = _clock.Now;
        _clk100HzOrigin = _clock.Now;
        UpdateLeds();
    }

    private uint ButtonLevels()
    {
        uint levels = 0;
        for (int i = 0; i < Buttons.Count; i++)
        {
            levels |= Buttons[i].Level ? 1u << i : 0;
        }

        return levels;
    }

    private void UpdateLeds()
    {
        for (int i = 0; i < Leds.Count; i++)
        {
            Leds[i].SetOutput(GpioDirection.Output, (_leds & (1u << i)) != 0);
        }
    }

    /// <summary>
    /// Brings COUNTER and PSCNTR up to date: PSCNTR counts down once per prescale-clock tick, and one tick after
    /// it reaches 0 it reloads PRESCALE while COUNTER increments (with PRESCALE 0 COUNTER increments every tick).
    /// </summary>
    private (uint Counter, uint PrescaleCounter) Resync()
    {
        ulong elapsed = _clock.Now - _counterSyncCycle;
        ulong ticks = (ulong)((UInt128)elapsed * _prescaleClockHz / _clock.FrequencyHz);
        if (ticks == 0)
        {
            return (_counter, _prescaleCounter);
        }

        if (ticks < _prescaleCounter)
        {
            _prescaleCounter -= (uint)ticks;
        }
        else if (_prescale == 0)
        {
            _counter += (uint)(ticks - _prescaleCounter);
            _prescaleCounter = 0;
        }
        else
        {
            ulong sinceFirstReload = ticks - _prescaleCounter + _prescale;
            ulong period = (ulong)_prescale + 1;
            _prescaleCounter = _prescale - (uint)(sinceFirstReload % period);
            _counter += (uint)(sinceFirstReload / period);
        }

        // Advance the sync point only by whole ticks so repeated reads do not lose time.
        _counterSyncCycle += (ulong)((UInt128)ticks * _clock.FrequencyHz / _prescaleClockHz);
        return (_counter, _prescaleCounter);
    }
}
