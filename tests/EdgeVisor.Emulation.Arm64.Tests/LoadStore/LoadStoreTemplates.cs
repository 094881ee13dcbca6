using EdgeVisor.Emulation.Arm64.Tests.TestKit;
using EdgeVisor.Emulation.Arm64.Tests.Unicorn;

namespace EdgeVisor.Emulation.Arm64.Tests.LoadStore;

/// <summary>
/// Random-encoding templates for the load/store classes (ARM ARM C4.1, "Loads and Stores"), one per encoding
/// class with every field random except the base register, which is X28 (the middle of the data area), and offset
/// registers, which are X27 (a small index) unless a template says otherwise. Reserved values of size/opc/option
/// stay in, so both engines must agree they are undefined. Exclusions are constrained-unpredictable cases.
/// </summary>
internal static class LoadStoreTemplates
{
    /// <summary>An even register 0..24 or 30 (the pair then ends in XZR), never reaching the reserved X27/X28 (declared first: the template lists below use it).</summary>
    private static readonly FieldConstraint EvenPairStart = FieldConstraints.OneOf(0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 30);

    private static uint Field(uint raw, int lsb, int width) => (raw >> lsb) & ((1u << width) - 1);

    /// <summary>Single registers and pairs (each property builds fresh templates): ARMv8.0 classes, compared on Unicorn's Cortex-A72.</summary>
    public static IReadOnlyList<InstructionTemplate> Registers =>
    [
        new InstructionTemplate("LDR/STR (unsigned offset)", "ss 111 v 01 oo iiiiiiiiiiii nnnnn ttttt")
            .With('n', FieldConstraints.Base),
        new InstructionTemplate("LDR/STR (imm9: unscaled, post-index, unprivileged, pre-index)", "ss 111 v 00 oo 0 iiiiiiiii ff nnnnn ttttt")
            .With('n', FieldConstraints.Base),
        new InstructionTemplate("LDR/STR (register offset, X27 index)", "ss 111 v 00 oo 1 mmmmm xxx S 10 nnnnn ttttt")
            .With('n', FieldConstraints.Base).With('m', FieldConstraints.Index),
        new InstructionTemplate("LDR/STR (register offset, any index: extends of random values)", "ss 111 v 00 oo 1 mmmmm xxx S 10 nnnnn ttttt")
            .With('n', FieldConstraints.Base),
        new InstructionTemplate("LDR (literal)", "oo 011 v 00 iiiiiiiiiiiiiiiiiii ttttt")
            .With('i', FieldConstraints.Range(0, 0x3F00)), // forward into the code area, short of its last page
        new InstructionTemplate("LDP/STP/LDNP/STNP/LDPSW", "oo 101 v 0 xx L iiiiiii uuuuu nnnnn ttttt")
            .With('n', FieldConstraints.Base).With('u', FieldConstraints.Destination)
            .Reject(raw => Field(raw, 22, 1) == 1 && Field(raw, 0, 5) == Field(raw, 10, 5)), // LDP Rt = Rt2: unpredictable
    ];

    /// <summary>Exclusives and load-acquire/store-release (ARMv8.0), on Cortex-A72: no CAS/CASP (LSE) here.</summary>
    public static IReadOnlyList<InstructionTemplate> Exclusives =>
    [
        new InstructionTemplate("LDXR/STXR/LDXP/STXP/LDAR/STLR (exclusive class without LSE)", "ss 001000 o L p aaaaa c uuuuu nnnnn ttttt")
            .With('n', FieldConstraints.Base).With('a', FieldConstraints.Destination).With('u', FieldConstraints.Destination)
            .Reject(IsCompareAndSwap)
            .Reject(raw => IsExclusiveStore(raw) && (Field(raw, 16, 5) == Field(raw, 0, 5) || (IsPair(raw) && Field(raw, 16, 5) == Field(raw, 10, 5))))
            .Reject(raw => IsExclusivePairLoad(raw) && Field(raw, 0, 5) == Field(raw, 10, 5)),
    ];

    /// <summary>LSE: CAS, CASP and the atomic memory operations, on Unicorn's "max" CPU.</summary>
    public static IReadOnlyList<InstructionTemplate> LargeSystemExtensions =>
    [
        new InstructionTemplate("CAS{A}{L}{B,H}", "ss 001000 1 L 1 aaaaa c 11111 nnnnn ttttt")
            .With('n', FieldConstraints.Base).With('a', FieldConstraints.Destination).On(UnicornCpuModel.Max),
        new InstructionTemplate("CASP{A}{L}", "0 s 001000 0 L 1 aaaaa c 11111 nnnnn ttttt")
            .With('n', FieldConstraints.Base).With('a', EvenPairStart).With('t', EvenPairStart).On(UnicornCpuModel.Max),
        new InstructionTemplate("LDADD/LDCLR/LDEOR/LDSET/SWP{A}{L}{B,H} (and the reserved o3 = 1 slots)", "ss 111 0 00 A R 1 aaaaa o ppp 00 nnnnn ttttt")
            .With('n', FieldConstraints.Base)
            .Reject(raw => Field(raw, 15, 1) == 1 && Field(raw, 12, 3) == 0b100) // LDAPR: FEAT_LRCPC, not advertised
            .Reject(IsMinMax)
            .On(UnicornCpuModel.Max),
    ];

    /// <summary>
    /// LD{S,U}{MAX,MIN}: Unicorn 2.0.1 compares them wrongly (memory not sign-extended for the signed forms, the
    /// operand not truncated for the narrow forms), so they are compared only where signed and unsigned, narrow and
    /// wide agree: with <see cref="NonNegativeOperands"/>. Signedness and truncation have unit tests.
    /// </summary>
    public static IReadOnlyList<InstructionTemplate> MinMax =>
    [
        new InstructionTemplate("LD{S,U}{MAX,MIN}{A}{L}{B,H}", "ss 111 0 00 A R 1 aaaaa 0 1pp 00 nnnnn ttttt")
            .With('n', FieldConstraints.Base).With('a', FieldConstraints.Destination).On(UnicornCpuModel.Max), // Rs: not X27/X28
    ];

    /// <summary>Every general register below 0x80 and the bytes at the base with their top bit clear.</summary>
    public static readonly Action<A64State, Random> NonNegativeOperands = (state, rng) =>
    {
        for (int i = 0; i < 31; i++)
        {
            if (i is not (A64State.BaseRegister or A64State.IndexRegister))
            {
                state.X[i] = (ulong)rng.Next(0x80);
            }
        }

        int at = (int)(A64State.DataPointer - TestKit.A64Machine.DataBase);
        foreach (int top in new[] { 0, 1, 3, 7 })
        {
            state.Data[at + top] &= 0x7F;
        }
    };

    /// <summary>Advanced SIMD structure loads and stores.</summary>
    public static IReadOnlyList<InstructionTemplate> Structures =>
    [
        new InstructionTemplate("LD1-4/ST1-4 (multiple structures)", "0 q 0011000 L 000000 oooo zz nnnnn ttttt")
            .With('n', FieldConstraints.Base).With('t', FieldConstraints.Any),
        new InstructionTemplate("LD1-4/ST1-4 (multiple structures, post-index)", "0 q 0011001 L 0 mmmmm oooo zz nnnnn ttttt")
            .With('n', FieldConstraints.Base).With('m', FieldConstraints.OneOf(31, 27)).With('t', FieldConstraints.Any),
        new InstructionTemplate("LD1-4/ST1-4/LDnR (single structure)", "0 q 0011010 L R 00000 ooo S zz nnnnn ttttt")
            .With('n', FieldConstraints.Base).With('t', FieldConstraints.Any),
        new InstructionTemplate("LD1-4/ST1-4/LDnR (single structure, post-index)", "0 q 0011011 L R mmmmm ooo S zz nnnnn ttttt")
            .With('n', FieldConstraints.Base).With('m', FieldConstraints.OneOf(31, 27)).With('t', FieldConstraints.Any),
    ];

    // o2 (bit 23) and o1 (bit 21) both set: CAS; o2 = 0, o1 = 1, size 0x: CASP.
    private static bool IsCompareAndSwap(uint raw) =>
        Field(raw, 21, 1) == 1 && (Field(raw, 23, 1) == 1 || Field(raw, 31, 1) == 0);

    /// <summary>
    /// The same templates restricted to encodings EdgeVisor decodes (sequences stop at the first undefined
    /// instruction, so they need defined ones; whether an encoding is defined is compared by the single-instruction runs).
    /// </summary>
    public static IReadOnlyList<InstructionTemplate> DefinedOnly(IReadOnlyList<InstructionTemplate> templates)
    {
        foreach (var template in templates)
        {
            template.Reject(raw => !Encodings.IsDefined(raw));
        }

        return templates;
    }

    private static bool IsMinMax(uint raw) => Field(raw, 15, 1) == 0 && Field(raw, 14, 1) == 1;

    private static bool IsPair(uint raw) => Field(raw, 23, 1) == 0 && Field(raw, 21, 1) == 1;

    private static bool IsExclusiveStore(uint raw) => Field(raw, 23, 1) == 0 && Field(raw, 22, 1) == 0;

    private static bool IsExclusivePairLoad(uint raw) => IsPair(raw) && Field(raw, 22, 1) == 1;
}
