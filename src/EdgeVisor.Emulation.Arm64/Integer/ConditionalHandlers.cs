using EdgeVisor.Emulation.Arm64.Branches;
using EdgeVisor.Emulation.Arm64.Decoding;

namespace EdgeVisor.Emulation.Arm64.Integer;

/// <summary>
/// Conditional compare and conditional select. For CCMP/CCMN the second operand is Rm or the 5-bit immediate in
/// <see cref="Op.Imm"/> (the decoder picks the handler), and the flags to set when the condition fails are in <see cref="Op.Amount"/>.
/// </summary>
internal static class ConditionalHandlers
{
    public static void CompareRegister64(Arm64Cpu cpu, ref Op op) => Compare64(cpu, ref op, cpu.X[op.Rm], negate: false);

    public static void CompareImmediate64(Arm64Cpu cpu, ref Op op) => Compare64(cpu, ref op, op.Imm, negate: false);

    public static void CompareNegativeRegister64(Arm64Cpu cpu, ref Op op) => Compare64(cpu, ref op, cpu.X[op.Rm], negate: true);

    public static void CompareNegativeImmediate64(Arm64Cpu cpu, ref Op op) => Compare64(cpu, ref op, op.Imm, negate: true);

    public static void CompareRegister32(Arm64Cpu cpu, ref Op op) => Compare32(cpu, ref op, (uint)cpu.X[op.Rm], negate: false);

    public static void CompareImmediate32(Arm64Cpu cpu, ref Op op) => Compare32(cpu, ref op, (uint)op.Imm, negate: false);

    public static void CompareNegativeRegister32(Arm64Cpu cpu, ref Op op) => Compare32(cpu, ref op, (uint)cpu.X[op.Rm], negate: true);

    public static void CompareNegativeImmediate32(Arm64Cpu cpu, ref Op op) => Compare32(cpu, ref op, (uint)op.Imm, negate: true);

    public static void Select64<TCondition>(Arm64Cpu cpu, ref Op op)
        where TCondition : struct, ICondition
        => cpu.X[op.Rd] = TCondition.Holds(cpu) ? cpu.X[op.Rn] : cpu.X[op.Rm];

    public static void SelectIncrement64<TCondition>(Arm64Cpu cpu, ref Op op)
        where TCondition : struct, ICondition
        => cpu.X[op.Rd] = TCondition.Holds(cpu) ? cpu.X[op.Rn] : cpu.X[op.Rm] + 1;

    public static void SelectInvert64<TCondition>(Arm64Cpu cpu, ref Op op)
        where TCondition : struct, ICondition
        => cpu.X[op.Rd] = TCondition.Holds(cpu) ? cpu.X[op.Rn] : ~cpu.X[op.Rm];

    public static void SelectNegate64<TCondition>(Arm64Cpu cpu, ref Op op)
        where TCondition : struct, ICondition
        => cpu.X[op.Rd] = TCondition.Holds(cpu) ? cpu.X[op.Rn] : 0 - cpu.X[op.Rm];

    public static void Select32<TCondition>(Arm64Cpu cpu, ref Op op)
        where TCondition : struct, ICondition
        => cpu.X[op.Rd] = (uint)(TCondition.Holds(cpu) ? cpu.X[op.Rn] : cpu.X[op.Rm]);

    public static void SelectIncrement32<TCondition>(Arm64Cpu cpu, ref Op op)
        where TCondition : struct, ICondition
        => cpu.X[op.Rd] = (uint)(TCondition.Holds(cpu) ? cpu.X[op.Rn] : cpu.X[op.Rm] + 1);

    public static void SelectInvert32<TCondition>(Arm64Cpu cpu, ref Op op)
        where TCondition : struct, ICondition
        => cpu.X[op.Rd] = (uint)(TCondition.Holds(cpu) ? cpu.X[op.Rn] : ~cpu.X[op.Rm]);

    public static void SelectNegate32<TCondition>(Arm64Cpu cpu, ref Op op)
        where TCondition : struct, ICondition
        => cpu.X[op.Rd] = (uint)(TCondition.Holds(cpu) ? cpu.X[op.Rn] : 0 - cpu.X[op.Rm]);

    /// <summary>CSET Rd, cond (CSINC Rd, ZR, ZR, invert(cond)): 0 if the encoded condition holds, else 1. The commonest select.</summary>
    public static void SelectIncrementZero<TCondition>(Arm64Cpu cpu, ref Op op)
        where TCondition : struct, ICondition
        => cpu.X[op.Rd] = TCondition.Holds(cpu) ? 0UL : 1UL;

    private static void Compare64(Arm64Cpu cpu, ref Op op, ulong b, bool negate)
    {
        if (!cpu.ConditionHolds(op.Cond))
        {
            cpu.Nzcv = (uint)op.Amount << 28;
            return;
        }

        ulong a = cpu.X[op.Rn];
        if (negate)
        {
            NzcvFlags.Add64(cpu, a, b, a + b);
        }
        else
        {
            NzcvFlags.Sub64(cpu, a, b, a - b);
        }
    }

    private static void Compare32(Arm64Cpu cpu, ref Op op, uint b, bool negate)
    {
        if (!cpu.ConditionHolds(op.Cond))
        {
            cpu.Nzcv = (uint)op.Amount << 28;
            return;
        }

        uint a = (uint)cpu.X[op.Rn];
        if (negate)
        {
            NzcvFlags.Add32(cpu, a, b, a + b);
        }
        else
        {
            NzcvFlags.Sub32(cpu, a, b, a - b);
        }
    }
}

/// <summary>Picks the CSEL-family handler for one operation and width, instantiated per condition.</summary>
/// <param name="Operation">op:o2 (0 CSEL, 1 CSINC, 2 CSINV, 3 CSNEG), or -1 for CSET (CSINC with both sources ZR).</param>
/// <param name="Is64">64-bit form.</param>
internal readonly unsafe record struct SelectSpecialiser(int Operation, bool Is64) : IConditionSpecialiser
{
    public delegate*<Arm64Cpu, ref Op, void> For<TCondition>()
        where TCondition : struct, ICondition => (Operation, Is64) switch
    {
        (-1, _) => &ConditionalHandlers.SelectIncrementZero<TCondition>,
        (0, true) => &ConditionalHandlers.Select64<TCondition>,
        (1, true) => &ConditionalHandlers.SelectIncrement64<TCondition>,
        (2, true) => &ConditionalHandlers.SelectInvert64<TCondition>,
        (3, true) => &ConditionalHandlers.SelectNegate64<TCondition>,
        (0, false) => &ConditionalHandlers.Select32<TCondition>,
        (1, false) => &ConditionalHandlers.SelectIncrement32<TCondition>,
        (2, false) => &ConditionalHandlers.SelectInvert32<TCondition>,
        _ => &ConditionalHandlers.SelectNegate32<TCondition>,
    };
}
