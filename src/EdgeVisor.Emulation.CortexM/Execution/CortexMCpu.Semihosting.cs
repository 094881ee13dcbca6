using EdgeVisor.Emulation.Semihosting;

namespace EdgeVisor.Emulation.CortexM;

/// <summary>Bridge from BKPT 0xAB to the board's semihosting host.</summary>
public sealed partial class CortexMCpu
{
    /// <summary>Performs the call in R0 with parameter R1; the result goes to R0, an exit stops the run.</summary>
    private bool TrySemihosting(SemihostingHost host)
    {
        // The host may read the virtual clock (SYS_CLOCK, SYS_ELAPSED): bring it to this instruction.
        if (_inBlock && _currentBlock is { } block)
        {
            Clock.AdvanceTo(_blockStartCycle + (ulong)CurrentOpIndex(block));
        }

        _eventsMayHaveChanged = true;
        _attention = true;
        var result = host.Handle(R[0], R[1]);
        R[0] = result.ReturnValue;
        if (result.ExitCode is { } code)
        {
            Exit(code);
        }

        return true;
    }
}
