namespace EdgeVisor.Emulation.CortexM.Tests.Unicorn;

/// <summary>One differential test: code placed at <see cref="DifferentialRunner.CodeBase"/>, initial registers and flags, how many instructions to run.</summary>
public sealed record InstructionCase(string Description, ushort[] Code, uint[] Registers, uint Apsr, int Steps)
{
    /// <summary>
    /// Instructions Unicorn must be asked to run for the same effect. Unicorn's instruction count
    /// does not include IT (it only sets up the following instructions' conditions), so IT cases
    /// ask it for one fewer.
    /// </summary>
    public int ReferenceSteps { get; init; } = Steps;

    /// <summary>
    /// Run both engines until the PC reaches the end of the code instead of counting instructions
    /// (Unicorn does not count IT, nor some condition-failed instructions inside IT blocks). Our core
    /// stops there through a debugger breakpoint, which that mechanism's test coverage gets for free.
    /// </summary>
    public bool RunToEnd { get; init; }
}

/// <summary>
/// Produces random instances of one instruction class. Adding an instruction class to the
/// differential test is adding one subclass (the test finds them by reflection).
/// </summary>
public abstract class InstructionGenerator
{
    /// <summary>Name shown in test output and failure messages.</summary>
    public virtual string Name => GetType().Name;

    /// <summary>Whether the class exists on <paramref name="model"/> (e.g. Thumb-2 only on ARMv7-M).</summary>
    public virtual bool Supports(CortexMModel model) => true;

    /// <summary>Builds one case from the builder (b) random initial state.</summary>
    public abstract InstructionCase Generate(CaseBuilder b);
}
