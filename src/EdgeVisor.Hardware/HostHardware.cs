using System.Runtime.InteropServices;
using EdgeVisor.Hardware.Gpiod;
using EdgeVisor.Hardware.I2c;
using EdgeVisor.Hardware.Simulated;

namespace EdgeVisor.Hardware;

/// <summary>
/// The host hardware one machine uses: a GPIO and an I2C backend ("gpiod": the real ones through
/// System.Device.Gpio; "simulated": in memory), the <see cref="HostAccessPolicy"/> every claim is checked against,
/// and everything claimed so far. <see cref="Dispose"/> returns every claimed line to an input without bias,
/// releases it and closes every I2C device; it is idempotent and safe from any thread, so the CLI calls it from a
/// finally and <see cref="HookProcessShutdown"/> calls it on process exit, an unhandled exception, SIGTERM,
/// SIGHUP and SIGQUIT. SIGKILL runs no code: the kernel then closes the chip's file descriptors, which releases
/// the lines, but a line that was an output keeps driving its last level until something requests it again.
/// </summary>
public sealed class HostHardware : IDisposable
{
    /// <summary>Backend name of the real hardware (libgpiod, i2c-dev).</summary>
    public const string GpiodBackend = "gpiod";

    /// <summary>Backend name of the in-memory hardware.</summary>
    public const string SimulatedBackend = "simulated";

    private readonly IDisposable? _backendResources;
    private readonly List<IDisposable> _claims = [];
    private readonly HashSet<HostPin> _claimedPins = [];
    private readonly HashSet<(int, int)> _openDevices = [];
    private readonly Lock _lock = new();
    private bool _disposed;

    /// <param name="backend">The backend's name (messages, <see cref="Backend"/>).</param>
    /// <param name="backendResources">Disposed after every claim was released (e.g. the GPIO controllers).</param>
    public HostHardware(string backend, IHostGpio gpio, IHostI2c i2c, HostAccessPolicy? policy = null, IDisposable? backendResources = null)
    {
        Backend = backend;
        GpioBackend = gpio;
        I2cBackend = i2c;
        Policy = policy ?? new HostAccessPolicy();
        _backendResources = backendResources;
    }

    /// <summary>The backend names <see cref="Open"/> accepts.</summary>
    public static IReadOnlyList<string> Backends { get; } = [GpiodBackend, SimulatedBackend];

    public string Backend { get; }

    public HostAccessPolicy Policy { get; }

    /// <summary>The backend itself (a <see cref="SimulatedHostGpio"/> for "simulated": drive its wires from tests).</summary>
    public IHostGpio GpioBackend { get; }

    /// <summary>The backend itself (a <see cref="SimulatedHostI2c"/> for "simulated": attach devices to it).</summary>
    public IHostI2c I2cBackend { get; }

    /// <summary>The host lines claimed and not yet released.</summary>
    public IReadOnlyCollection<HostPin> ClaimedPins
    {
        get
        {
            lock (_lock)
            {
                return [.. _claimedPins];
            }
        }
    }

    /// <summary>Raised with a one-line message when releasing something failed during <see cref="Dispose"/>.</summary>
    public event Action<string>? Warning;

    /// <summary>Opens a backend by name: "gpiod" or "simulated". Throws <see cref="HostHardwareException"/> for another name.</summary>
    public static HostHardware Open(string backend, HostAccessPolicy? policy = null)
    {
        switch (backend)
        {
            case GpiodBackend:
                var gpio = new GpiodHostGpio();
                return new HostHardware(backend, gpio, new SystemDeviceHostI2c(), policy, gpio);
            case SimulatedBackend:
                return new HostHardware(backend, new SimulatedHostGpio(), new SimulatedHostI2c(), policy);
            default:
                throw new HostHardwareException($"unknown host hardware backend \"{backend}\" (known: {string.Join(", ", Backends)})");
        }
    }

    /// <summary>
    /// Checks a whole set of requested lines and devices (policy, existence, duplicates, lines already claimed)
    /// without claiming anything. Returns one message per problem; empty means all can be claimed.
    /// </summary>
    public IReadOnlyList<string> Validate(IEnumerable<HostPinUse> pins, IEnumerable<HostI2cUse> devices)
    {
        List<HostPinUse> pinList = [.. pins];
        List<HostI2cUse> deviceList = [.. devices];
        var problems = new List<string>(Policy.Validate(pinList, deviceList, GpioBackend, I2cBackend));
        lock (_lock)
        {
            problems.AddRange(pinList.Where(use => _claimedPins.Contains(use.Pin)).Select(use => $"{use.Owner}: {use.Pin} is already claimed by this machine"));
        }

        return problems;
    }

    /// <summary>As <see cref="Validate"/>, but throws one <see cref="HostHardwareException"/> listing every problem.</summary>
    public void EnsureValid(IEnumerable<HostPinUse> pins, IEnumerable<HostI2cUse> devices)
    {
        IReadOnlyList<string> problems = Validate(pins, devices);
        if (problems.Count > 0)
        {
            throw new HostHardwareException(string.Join("; ", problems));
        }
    }

    /// <summary>Claims a host line after checking the policy; released by <see cref="Dispose"/> at the latest.</summary>
    public IHostGpioLine ClaimPin(HostPin pin, string owner)
    {
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            string? problem = Policy.CheckPin(pin, owner, GpioBackend)
                ?? (_claimedPins.Contains(pin) ? $"{owner}: {pin} is already claimed by this machine" : null);
            if (problem is not null)
            {
                throw new HostHardwareException(problem);
            }

            var line = new TrackedLine(GpioBackend.Claim(pin, owner), this);
            _claimedPins.Add(pin);
            _claims.Add(line);
            return line;
        }
    }

    /// <summary>Opens a host I2C device after checking the policy; closed by <see cref="Dispose"/> at the latest.</summary>
    public IHostI2cDevice OpenI2c(int bus, int address, string owner)
    {
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            string? problem = Policy.CheckI2c(bus, address, owner, I2cBackend)
                ?? (_openDevices.Contains((bus, address)) ? $"{owner}: i2c-{bus} address 0x{address:X2} is already in use by this machine" : null);
            if (problem is not null)
            {
                throw new HostHardwareException(problem);
            }

            IHostI2cDevice device;
            try
            {
                device = I2cBackend.Open(bus, address);
            }
            catch (HostHardwareException e)
            {
                throw new HostHardwareException($"{owner}: {e.Message}", e);
            }

            _openDevices.Add((bus, address));
            _claims.Add(device);
            return device;
        }
    }

    /// <summary>
    /// Makes <see cref="Dispose"/> run when the process exits, on an unhandled exception, and on SIGTERM, SIGHUP
    /// and SIGQUIT (after which the default action, ending the process, goes on). SIGINT is left to the caller:
    /// its Ctrl+C handling stops the machine and its finally disposes. Dispose the result to unhook.
    /// </summary>
    public IDisposable HookProcessShutdown()
    {
        void OnExit(object? sender, EventArgs e) => Dispose();
        void OnCrash(object? sender, UnhandledExceptionEventArgs e) => Dispose();
        AppDomain.CurrentDomain.ProcessExit += OnExit;
        AppDomain.CurrentDomain.UnhandledException += OnCrash;
        var signals = new List<IDisposable>();
        if (!OperatingSystem.IsWindows())
        {
            foreach (PosixSignal signal in new[] { PosixSignal.SIGTERM, PosixSignal.SIGHUP, PosixSignal.SIGQUIT })
            {
                signals.Add(PosixSignalRegistration.Create(signal, _ => Dispose()));
            }
        }

        return new Unhook(() =>
        {
            AppDomain.CurrentDomain.ProcessExit -= OnExit;
            AppDomain.CurrentDomain.UnhandledException -= OnCrash;
            signals.ForEach(s => s.Dispose());
        });
    }

    /// <summary>Returns every claimed line to an input and releases it, closes every I2C device, then the backend.</summary>
    public void Dispose()
    {
        List<IDisposable> claims;
        lock (_lock)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            claims = [.. _claims];
            _claims.Clear();
            _claimedPins.Clear();
            _openDevices.Clear();
        }

        foreach (IDisposable claim in claims)
        {
            try
            {
                claim.Dispose();
            }
            catch (Exception e)
            {
                Warning?.Invoke($"host hardware: releasing {claim} failed: {e.Message}");
            }
        }

        try
        {
            _backendResources?.Dispose();
        }
        catch (Exception e)
        {
            Warning?.Invoke($"host hardware: closing the {Backend} backend failed: {e.Message}");
        }
    }

    private void Forget(TrackedLine line)
    {
        lock (_lock)
        {
            _claims.Remove(line);
            _claimedPins.Remove(line.Pin);
        }
    }

    private sealed class Unhook(Action undo) : IDisposable
    {
        public void Dispose() => undo();
    }

    /// <summary>
    /// A claimed line as handed out: after the hardware was shut down (possibly from a signal handler while the
    /// machine thread still runs) writes and mode changes are ignored and reads return low, instead of throwing
    /// into the machine thread.
    /// </summary>
    private sealed class TrackedLine(IHostGpioLine line, HostHardware owner) : IHostGpioLine
    {
        private volatile bool _released;

        public HostPin Pin => line.Pin;

        public string Owner => line.Owner;

        public bool IsOutput => !_released && line.IsOutput;

        public event Action<bool, long>? EdgeDetected
        {
            add => line.EdgeDetected += value;
            remove => line.EdgeDetected -= value;
        }

        public void SetInput(HostPull pull) => IgnoreAfterRelease(() => line.SetInput(pull));

        public void SetOutput(bool level) => IgnoreAfterRelease(() => line.SetOutput(level));

        public bool Read()
        {
            bool level = false;
            IgnoreAfterRelease(() => level = line.Read());
            return level;
        }

        public void Dispose()
        {
            if (_released)
            {
                return;
            }

            _released = true;
            line.Dispose();
            owner.Forget(this);
        }

        public override string ToString() => $"{Pin} ({Owner})";

        private void IgnoreAfterRelease(Action action)
        {
            if (_released)
            {
                return;
            }

            try
            {
                action();
            }
            catch (ObjectDisposedException) when (_released)
            {
                // Released by a shutdown handler between the check and the call.
            }
        }
    }
}
