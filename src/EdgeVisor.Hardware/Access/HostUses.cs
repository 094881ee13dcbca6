namespace EdgeVisor.Hardware;

/// <summary>A request to use a host line: <paramref name="Owner"/> says who asks and where ("wiring.json: gpiod.12").</summary>
public sealed record HostPinUse(HostPin Pin, string Owner);

/// <summary>A request to use a host I2C device: bus, 7-bit address, and who asks ("wiring.json: i2c1@0x48").</summary>
public sealed record HostI2cUse(int Bus, int Address, string Owner);
