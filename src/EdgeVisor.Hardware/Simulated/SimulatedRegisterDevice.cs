namespace EdgeVisor.Hardware.Simulated;

/// <summary>
/// The common I2C register-file device: the first byte of a write sets the register pointer, further bytes are
/// stored from there, reads return registers from the pointer; the pointer advances after each byte and wraps
/// at 256. Records every transaction (<see cref="Transactions"/>) and can be told to fail (<see cref="Failing"/>).
/// </summary>
public sealed class SimulatedRegisterDevice : ISimulatedHostI2cDevice
{
    private readonly byte[] _registers = new byte[256];
    private readonly List<SimulatedI2cTransaction> _transactions = [];
    private readonly Lock _lock = new();
    private byte _pointer;

    /// <summary>The register file (tests set and check values here).</summary>
    public Span<byte> Registers => _registers;

    /// <summary>While true every transaction fails as if the device stopped answering.</summary>
    public bool Failing { get; set; }

    /// <summary>Every transaction so far, in order.</summary>
    public IReadOnlyList<SimulatedI2cTransaction> Transactions
    {
        get
        {
            lock (_lock)
            {
                return [.. _transactions];
            }
        }
    }

    public void Write(ReadOnlySpan<byte> data)
    {
        lock (_lock)
        {
            Fail("write");
            _transactions.Add(new SimulatedI2cTransaction(data.ToArray(), 0));
            Store(data);
        }
    }

    public void Read(Span<byte> buffer)
    {
        lock (_lock)
        {
            Fail("read");
            _transactions.Add(new SimulatedI2cTransaction([], buffer.Length));
            Load(buffer);
        }
    }

    public void WriteRead(ReadOnlySpan<byte> write, Span<byte> read)
    {
        lock (_lock)
        {
            Fail("write-read");
            _transactions.Add(new SimulatedI2cTransaction(write.ToArray(), read.Length));
            Store(write);
            Load(read);
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
            _registers[_pointer++] = value;
        }
    }

    private void Load(Span<byte> buffer)
    {
        for (int i = 0; i < buffer.Length; i++)
        {
            buffer[i] = _registers[_pointer++];
        }
    }

    private void Fail(string what)
    {
        if (Failing)
        {
            throw new HostHardwareException($"simulated device: {what} failed: the device did not acknowledge (remote I/O error)");
        }
    }
}

/// <summary>One transaction a simulated device saw: the bytes written, then how many were read (both may be empty).</summary>
public sealed record SimulatedI2cTransaction(byte[] Written, int ReadLength);
