using EdgeVisor.Emulation.Peripherals.Devices;
using EdgeVisor.Emulation.Peripherals.Gpio;
using EdgeVisor.Emulation.Peripherals.I2c;
using EdgeVisor.Hardware;

namespace EdgeVisor.Emulation.Machines.Wiring;

/// <summary>A simulated device with its board connection resolved (the bus address is the part's default if the file named none).</summary>
public sealed record PlannedDevice(WiredDevice Entry, DeviceSpec Spec, GpioPin? Pin, I2cBus? Bus, int Address, IReadOnlyList<int> Addresses);

/// <summary>A guest pin that goes to a host line.</summary>
public sealed record PlannedHostPin(HostGpioMapping Entry, GpioPin Guest, HostPin Host);

/// <summary>A guest bus address that goes to a host I2C device.</summary>
public sealed record PlannedHostI2c(HostI2cMapping Entry, I2cBus Guest);

/// <summary>
/// A wiring checked against a board: every device and mapping resolved to the machine's pins and buses, with one
/// owner per pin and per bus address. Building it creates and claims nothing.
/// </summary>
public sealed record WiringPlan(
    IReadOnlyList<PlannedDevice> Devices,
    IReadOnlyList<PlannedHostPin> HostPins,
    IReadOnlyList<PlannedHostI2c> HostI2c,
    string? HostBackend,
    IReadOnlyList<string> Notes);
