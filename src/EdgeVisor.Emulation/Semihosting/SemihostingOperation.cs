namespace EdgeVisor.Emulation.Semihosting;

/// <summary>Operation numbers of the Arm semihosting interface (the value in R0 / W0).</summary>
public enum SemihostingOperation : uint
{
    Open = 0x01,
    Close = 0x02,
    WriteC = 0x03,
    Write0 = 0x04,
    Write = 0x05,
    Read = 0x06,
    ReadC = 0x07,
    IsError = 0x08,
    IsTty = 0x09,
    Seek = 0x0A,
    FileLength = 0x0C,
    TempName = 0x0D,
    Remove = 0x0E,
    Rename = 0x0F,
    Clock = 0x10,
    Time = 0x11,
    System = 0x12,
    Errno = 0x13,
    GetCommandLine = 0x15,
    HeapInfo = 0x16,
    Exit = 0x18,
    ExitExtended = 0x20,
    Elapsed = 0x30,
    TickFrequency = 0x31,
}
