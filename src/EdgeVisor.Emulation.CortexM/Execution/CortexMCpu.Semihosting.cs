using EdgeVisor.Emulation.Semihosting;

namespace EdgeVisor.Emulation.CortexM;

/// <summary>Bridge from BKPT 0xAB to the board's semihosting host.</summary>
public sealed partial class CortexMCpu
{
    private bool TrySemihosting(SemihostingHost host)
    {
        _ = host;
        return false;
    }
}
