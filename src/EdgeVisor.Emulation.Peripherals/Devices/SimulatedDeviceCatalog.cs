using EdgeVisor.Emulation.Peripherals.I2c;
using EdgeVisor.Emulation.Time;

namespace EdgeVisor.Emulation.Peripherals.Devices;

/// <summary>
/// The one place simulated devices are named: a wiring file's device "type" maps to a model. <see cref="Create"/>
/// checks the connection (an I2C part needs a bus and one of its addresses, a GPIO part needs a pin) and the
/// properties (model options and initial quantities), builds the device and wires it: an I2C part is attached to
/// its bus (a 24C04/08/16 takes 2/4/8 consecutive addresses), a GPIO part starts watching or driving its pin.
/// Nothing is attached when a check fails.
/// </summary>
public static class SimulatedDeviceCatalog
{
    // Each model declares its own entry (type name, connection kind, addresses, options, factory) next to its code.
    private static readonly Dictionary<string, DeviceType> Entries = new DeviceType[]
    {
        Tmp102.Entry,
        Bme280.Entry,
        Eeprom24Cxx.Entry,
        Ssd1306.Entry,
        Led.Entry,
        Button.Entry,
    }.ToDictionary(e => e.Name, StringComparer.OrdinalIgnoreCase);

    /// <summary>The device types a wiring file may use.</summary>
    public static IReadOnlyCollection<string> Types => Entries.Keys;

    /// <summary>True if <paramref name="type"/> is a part on an I2C bus (false for a pin part; throws <see cref="FormatException"/> for an unknown type).</summary>
    public static bool IsI2c(string type) => Find(type, null).OnBus;

    /// <summary>A one-line description of <paramref name="type"/>, for listings.</summary>
    public static string Describe(string type) => Find(type, null).Description;

    /// <summary>The address a wiring file gets when it names none (the part with its address pins low), or null for a pin part.</summary>
    public static int? DefaultAddress(string type) => Find(type, null) is { OnBus: true } t ? t.Addresses[0] : null;

    /// <summary>The 7-bit addresses <paramref name="type"/> can be strapped to (empty for a pin part).</summary>
    public static IReadOnlyList<int> Addresses(string type) => Find(type, null).Addresses;

    /// <summary>
    /// Builds and wires the device <paramref name="spec"/> describes. Throws <see cref="FormatException"/>
    /// "device NAME: …" for an unknown type, a wrong connection, an unknown or bad property, or a taken address.
    /// </summary>
    public static ISimulatedDevice Create(DeviceSpec spec, DeviceConnection connection, VirtualClock clock)
    {
        var type = Find(spec.Type, spec.Name);
        var properties = new DeviceProperties(spec);
        CheckConnection(type, spec.Name, connection, properties);
        var initial = InitialQuantities(type, properties);

        var device = type.Create(properties, connection, clock);
        foreach (var (quantity, value) in initial)
        {
            device.Set(quantity, value);
        }

        // Initial quantities describe the world the part powered up in: a sensor's result registers already hold them.
        (device as IPowerUpState)?.SettleAtPowerUp();

        if (type.OnBus)
        {
            AttachToBus(spec.Name, device, connection);
        }

        return device;
    }

    private static DeviceType Find(string type, string? deviceName) =>
        Entries.TryGetValue(type, out var entry)
            ? entry
            : throw new FormatException(
                $"{(deviceName is null ? "" : $"device {deviceName}: ")}unknown {(deviceName is null ? "device " : "")}type '{type}' (known: {string.Join(", ", Entries.Keys.Order(StringComparer.Ordinal))})");

    private static void CheckConnection(DeviceType type, string name, DeviceConnection connection, DeviceProperties properties)
    {
        if (type.OnBus)
        {
            if (connection.Bus is null)
            {
                throw new FormatException(connection.Pin is null
                    ? $"device {name}: a {type.Name} sits on an I2C bus; give it a bus and an address"
                    : $"device {name}: a {type.Name} sits on an I2C bus, not a pin");
            }

            if (connection.Pin is not null && type.PinRole is null)
            {
                throw new FormatException($"device {name}: a {type.Name} has no pin to wire (it sits on an I2C bus only)");
            }

            if (!type.Addresses.Contains(connection.Address))
            {
                throw new FormatException($"device {name}: a {type.Name} answers at {AddressList(type.Addresses)}, not 0x{connection.Address:X2}");
            }

            int blocks = type.AddressCount(properties);
            if (blocks > 1 && (connection.Address % blocks != 0 || !type.Addresses.Contains(connection.Address + blocks - 1)))
            {
                throw new FormatException(
                    $"device {name}: this {type.Name} takes {blocks} consecutive addresses from a base that is a multiple of {blocks}, not 0x{connection.Address:X2}");
            }

            for (int i = 0; i < blocks; i++)
            {
                if (connection.Bus.Targets.ContainsKey(connection.Address + i))
                {
                    throw new FormatException($"device {name}: {connection.Bus.Name} already has a device at 0x{connection.Address + i:X2}");
                }
            }
        }
        else
        {
            if (connection.Pin is null)
            {
                throw new FormatException(connection.Bus is null
                    ? $"device {name}: a {type.Name} sits on a pin; give it one"
                    : $"device {name}: a {type.Name} sits on a pin, not an I2C bus");
            }

            if (connection.Bus is not null)
            {
                throw new FormatException($"device {name}: a {type.Name} sits on a pin, not an I2C bus");
            }
        }
    }

    private static List<(string Quantity, double Value)> InitialQuantities(DeviceType type, DeviceProperties properties)
    {
        var initial = new List<(string, double)>();
        foreach (string property in properties.Names)
        {
            if (type.Options.Contains(property, StringComparer.OrdinalIgnoreCase))
            {
                continue;
            }

            var range = type.Settable.FirstOrDefault(q => string.Equals(q.Name, property, StringComparison.OrdinalIgnoreCase));
            if (range is null)
            {
                string known = string.Join(", ", type.Options.Concat(type.Settable.Select(q => q.Name)));
                throw new FormatException($"device {properties.DeviceName}: unknown property '{property}' (a {type.Name} takes: {(known.Length == 0 ? "none" : known)})");
            }

            double value = properties.Number(property, 0);
            if (!range.Contains(value))
            {
                throw properties.Bad(property, $"within {range.Min:0.###}…{range.Max:0.###}");
            }

            initial.Add((range.Name, value));
        }

        return initial;
    }

    private static void AttachToBus(string name, ISimulatedDevice device, DeviceConnection connection)
    {
        var targets = device switch
        {
            IMultiAddressTarget multi => multi.Targets,
            II2cTarget single => [single],
            _ => throw new InvalidOperationException($"device {name}: {device.Type} is not an I2C target"),
        };
        for (int i = 0; i < targets.Count; i++)
        {
            connection.Bus!.Attach(connection.Address + i, targets[i]);
        }
    }

    private static string AddressList(IReadOnlyList<int> addresses) =>
        addresses.Count > 2 && addresses[^1] - addresses[0] == addresses.Count - 1
            ? $"0x{addresses[0]:X2}–0x{addresses[^1]:X2}"
            : string.Join(" or ", addresses.Select(a => $"0x{a:X2}"));
}
