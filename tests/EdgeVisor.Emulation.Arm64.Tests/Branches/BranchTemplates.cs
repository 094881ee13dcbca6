using EdgeVisor.Emulation.Arm64.Tests.TestKit;
using EdgeVisor.Emulation.Arm64.Tests.Unicorn;

namespace EdgeVisor.Emulation.Arm64.Tests.Branches;

/// <summary>Random-encoding templates for branches and exception generation (ARM ARM C4.1.3). Immediate branches only jump forward.</summary>
internal static class BranchTemplates
{
    /// <summary>Register that <see cref="PrepareTargets"/> points at a valid branch target.</summary>
    public const int TargetRegister = 16;

    public static IReadOnlyList<InstructionTemplate> Immediate { get; } =
    [
        new InstructionTemplate("B/BL", "o 00101 iiiiiiiiiiiiiiiiiiiiiiiiii").With('i', FieldConstraints.ForwardBranch),
        new InstructionTemplate("B.cond", "0101010 0 iiiiiiiiiiiiiiiiiii 0 cccc").With('i', FieldConstraints.ForwardBranch),
        new InstructionTemplate("conditional branch class", "0101010 x iiiiiiiiiiiiiiiiiii y cccc").With('i', FieldConstraints.ForwardBranch),
        new InstructionTemplate("CBZ/CBNZ", "S 011010 o iiiiiiiiiiiiiiiiiii ttttt").With('i', FieldConstraints.ForwardBranch),
        new InstructionTemplate("TBZ/TBNZ", "B 011011 o bbbbb iiiiiiiiiiiiii ttttt").With('i', FieldConstraints.ForwardBranch),
    ];

    public static IReadOnlyList<InstructionTemplate> Register { get; } =
    [
        new InstructionTemplate("BR/BLR/RET", "1101011 00 oo 11111 000000 nnnnn 00000")
            .With('o', FieldConstraints.OneOf(0, 1, 2))
            .With('n', FieldConstraints.OneOf(TargetRegister, 30, 0, 5)),

        // The whole class: PAuth forms (not advertised), ERET/DRPS (EL1-only: Unicorn runs at EL1, so excluded).
        new InstructionTemplate("branch (register) class", "1101011 oooo ppppp qqqqqq nnnnn rrrrr")
            .With('n', FieldConstraints.OneOf(TargetRegister, 30))
            .With('p', FieldConstraints.OneOf(31, 31, 0, 15))
            .With('q', FieldConstraints.OneOf(0, 0, 1, 2, 3, 63))
            .With('r', FieldConstraints.OneOf(0, 0, 31, 1))
            .Reject(raw => ((raw >> 21) & 0xF) is 0b0100 or 0b0101),
    ];

    public static IReadOnlyList<InstructionTemplate> ExceptionGeneration { get; } =
    [
        // SMC is undefined at EL0; Unicorn (at EL1) takes it as a secure monitor call, so it is left out.
        new InstructionTemplate("exception generation", "11010100 ooo iiiiiiiiiiiiiiii ppp ll").Reject(raw => (raw & 0xFFE0_001F) == 0xD400_0003),
        new InstructionTemplate("SVC/BRK/HLT", "11010100 oo0 iiiiiiiiiiiiiiii 000 0l"),
    ];

    /// <summary>Points X16 and X30 at instructions just after the run (so register branches land on the end marker) or into it.</summary>
    public static void PrepareTargets(A64State state, Random rng)
    {
        state.X[TargetRegister] = A64Machine.CodeBase + (4 * (ulong)rng.Next(0, 3));
        state.X[30] = A64Machine.CodeBase + (4 * (ulong)rng.Next(1, 4));
    }
}
