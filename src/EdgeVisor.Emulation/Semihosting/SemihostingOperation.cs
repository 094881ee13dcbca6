namespace EdgeVisor.Emulation.Semihosting;

/// <summary>Operation numbers of the Arm semihosting interface (the value in R0 / W0).</summary>
public enum SemihostingOperation : uint
{
    /// <summary>SYS_OPEN: open a host file, ":tt" or ":semihosting-features".</summary>
    Open = 0x01,

    /// <summary>SYS_CLOSE: close a handle.</summary>
    Close = 0x02,

    /// <summary>SYS_WRITEC: one character to the debug console.</summary>
    WriteC = 0x03,

    /// <summary>SYS_WRITE0: a NUL-terminated string to the debug console.</summary>
    Write0 = 0x04,

    /// <summary>SYS_WRITE: bytes to a handle; returns the count not written.</summary>
    Write = 0x05,

    /// <summary>SYS_READ: bytes from a handle; returns the count not read.</summary>
    Read = 0x06,

    /// <summary>SYS_READC: one byte from the console input.</summary>
    ReadC = 0x07,

    /// <summary>SYS_ISERROR: whether a status value is an error.</summary>
    IsError = 0x08,

    /// <summary>SYS_ISTTY: whether a handle is interactive.</summary>
    IsTty = 0x09,

    /// <summary>SYS_SEEK: move to an absolute position.</summary>
    Seek = 0x0A,

    /// <summary>SYS_FLEN: length of a file (newlib's fstat).</summary>
    FileLength = 0x0C,

    /// <summary>SYS_TMPNAM: a temporary file name.</summary>
    TempName = 0x0D,

    /// <summary>SYS_REMOVE: delete a host file.</summary>
    Remove = 0x0E,

    /// <summary>SYS_RENAME: rename a host file.</summary>
    Rename = 0x0F,

    /// <summary>SYS_CLOCK: centiseconds since start (virtual time here).</summary>
    Clock = 0x10,

    /// <summary>SYS_TIME: host seconds since 1970.</summary>
    Time = 0x11,

    /// <summary>SYS_SYSTEM: run a host command (always refused).</summary>
    System = 0x12,

    /// <summary>SYS_ERRNO: errno of the last failing call.</summary>
    Errno = 0x13,

    /// <summary>SYS_GET_CMDLINE: the program's command line.</summary>
    GetCommandLine = 0x15,

    /// <summary>SYS_HEAPINFO: heap and stack placement.</summary>
    HeapInfo = 0x16,

    /// <summary>SYS_EXIT (angel_SWIreason_ReportException): stop with a reason code.</summary>
    Exit = 0x18,

    /// <summary>SYS_EXIT_EXTENDED: stop with a reason code and an exit status.</summary>
    ExitExtended = 0x20,

    /// <summary>SYS_ELAPSED: 64-bit tick count since start.</summary>
    Elapsed = 0x30,

    /// <summary>SYS_TICKFREQ: ticks per second of SYS_ELAPSED.</summary>
    TickFrequency = 0x31,
}
