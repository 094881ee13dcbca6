using EdgeVisor.Emulation.Arm64.Tests.Unicorn;

namespace EdgeVisor.Emulation.Arm64.Tests.LoadStore;

/// <summary>Every load/store class against Unicorn 2.0.1 on random encodings and random states, singly and in sequences.</summary>
public sealed class LoadStoreDifferentialTests
{
    [Fact]
    public void Single_register_and_pair_loads_and_stores_match_Unicorn()
    {
        var report = UnicornDifferential.RunRandom(LoadStoreTemplates.Registers, 6000, seed: 0x15AD);
        report.AssertEveryTemplateExecuted();
    }

    [Fact]
    public void Exclusives_and_acquire_release_match_Unicorn()
    {
        var report = UnicornDifferential.RunRandom(LoadStoreTemplates.Exclusives, 3000, seed: 0xE8C1);
        report.AssertEveryTemplateExecuted();
    }

    [Fact]
    public void Exclusive_sequences_succeed_and_fail_as_on_Unicorn()
    {
        // Load- and store-exclusives of mixed sizes on the same base: the monitor's state carries between them.
        UnicornDifferential.RunSequences(LoadStoreTemplates.DefinedOnly(LoadStoreTemplates.Exclusives), sequences: 300, length: 6, seed: 0xE8C2);
    }

    [Fact]
    public void Compare_and_swap_and_atomic_memory_operations_match_Unicorn()
    {
        var report = UnicornDifferential.RunRandom(LoadStoreTemplates.LargeSystemExtensions, 4000, seed: 0x15E);
        report.AssertEveryTemplateExecuted();
    }

    [Fact]
    public void Atomic_minimum_and_maximum_match_Unicorn_on_operands_where_its_comparison_is_right()
    {
        var options = new DifferentialOptions { PrepareState = LoadStoreTemplates.NonNegativeOperands };
        var report = UnicornDifferential.RunRandom(LoadStoreTemplates.MinMax, 1500, seed: 0x3A3, options);
        report.AssertEveryTemplateExecuted();
    }

    [Fact]
    public void Structure_loads_and_stores_match_Unicorn()
    {
        var report = UnicornDifferential.RunRandom(LoadStoreTemplates.Structures, 4000, seed: 0x57C);
        report.AssertEveryTemplateExecuted();
    }

    [Fact]
    public void Mixed_load_store_sequences_match_Unicorn()
    {
        UnicornDifferential.RunSequences(LoadStoreTemplates.DefinedOnly([.. LoadStoreTemplates.Registers, .. LoadStoreTemplates.Structures]), sequences: 200, length: 20, seed: 0x5E0);
    }
}
