using EdgeVisor.Emulation.Peripherals.Gpio;
using EdgeVisor.Emulation.Peripherals.Stm32.Gpio;

namespace EdgeVisor.Emulation.Peripherals.Tests.Stm32.SystemModels;

public class GpioPortTests
{
    private const uint Moder = 0x00, Otyper = 0x04, Ospeedr = 0x08, Pupdr = 0x0C, Idr = 0x10, Odr = 0x14, Bsrr = 0x18, Lckr = 0x1C, Afrl = 0x20, Afrh = 0x24;
    private readonly TestBench _bench = new();

    private Stm32GpioPort NewPort(string name = "gpiod", Stm32GpioResetValues? resets = null)
    {
        var port = new Stm32GpioPort(name, _bench.Clock, 3, null, resets ?? new Stm32GpioResetValues(0, 0, 0));
        port.Reset();
        return port;
    }

    [Fact]
    public void Port_a_starts_with_its_debug_pins_in_alternate_mode_with_pulls()
    {
        var port = NewPort("gpioa", new Stm32GpioResetValues(0xA8000000, 0x0C000000, 0x64000000));
        Assert.Equal((0xA8000000u, 0x0C000000u, 0x64000000u), (port.Read(Moder, 4), port.Read(Ospeedr, 4), port.Read(Pupdr, 4)));
        Assert.Equal(Stm32PinMode.Alternate, port.Mode(13));
        Assert.Equal(GpioPull.Up, port.Pins[13].Pull);
        Assert.Equal((1u << 13) | (1u << 15), port.Read(Idr, 4)); // pulled-up SWDIO and JTDI read high
    }

    [Fact]
    public void Output_mode_drives_the_pin_from_odr_and_bsrr_set_wins_over_reset()
    {
        var port = NewPort();
        var pin = port.Pins[12];
        Assert.Equal("gpiod.12", pin.Name);
        port.Write(Moder, 1u << 24, 4);
        Assert.Equal(GpioDirection.Output, pin.Direction);
        port.Write(Bsrr, 1u << 12, 4);
        Assert.True(pin.Level);
        port.Write(Bsrr, 1u << 28, 4);
        Assert.False(pin.Level);
        port.Write(Bsrr, (1u << 28) | (1u << 12), 4); // both: set has priority
        Assert.True(pin.Level);
        Assert.Equal((1u << 12, 1u << 12, 0u), (port.Read(Odr, 4), port.Read(Idr, 4), port.Read(Bsrr, 4)));
    }

    [Fact]
    public void Open_drain_lets_go_for_1_and_the_pull_or_the_outside_sets_the_level()
    {
        var port = NewPort();
        var pin = port.Pins[3];
        port.Write(Moder, 1u << 6, 4);
        port.Write(Otyper, 1u << 3, 4);
        port.Write(Pupdr, 1u << 6, 4); // pull-up
        port.Write(Odr, 1u << 3, 4);
        Assert.True(pin.Level); // released, pulled up
        pin.Drive(false);
        Assert.Equal(0u, port.Read(Idr, 4)); // another device pulls the line low
        pin.Release();
        port.Write(Odr, 0, 4);
        Assert.True(pin.DrivenByModel);
        Assert.False(pin.Level);
    }

    [Fact]
    public void Inputs_read_the_wire_with_pulls_and_analog_pins_read_0()
    {
        var port = NewPort();
        port.Write(Pupdr, (1u << 0) | (2u << 2), 4); // pin 0 up, pin 1 down
        Assert.Equal(1u, port.Read(Idr, 4));
        port.Pins[1].Drive(true);
        Assert.Equal(3u, port.Read(Idr, 4));
        port.Write(Moder, 3u << 2, 4); // pin 1 analog
        Assert.Equal(1u, port.Read(Idr, 4));
        Assert.Equal(GpioPull.None, port.Pins[1].Pull);
    }

    [Fact]
    public void Alternate_function_pins_are_not_driven_by_the_port_and_expose_their_af_number()
    {
        var port = NewPort();
        port.Write(Moder, 2u << 4, 4); // pin 2 alternate
        port.Write(Odr, 1u << 2, 4);
        port.Write(Afrl, 7u << 8, 4); // AF7 (USART2 TX on PA2)
        port.Write(Afrh, 4u << 0, 4); // pin 8: AF4
        Assert.Equal(GpioDirection.Input, port.Pins[2].Direction);
        Assert.Equal((7, 4), (port.AlternateFunction(2), port.AlternateFunction(8)));
        var changes = new List<int>();
        port.PinFunctionChanged += (_, pin) => changes.Add(pin);
        port.Write(Afrl, (7u << 8) | (7u << 12), 4); // pin 3 gets AF7, pin 2 keeps it
        port.Write(Moder, (2u << 4) | (2u << 6), 4); // pin 3 to alternate mode
        port.Write(Odr, 0, 4);
        Assert.Equal([3, 3], changes);
    }

    [Fact]
    public void The_lock_sequence_freezes_the_configuration_of_the_locked_pins_until_reset()
    {
        var port = NewPort();
        port.Write(Moder, 1u << 0, 4);
        uint key = (1u << 16) | 1;
        port.Write(Lckr, key, 4);
        port.Write(Lckr, 1, 4);
        port.Write(Lckr, key, 4);
        Assert.Equal(key, port.Read(Lckr, 4));
        port.Write(Moder, (1u << 2) | 0, 4); // pin 0 locked as output, pin 1 free
        Assert.Equal((1u << 0) | (1u << 2), port.Read(Moder, 4));
        port.Write(Odr, 1, 4); // data is not locked
        Assert.True(port.Pins[0].Level);
        port.Reset();
        port.Write(Moder, 0, 4);
        Assert.Equal(0u, port.Read(Lckr, 4));
    }

    [Fact]
    public void A_wrong_lock_sequence_locks_nothing()
    {
        var port = NewPort();
        port.Write(Lckr, (1u << 16) | 1, 4);
        port.Write(Lckr, 3, 4); // mask changed
        port.Write(Lckr, (1u << 16) | 1, 4);
        Assert.Equal(0u, port.Read(Lckr, 4) & (1u << 16));
        port.Write(Moder, 1, 4);
        Assert.Equal(1u, port.Read(Moder, 4));
    }

    [Fact]
    public void Half_word_bsrrl_and_bsrrh_writes_set_and_reset_pins()
    {
        var port = NewPort();
        port.Write(Moder, 0x55555555, 4);
        port.Write(Bsrr, 0x00F0, 2); // BSRRL at 0x18
        Assert.Equal(0x00F0u, port.Read(Odr, 4));
        port.Write(Bsrr + 2, 0x0030, 2); // BSRRH at 0x1A
        Assert.Equal(0x00C0u, port.Read(Odr, 4));
        port.Write(Odr + 1, 0x12, 1); // byte 1 of ODR only
        Assert.Equal(0x12C0u, port.Read(Odr, 4));
        Assert.Equal(0x12u, port.Read(Idr + 1, 1));
    }
}
