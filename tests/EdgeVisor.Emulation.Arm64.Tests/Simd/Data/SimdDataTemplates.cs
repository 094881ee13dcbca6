using EdgeVisor.Emulation.Arm64.Tests.Unicorn;
using static EdgeVisor.Emulation.Arm64.Tests.Unicorn.FieldConstraints;

namespace EdgeVisor.Emulation.Arm64.Tests.Simd.Data;

/// <summary>
/// The SIMD data-movement classes (ARM ARM "Data Processing -- Scalar Floating-Point and Advanced SIMD") as
/// templates: one per whole class, reserved field values included, so Unicorn also checks which encodings are
/// undefined; and one per class restricted to allocated opcodes, so most draws execute something.
/// </summary>
internal static class SimdDataTemplates
{
    /// <summary>Copy, table lookup, permute, extract and modified immediate.</summary>
    public static readonly InstructionTemplate[] Movement =
    [
        new("AdvSIMD copy (whole class)", "0 q o 01110000 iiiii 0 jjjj 1 nnnnn ddddd"),
        new InstructionTemplate("DUP/INS/SMOV/UMOV", "0 q o 01110000 iiiii 0 jjjj 1 nnnnn ddddd").With('j', OneOf(0, 1, 3, 5, 7)).With('i', Range(1, 31)),
        new("AdvSIMD scalar copy (whole class)", "01 o 11110000 iiiii 0 jjjj 1 nnnnn ddddd"),
        new InstructionTemplate("DUP (element, scalar)", "01 0 11110000 iiiii 0 0000 1 nnnnn ddddd").With('i', Range(1, 31)),
        new("AdvSIMD table lookup (whole class)", "0 q 001110 pp 0 mmmmm 0 ll o 00 nnnnn ddddd"),
        new("TBL/TBX", "0 q 001110 00 0 mmmmm 0 ll o 00 nnnnn ddddd"),
        new("AdvSIMD permute (whole class)", "0 q 001110 ss 0 mmmmm 0 ooo 10 nnnnn ddddd"),
        new InstructionTemplate("UZP/TRN/ZIP", "0 q 001110 ss 0 mmmmm 0 ooo 10 nnnnn ddddd").With('o', OneOf(1, 2, 3, 5, 6, 7)),
        new("AdvSIMD extract (whole class)", "0 q 101110 pp 0 mmmmm 0 iiii 0 nnnnn ddddd"),
        new("EXT", "0 q 101110 00 0 mmmmm 0 iiii 0 nnnnn ddddd"),
        new("AdvSIMD modified immediate (whole class)", "0 q o 0111100000 abc cccc x 1 fffff ddddd"),
        new("MOVI/MVNI/ORR/BIC/FMOV (vector, immediate)", "0 q o 0111100000 abc cccc 0 1 fffff ddddd"),
    ];

    /// <summary>Shift by immediate, vector and scalar (immh = 0 is the modified-immediate class or unallocated).</summary>
    public static readonly InstructionTemplate[] Shifts =
    [
        new("AdvSIMD shift by immediate (whole class)", "0 q u 011110 hhhh bbb ooooo 1 nnnnn ddddd"),
        new InstructionTemplate("Shift by immediate (allocated opcodes)", "0 q u 011110 hhhh bbb ooooo 1 nnnnn ddddd")
            .With('h', Range(1, 15)).With('o', OneOf(0, 2, 4, 6, 8, 10, 12, 14, 16, 17, 18, 19, 20)),
        new("AdvSIMD scalar shift by immediate (whole class)", "01 u 111110 hhhh bbb ooooo 1 nnnnn ddddd"),
        new InstructionTemplate("Scalar shift by immediate (allocated opcodes)", "01 u 111110 hhhh bbb ooooo 1 nnnnn ddddd")
            .With('h', Range(1, 15)).With('o', OneOf(0, 2, 4, 6, 8, 10, 12, 14, 16, 17, 18, 19)),
    ];

    /// <summary>Vector and scalar x indexed element.</summary>
    public static readonly InstructionTemplate[] ByElement =
    [
        new("AdvSIMD vector x indexed element (whole class)", "0 q u 01111 ss l m rrrr oooo h 0 nnnnn ddddd"),
        new InstructionTemplate("Integer by element", "0 q u 01111 ss l m rrrr oooo h 0 nnnnn ddddd")
            .With('s', OneOf(1, 2)).With('o', OneOf(0, 2, 3, 4, 6, 7, 8, 10, 11, 12, 13)),
        new("AdvSIMD scalar x indexed element (whole class)", "01 u 11111 ss l m rrrr oooo h 0 nnnnn ddddd"),
        new InstructionTemplate("SQDMULL/SQDMLAL/SQDMLSL/SQDMULH/SQRDMULH (scalar, by element)", "01 0 11111 ss l m rrrr oooo h 0 nnnnn ddddd")
            .With('s', OneOf(1, 2)).With('o', OneOf(3, 7, 11, 12, 13)),
    ];

    /// <summary>The floating-point forms only: by element (FMLA, FMLS, FMUL, FMULX) and the fixed-point conversions.</summary>
    public static readonly InstructionTemplate[] FloatingPoint =
    [
        new InstructionTemplate("FMLA/FMLS/FMUL/FMULX (by element)", "0 q u 01111 1s l m rrrr oo 01 h 0 nnnnn ddddd")
            .Reject(raw => ((raw >> 29) & 1) == 1 && ((raw >> 14) & 3) != 2),
        new InstructionTemplate("FMLA/FMLS/FMUL/FMULX (scalar, by element)", "01 u 11111 1s l m rrrr oo 01 h 0 nnnnn ddddd")
            .Reject(raw => ((raw >> 29) & 1) == 1 && ((raw >> 14) & 3) != 2),
        new("SCVTF/UCVTF/FCVTZS/FCVTZU (vector, fixed-point, double)", "0 q u 011110 1hhh bbb 111 oo 1 nnnnn ddddd"),
        new("SCVTF/UCVTF/FCVTZS/FCVTZU (vector, fixed-point, single)", "0 q u 011110 01hh bbb 111 oo 1 nnnnn ddddd"),
        new("SCVTF/UCVTF/FCVTZS/FCVTZU (scalar, fixed-point)", "01 u 111110 ihhh bbb 111 oo 1 nnnnn ddddd"),
    ];
}
