using EdgeVisor.Emulation.Peripherals.Gpio;
using EdgeVisor.Hardware;

namespace EdgeVisor.Emulation.Peripherals.Passthrough;

/// <summary>
/// Wires a guest pin to a host line. While the guest drives the pin (a push-pull output, or an open-drain output
/// pulling low) the host line is an output at the guest's level; otherwise the host line is an input with the
/// guest's pull, and its level drives the guest pin: host edges are posted to the machine thread, where
/// <see cref="GpioPin.Drive"/> lets the port model raise its GPIO/EXTI interrupt. An open-drain 1 therefore
/// lets go of the host line as on a real wired-AND bus. (Known limit: if another device holds such a line low when
/// the guest lets go, the guest pin reads high for an instant before the host's low level is applied.)
/// Runs on the machine thread except for the host's edge callback, which only posts.
/// </summary>
public sealed class GpioPassthrough : IDisposable
{
    private readonly GpioPin _guest;
    private readonly IHostGpioLine _host;
    private readonly Action<Action> _post;
    private readonly Action<bool, long> _onHostEdge;
    private bool _hostIsOutput;
    private bool _hostLevel;
    private HostPull _hostPull;
    private volatile bool _disposed;

    /// <param name="guest">The guest pin ("gpiod.12").</param>
    /// <param name="host">The claimed host line; disposed (back to an input, released) with this bridge.</param>
    /// <param name="post">Runs work on the machine thread (<c>Machine.Post</c>).</param>
    public GpioPassthrough(GpioPin guest, IHostGpioLine host, Action<Action> post)
    {
        _guest = guest;
        _host = host;
        _post = post;
        _onHostEdge = OnHostEdge;
        _hostIsOutput = host.IsOutput;
        _guest.Changed += OnGuestChanged;
        _guest.ConfigurationChanged += OnGuestConfigurationChanged;
        _host.EdgeDetected += _onHostEdge;
        Follow(force: true);
    }

    /// <summary>The guest pin.</summary>
    public GpioPin Guest => _guest;

    /// <summary>The host line.</summary>
    public IHostGpioLine Host => _host;

    /// <summary>Host edges that reached the guest pin (posted and applied).</summary>
    public long EdgesForwarded { get; private set; }

    /// <summary>Level writes made to the host line.</summary>
    public long HostWrites { get; private set; }

    /// <summary>Raised on the machine thread after a host edge drove the guest pin, with the host's edge timestamp (Stopwatch ticks).</summary>
    public event Action<bool, long>? HostEdgeApplied;

    /// <summary>Stops following both sides, lets go of the guest pin and returns the host line to an input.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _host.EdgeDetected -= _onHostEdge;
        _guest.Changed -= OnGuestChanged;
        _guest.ConfigurationChanged -= OnGuestConfigurationChanged;
        _guest.Release();
        _host.Dispose();
    }

    private void OnGuestChanged(GpioPin pin, bool level, ulong cycle) => Follow(force: false);

    private void OnGuestConfigurationChanged(GpioPin pin) => Follow(force: false);

    // Puts the host line in the state the guest pin asks for; writes only what changed, so a guest toggling
    // a pin costs one host write per edge.
    private void Follow(bool force)
    {
        if (_disposed)
        {
            return;
        }

        if (_guest.DrivenByModel)
        {
            bool level = _guest.OutputLevel;
            if (force || !_hostIsOutput || level != _hostLevel)
            {
                _host.SetOutput(level);
                _hostIsOutput = true;
                _hostLevel = level;
                HostWrites++;
            }

            if (_guest.OpenDrain && !(_guest.ExternallyDriven && _guest.ExternalLevel))
            {
                // GpioPin reports no event when an open-drain output lets go of a line whose level stays the same.
                // Open-drain lines are pulled up (internally or by resistors), so the outside is taken as high while
                // the guest pulls low: letting go then changes the level, and Follow reads the real host level.
                _guest.Drive(true);
            }

            return;
        }

        HostPull pull = _guest.Pull switch
        {
            GpioPull.Up => HostPull.Up,
            GpioPull.Down => HostPull.Down,
            _ => HostPull.None,
        };
        if (force || _hostIsOutput || pull != _hostPull)
        {
            _host.SetInput(pull);
            _hostIsOutput = false;
            _hostPull = pull;

            // No edge reports the level an input already has: read it once so the guest starts from the truth.
            _guest.Drive(_host.Read());
        }
    }

    // Backend thread: only posts.
    private void OnHostEdge(bool level, long timestamp)
    {
        if (_disposed)
        {
            return;
        }

        _post(() =>
        {
            if (_disposed)
            {
                return;
            }

            _guest.Drive(level);
            EdgesForwarded++;
            HostEdgeApplied?.Invoke(level, timestamp);
        });
    }
}
