using EdgeVisor.Bench.Latency;
using EdgeVisor.Emulation.Machines;
using EdgeVisor.Emulation.Peripherals.Passthrough;
using EdgeVisor.Hardware.Tests.Doubles;
using PinMode = System.Device.Gpio.PinMode;
using PinValue = System.Device.Gpio.PinValue;

namespace EdgeVisor.Hardware.Tests.Passthrough;

/// <summary>
/// Firmware on a running machine, wired to host lines of the System.Device.Gpio backend: a host edge raises the
/// guest pin interrupt, whose handler's write comes back out on another host line.
/// </summary>
public sealed class MachinePassthroughTests
{
    private const int HostInput = 20;
    private const int HostOutput = 21;

    [Fact]
    public async Task Host_edges_reach_the_firmware_interrupt_handler_and_its_echo_reaches_the_host_pin()
    {
        using var host = new TestHost();
        using var machine = new Machine(BoardCatalog.Get(EchoFirmware.Board), new MachineOptions { ErrorOutput = Stream.Null });
        machine.Load(EchoFirmware.Image());
        machine.HasExternalInputs = true;
        var input = machine.Pin(EchoFirmware.Port, EchoFirmware.InputPin);
        var output = machine.Pin(EchoFirmware.Port, EchoFirmware.OutputPin);
        using var inBridge = new GpioPassthrough(input, host.Hardware.ClaimPin(new HostPin(0, HostInput), input.Name), machine.Post);
        using var outBridge = new GpioPassthrough(output, host.Hardware.ClaimPin(new HostPin(0, HostOutput), output.Name), machine.Post);
        using var stop = new CancellationTokenSource();
        Task<MachineRunResult> run = Task.Run(() => machine.Run(new RunLimits { WallTimeout = TimeSpan.FromSeconds(20) }, stop.Token));

        try
        {
            Assert.True(await Until(() => host.Driver.ModeOf(HostOutput) == PinMode.Output), "the firmware made its echo pin an output");
            var echoes = new List<PinValue>();
            foreach (bool level in new[] { true, false, true, false })
            {
                host.Driver.RaiseEdge(HostInput, level); // from this (non-machine) thread, as libgpiod's event thread would
                PinValue expected = level ? PinValue.High : PinValue.Low;
                Assert.True(await Until(() => host.Driver.ValueOf(HostOutput) == expected), $"echo of {expected}");
                echoes.Add(host.Driver.ValueOf(HostOutput));
            }

            Assert.Equal([PinValue.High, PinValue.Low, PinValue.High, PinValue.Low], echoes);
            Assert.Equal(4, inBridge.EdgesForwarded);
        }
        finally
        {
            await stop.CancelAsync();
            MachineRunResult result = await run;
            Assert.Equal(MachineOutcome.Stopped, result.Outcome);
        }
    }

    private static async Task<bool> Until(Func<bool> condition)
    {
        for (int i = 0; i < 500 && !condition(); i++)
        {
            await Task.Delay(10);
        }

        return condition();
    }
}
