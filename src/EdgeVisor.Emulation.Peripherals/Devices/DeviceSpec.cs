using System.Text.Json;

namespace EdgeVisor.Emulation.Peripherals.Devices;

/// <summary>
/// What a wiring file says about one simulated device: its name, its catalog type and its properties (model
/// options such as "activeLow", and initial quantities such as "temperature": 21.5).
/// </summary>
public sealed record DeviceSpec(string Name, string Type, IReadOnlyDictionary<string, JsonElement> Properties)
{
    /// <summary>A spec without properties.</summary>
    public DeviceSpec(string name, string type)
        : this(name, type, new Dictionary<string, JsonElement>())
    {
    }
}
