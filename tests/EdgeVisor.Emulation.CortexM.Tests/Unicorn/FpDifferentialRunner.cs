using System.Text;
using EdgeVisor.Emulation.Memory;
using EdgeVisor.Emulation.Time;

namespace EdgeVisor.Emulation.CortexM.Tests.Unicorn;

/// <summary>
/// One FP/DSP differential case: code, core registers, S registers, APSR (incl. GE) and the number of instructions.
/// FP cases start with <c>VMSR FPSCR, R12</c> (R12 holding the wanted FPSCR): the first FP instruction of a context
/// loads FPSCR from FPDSCR on both engines, and Unicorn cannot set CONTROL.FPCA from outside, so FPSCR is set from inside.
/// </summary>
public sealed record FpCase(string Description, ushort[] Code, uint[] Registers, uint[] SingleRegisters, uint Apsr, int Steps);

/// <summary>
/// Runs <see cref="FpCase"/>s on Unicorn and on <see cref="CortexMCpu"/> with the FPU enabled (CPACR full access)
/// and compares R0-R15, APSR N/Z/C/V/Q/GE, S0-S31, FPSCR and the
/// data window. Cases where either engine takes an exception must agree on that and are otherwise not compared
/// (exception entry is the system tests' business).
/// </summary>
public sealed class FpDifferentialRunner : IDisposable
{
    private const uint CodeRegion = 0x10000;
    private const uint RamRegion = 0x10000;
    private const uint CpacrAddress = 0xE000ED88;

    private readonly CortexMModel _model;
    private readonly CortexMUnicorn _unicorn;
    private readonly AddressSpace _bus = new();
    private readonly VirtualClock _clock = new(25_000_000);
    private readonly CortexMCpu _cpu;
    private readonly byte[] _data = new byte[DifferentialRunner.DataSize];

    public FpDifferentialRunner(CortexMModel model)
    {
        _model = model;
        _unicorn = new CortexMUnicorn(model.Fpu == FpuKind.FPv5SP ? CortexMUnicorn.CortexM7 : CortexMUnicorn.CortexM4);
        _unicorn.Map(0, CodeRegion);
        _unicorn.Map(DifferentialRunner.DataBase, RamRegion);
        _bus.MapMemory("code", 0, CodeRegion, RegionKind.Ram);
        _bus.MapMemory("ram", DifferentialRunner.DataBase, RamRegion, RegionKind.Ram);

        var vectors = DifferentialCompare.VectorTable();
        _bus.Load(0, vectors);
        _unicorn.Write(0, vectors);
        _cpu = new CortexMCpu(model, _bus, _clock, new CortexMConfiguration());
        ResetCpu();
    }

    /// <summary>Cases in which both engines took an exception (agreement, but nothing was compared): must stay rare.</summary>
    public int ExceptionCases { get; private set; }

    /// <summary>Runs one case; returns null when both engines agree, else a description of the difference.</summary>
    public string? Run(FpCase c, Random random)
    {
        random.NextBytes(_data);
        var code = DifferentialCompare.CodeImage(c.Code);
        _unicorn.Write(DifferentialRunner.CodeBase, code);
        _unicorn.FlushTranslations(DifferentialRunner.CodeBase, DifferentialRunner.CodeBase + (uint)code.Length);
        _unicorn.Write(DifferentialRunner.DataBase, _data);
        for (int r = 0; r < 15; r++)
        {
            _unicorn[r] = c.Registers[r];
        }

        for (int s = 0; s < 32; s++)
        {
            _unicorn.WriteS(s, c.SingleRegisters[s]);
        }

        _unicorn.Xpsr = (c.Apsr & 0xF800_0000) | (1u << 24);
        _unicorn.ApsrWithGe = c.Apsr;
        bool unicornOk = _unicorn.Run(DifferentialRunner.CodeBase, c.Steps) && (_unicorn.Xpsr & 0x1FF) == 0;

        _bus.Load(DifferentialRunner.CodeBase, code);
        _bus.Load(DifferentialRunner.DataBase, _data);
        for (int r = 0; r < 15; r++)
        {
            _cpu.R[r] = c.Registers[r];
        }

        for (int s = 0; s < 32; s++)
        {
            _cpu.S[s] = c.SingleRegisters[s];
        }

        _cpu.R[15] = DifferentialRunner.CodeBase;
        _cpu.Apsr = c.Apsr;
        _cpu.Control = 0;
        _cpu.ItState = 0;
        _cpu.Thumb = true;
        _cpu.Run(_clock.Now + (ulong)c.Steps);
        bool oursOk = _cpu.Ipsr == 0 && !_cpu.LockedUp;

        if (!unicornOk || !oursOk)
        {
            if (!oursOk)
            {
                ResetCpu();
            }

            if (!unicornOk && !oursOk)
            {
                ExceptionCases++;
            }

            return unicornOk == oursOk ? null : $"exception taken by {(unicornOk ? "EdgeVisor only" : "Unicorn only")}\n{Describe(c)}";
        }

        var diff = new StringBuilder();
        DifferentialCompare.CompareCoreRegisters(diff, _unicorn, _cpu);

        for (int s = 0; s < 32; s++)
        {
            uint expected = _unicorn.ReadS(s);
            if (expected != _cpu.S[s])
            {
                diff.Append($"s{s}: unicorn 0x{expected:X8}, edgevisor 0x{_cpu.S[s]:X8}\n");
            }
        }

        if (_unicorn.Fpscr != _cpu.Fpscr)
        {
            diff.Append($"FPSCR: unicorn 0x{_unicorn.Fpscr:X8}, edgevisor 0x{_cpu.Fpscr:X8}\n");
        }

        uint expectedApsr = _unicorn.ApsrWithGe & 0xF80F_0000;
        uint actualApsr = _cpu.Apsr & 0xF80F_0000;
        if (expectedApsr != actualApsr)
        {
            diff.Append($"APSR: unicorn 0x{expectedApsr:X8}, edgevisor 0x{actualApsr:X8}\n");
        }

        DifferentialCompare.CompareDataWindow(diff, _unicorn, _bus);

        return diff.Length == 0 ? null : diff + Describe(c);
    }

    public void Dispose()
    {
        _unicorn.Dispose();
        _bus.Dispose();
    }

    private void ResetCpu()
    {
        _cpu.Reset();
        _bus.Write32(CpacrAddress, 0x00F0_0000);
    }

    private string Describe(FpCase c)
    {
        var text = DifferentialCompare.DescribeCode(_model, c.Description, c.Code);
        text.Append($", {c.Steps} step(s), APSR 0x{c.Apsr:X8}\n");
        DifferentialCompare.DescribeRegisters(text, c.Registers);

        text.Append('\n');
        for (int s = 0; s < 32; s++)
        {
            text.Append($"s{s}=0x{c.SingleRegisters[s]:X8} ");
        }

        return text.ToString();
    }
}
