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

    /// <summary>Data processing — register, class by class (whole classes: their reserved encodings must be undefined on both).</summary>
    public static IReadOnlyList<InstructionTemplate> Register { get; } =
    [
        new InstructionTemplate("logical (shifted register)", "S oo 01010 hh N mmmmm iiiiii nnnnn ddddd"),
        new InstructionTemplate("add/sub (shifted register)", "S o f 01011 hh 0 mmmmm iiiiii nnnnn ddddd"),
        new InstructionTemplate("add/sub (extended register)", "S o f 01011 pp 1 mmmmm xxx iii nnnnn ddddd").With('p', FieldConstraints.OneOf(0, 0, 0, 1)),
        new InstructionTemplate("add/sub with carry", "S o f 11010000 mmmmm 000000 nnnnn ddddd"),
        new InstructionTemplate("ADC..SBCS/RMIF/SETF class", "S o f 11010000 mmmmm qqqqqq nnnnn ddddd"),
        new InstructionTemplate("conditional compare", "S o f 11010010 mmmmm cccc k a nnnnn b vvvv"),
        new InstructionTemplate("conditional select", "S o f 11010100 mmmmm cccc pp nnnnn ddddd"),
        new InstructionTemplate("3-source", "S pp 11011 ooo mmmmm a xxxxx nnnnn ddddd").With('p', FieldConstraints.OneOf(0, 0, 0, 1, 2, 3)),
        new InstructionTemplate("2-source", "S 0 f 11010110 mmmmm oooooo nnnnn ddddd").With('o', FieldConstraints.Range(0, 0x17)),
        new InstructionTemplate("1-source", "S 1 f 11010110 ppppp oooooo nnnnn ddddd")
            .With('p', FieldConstraints.OneOf(0, 0, 0, 1)).With('o', FieldConstraints.Range(0, 8)),
    ];

    /// <summary>Shapes that are common in compiled code, so random runs hit them often.</summary>
    public static IReadOnlyList<InstructionTemplate> Common { get; } =
    [
        new InstructionTemplate("MOV (register)", "S 01 01010 00 0 mmmmm 000000 11111 ddddd"),
        new InstructionTemplate("CSET/CINC", "S 0 0 11010100 11111 cccc 01 11111 ddddd"),
        new InstructionTemplate("MUL", "S 00 11011 000 mmmmm 0 11111 nnnnn ddddd"),
        new InstructionTemplate("SDIV/UDIV by edge values", "S 0 0 11010110 mmmmm 00001 u nnnnn ddddd"),
        new InstructionTemplate("CRC32", "S 0 0 11010110 mmmmm 010 c zz nnnnn ddddd").Reject(raw => (((raw >> 10) & 3) == 3) != ((raw >> 31) != 0)),
    ];
}
