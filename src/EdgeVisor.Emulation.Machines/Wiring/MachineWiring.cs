using EdgeVisor.Emulation.Peripherals.Devices;
using EdgeVisor.Emulation.Peripherals.I2c;
using EdgeVisor.Emulation.Peripherals.Passthrough;
using EdgeVisor.Hardware;

namespace EdgeVisor.Emulation.Machines.Wiring;

/// <summary>
/// A wiring applied to a machine: the simulated devices on its pins and buses, and the guest pins and addresses
/// bridged to host hardware. <see cref="Apply"/> validates everything first (<see cref="WiringValidator"/>, then
/// the host access policy and the host's lines and buses), then claims host lines and opens host devices (the
/// only step that can still fail, if another process holds a line: everything claimed so far is released), and
/// only then creates devices and bridges. <see cref="Dispose"/> returns every host line to an input and releases
/// it; dispose it when the machine stops.
/// </summary>
public sealed class MachineWiring : IDisposable
{
    private readonly Dictionary<string, ISimulatedDevice> _devices = new(StringComparer.Ordinal);
    private readonly List<GpioPassthrough> _gpioBridges = [];
    private readonly List<(I2cBus Bus, int Address, I2cPassthroughTarget Target)> _i2cBridges = [];
    private IDisposable? _shutdownHook;
    private bool _disposed;

    private MachineWiring(Machine machine, WiringPlan plan, HostHardware? host)
    {
        Machine = machine;
        Plan = plan;
        Host = host;
    }

    public Machine Machine { get; }

    /// <summary>What was validated and applied.</summary>
    public WiringPlan Plan { get; }

    /// <summary>The host hardware the wiring uses, or null without a "host" section.</summary>
    public HostHardware? Host { get; }

    /// <summary>The simulated devices by name (the board's own and the wiring file's).</summary>
    public IReadOnlyDictionary<string, ISimulatedDevice> Devices => _devices;

    /// <summary>The guest pin ↔ host line bridges.</summary>
    public IReadOnlyList<GpioPassthrough> GpioBridges => _gpioBridges;

    /// <summary>Notes for the user (a board device left out because the wiring uses its pin).</summary>
    public IReadOnlyList<string> Notes => Plan.Notes;

    /// <summary>A device by name and model type; throws naming the wired devices if there is no such one.</summary>
    public T Device<T>(string name)
        where T : class, ISimulatedDevice
    {
        if (_devices.TryGetValue(name, out var device) && device is T typed)
        {
            return typed;
        }

        throw new ArgumentException(device is null
            ? $"no device named '{name}' is wired (devices: {(_devices.Count == 0 ? "none" : string.Join(", ", _devices.Keys.Order(StringComparer.Ordinal)))})"
            : $"device {name} is a {device.Type} ({device.GetType().Name}), not a {typeof(T).Name}");
    }

    /// <summary>
    /// Validates <paramref name="wiring"/> against <paramref name="machine"/> and the host, then applies it.
    /// Throws <see cref="WiringException"/> for a wiring that cannot work on this board or is refused by the host
    /// access policy, and <see cref="HostHardwareException"/> when the host lacks a line or bus or another process
    /// holds one. Either way nothing stays claimed or attached.
    /// </summary>
    public static MachineWiring Apply(Machine machine, WiringDocument wiring, HostWiringOptions? hostOptions = null)
    {
        hostOptions ??= new HostWiringOptions();
        var plan = WiringValidator.Validate(machine, wiring);
        var host = plan.HostBackend is { } backend ? OpenHost(plan, backend, hostOptions) : null;
        var result = new MachineWiring(machine, plan, host);
        try
        {
            var lines = plan.HostPins.Select(p => host!.ClaimPin(p.Host, Where(p.Entry.At()))).ToList();
            var i2cDevices = plan.HostI2c.Select(i => host!.OpenI2c(i.Entry.HostBus, i.Entry.HostAddress, Where(i.Entry.At()))).ToList();
            if (hostOptions.HookProcessShutdown && host is not null)
            {
                result._shutdownHook = host.HookProcessShutdown();
            }

            foreach (var device in plan.Devices)
            {
                result._devices[device.Entry.Name] = SimulatedDeviceCatalog.Create(
                    device.Spec, new DeviceConnection(device.Bus, device.Address, device.Pin), machine.Clock);
            }

            for (int i = 0; i < lines.Count; i++)
            {
                result._gpioBridges.Add(new GpioPassthrough(plan.HostPins[i].Guest, lines[i], machine.Post));
            }

            for (int i = 0; i < i2cDevices.Count; i++)
            {
                var target = new I2cPassthroughTarget(i2cDevices[i]);
                var mapping = plan.HostI2c[i];
                mapping.Guest.Attach(mapping.Entry.Address, target);
                result._i2cBridges.Add((mapping.Guest, mapping.Entry.Address, target));
            }

            if (lines.Count > 0)
            {
                // Host input edges are posted from another thread: a sleeping core must wait for them.
                machine.HasExternalInputs = true;
            }

            return result;
        }
        catch (FormatException e)
        {
            result.Dispose();
            throw new WiringException(e.Message, e);
        }
        catch
        {
            result.Dispose();
            throw;
        }
    }

    /// <summary>Stops the bridges, returns every host line to an input, releases it and closes host I2C devices.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        foreach (var bridge in _gpioBridges)
        {
            bridge.Dispose();
        }

        foreach (var (bus, address, target) in _i2cBridges)
        {
            bus.Detach(address);
            target.Dispose();
        }

        foreach (var device in _devices.Values.OfType<IDisposable>())
        {
            device.Dispose();
        }

        Host?.Dispose();
        _shutdownHook?.Dispose();
    }

    private static HostHardware OpenHost(WiringPlan plan, string backend, HostWiringOptions options)
    {
        var pins = plan.HostPins.Select(p => new HostPinUse(p.Host, Where(p.Entry.At()))).ToList();
        var devices = plan.HostI2c.Select(i => new HostI2cUse(i.Entry.HostBus, i.Entry.HostAddress, Where(i.Entry.At()))).ToList();

        // The policy's own rules (allow-list, reserved addresses, one user per host line) are about the file: a
        // wiring error. What the host itself lacks (a chip, a line, a bus) is the host's: HostHardwareException.
        var policy = options.Policy ?? new HostAccessPolicy();
        var refused = policy.Validate(pins, devices);
        if (refused.Count > 0)
        {
            throw new WiringException(string.Join("; ", refused));
        }

        var host = options.Open(backend, options.Policy);
        try
        {
            host.EnsureValid(pins, devices);
            return host;
        }
        catch
        {
            host.Dispose();
            throw;
        }
    }

    private static string Where(SourceLocation location) => location.ToString();
}
