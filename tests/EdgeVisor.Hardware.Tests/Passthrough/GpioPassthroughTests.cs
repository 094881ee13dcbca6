using PinMode = System.Device.Gpio.PinMode;
using PinValue = System.Device.Gpio.PinValue;
using EdgeVisor.Emulation.Peripherals.Gpio;
using EdgeVisor.Emulation.Peripherals.Interrupts;
using EdgeVisor.Emulation.Peripherals.Passthrough;
using EdgeVisor.Emulation.Time;
using EdgeVisor.Hardware.Tests.Doubles;

namespace EdgeVisor.Hardware.Tests.Passthrough;

/// <summary>
/// A CMSDK AHB GPIO port's pin wired to a host line of the System.Device.Gpio backend (test driver under the real
/// controller): guest register writes reach the host pin, host edges raise the port's interrupt.
/// </summary>
public sealed class GpioPassthroughTests : IDisposable
{
    private const int GuestPin = 3;
    private const int HostLine = 17;
    private const int CombinedIrq = 6;
    private const int FirstPinIrq = 16;

    // CMSDK AHB GPIO registers (ARM DDI0479C).
    private const uint DataOut = 0x004;
    private const uint OutEnableSet = 0x010;
    private const uint OutEnableClear = 0x014;
    private const uint IntEnableSet = 0x020;
    private const uint IntTypeSet = 0x028;
    private const uint IntPolaritySet = 0x030;
    private const uint IntStatusClear = 0x038;

    private readonly TestHost _host = new();
    private readonly RecordingInterruptController _nvic = new();
    private readonly MachineThread _machine = new();
    private readonly CmsdkAhbGpio _port;

    public GpioPassthroughTests()
    {
        var router = new InterruptRouter(_nvic);
        _port = new CmsdkAhbGpio("gpio0", new VirtualClock(25_000_000), router.Line(CombinedIrq),
            [.. Enumerable.Range(0, CmsdkAhbGpio.PinCount).Select(i => router.Line(FirstPinIrq + i))]);
    }

    private GpioPin Pin => _port.Pins[GuestPin];

    public void Dispose() => _host.Dispose();

    [Fact]
    public void Guest_register_writes_reach_the_host_pin_one_write_per_edge()
    {
        using GpioPassthrough bridge = Connect();

        _port.Write(OutEnableSet, 1u << GuestPin, 4);
        _port.Write(DataOut, 1u << GuestPin, 4);
        _port.Write(DataOut, 1u << GuestPin, 4); // same level: nothing to send
        _port.Write(DataOut, 0, 4);
        _port.Write(DataOut, 1u << GuestPin, 4);

        Assert.Equal(PinMode.Output, _host.Driver.ModeOf(HostLine));
        Assert.Equal(PinValue.High, _host.Driver.ValueOf(HostLine));
        Assert.Equal(["write 17 Low", "write 17 High", "write 17 Low", "write 17 High"], _host.Driver.Log.Where(e => e.StartsWith("write", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task A_host_edge_is_posted_to_the_machine_thread_and_raises_the_guest_pin_interrupt()
    {
        using GpioPassthrough bridge = Connect();
        _port.Write(IntTypeSet, 1u << GuestPin, 4); // edge
        _port.Write(IntPolaritySet, 1u << GuestPin, 4); // rising
        _port.Write(IntEnableSet, 1u << GuestPin, 4);

        await Task.Run(() => _host.Driver.RaiseEdge(HostLine, true)); // libgpiod's event thread

        Assert.False(Pin.Level); // nothing touches the model off the machine thread
        Assert.False(_nvic.IsHigh(FirstPinIrq + GuestPin));

        Assert.Equal(1, _machine.RunPosted());

        Assert.True(Pin.Level);
        Assert.True(_nvic.IsHigh(FirstPinIrq + GuestPin));
        Assert.True(_nvic.IsHigh(CombinedIrq));
        Assert.Equal(1u << GuestPin, _port.Read(IntStatusClear, 4) & (1u << GuestPin));
        Assert.Equal(1, bridge.EdgesForwarded);
    }

    [Fact]
    public void A_falling_host_edge_does_not_raise_a_rising_edge_interrupt()
    {
        _host.Driver.SetLevel(HostLine, true);
        using GpioPassthrough bridge = Connect();
        Assert.True(Pin.Level); // the input's level at connection time, without an edge
        _port.Write(IntTypeSet, 1u << GuestPin, 4);
        _port.Write(IntPolaritySet, 1u << GuestPin, 4);
        _port.Write(IntEnableSet, 1u << GuestPin, 4);

        _host.Driver.RaiseEdge(HostLine, false);
        _machine.RunPosted();

        Assert.False(Pin.Level);
        Assert.False(_nvic.IsHigh(FirstPinIrq + GuestPin));
    }

    [Fact]
    public void A_guest_pin_turned_back_into_an_input_makes_the_host_line_an_input_with_the_guest_pull()
    {
        using GpioPassthrough bridge = Connect();
        _port.Write(OutEnableSet, 1u << GuestPin, 4);
        _port.Write(DataOut, 1u << GuestPin, 4);

        _port.Write(OutEnableClear, 1u << GuestPin, 4);
        Assert.Equal(PinMode.Input, _host.Driver.ModeOf(HostLine));

        Pin.Configure(GpioDirection.Input, false, false, GpioPull.Up);
        Assert.Equal(PinMode.InputPullUp, _host.Driver.ModeOf(HostLine));
        Assert.True(Pin.Level); // the host's pulled-up line reads high, and the guest sees it
    }

    [Fact]
    public void An_open_drain_guest_output_pulls_the_host_line_low_and_lets_go_of_it_for_a_one()
    {
        using GpioPassthrough bridge = Connect();
        Pin.Configure(GpioDirection.Output, false, true, GpioPull.Up);
        Assert.Equal(PinMode.Output, _host.Driver.ModeOf(HostLine));
        Assert.Equal(PinValue.Low, _host.Driver.ValueOf(HostLine));

        Pin.Configure(GpioDirection.Output, true, true, GpioPull.Up);

        Assert.Equal(PinMode.InputPullUp, _host.Driver.ModeOf(HostLine));
        Assert.True(Pin.Level);
    }

    [Fact]
    public void Disposing_the_bridge_releases_the_guest_pin_and_returns_the_host_line_to_an_input()
    {
        GpioPassthrough bridge = Connect();
        _port.Write(OutEnableSet, 1u << GuestPin, 4);
        _port.Write(DataOut, 1u << GuestPin, 4);

        bridge.Dispose();
        _host.Driver.RaiseEdge(HostLine, false);

        Assert.Equal(0, _machine.RunPosted());
        Assert.False(_host.Driver.IsOpen(HostLine));
        Assert.Equal(["mode 17 Input", "close 17"], _host.Driver.Log.TakeLast(2));
        Assert.Empty(_host.Hardware.ClaimedPins);
    }

    [Fact]
    public void An_edge_posted_before_the_bridge_was_disposed_is_dropped()
    {
        GpioPassthrough bridge = Connect();
        _host.Driver.RaiseEdge(HostLine, true);

        bridge.Dispose();
        _machine.RunPosted();

        Assert.False(Pin.Level);
        Assert.Equal(0, bridge.EdgesForwarded);
    }

    private GpioPassthrough Connect() =>
        new(Pin, _host.Hardware.ClaimPin(new HostPin(0, HostLine), Pin.Name), _machine.Post);
}
