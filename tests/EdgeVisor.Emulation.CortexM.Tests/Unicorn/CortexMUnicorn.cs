using EdgeVisor.Testing.Unicorn;

namespace EdgeVisor.Emulation.CortexM.Tests.Unicorn;

/// <summary>
/// Unicorn 2.0.1 (libunicorn.so.2) in Cortex-M Thumb mode: the reference the differential tests compare the core
/// against. The engine itself is the shared <see cref="UnicornEngine"/>; this layer adds the Cortex-M CPU models and
/// register ids (arm.h) and Thumb-mode runs.
/// </summary>
internal sealed partial class CortexMUnicorn : UnicornEngine
{
    public const int CortexM0 = 7;
    public const int CortexM3 = 8;
    public const int CortexM4 = 9;

    private const int ArchArm = 1;
    private const int ModeThumbMClass = 16 | 32;
    private const int RegR0 = 66;
    private const int RegSp = 12;
    private const int RegLr = 10;
    private const int RegPc = 11;
    private const int RegXpsr = 120;

    public CortexMUnicorn(int cpuModel)
        : base(ArchArm, ModeThumbMClass, cpuModel, stopOnInterrupt: false)
    {
    }

    /// <summary>Drops Unicorn's translated blocks for the low 256 KiB (the code window the harnesses use).</summary>
    public void FlushTranslations() => FlushTranslations(0, 0x40000);

    /// <summary>Register by core number 0..15.</summary>
    public uint this[int register]
    {
        get => (uint)ReadRegister(RegisterId(register));
        set => WriteRegister(RegisterId(register), value);
    }

    public uint Xpsr
    {
        get => (uint)ReadRegister(RegXpsr);
        set => WriteRegister(RegXpsr, value);
    }

    /// <summary>Runs <paramref name="count"/> instructions from <paramref name="pc"/>; false if Unicorn stopped with an error (an exception).</summary>
    public bool Run(uint pc, int count) => Start(pc | 1, 0xFFFFFFFF, (ulong)count) == 0;

    /// <summary>Runs from <paramref name="pc"/> until the PC equals <paramref name="until"/>.</summary>
    public bool RunUntil(uint pc, uint until) => Start(pc | 1, until, 0) == 0;

    private static int RegisterId(int register) => register switch
    {
        13 => RegSp,
        14 => RegLr,
        15 => RegPc,
        _ => RegR0 + register,
    };
}
