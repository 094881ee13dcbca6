using System.Device.I2c;

namespace EdgeVisor.Hardware.I2c;

/// <summary>One <see cref="I2cDevice"/>; its exceptions (NACK, timeout, bus error) become <see cref="HostHardwareException"/>s.</summary>
internal sealed class SystemDeviceHostI2cDevice : IHostI2cDevice
{
    private readonly I2cDevice _device;
    private readonly Lock _lock = new();
    private bool _disposed;

    public SystemDeviceHostI2cDevice(I2cDevice device, int bus, int address)
    {
        _device = device;
        Bus = bus;
        Address = address;
    }

    public int Bus { get; }

    public int Address { get; }

    public void Write(ReadOnlySpan<byte> data)
    {
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            try
            {
                _device.Write(data);
            }
            catch (Exception e)
            {
                throw Failure("write", data.Length, e);
            }
        }
    }

    public void Read(Span<byte> buffer)
    {
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            try
            {
                _device.Read(buffer);
            }
            catch (Exception e)
            {
                throw Failure("read", buffer.Length, e);
            }
        }
    }

    public void WriteRead(ReadOnlySpan<byte> write, Span<byte> read)
    {
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            try
            {
                _device.WriteRead(write, read);
            }
            catch (Exception e)
            {
                throw Failure("write-read", write.Length + read.Length, e);
            }
        }
    }

    public void Dispose()
    {
        lock (_lock)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            try
            {
                _device.Dispose();
            }
            catch (Exception)
            {
                // Shutdown path: the file descriptor is closed by the process exit at the latest.
            }
        }
    }

    private HostHardwareException Failure(string what, int length, Exception e) =>
        new($"i2c-{Bus} address 0x{Address:X2}: {what} of {length} bytes failed: {e.Message}", e);
}
