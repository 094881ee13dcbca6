namespace EdgeVisor.Hardware.Simulated;

/// <summary>
/// In-memory host I2C buses: devices (<see cref="SimulatedRegisterDevice"/> or any <see cref="ISimulatedHostI2cDevice"/>)
/// attached at addresses. Like Linux i2c-dev, opening an address always works; a transfer to an address with no
/// device fails as a NACK would.
/// </summary>
public sealed class SimulatedHostI2c : IHostI2c
{
    private readonly HashSet<int> _buses;
    private readonly Dictionary<(int Bus, int Address), ISimulatedHostI2cDevice> _devices = [];
    private readonly Lock _lock = new();

    /// <param name="buses">The buses the host has (default: bus 1, the Raspberry Pi header's).</param>
    public SimulatedHostI2c(params int[] buses)
    {
        _buses = buses.Length == 0 ? [1] : [.. buses];
    }

    public bool BusExists(int bus) => _buses.Contains(bus);

    /// <summary>Puts <paramref name="device"/> on <paramref name="bus"/> at 7-bit <paramref name="address"/>.</summary>
    public T Attach<T>(int bus, int address, T device)
        where T : ISimulatedHostI2cDevice
    {
        if (!BusExists(bus))
        {
            throw new HostHardwareException($"i2c-{bus} does not exist on the simulated host");
        }

        lock (_lock)
        {
            _devices[(bus, address)] = device;
        }

        return device;
    }

    public IHostI2cDevice Open(int bus, int address)
    {
        if (!BusExists(bus))
        {
            throw new HostHardwareException($"i2c-{bus}: this host has no such I2C bus");
        }

        return new Handle(this, bus, address);
    }

    private ISimulatedHostI2cDevice Device(int bus, int address, string what)
    {
        lock (_lock)
        {
            return _devices.GetValueOrDefault((bus, address))
                ?? throw new HostHardwareException($"i2c-{bus} address 0x{address:X2}: {what} failed: no device acknowledged the address");
        }
    }

    private sealed class Handle(SimulatedHostI2c host, int bus, int address) : IHostI2cDevice
    {
        private bool _disposed;

        public int Bus => bus;

        public int Address => address;

        public void Write(ReadOnlySpan<byte> data)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            host.Device(bus, address, "write").Write(data);
        }

        public void Read(Span<byte> buffer)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            host.Device(bus, address, "read").Read(buffer);
        }

        public void WriteRead(ReadOnlySpan<byte> write, Span<byte> read)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            host.Device(bus, address, "write-read").WriteRead(write, read);
        }

        public void Dispose() => _disposed = true;
    }
}
