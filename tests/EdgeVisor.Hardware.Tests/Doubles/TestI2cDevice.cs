using System.Device.I2c;

namespace EdgeVisor.Hardware.Tests.Doubles;

/// <summary>
/// An <see cref="I2cDevice"/> for tests: a 256-byte register file with an auto-incrementing pointer (first written
/// byte), a log of every call ("W 01 60", "R 2", "WR 00 / 2"), and failure injection that throws the
/// IOException Linux i2c-dev gives for a NACK (ENXIO / EREMOTEIO).
/// </summary>
internal sealed class TestI2cDevice(I2cConnectionSettings settings) : I2cDevice
{
    private readonly List<string> _log = [];
    private byte _pointer;

    public byte[] Registers { get; } = new byte[256];

    public bool Failing { get; set; }

    public bool Disposed { get; private set; }

    public IReadOnlyList<string> Log => _log;

    public override I2cConnectionSettings ConnectionSettings => settings;

    public override void Read(Span<byte> buffer)
    {
        _log.Add($"R {buffer.Length}");
        Fail();
        Load(buffer);
    }

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        _log.Add($"W {Hex(buffer)}");
        Fail();
        Store(buffer);
    }

    public override void WriteRead(ReadOnlySpan<byte> writeBuffer, Span<byte> readBuffer)
    {
        _log.Add($"WR {Hex(writeBuffer)} / {readBuffer.Length}");
        Fail();
        Store(writeBuffer);
        Load(readBuffer);
    }

    protected override void Dispose(bool disposing)
    {
        Disposed = true;
        base.Dispose(disposing);
    }

    private static string Hex(ReadOnlySpan<byte> bytes) => Convert.ToHexString(bytes).ToLowerInvariant() is { Length: > 0 } hex
        ? string.Join(' ', Enumerable.Range(0, hex.Length / 2).Select(i => hex.Substring(i * 2, 2)))
        : "-";

    private void Fail()
    {
        if (Failing)
        {
            throw new IOException("Error 121 performing I2C data transfer.");
        }
    }

    private void Store(ReadOnlySpan<byte> data)
    {
        if (data.IsEmpty)
        {
            return;
        }

        _pointer = data[0];
        foreach (byte value in data[1..])
        {
            Registers[_pointer++] = value;
        }
    }

    private void Load(Span<byte> buffer)
    {
        for (int i = 0; i < buffer.Length; i++)
        {
            buffer[i] = Registers[_pointer++];
        }
    }
}
