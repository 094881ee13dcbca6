using EdgeVisor.Emulation.Peripherals.Bus;

namespace EdgeVisor.Emulation.Peripherals.Catalog;

/// <summary>Models every board can use for its address map: RAZ/WI windows and the bit-band alias.</summary>
internal static class BusModels
{
    public static IEnumerable<KeyValuePair<string, PeripheralModel>> Entries => new Dictionary<string, PeripheralModel>
    {
        ["unimplemented"] = new(
            "reads as zero, ignores writes (QEMU's unimplemented-device)",
            [],
            (d, _, _) => new UnimplementedDevice(d.Name, new PropertyReader(d).NumberMap("values"))),
        ["bitband"] = new(
            "Cortex-M3/M4 bit-band alias",
            [],
            (d, c, _) => new BitBandAlias(
                d.Name,
                c.Bus ?? throw new InvalidOperationException($"peripheral {d.Name}: the bit-band alias needs the address space"),
                new PropertyReader(d).Number("target", 0))),
    };
}
