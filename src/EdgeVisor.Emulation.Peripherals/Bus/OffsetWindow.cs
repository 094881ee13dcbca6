namespace EdgeVisor.Emulation.Peripherals.Bus;

/// <summary>
/// Maps a piece of a device's window at its own place: accesses are passed on with the piece's distance from
/// the device's base added, so a device split around other mappings still sees offsets from its own base.
/// </summary>
public sealed class OffsetWindow(IPeripheral device, uint offsetInDevice) : Memory.IMmioDevice
{
    public uint Read(uint offset, int size) => device.Read(offset + offsetInDevice, size);

    public void Write(uint offset, uint value, int size) => device.Write(offset + offsetInDevice, value, size);
}
