namespace EdgeVisor.Emulation.CortexM;

/// <summary>
/// The FP extension's system registers: FPCCR (automatic and lazy state preservation), FPCAR (where
/// the lazily reserved S0-S15/FPSCR space is), FPDSCR (FPSCR defaults for a new FP context) and the
/// media and FP feature registers MVFR0-2. All read as zero and ignore writes without an FPU.
/// </summary>
public sealed class FpContextControl
{
    public const uint AspEn = 1u << 31;
    public const uint LspEn = 1u << 30;
    public const uint MonRdy = 1u << 8;
    public const uint BfRdy = 1u << 6;
    public const uint MmRdy = 1u << 5;
    public const uint HfRdy = 1u << 4;
    public const uint Thread = 1u << 3;
    public const uint User = 1u << 1;
    public const uint LspAct = 1u << 0;

    /// <summary>FPSCR fields a new context takes from FPDSCR: AHP, DN, FZ, RMode.</summary>
    public const uint DefaultFields = 0x07C00000;

    private readonly CortexMModel _model;

    internal FpContextControl(CortexMModel model) => _model = model;

    /// <summary>Floating-Point Context Control Register (0xE000EF34).</summary>
    public uint Fpccr { get; set; }

    /// <summary>Floating-Point Context Address Register (0xE000EF38): address of the reserved S0 slot.</summary>
    public uint Fpcar { get; set; }

    /// <summary>Floating-Point Default Status Control Register (0xE000EF3C).</summary>
    public uint Fpdscr { get; set; }

    /// <summary>FPCCR.ASPEN: an FP instruction sets CONTROL.FPCA (so exception entry stacks FP state).</summary>
    public bool AutomaticPreservation => (Fpccr & AspEn) != 0;

    /// <summary>FPCCR.LSPEN: exception entry only reserves FP stack space; the first FP instruction fills it.</summary>
    public bool LazyPreservation => (Fpccr & LspEn) != 0;

    /// <summary>FPCCR.LSPACT: space is reserved at FPCAR and the FP registers still hold the interrupted context's values.</summary>
    public bool LazyActive
    {
        get => (Fpccr & LspAct) != 0;
        set => Fpccr = value ? Fpccr | LspAct : Fpccr & ~LspAct;
    }

    internal void Reset()
    {
        Fpccr = _model.HasFpu ? AspEn | LspEn : 0;
        Fpcar = 0;
        Fpdscr = 0;
    }

    internal bool TryRead(uint offset, out uint value)
    {
        uint? result = offset switch
        {
            0xF34 => Fpccr,
            0xF38 => Fpcar,
            0xF3C => Fpdscr,
            0xF40 => _model.Fpu == FpuKind.None ? 0 : 0x10110021u,
            0xF44 => _model.Fpu switch { FpuKind.FPv4SP => 0x11000011u, FpuKind.FPv5SP => 0x12000011u, _ => 0 },
            0xF48 => _model.Fpu == FpuKind.FPv5SP ? 0x00000040u : 0,
            _ => null,
        };
        value = _model.HasFpu ? result ?? 0 : 0;
        return result.HasValue;
    }

    internal bool TryWrite(uint offset, uint value, uint lanes)
    {
        if (!_model.HasFpu)
        {
            return offset is >= 0xF34 and <= 0xF48;
        }

        switch (offset)
        {
            case 0xF34:
                // ASPEN, LSPEN and the ready/state bits are writable (an RTOS may clear LSPACT); reserved bits are zero.
                Fpccr = SystemControlBlock.Merge(Fpccr, value, lanes) & (AspEn | LspEn | MonRdy | BfRdy | MmRdy | HfRdy | Thread | User | LspAct);
                return true;
            case 0xF38:
                Fpcar = SystemControlBlock.Merge(Fpcar, value, lanes) & ~7u;
                return true;
            case 0xF3C:
                Fpdscr = SystemControlBlock.Merge(Fpdscr, value, lanes) & DefaultFields;
                return true;
            default:
                return offset is >= 0xF40 and <= 0xF48;
        }
    }
}
