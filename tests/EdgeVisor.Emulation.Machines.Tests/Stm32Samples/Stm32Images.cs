using System.Text.Json;
using EdgeVisor.Emulation.Machines.Testing;
using EdgeVisor.Emulation.Peripherals.Devices;
using EdgeVisor.Emulation.Peripherals.I2c;

namespace EdgeVisor.Emulation.Machines.Tests.Stm32Samples;

/// <summary>The committed stm32f4-discovery sample images and their wiring/stimulus files (firmware-images/stm32f4-discovery/).</summary>
internal static class Stm32Images
{
    public const string Board = "stm32f4-discovery";

    /// <summary>Cycles per millisecond: the board's core runs at a fixed 168 MHz.</summary>
    public const ulong CyclesPerMillisecond = 168_000;

    public static string Path(string image) => System.IO.Path.Combine(FirmwareImages.Root, Board, image + ".elf");

    public static string File(string name) => System.IO.Path.Combine(FirmwareImages.Root, Board, name);

    /// <summary>Puts a simulated device on I2C1 before the firmware runs, as a wiring file would (properties are initial quantities).</summary>
    public static ISimulatedDevice AttachToI2c1(FirmwareSession session, string name, string type, int address, params (string Name, double Value)[] properties)
    {
        var bus = ((II2cController)session.Machine.Peripherals["i2c1"]).Bus;
        var values = properties.ToDictionary(p => p.Name, p => JsonSerializer.SerializeToElement(p.Value));
        return SimulatedDeviceCatalog.Create(new DeviceSpec(name, type, values), DeviceConnection.OnBus(bus, address), session.Machine.Clock);
    }
}
