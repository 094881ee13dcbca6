using System.Text;
using EdgeVisor.Emulation.Memory;
using EdgeVisor.Emulation.Time;

namespace EdgeVisor.Emulation.CortexM.Tests.Unicorn;

/// <summary>
/// Runs generated cases on Unicorn and on <see cref="CortexMCpu"/> from identical state and compares
/// R0-R15, N/Z/C/V/Q and the data window after each. What Unicorn cannot judge is left out on
/// purpose: exception entry and the system side (vectors, stacking, NVIC, special registers) are
/// checked against the ARM ARM by the system tests. A case where both engines take an exception
/// counts as agreement; only one taking it is a failure.
/// </summary>
public sealed class DifferentialRunner : IDisposable
{
    public const uint CodeBase = 0x1000;
    public const uint DataBase = 0x20000000;
    public const uint DataSize = 0x1000;
    public const uint StackTop = 0x20000E00;
    private const uint CodeRegion = 0x40000;
    private const uint RamRegion = 0x10000;

    private readonly CortexMModel _model;
    private readonly CortexMUnicorn _unicorn;
    private readonly AddressSpace _bus = new();
    private readonly VirtualClock _clock = new(25_000_000);
    private readonly CortexMCpu _cpu;
    private readonly byte[] _data = new byte[DataSize];

    public DifferentialRunner(CortexMModel model)
    {
        _model = model;
        _unicorn = new CortexMUnicorn(model.Name switch
        {
            "cortex-m0" or "cortex-m0plus" => CortexMUnicorn.CortexM0,
            "cortex-m3" => CortexMUnicorn.CortexM3,
            _ => CortexMUnicorn.CortexM4,
        });
        _unicorn.Map(0, CodeRegion);
        _unicorn.Map(DataBase, RamRegion);
        _bus.MapMemory("code", 0, CodeRegion, RegionKind.Ram);
        _bus.MapMemory("ram", DataBase, RamRegion, RegionKind.Ram);

        var vectors = DifferentialCompare.VectorTable();
        _bus.Load(0, vectors);
        _unicorn.Write(0, vectors);
        _cpu = new CortexMCpu(model, _bus, _clock, new CortexMConfiguration());
        _cpu.Reset();
    }

    /// <summary>Cases where both engines took an exception (agreement, but nothing compared): kept low by the generators.</summary>
    public int BothFaulted { get; private set; }

    /// <summary>Runs one case; returns null when both agree, else a description of the difference.</summary>
    public string? Run(InstructionCase c, Random random)
    {
        random.NextBytes(_data);
        var code = DifferentialCompare.CodeImage(c.Code);
        _unicorn.Write(CodeBase, code);
        _unicorn.FlushTranslations(CodeBase, CodeBase + (uint)code.Length);
        _unicorn.Write(DataBase, _data);
        for (int r = 0; r < 15; r++)
        {
            _unicorn[r] = c.Registers[r];
        }

        _unicorn.Xpsr = c.Apsr | (1u << 24);
        uint end = CodeBase + ((uint)c.Code.Length * 2);
        bool unicornOk = (c.RunToEnd ? _unicorn.RunUntil(CodeBase, end) : _unicorn.Run(CodeBase, c.ReferenceSteps)) && (_unicorn.Xpsr & 0x1FF) == 0;

        _bus.Load(CodeBase, code);
        _bus.Load(DataBase, _data);
        for (int r = 0; r < 15; r++)
        {
            _cpu.R[r] = c.Registers[r];
        }

        _cpu.R[15] = CodeBase;
        _cpu.Apsr = c.Apsr;
        _cpu.ItState = 0;
        _cpu.Thumb = true;
        if (c.RunToEnd)
        {
            _cpu.AddBreakpoint(end);
            _cpu.Run(_clock.Now + (ulong)c.Steps);
            _cpu.RemoveBreakpoint(end);
        }
        else
        {
            _cpu.Run(_clock.Now + (ulong)c.Steps);
        }
        bool oursOk = _cpu.Ipsr == 0 && !_cpu.LockedUp;

        if (!unicornOk || !oursOk)
        {
            if (!oursOk)
            {
                _cpu.Reset();
            }

            BothFaulted += unicornOk == oursOk ? 1 : 0;
            return unicornOk == oursOk ? null : $"exception taken by {(unicornOk ? "EdgeVisor only" : "Unicorn only")}\n{Describe(c)}";
        }

        var diff = new StringBuilder();
        DifferentialCompare.CompareCoreRegisters(diff, _unicorn, _cpu);

        uint expectedFlags = _unicorn.Xpsr & 0xF8000000;
        uint actualFlags = _cpu.Apsr & 0xF8000000;
        if (expectedFlags != actualFlags)
        {
            diff.Append($"NZCVQ: unicorn {expectedFlags >> 27:B5}, edgevisor {actualFlags >> 27:B5}\n");
        }

        DifferentialCompare.CompareDataWindow(diff, _unicorn, _bus);

        return diff.Length == 0 ? null : diff + Describe(c);
    }

    public void Dispose()
    {
        _unicorn.Dispose();
        _bus.Dispose();
    }

    private string Describe(InstructionCase c)
    {
        var text = DifferentialCompare.DescribeCode(_model, c.Description, c.Code);
        text.Append($", {c.Steps} step(s), flags {c.Apsr >> 27:B5}\n");
        DifferentialCompare.DescribeRegisters(text, c.Registers);
        return text.ToString();
    }
}
