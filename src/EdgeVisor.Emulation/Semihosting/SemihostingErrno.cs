namespace EdgeVisor.Emulation.Semihosting;

/// <summary>
/// errno values SYS_ERRNO reports. Like qemu-system-arm we pass host (Linux) numbers; below 35
/// they agree with newlib's, which is what the guest's C library interprets them with.
/// </summary>
internal static class SemihostingErrno
{
    public const int None = 0;
    public const int NotPermitted = 1;       // EPERM
    public const int NoSuchFile = 2;         // ENOENT
    public const int IoError = 5;            // EIO
    public const int ArgumentListTooLong = 7; // E2BIG
    public const int BadHandle = 9;          // EBADF
    public const int AccessDenied = 13;      // EACCES
    public const int BadAddress = 14;        // EFAULT
    public const int Exists = 17;            // EEXIST
    public const int IsDirectory = 21;       // EISDIR
    public const int InvalidArgument = 22;   // EINVAL
    public const int TooManyFiles = 24;      // EMFILE
    public const int NotATerminal = 25;      // ENOTTY
    public const int IllegalSeek = 29;       // ESPIPE
    public const int NameTooLong = 36;       // ENAMETOOLONG (Linux)
    public const int NotImplemented = 88;    // ENOSYS as newlib numbers it (the guest reads this one)

    /// <summary>The errno a host I/O exception stands for.</summary>
    public static int FromException(Exception e) => e switch
    {
        FileNotFoundException or DirectoryNotFoundException => NoSuchFile,
        PathTooLongException => NameTooLong,
        UnauthorizedAccessException => AccessDenied,
        // On Unix .NET puts the raw errno into HResult for the I/O errors it has no type for.
        IOException { HResult: > 0 and < 4096 } io => io.HResult,
        ArgumentException => InvalidArgument,
        _ => IoError,
    };
}
