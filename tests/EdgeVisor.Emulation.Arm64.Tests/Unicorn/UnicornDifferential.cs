using System.Text;
using EdgeVisor.Emulation.Arm64.Tests.TestKit;

namespace EdgeVisor.Emulation.Arm64.Tests.Unicorn;

/// <summary>Knobs for random differential runs.</summary>
internal sealed record DifferentialOptions
{
    public static readonly DifferentialOptions Default = new();

    /// <summary>Randomise FPCR's RMode, FZ, DN and AHP in the initial states.</summary>
    public bool RandomFpcr { get; init; }

    /// <summary>Instruction budget for one run (both engines).</summary>
    public ulong InstructionLimit { get; init; } = 10_000;

    /// <summary>Mismatches collected before the run gives up and fails.</summary>
    public int MaxFailures { get; init; } = 5;

    /// <summary>Optional hook to adjust each random initial state (e.g. put a pointer in a register).</summary>
    public Action<A64State, Random>? PrepareState { get; init; }
}

/// <summary>Counts from a random run, per template: how many encodings executed and how many both engines rejected as undefined.</summary>
internal sealed class DifferentialReport
{
    private readonly Dictionary<string, (int Executed, int Undefined)> _perTemplate = [];

    public int Cases { get; private set; }

    public int Executed { get; private set; }

    public int Undefined { get; private set; }

    public void Add(string template, OutcomeKind kind)
    {
        Cases++;
        var (executed, undefined) = _perTemplate.GetValueOrDefault(template);
        if (kind == OutcomeKind.Undefined)
        {
            Undefined++;
            _perTemplate[template] = (executed, undefined + 1);
        }
        else
        {
            Executed++;
            _perTemplate[template] = (executed + 1, undefined);
        }
    }

    /// <summary>Fails unless every template produced at least one instruction that executed (a template that only yields undefined encodings tests nothing).</summary>
    public void AssertEveryTemplateExecuted()
    {
        var idle = _perTemplate.Where(t => t.Value.Executed == 0).Select(t => t.Key).ToList();
        Assert.True(idle.Count == 0, $"templates that never produced a defined instruction: {string.Join(", ", idle)}");
    }

    public override string ToString() => $"{Cases} cases, {Executed} executed, {Undefined} undefined on both";
}

/// <summary>
/// Differential testing of EdgeVisor's A64 core against Unicorn 2.0.1: the same code, initial state and memory on
/// both, then every register, the flags, FPCR/FPSR, TPIDR_EL0, the PC, how the run ended, and the data and stack
/// areas must agree. See Unicorn/README.md.
/// </summary>
internal sealed class UnicornDifferential : IDisposable
{
    private readonly EdgeVisorRunner _edgeVisor = new();
    private readonly Dictionary<UnicornCpuModel, UnicornRunner> _unicorn = [];

    /// <summary>Runs <paramref name="code"/> from <paramref name="initial"/> on both engines and fails with a full report on any difference.</summary>
    public static void Compare(uint[] code, A64State initial, UnicornCpuModel model = UnicornCpuModel.CortexA72, ulong instructionLimit = 10_000)
    {
        using var differential = new UnicornDifferential();
        string? mismatch = differential.Check(code, initial, model, instructionLimit, out _);
        if (mismatch is not null)
        {
            Assert.Fail("Unicorn differential mismatch:\n" + mismatch);
        }
    }

    /// <summary>
    /// <paramref name="count"/> single random instructions drawn from <paramref name="templates"/>, each from a fresh random
    /// state. Fails listing the mismatches (with the seed) if any; returns the counts.
    /// </summary>
    public static DifferentialReport RunRandom(IReadOnlyList<InstructionTemplate> templates, int count, int seed, DifferentialOptions? options = null)
        => Run(templates, count, 1, seed, options ?? DifferentialOptions.Default);

    /// <summary>
    /// Risu-style: <paramref name="sequences"/> runs of <paramref name="length"/> random instructions each (drawn from
    /// all templates), compared once at the end of each run (registers and touched memory).
    /// </summary>
    public static DifferentialReport RunSequences(IReadOnlyList<InstructionTemplate> templates, int sequences, int length, int seed, DifferentialOptions? options = null)
        => Run(templates, sequences, length, seed, options ?? DifferentialOptions.Default);

    /// <summary>Runs one case on both engines; returns null if they agree, else a description of every difference.</summary>
    public string? Check(uint[] code, A64State initial, UnicornCpuModel model, ulong instructionLimit, out OutcomeKind kind)
    {
        if (!_unicorn.TryGetValue(model, out var unicorn))
        {
            _unicorn[model] = unicorn = new UnicornRunner(model);
        }

        var reference = unicorn.Run(code, initial, instructionLimit);
        var actual = _edgeVisor.Run(code, initial, instructionLimit);
        kind = reference.Kind;
        var differences = Differences(initial, actual, reference);
        if (differences.Length == 0)
        {
            return null;
        }

        return $"{Disassembler.Listing(code)}Unicorn CPU model {model}\n{differences}";
    }

    public void Dispose()
    {
        _edgeVisor.Dispose();
        foreach (var runner in _unicorn.Values)
        {
            runner.Dispose();
        }
    }

    private static DifferentialReport Run(IReadOnlyList<InstructionTemplate> templates, int runs, int length, int seed, DifferentialOptions options)
    {
        if (templates.Count == 0)
        {
            throw new ArgumentException("no templates", nameof(templates));
        }

        var rng = new Random(seed);
        var report = new DifferentialReport();
        var failures = new List<string>();
        using var differential = new UnicornDifferential();
        for (int run = 0; run < runs && failures.Count < options.MaxFailures; run++)
        {
            var code = new uint[length];
            var used = new InstructionTemplate[length];
            for (int i = 0; i < length; i++)
            {
                // In sequences, redraw encodings EdgeVisor treats as undefined: they would end the run early
                // (single-instruction runs are where undefined-ness is compared).
                int attempts = 0;
                do
                {
                    used[i] = templates[rng.Next(templates.Count)];
                    code[i] = used[i].Generate(rng, new GenerationContext(i, length));
                }
                while (length > 1 && !Encodings.IsDefined(code[i]) && ++attempts < 100);
            }

            // A sequence needs one model that implements everything in it; Max is the superset.
            var model = used.All(t => t.Model == used[0].Model) ? used[0].Model : UnicornCpuModel.Max;
            var initial = A64State.Random(rng, options.RandomFpcr);
            options.PrepareState?.Invoke(initial, rng);
            string? mismatch = differential.Check(code, initial, model, options.InstructionLimit, out var kind);
            string name = length == 1 ? used[0].Name : "sequence";
            if (mismatch is not null)
            {
                failures.Add($"seed {seed}, run {run}, template(s) {string.Join(", ", used.Select(t => t.Name).Distinct())}:\n{mismatch}");
            }

            report.Add(name, kind);
        }

        if (failures.Count > 0)
        {
            Assert.Fail($"Unicorn differential: {failures.Count} mismatch(es) (seed {seed}; {report}):\n\n{string.Join("\n", failures)}");
        }

        return report;
    }

    /// <summary>Every difference between two outcomes of the same case, one line each (empty when they agree).</summary>
    internal static string Differences(A64State initial, DifferentialOutcome actual, DifferentialOutcome reference)
    {
        var text = new StringBuilder();
        if (actual.Kind != reference.Kind || actual.Pc != reference.Pc)
        {
            text.Append($"  end: EdgeVisor {actual.Kind} at PC 0x{actual.Pc:X} ({actual.Detail}), Unicorn {reference.Kind} at PC 0x{reference.Pc:X} ({reference.Detail})\n");
        }

        if (actual.Kind == OutcomeKind.Undefined && reference.Kind == OutcomeKind.Undefined)
        {
            return text.ToString(); // both refused the encoding: the state is the initial one on both
        }

        var a = actual.State;
        var r = reference.State;
        for (int i = 0; i < 31; i++)
        {
            Register(text, $"X{i}", a.X[i], r.X[i], initial.X[i]);
        }

        Register(text, "SP", a.Sp, r.Sp, initial.Sp);
        Register(text, "NZCV", a.Nzcv, r.Nzcv, initial.Nzcv);
        Register(text, "FPCR", a.Fpcr, r.Fpcr, initial.Fpcr);
        Register(text, "FPSR", a.Fpsr, r.Fpsr, initial.Fpsr);
        Register(text, "TPIDR_EL0", a.TpidrEl0, r.TpidrEl0, initial.TpidrEl0);
        for (int i = 0; i < 32; i++)
        {
            if (a.V[i] != r.V[i])
            {
                text.Append($"  V{i}: EdgeVisor 0x{a.V[i]:X32}, Unicorn 0x{r.V[i]:X32} (initial 0x{initial.V[i]:X32})\n");
            }
        }

        Memory(text, "data", A64Machine.DataBase, a.Data, r.Data, initial.Data);
        Memory(text, "stack", A64Machine.StackTop - A64Machine.StackSize, a.Stack, r.Stack, initial.Stack);
        return text.ToString();
    }

    private static void Register(StringBuilder text, string name, ulong actual, ulong reference, ulong initial)
    {
        if (actual != reference)
        {
            text.Append($"  {name}: EdgeVisor 0x{actual:X}, Unicorn 0x{reference:X} (initial 0x{initial:X})\n");
        }
    }

    private static void Memory(StringBuilder text, string area, ulong baseAddress, byte[] actual, byte[] reference, byte[] initial)
    {
        if (actual.AsSpan().SequenceEqual(reference))
        {
            return;
        }

        int shown = 0;
        for (int i = 0; i < actual.Length && shown < 8; i++)
        {
            if (actual[i] != reference[i])
            {
                text.Append($"  {area} [0x{baseAddress + (ulong)i:X}]: EdgeVisor 0x{actual[i]:X2}, Unicorn 0x{reference[i]:X2} (initial 0x{initial[i]:X2})\n");
                shown++;
            }
        }
    }
}
