namespace EdgeVisor.Emulation.Semihosting.Files;

/// <summary>A semihosting call that fails with a specific errno (bad handle, not seekable, ...).</summary>
internal sealed class SemihostingErrorException(int errno) : Exception($"semihosting error {errno}")
{
    public int Errno { get; } = errno;
}
