namespace EdgeVisor.Emulation.Peripherals.Devices;

/// <summary>
/// A device's table of named quantities with their getters, setters (null for read-only ones) and valid ranges,
/// so every device answers a bad name or value with the same clear message.
/// </summary>
/// <remarks>Messages are one line (no parameter name appended): stimulus scripts and the CLI show them as they are.</remarks>
internal sealed class DeviceQuantities(string deviceName)
{
    private readonly Dictionary<string, Quantity> _quantities = new(StringComparer.OrdinalIgnoreCase);
    private readonly List<string> _names = [];

    /// <summary>The quantity names in declaration order.</summary>
    public IReadOnlyCollection<string> Names => _names;

    /// <summary>Adds a quantity; <paramref name="set"/> null makes it read-only.</summary>
    public DeviceQuantities Add(string name, Func<double> get, Action<double>? set = null, double min = double.MinValue, double max = double.MaxValue)
    {
        _quantities.Add(name, new Quantity(get, set, min, max));
        _names.Add(name);
        return this;
    }

    /// <summary>True if <paramref name="name"/> is a quantity that can be set.</summary>
    public bool IsSettable(string name) => _quantities.TryGetValue(name, out var q) && q.Set is not null;

    public double Get(string name) => Find(name).Get();

    public void Set(string name, double value)
    {
        var quantity = Find(name);
        if (quantity.Set is null)
        {
            throw new ArgumentException($"device {deviceName}: '{name}' is read-only (it has: {Listing})");
        }

        if (double.IsNaN(value) || value < quantity.Min || value > quantity.Max)
        {
            throw new ArgumentOutOfRangeException(null, $"device {deviceName}: {name} must be within {quantity.Min:0.###}…{quantity.Max:0.###}, not {value:0.###}");
        }

        quantity.Set(value);
    }

    private string Listing => _names.Count == 0 ? "none" : string.Join(", ", _names);

    private Quantity Find(string name) =>
        _quantities.TryGetValue(name, out var quantity)
            ? quantity
            : throw new ArgumentException($"device {deviceName}: no quantity '{name}' (it has: {Listing})");

    private sealed record Quantity(Func<double> Get, Action<double>? Set, double Min, double Max);
}
