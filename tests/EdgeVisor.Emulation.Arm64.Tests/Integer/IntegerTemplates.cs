using EdgeVisor.Emulation.Arm64.Tests.Unicorn;

namespace EdgeVisor.Emulation.Arm64.Tests.Integer;

/// <summary>Random-encoding templates for the integer classes (ARM ARM C4.1.2 and C4.1.5), one per encoding class.</summary>
internal static class IntegerTemplates
{
    /// <summary>Data processing — immediate. Whole classes, reserved encodings included: they must be undefined on both.</summary>
    public static IReadOnlyList<InstructionTemplate> Immediate { get; } =
    [
        new InstructionTemplate("ADR/ADRP", "p ii 10000 jjjjjjjjjjjjjjjjjjj ddddd"),
        new InstructionTemplate("ADD/SUB (immediate)", "S o f 100010 h iiiiiiiiiiii nnnnn ddddd"),
        new InstructionTemplate("logical (immediate)", "S oo 100100 N rrrrrr ssssss nnnnn ddddd"),
        new InstructionTemplate("move wide", "S oo 100101 hh iiiiiiiiiiiiiiii ddddd"),
        new InstructionTemplate("bitfield", "S oo 100110 N rrrrrr ssssss nnnnn ddddd"),
        new InstructionTemplate("bitfield (valid)", "S oo 100110 N rrrrrr ssssss nnnnn ddddd")
            .Reject(raw => ((raw >> 29) & 3) == 3 || (raw >> 31) != ((raw >> 22) & 1) || ((raw >> 31) == 0 && (raw & 0x8000_8000) != 0)),
        new InstructionTemplate("extract", "S oo 100111 N q mmmmm ssssss nnnnn ddddd"),
        new InstructionTemplate("extract (EXTR)", "S 00 100111 N 0 mmmmm ssssss nnnnn ddddd")
            .Reject(raw => (raw >> 31) != ((raw >> 22) & 1) || ((raw >> 31) == 0 && (raw & 0x8000) != 0)),
    ];
}
