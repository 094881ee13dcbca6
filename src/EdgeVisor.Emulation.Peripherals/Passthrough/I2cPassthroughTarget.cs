using EdgeVisor.Emulation.Peripherals.I2c;
using EdgeVisor.Hardware;

namespace EdgeVisor.Emulation.Peripherals.Passthrough;

/// <summary>
/// A guest I2C address answered by a host device. The guest's byte-at-a-time transfers become the host API's
/// whole transactions: written bytes are buffered and sent at STOP or at a repeated START; a read after a write
/// joined by a repeated START becomes one combined <see cref="IHostI2cDevice.WriteRead"/> (how sensors' register
/// reads work); a read transfer reads <see cref="ReadAheadLength"/> bytes from the host when it starts and serves
/// the guest's byte reads from them, reading another chunk if the guest reads on past it.
/// Consequences: a write's data bytes are acknowledged before the host has seen them (a failure at STOP is logged
/// and counted, and cannot be a data NACK any more); a read pulls up to <see cref="ReadAheadLength"/> bytes from
/// the device even if the guest then reads fewer, which for FIFO-type devices (a byte read is a byte consumed,
/// e.g. a sensor FIFO or a UART bridge) throws away the unread rest: set <see cref="ReadAheadLength"/> to the
/// transfer length the firmware uses for such devices. Host I/O errors during a read start make the address NACK;
/// they are logged (<see cref="Log"/>) and counted (<see cref="Errors"/>), never thrown into the core.
/// </summary>
public sealed class I2cPassthroughTarget : II2cTarget, IDisposable
{
    /// <summary>The default read-ahead: enough for every register block of common sensors (BME280 calibration is 26).</summary>
    public const int DefaultReadAheadLength = 32;

    /// <summary>The longest write transfer buffered; longer ones are NACKed from this byte on.</summary>
    public const int MaxWriteLength = 4096;

    private readonly IHostI2cDevice _device;
    private readonly byte[] _write = new byte[MaxWriteLength];
    private byte[] _read = new byte[DefaultReadAheadLength];
    private int _writeLength;
    private bool _writePending;
    private int _readPosition;
    private int _readLength;
    private int _readAhead = DefaultReadAheadLength;

    public I2cPassthroughTarget(IHostI2cDevice device)
    {
        _device = device;
    }

    /// <summary>The host device.</summary>
    public IHostI2cDevice Device => _device;

    /// <summary>Bytes read from the host per read transfer (1-4096; default <see cref="DefaultReadAheadLength"/>).</summary>
    public int ReadAheadLength
    {
        get => _readAhead;
        set
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, 1);
            ArgumentOutOfRangeException.ThrowIfGreaterThan(value, MaxWriteLength);
            _readAhead = value;
            _read = new byte[value];
        }
    }

    /// <summary>Host I/O errors so far.</summary>
    public long Errors { get; private set; }

    /// <summary>Receives one line per host I/O error ("i2c-1 address 0x48: read of 32 bytes failed: …").</summary>
    public Action<string>? Log { get; set; }

    public bool Start(bool read)
    {
        if (!read)
        {
            // A repeated START after a write ends that write: send it before the next transfer begins.
            FlushWrite();
            _writePending = true;
            _writeLength = 0;
            return true;
        }

        bool combined = _writePending;
        _writePending = false;
        _readPosition = 0;
        _readLength = 0;
        try
        {
            if (combined)
            {
                _device.WriteRead(_write.AsSpan(0, _writeLength), _read);
            }
            else
            {
                _device.Read(_read);
            }

            _readLength = _read.Length;
            return true;
        }
        catch (Exception e) when (e is HostHardwareException or IOException or ObjectDisposedException)
        {
            Report(e);
            return false;
        }
    }

    public bool Write(byte value)
    {
        if (!_writePending || _writeLength == _write.Length)
        {
            return false;
        }

        _write[_writeLength++] = value;
        return true;
    }

    public byte Read(bool ack)
    {
        if (_readPosition == _readLength && !ReadMore())
        {
            return 0xFF;
        }

        return _read[_readPosition++];
    }

    public void Stop()
    {
        FlushWrite();
        _readPosition = 0;
        _readLength = 0;
    }

    /// <summary>Closes the host device.</summary>
    public void Dispose() => _device.Dispose();

    // The guest reads past the read-ahead: fetch the next chunk as a new read (register devices continue at the
    // auto-incremented pointer, which is what the guest expects).
    private bool ReadMore()
    {
        try
        {
            _device.Read(_read);
            _readPosition = 0;
            _readLength = _read.Length;
            return true;
        }
        catch (Exception e) when (e is HostHardwareException or IOException or ObjectDisposedException)
        {
            Report(e);
            return false;
        }
    }

    private void FlushWrite()
    {
        if (!_writePending)
        {
            return;
        }

        _writePending = false;
        try
        {
            _device.Write(_write.AsSpan(0, _writeLength));
        }
        catch (Exception e) when (e is HostHardwareException or IOException or ObjectDisposedException)
        {
            Report(e);
        }
    }

    private void Report(Exception e)
    {
        Errors++;
        Log?.Invoke(e is HostHardwareException ? e.Message : $"i2c-{_device.Bus} address 0x{_device.Address:X2}: {e.Message}");
    }
}
