using EdgeVisor.Emulation.Peripherals.I2c;

namespace EdgeVisor.Emulation.Peripherals.Tests.Devices;

/// <summary>Drives an <see cref="I2cBus"/> the way a firmware driver does: register writes, pointer-then-read with a repeated START.</summary>
internal sealed class I2cController(I2cBus bus)
{
    public I2cBus Bus { get; } = bus;

    /// <summary>START, address+W, the bytes, STOP; returns false at the first NACK (after sending STOP).</summary>
    public bool Write(int address, params byte[] bytes)
    {
        bool ok = Bus.Start(address, read: false) && bytes.All(Bus.Write);
        Bus.Stop();
        return ok;
    }

    /// <summary>START, address+R, <paramref name="count"/> bytes (ACK all but the last), STOP.</summary>
    public byte[] Read(int address, int count)
    {
        Assert.True(Bus.Start(address, read: true), $"0x{address:X2} did not acknowledge a read");
        byte[] data = ReadBytes(count);
        Bus.Stop();
        return data;
    }

    /// <summary>START, address+W, the register pointer, repeated START, address+R, <paramref name="count"/> bytes, STOP.</summary>
    public byte[] ReadRegisters(int address, byte register, int count)
    {
        Assert.True(Bus.Start(address, read: false), $"0x{address:X2} did not acknowledge");
        Assert.True(Bus.Write(register));
        Assert.True(Bus.Start(address, read: true));
        byte[] data = ReadBytes(count);
        Bus.Stop();
        return data;
    }

    public byte ReadRegister(int address, byte register) => ReadRegisters(address, register, 1)[0];

    private byte[] ReadBytes(int count)
    {
        byte[] data = new byte[count];
        for (int i = 0; i < count; i++)
        {
            data[i] = Bus.Read(ack: i < count - 1);
        }

        return data;
    }
}
