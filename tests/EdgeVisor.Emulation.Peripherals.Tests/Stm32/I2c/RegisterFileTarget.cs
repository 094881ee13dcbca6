using EdgeVisor.Emulation.Peripherals.I2c;

namespace EdgeVisor.Emulation.Peripherals.Tests.Stm32.I2c;

/// <summary>
/// A test double for an I2C register-file device (the shape of most sensors and small EEPROMs): the first byte of
/// a write transfer sets the register pointer, further bytes store and advance it, reads return and advance it.
/// It can NACK a chosen data byte, and logs every call it gets.
/// </summary>
internal sealed class RegisterFileTarget : II2cTarget
{
    private byte _pointer;
    private bool _expectPointer;
    private int _bytesWritten;

    public byte[] Memory { get; } = new byte[256];

    /// <summary>1-based index of the data byte (after the pointer) this target NACKs; 0: never.</summary>
    public int NackDataByte { get; set; }

    public List<string> Log { get; } = [];

    public bool Start(bool read)
    {
        Log.Add(read ? "S R" : "S W");
        _expectPointer = !read;
        _bytesWritten = 0;
        return true;
    }

    public bool Write(byte value)
    {
        Log.Add($"W {value:X2}");
        if (_expectPointer)
        {
            _pointer = value;
            _expectPointer = false;
            return true;
        }

        if (++_bytesWritten == NackDataByte)
        {
            return false;
        }

        Memory[_pointer++] = value;
        return true;
    }

    public byte Read(bool ack)
    {
        byte value = Memory[_pointer++];
        Log.Add($"R {value:X2} {(ack ? "ack" : "nack")}");
        return value;
    }

    public void Stop() => Log.Add("P");
}
