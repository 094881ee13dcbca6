namespace EdgeVisor.Emulation.Arm64.Tests.Unicorn;

/// <summary>How a run ended, in terms both engines can report.</summary>
internal enum OutcomeKind
{
    /// <summary>Ran to the end of the code (or the instruction limit).</summary>
    Completed,

    /// <summary>SVC: PC after it.</summary>
    Syscall,

    /// <summary>BRK: PC at it.</summary>
    Breakpoint,

    /// <summary>Undefined instruction (HLT included: Unicorn has no semihosting and reports it as undefined).</summary>
    Undefined,

    /// <summary>A data abort, instruction abort or PC alignment fault.</summary>
    Fault,
}

/// <summary>The end state of one engine's run.</summary>
internal sealed record DifferentialOutcome(OutcomeKind Kind, ulong Pc, A64State State, string Detail);
