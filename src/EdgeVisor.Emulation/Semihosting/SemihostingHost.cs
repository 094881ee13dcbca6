namespace EdgeVisor.Emulation.Semihosting;

/// <summary>Placeholder replaced by the semihosting implementation (see issue 2).</summary>
public sealed class SemihostingHost
{
}
