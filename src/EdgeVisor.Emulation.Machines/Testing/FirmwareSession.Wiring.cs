using EdgeVisor.Emulation.Boards;
using EdgeVisor.Emulation.Loading;
using EdgeVisor.Emulation.Machines.Stimulus;
using EdgeVisor.Emulation.Machines.Tracing;
using EdgeVisor.Emulation.Machines.Wiring;
using EdgeVisor.Emulation.Peripherals.Devices;

namespace EdgeVisor.Emulation.Machines.Testing;

/// <summary>
/// Wiring, devices, stimulus and the I2C log for headless tests:
/// <code>
/// using var session = FirmwareSession.Start("stm32f4-discovery", "button.elf", WiringDocument.None); // the board's LEDs and B1
/// session.At(TimeSpan.FromMilliseconds(2), () => session.Device("b1").Set("pressed", 1));
/// session.WaitForPinEdge("gpiod", 12, Edge.Rising, TimeSpan.FromMilliseconds(10));
/// </code>
/// </summary>
public sealed partial class FirmwareSession
{
    private MachineWiring? _wiring;

    /// <summary>Every I2C step on the board's buses so far (lines as <c>edgevisor run --trace-i2c</c> prints them: <see cref="I2cLog.Lines"/>).</summary>
    public I2cLog I2cLog { get; }

    /// <summary>The applied wiring; throws if the session was started without one.</summary>
    public MachineWiring Wiring => _wiring ?? throw new InvalidOperationException("this session has no wiring: start it with a WiringDocument (WiringDocument.None for the board's own devices)");

    /// <summary>
    /// Builds the board, loads the image and applies <paramref name="wiring"/> (the board's own devices plus the
    /// file's; <see cref="WiringDocument.None"/> for only the board's). Throws <see cref="WiringException"/> for a
    /// wiring that does not fit the board.
    /// </summary>
    public static FirmwareSession Start(string boardNameOrPath, string imagePath, WiringDocument wiring, MachineOptions? options = null, HostWiringOptions? host = null) =>
        Start(BoardCatalog.Get(boardNameOrPath), ImageLoader.Load(imagePath, null), wiring, options, host);

    /// <summary>As above, with a wiring file path (JSON or YAML).</summary>
    public static FirmwareSession Start(string boardNameOrPath, string imagePath, string wiringPath, MachineOptions? options = null, HostWiringOptions? host = null) =>
        Start(boardNameOrPath, imagePath, WiringFile.Load(wiringPath), options, host);

    /// <summary>Builds the board from a description, loads an already parsed image and applies <paramref name="wiring"/>.</summary>
    public static FirmwareSession Start(BoardDescription board, FirmwareImage image, WiringDocument wiring, MachineOptions? options = null, HostWiringOptions? host = null)
    {
        var session = new FirmwareSession(board, image, options);
        try
        {
            session._wiring = MachineWiring.Apply(session.Machine, wiring, host);
            return session;
        }
        catch
        {
            session.Dispose();
            throw;
        }
    }

    /// <summary>A wired device by name ("b1", "thermometer").</summary>
    public ISimulatedDevice Device(string name) => Wiring.Device<ISimulatedDevice>(name);

    /// <summary>A wired device by name and model type.</summary>
    public T Device<T>(string name)
        where T : class, ISimulatedDevice => Wiring.Device<T>(name);

    /// <summary>Runs <paramref name="action"/> on the machine thread at virtual time <paramref name="virtualTime"/> since reset (now, if that has passed).</summary>
    public void At(TimeSpan virtualTime, Action action) =>
        Machine.Clock.ScheduleAt(Machine.Clock.CyclesFor(virtualTime), action);

    /// <summary>
    /// Schedules a stimulus script (the <c>--stimulus</c> format) against the wired devices and the board's pins.
    /// A step whose value the device refuses throws <see cref="StimulusException"/> out of the run that reaches it.
    /// </summary>
    public StimulusRunner Stimulate(StimulusScript script) =>
        StimulusRunner.Schedule(Machine, script, _wiring?.Devices ?? new Dictionary<string, ISimulatedDevice>(), stopOnFailure: false);

    /// <summary>Schedules stimulus script text ("2ms press b1\n2.5ms release b1").</summary>
    public StimulusRunner Stimulate(string scriptText) => Stimulate(StimulusScript.Parse(scriptText, "stimulus"));
}
