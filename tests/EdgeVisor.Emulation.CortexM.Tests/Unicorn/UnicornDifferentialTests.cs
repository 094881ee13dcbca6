using System.Reflection;

namespace EdgeVisor.Emulation.CortexM.Tests.Unicorn;

/// <summary>
/// Differential ISA test against Unicorn 2.0.1: for every CPU model and every
/// <see cref="InstructionGenerator"/> that applies to it, thousands of random instructions are run on
/// both engines from the same state and the results compared. Set EDGEVISOR_SEED to reproduce a
/// failure (the seed is printed in the message) and EDGEVISOR_DIFF_CASES to run more cases.
/// </summary>
public sealed class UnicornDifferentialTests
{
    private const int DefaultSeed = 20261126;
    private const int DefaultCases = 1500;

    public static TheoryData<string, string> ModelsAndClasses()
    {
        var data = new TheoryData<string, string>();
        foreach (var modelName in new[] { "cortex-m0", "cortex-m3", "cortex-m4" })
        {
            var model = CortexMModel.Find(modelName)!;
            foreach (var generator in Generators())
            {
                if (generator.Supports(model))
                {
                    data.Add(modelName, generator.Name);
                }
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(ModelsAndClasses))]
    public void Instruction_class_matches_unicorn(string modelName, string generatorName)
    {
        var model = CortexMModel.Find(modelName)!;
        var generator = Generators().Single(g => g.Name == generatorName);
        int seed = int.TryParse(Environment.GetEnvironmentVariable("EDGEVISOR_SEED"), out int s) ? s : DefaultSeed;
        int cases = int.TryParse(Environment.GetEnvironmentVariable("EDGEVISOR_DIFF_CASES"), out int n) ? n : DefaultCases;
        var random = new Random(seed ^ StableHash(modelName + "/" + generatorName));

        using var runner = new DifferentialRunner(model);
        var failures = new List<string>();
        for (int i = 0; i < cases && failures.Count < 5; i++)
        {
            var c = generator.Generate(new CaseBuilder(random, model));
            if (runner.Run(c, random) is { } difference)
            {
                failures.Add($"case {i}: {difference}");
            }
        }

        Assert.True(runner.BothFaulted * 20 < cases, $"{runner.BothFaulted} of {cases} {generatorName} cases faulted on both engines: the generator makes too few comparable cases");
        Assert.True(
            failures.Count == 0,
            $"{generatorName} on {modelName} differs from Unicorn (EDGEVISOR_SEED={seed}):\n{string.Join("\n\n", failures)}");
    }

    internal static IEnumerable<InstructionGenerator> Generators() =>
        typeof(InstructionGenerator).Assembly.GetTypes()
            .Where(t => t.IsSubclassOf(typeof(InstructionGenerator)) && !t.IsAbstract)
            .OrderBy(t => t.Name, StringComparer.Ordinal)
            .Select(t => (InstructionGenerator)Activator.CreateInstance(t)!);

    private static int StableHash(string text)
    {
        int hash = 17;
        foreach (char ch in text)
        {
            hash = unchecked((hash * 31) + ch);
        }

        return hash;
    }
}
