using EdgeVisor.Emulation.Arm64.Decoding;

namespace EdgeVisor.Emulation.Arm64.Branches;

/// <summary>
/// A condition code as a type, so a handler instantiated with one tests the flags directly instead of switching on
/// the condition at run time (B.cond and CSEL are among the most executed instructions).
/// </summary>
internal interface ICondition
{
    static abstract bool Holds(Arm64Cpu cpu);
}

internal struct ConditionEq : ICondition
{
    public static bool Holds(Arm64Cpu cpu) => cpu.Z;
}

internal struct ConditionNe : ICondition
{
    public static bool Holds(Arm64Cpu cpu) => !cpu.Z;
}

internal struct ConditionCs : ICondition
{
    public static bool Holds(Arm64Cpu cpu) => cpu.C;
}

internal struct ConditionCc : ICondition
{
    public static bool Holds(Arm64Cpu cpu) => !cpu.C;
}

internal struct ConditionMi : ICondition
{
    public static bool Holds(Arm64Cpu cpu) => cpu.N;
}

internal struct ConditionPl : ICondition
{
    public static bool Holds(Arm64Cpu cpu) => !cpu.N;
}

internal struct ConditionVs : ICondition
{
    public static bool Holds(Arm64Cpu cpu) => cpu.Vf;
}

internal struct ConditionVc : ICondition
{
    public static bool Holds(Arm64Cpu cpu) => !cpu.Vf;
}

internal struct ConditionHi : ICondition
{
    public static bool Holds(Arm64Cpu cpu) => cpu.C && !cpu.Z;
}

internal struct ConditionLs : ICondition
{
    public static bool Holds(Arm64Cpu cpu) => !cpu.C || cpu.Z;
}

internal struct ConditionGe : ICondition
{
    public static bool Holds(Arm64Cpu cpu) => cpu.N == cpu.Vf;
}

internal struct ConditionLt : ICondition
{
    public static bool Holds(Arm64Cpu cpu) => cpu.N != cpu.Vf;
}

internal struct ConditionGt : ICondition
{
    public static bool Holds(Arm64Cpu cpu) => !cpu.Z && cpu.N == cpu.Vf;
}

internal struct ConditionLe : ICondition
{
    public static bool Holds(Arm64Cpu cpu) => cpu.Z || cpu.N != cpu.Vf;
}

/// <summary>AL and NV: always true.</summary>
internal struct ConditionAlways : ICondition
{
    public static bool Holds(Arm64Cpu cpu) => true;
}

/// <summary>Handlers specialised by condition code.</summary>
internal static unsafe class ConditionalBranches
{
    /// <summary>B.cond for condition <paramref name="cond"/> (0..13; AL/NV are plain branches).</summary>
    public static delegate*<Arm64Cpu, ref Op, void> For(uint cond) => cond switch
    {
        0 => &Branch<ConditionEq>,
        1 => &Branch<ConditionNe>,
        2 => &Branch<ConditionCs>,
        3 => &Branch<ConditionCc>,
        4 => &Branch<ConditionMi>,
        5 => &Branch<ConditionPl>,
        6 => &Branch<ConditionVs>,
        7 => &Branch<ConditionVc>,
        8 => &Branch<ConditionHi>,
        9 => &Branch<ConditionLs>,
        10 => &Branch<ConditionGe>,
        11 => &Branch<ConditionLt>,
        12 => &Branch<ConditionGt>,
        13 => &Branch<ConditionLe>,
        _ => &BranchHandlers.Branch,
    };

    /// <summary>Instantiates <paramref name="pick"/>'s generic handler for condition <paramref name="cond"/> (0..15).</summary>
    public static delegate*<Arm64Cpu, ref Op, void> Specialise(uint cond, IConditionSpecialiser pick) => cond switch
    {
        0 => pick.For<ConditionEq>(),
        1 => pick.For<ConditionNe>(),
        2 => pick.For<ConditionCs>(),
        3 => pick.For<ConditionCc>(),
        4 => pick.For<ConditionMi>(),
        5 => pick.For<ConditionPl>(),
        6 => pick.For<ConditionVs>(),
        7 => pick.For<ConditionVc>(),
        8 => pick.For<ConditionHi>(),
        9 => pick.For<ConditionLs>(),
        10 => pick.For<ConditionGe>(),
        11 => pick.For<ConditionLt>(),
        12 => pick.For<ConditionGt>(),
        13 => pick.For<ConditionLe>(),
        _ => pick.For<ConditionAlways>(),
    };

    private static void Branch<TCondition>(Arm64Cpu cpu, ref Op op)
        where TCondition : struct, ICondition
    {
        if (TCondition.Holds(cpu))
        {
            cpu.Pc = op.Imm;
        }
    }
}

/// <summary>Maps a condition type to a handler instantiated with it (see <see cref="ConditionalBranches.Specialise"/>).</summary>
internal unsafe interface IConditionSpecialiser
{
    delegate*<Arm64Cpu, ref Op, void> For<TCondition>()
        where TCondition : struct, ICondition;
}
