namespace EdgeVisor.Emulation.Peripherals.Devices;

/// <summary>A settable quantity and the values the real part can sense; the catalog checks initial values against it.</summary>
internal sealed record QuantityRange(string Name, double Min, double Max)
{
    public bool Contains(double value) => !double.IsNaN(value) && value >= Min && value <= Max;
}
