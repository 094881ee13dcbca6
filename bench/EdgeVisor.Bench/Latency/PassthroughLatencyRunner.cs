using GpioController = System.Device.Gpio.GpioController;
using System.Diagnostics;
using System.Globalization;
using EdgeVisor.Bench.Runner;
using EdgeVisor.Emulation.Machines;
using EdgeVisor.Emulation.Peripherals.Gpio;
using EdgeVisor.Emulation.Peripherals.Passthrough;
using EdgeVisor.Hardware;
using EdgeVisor.Hardware.Gpiod;
using EdgeVisor.Hardware.Simulated;

namespace EdgeVisor.Bench.Latency;

/// <summary>
/// bench latency [--edges N] [--interval-us U] [--realtime]: GPIO passthrough latency on mps2-an385 running
/// <see cref="EchoFirmware"/>, with the System.Device.Gpio backend over a timestamping driver (everything but the
/// kernel is the production path). Two figures, p50/p99/max in microseconds:
/// host edge → host write: the driver raises an edge on the input line, the bridge posts it to the machine
/// thread, the pin interrupt's handler copies it to the output pin, and the bridge writes the host line;
/// of which host edge → guest pin: until the posted edge ran on the machine thread (waking it is most of the cost);
/// guest write → host write: from the moment the guest's store changed the output pin (the pin's Changed event)
/// to the driver's write, i.e. the bridge's own cost on the machine thread.
/// </summary>
public static class PassthroughLatencyRunner
{
    private const int HostInputLine = 20;
    private const int HostOutputLine = 21;
    private const int WarmupEdges = 200;

    public static int Run(string[] args)
    {
        int edges = Arguments.Int(args, "--edges", 5000);
        int intervalUs = Arguments.Int(args, "--interval-us", 200);
        bool realtime = args.Contains("--realtime");

        var driver = new TimestampingGpioDriver(54);
        var gpio = new GpiodHostGpio(_ => new GpioController(driver), chip => chip == 0);
        using var hardware = new HostHardware(HostHardware.GpiodBackend, gpio, new SimulatedHostI2c(), backendResources: gpio);
        using var machine = new Machine(BoardCatalog.Get(EchoFirmware.Board), new MachineOptions { Realtime = realtime, ErrorOutput = Stream.Null });
        machine.Load(EchoFirmware.Image());
        machine.HasExternalInputs = true;

        GpioPin input = machine.Pin(EchoFirmware.Port, EchoFirmware.InputPin);
        GpioPin output = machine.Pin(EchoFirmware.Port, EchoFirmware.OutputPin);
        long guestChangeTicks = 0;
        output.Changed += (_, _, _) => Volatile.Write(ref guestChangeTicks, Stopwatch.GetTimestamp()); // before the bridge's handler
        using var inBridge = new GpioPassthrough(input, hardware.ClaimPin(new HostPin(0, HostInputLine), input.Name), machine.Post);
        using var outBridge = new GpioPassthrough(output, hardware.ClaimPin(new HostPin(0, HostOutputLine), output.Name), machine.Post);

        long appliedTicks = 0;
        inBridge.HostEdgeApplied += (_, _) => Volatile.Write(ref appliedTicks, Stopwatch.GetTimestamp());
        using var stop = new CancellationTokenSource();
        Task<MachineRunResult> run = Task.Run(() => machine.Run(new RunLimits { WallTimeout = TimeSpan.FromMinutes(5) }, stop.Token));
        try
        {
            if (!WaitFor(() => driver.IsOutput(HostOutputLine), TimeSpan.FromSeconds(10)))
            {
                Console.Error.WriteLine("latency: the firmware never made its output pin an output");
                return 1;
            }

            Thread.Sleep(20); // let the firmware finish its set-up and sleep
            var roundTrip = new List<double>(edges);
            var bridge = new List<double>(edges);
            var wake = new List<double>(edges);
            long interval = intervalUs * Stopwatch.Frequency / 1_000_000;
            for (int i = 0; i < WarmupEdges + edges; i++)
            {
                bool level = i % 2 == 0;
                long sent = Stopwatch.GetTimestamp();
                driver.RaiseEdge(HostInputLine, level);
                if (!driver.WaitForWrite(HostOutputLine, level, TimeSpan.FromSeconds(1)))
                {
                    Console.Error.WriteLine($"latency: edge {i} was not echoed within 1 s");
                    return 1;
                }

                (long written, _) = driver.LastWrite(HostOutputLine);
                if (i >= WarmupEdges)
                {
                    roundTrip.Add(Microseconds(written - sent));
                    bridge.Add(Microseconds(written - Volatile.Read(ref guestChangeTicks)));
                    wake.Add(Microseconds(Volatile.Read(ref appliedTicks) - sent));
                }

                long left = interval - (Stopwatch.GetTimestamp() - sent);
                if (left > 0)
                {
                    Thread.Sleep(TimeSpan.FromTicks(left * TimeSpan.TicksPerSecond / Stopwatch.Frequency));
                }
            }

            Console.WriteLine($"GPIO passthrough latency, {EchoFirmware.Board} echo firmware, {edges} edges {intervalUs} us apart, realtime {(realtime ? "on" : "off")}");
            Console.WriteLine(Line("host edge -> guest ISR -> host write", roundTrip));
            Console.WriteLine(Line("  of which: host edge -> guest pin driven", wake));
            Console.WriteLine(Line("guest write -> host write (bridge)", bridge));
            return 0;
        }
        finally
        {
            stop.Cancel();
            run.Wait(TimeSpan.FromSeconds(10));
        }
    }

    private static bool WaitFor(Func<bool> condition, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            if (clock.Elapsed > timeout)
            {
                return false;
            }

            Thread.SpinWait(10);
        }

        return true;
    }

    private static double Microseconds(long ticks) => ticks * 1e6 / Stopwatch.Frequency;

    private static string Line(string what, List<double> samples)
    {
        samples.Sort();
        double P(double q) => samples[Math.Min(samples.Count - 1, (int)(q * samples.Count))];
        return string.Create(CultureInfo.InvariantCulture, $"  {what,-40} p50 {P(0.50),8:F1} us   p99 {P(0.99),8:F1} us   max {samples[^1],8:F1} us");
    }
}
