using EdgeVisor.Emulation.Machines.Testing;
using EdgeVisor.Emulation.Machines.Tracing;
using EdgeVisor.Emulation.Machines.Wiring;

namespace EdgeVisor.Emulation.Machines.Tests.Wiring;

/// <summary>The GPIO trace of a running machine: every pin of the board, wired device states, virtual timestamps.</summary>
public class GpioTraceTests
{
    /// <summary>SysTick every 1 ms (25 MHz core): the handler toggles GPIO0 pin 0 (an output) and the core sleeps between.</summary>
    private const string Blink = """
        reset:
            ldr r0, =0x40010000
            movs r1, #1
            str r1, [r0, #0x10]     @ OUTENSET pin 0
            ldr r0, =0xE000E010
            ldr r1, =24999
            str r1, [r0, #4]        @ SYST_RVR: 25,000 cycles = 1 ms
            movs r1, #0
            str r1, [r0, #8]        @ SYST_CVR
            movs r1, #7
            str r1, [r0]            @ SYST_CSR: enable, interrupt, core clock
        idle:
            wfi
            b idle
        .type tick, %function
        tick:
            ldr r0, =0x40010000
            ldr r1, [r0, #4]
            movs r2, #1
            eors r1, r2
            str r1, [r0, #4]        @ DATAOUT ^= 1
            bx lr
        """;

    [Fact]
    public void A_blink_shows_in_the_vcd_at_its_virtual_times_with_the_led_on_its_pin()
    {
        string elf = TinyFirmware.Build("trace-blink", Blink, "cortex-m3", new Dictionary<int, string> { [15] = "tick" });
        var wiring = WiringFile.Parse("""{ "devices": [ { "name": "led1", "type": "led", "pin": "gpio0.0" } ] }""", "wiring.json");
        using var session = FirmwareSession.Start("mps2-an385", elf, wiring);
        var text = new StringWriter();
        using (var trace = new GpioTrace(session.Machine, text))
        {
            var led = session.Device("led1");
            trace.AddProbe("devices.led1", "on", () => led.Get("on") != 0);
            trace.Start();
            session.RunFor(TimeSpan.FromMilliseconds(5.5));
        }

        var dump = VcdDump.Parse(text.ToString());

        Assert.Contains("mps2-an385.gpio3.pin15", dump.Signals.Values); // every pin of every port
        Assert.Contains("mps2-an385.fpgaio.led0", dump.Signals.Values);
        var pin = dump.Of("mps2-an385.gpio0.pin0");
        Assert.Equal(5, pin.Count);
        Assert.Equal([true, false, true, false, true], pin.Select(c => c.Value));
        for (int i = 1; i < pin.Count; i++)
        {
            Assert.Equal(1_000_000UL, pin[i].Time - pin[i - 1].Time); // exactly 1 ms of virtual time apart
        }

        Assert.InRange(pin[0].Time, 1_000_000UL, 1_001_000UL); // the first tick plus the handler's few instructions
        Assert.Equal(pin, dump.Of("mps2-an385.devices.led1.on")); // the LED is lit exactly while its pin is high
        Assert.Equal(5_500_000UL, dump.LastTime);
    }
}
