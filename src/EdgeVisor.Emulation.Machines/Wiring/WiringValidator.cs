using EdgeVisor.Emulation.Peripherals.Devices;
using EdgeVisor.Emulation.Peripherals.Gpio;
using EdgeVisor.Emulation.Peripherals.I2c;
using EdgeVisor.Emulation.Time;
using EdgeVisor.Hardware;

namespace EdgeVisor.Emulation.Machines.Wiring;

/// <summary>
/// Checks a wiring against a machine before anything is created or claimed: the board has the pins and buses it
/// names (errors list what the board has), device names are unique and usable in stimulus scripts, each device's
/// type and properties are ones the part has (checked by building it on a scratch bus and pin that belong to no
/// machine), and each guest pin and bus address has one owner. The board's own devices (its "devices" section)
/// come first; a wiring entry with the same name replaces one, and a wiring entry on the same pin or address
/// displaces it (with a note), so a user can put something else where the board has an LED or a button.
/// </summary>
public static class WiringValidator
{
    /// <summary>Resolves and checks <paramref name="wiring"/> on <paramref name="machine"/>; throws <see cref="WiringException"/> for the first problem.</summary>
    public static WiringPlan Validate(Machine machine, WiringDocument wiring)
    {
        var notes = new List<string>();
        var devices = EffectiveDevices(machine, wiring, notes);
        var pinOwners = new Dictionary<GpioPin, string>();
        var addressOwners = new Dictionary<(I2cBus, int), string>();
        var names = new Dictionary<string, WiredDevice>(StringComparer.Ordinal);

        var planned = new List<PlannedDevice>();
        foreach (var entry in devices)
        {
            CheckName(entry, names);
            var device = PlanDevice(machine, entry);
            if (device.Pin is { } pin)
            {
                Claim(pinOwners, pin, entry.At("pin"), Owner(entry), pin.Name);
            }

            foreach (int address in device.Addresses)
            {
                Claim(addressOwners, (device.Bus!, address), entry.At(entry.Address is null ? "bus" : "address"), Owner(entry), $"{device.Bus!.Name} address 0x{address:X2}");
            }

            planned.Add(device);
        }

        var hostPins = new List<PlannedHostPin>();
        var hostI2c = new List<PlannedHostI2c>();
        if (wiring.Host is { } host)
        {
            foreach (var mapping in host.Gpio)
            {
                var guest = ResolvePin(machine, mapping.Pin, mapping.At("pin"));
                Claim(pinOwners, guest, mapping.At("pin"), $"host line gpiochip{mapping.Chip}:{mapping.Line} ({mapping.Path})", guest.Name);
                hostPins.Add(new PlannedHostPin(mapping, guest, new HostPin(mapping.Chip, mapping.Line)));
            }

            foreach (var mapping in host.I2c)
            {
                var bus = ResolveBus(machine, mapping.Bus, mapping.At("bus"));
                Claim(addressOwners, (bus, mapping.Address), mapping.At("address"), $"host i2c-{mapping.HostBus} ({mapping.Path})", $"{bus.Name} address 0x{mapping.Address:X2}");
                hostI2c.Add(new PlannedHostI2c(mapping, bus));
            }
        }

        return new WiringPlan(planned, hostPins, hostI2c, wiring.Host?.Backend, notes);
    }

    /// <summary>The board's devices (unless the wiring turns them off), minus those the wiring replaces or displaces, then the wiring's.</summary>
    private static List<WiredDevice> EffectiveDevices(Machine machine, WiringDocument wiring, List<string> notes)
    {
        var result = new List<WiredDevice>();
        if (wiring.BoardDevices && machine.Board.Devices.Count > 0)
        {
            var origin = new WiringOrigin($"board {machine.Board.Name}", JsonLineMap.Empty);
            var userNames = wiring.Devices.Select(d => d.Name).ToHashSet(StringComparer.Ordinal);
            var userPins = wiring.Devices.Select(d => d.Pin).Concat(wiring.Host?.Gpio.Select(g => g.Pin) ?? [])
                .OfType<string>().ToHashSet(StringComparer.OrdinalIgnoreCase);
            var userAddresses = wiring.Devices.Where(d => d.Bus is not null && d.Address is not null).Select(d => Key(d.Bus!, d.Address!.Value))
                .Concat(wiring.Host?.I2c.Select(i => Key(i.Bus, i.Address)) ?? []).ToHashSet(StringComparer.OrdinalIgnoreCase);
            foreach (var board in WiringFile.ParseDevices(machine.Board.Devices, origin, "devices"))
            {
                if (userNames.Contains(board.Name))
                {
                    continue; // replaced by the wiring's device of the same name
                }

                if (board.Pin is not null && userPins.Contains(board.Pin))
                {
                    notes.Add($"the board's {board.Name} ({board.Type} on {board.Pin}) is left out: {wiring.Origin.Source} wires {board.Pin}");
                    continue;
                }

                if (board.Bus is not null && board.Address is { } address && userAddresses.Contains(Key(board.Bus, address)))
                {
                    notes.Add($"the board's {board.Name} ({board.Type} at {board.Bus} 0x{address:X2}) is left out: {wiring.Origin.Source} uses that address");
                    continue;
                }

                result.Add(board);
            }
        }

        result.AddRange(wiring.Devices);
        return result;

        static string Key(string bus, int address) => $"{bus}@{address}";
    }

    private static void CheckName(WiredDevice entry, Dictionary<string, WiredDevice> names)
    {
        string name = entry.Name;
        bool usable = (char.IsAsciiLetter(name[0]) || name[0] == '_') && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-');
        if (!usable)
        {
            throw new WiringException(entry.At("name"), $"\"{name}\" is not a device name (letters, digits, '_' and '-', starting with a letter; stimulus scripts and traces use it)");
        }

        if (!names.TryAdd(name, entry))
        {
            throw new WiringException(entry.At("name"), $"a device named {name} is already wired ({names[name].At()})");
        }
    }

    private static PlannedDevice PlanDevice(Machine machine, WiredDevice entry)
    {
        if (!SimulatedDeviceCatalog.Types.Contains(entry.Type, StringComparer.OrdinalIgnoreCase))
        {
            throw new WiringException(entry.At("type"), $"device {entry.Name}: unknown type \"{entry.Type}\" (types: {string.Join(", ", SimulatedDeviceCatalog.Types.Order(StringComparer.Ordinal))})");
        }

        GpioPin? pin = entry.Pin is null ? null : ResolvePin(machine, entry.Pin, entry.At("pin"));
        I2cBus? bus = entry.Bus is null ? null : ResolveBus(machine, entry.Bus, entry.At("bus"));
        int address = entry.Address ?? SimulatedDeviceCatalog.DefaultAddress(entry.Type) ?? 0;
        var spec = new DeviceSpec(entry.Name, entry.Type, entry.Properties);

        // Build the part once on a scratch bus and pin: the catalog checks connection and properties exactly as it
        // will for the real one, and the scratch bus shows which addresses it takes, without touching the machine.
        var scratchClock = new VirtualClock(machine.Clock.FrequencyHz);
        var scratchBus = bus is null ? null : new I2cBus(bus.Name, () => 0);
        var scratchPin = pin is null ? null : new GpioPin(pin.Name, pin.Index, () => 0);
        try
        {
            var scratch = SimulatedDeviceCatalog.Create(spec, new DeviceConnection(scratchBus, address, scratchPin), scratchClock);
            (scratch as IDisposable)?.Dispose();
        }
        catch (FormatException e)
        {
            throw new WiringException(entry.At(), e.Message);
        }
        catch (ArgumentException e)
        {
            throw new WiringException(entry.At(), $"device {entry.Name}: {e.Message}");
        }

        IReadOnlyList<int> addresses = scratchBus is null ? [] : [.. scratchBus.Targets.Keys.Order()];
        return new PlannedDevice(entry, spec, pin, bus, address, addresses);
    }

    /// <summary>"gpiod.12" → the pin; errors list the board's ports or the port's pins.</summary>
    public static GpioPin ResolvePin(Machine machine, string name, SourceLocation where)
    {
        var ports = machine.Peripherals.Values.OfType<IGpioPort>().ToList();
        if (FindByPinName(ports, name) is { } named)
        {
            return named; // "fpgaio.led0": a pin's own name
        }

        int dot = name.LastIndexOf('.');
        if (dot <= 0 || !int.TryParse(name.AsSpan(dot + 1), out int index))
        {
            throw new WiringException(where, $"\"{name}\" is not a pin (write PORT.INDEX such as {(ports.Count > 0 ? ports[0].Name : "gpio0")}.3)");
        }

        string portName = name[..dot];
        var port = ports.FirstOrDefault(p => string.Equals(p.Name, portName, StringComparison.OrdinalIgnoreCase))
            ?? throw new WiringException(where, $"board {machine.Board.Name} has no port {portName} (ports: {NameList.Describe(ports.Select(p => p.Name))})");
        if (index < 0 || index >= port.Pins.Count)
        {
            throw new WiringException(where, $"{port.Name} has pins 0-{port.Pins.Count - 1}, not {index}");
        }

        return port.Pins[index];
    }

    /// <summary>The pin whose own name is <paramref name="name"/> ("fpgaio.led0", "gpiod.12"), if any.</summary>
    public static GpioPin? FindByPinName(IEnumerable<IGpioPort> ports, string name) =>
        ports.SelectMany(p => p.Pins).FirstOrDefault(p => string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase));

    /// <summary>"i2c1" → that controller's bus; errors list the board's buses.</summary>
    public static I2cBus ResolveBus(Machine machine, string name, SourceLocation where)
    {
        var controllers = machine.Peripherals.Values.OfType<II2cController>().ToList();
        var controller = controllers.FirstOrDefault(c => string.Equals(c.Name, name, StringComparison.OrdinalIgnoreCase));
        if (controller is null)
        {
            throw new WiringException(where, controllers.Count == 0
                ? $"board {machine.Board.Name} has no I2C bus"
                : $"board {machine.Board.Name} has no I2C bus {name} (buses: {NameList.Describe(controllers.Select(c => c.Name))})");
        }

        return controller.Bus;
    }

    private static void Claim<TKey>(Dictionary<TKey, string> owners, TKey key, SourceLocation where, string owner, string what)
        where TKey : notnull
    {
        if (!owners.TryAdd(key, owner))
        {
            throw new WiringException(where, $"{what} is already wired to {owners[key]} (one owner per pin and per bus address)");
        }
    }

    private static string Owner(WiredDevice entry) => $"{entry.Name} ({entry.At()})";
}
