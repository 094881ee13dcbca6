using EdgeVisor.Emulation.Arm64.Tests.Unicorn;

namespace EdgeVisor.Emulation.Arm64.Tests.Simd.Data;

/// <summary>Random encodings of each SIMD data class on random registers, against Unicorn (seed in any failure).</summary>
public sealed class SimdDataDifferentialTests
{
    [Fact]
    public void Copy_permute_table_extract_and_modified_immediate_match_Unicorn()
    {
        UnicornDifferential.RunRandom(SimdDataTemplates.Movement, 6000, seed: 0x51D2).AssertEveryTemplateExecuted();
    }

    [Fact]
    public void Shifts_by_immediate_match_Unicorn()
    {
        UnicornDifferential.RunRandom(SimdDataTemplates.Shifts, 5000, seed: 0x5F17).AssertEveryTemplateExecuted();
    }

    [Fact]
    public void By_element_operations_match_Unicorn()
    {
        UnicornDifferential.RunRandom(SimdDataTemplates.ByElement, 4000, seed: 0xE1E7).AssertEveryTemplateExecuted();
    }

    [Fact]
    public void Floating_point_by_element_and_fixed_point_conversions_match_Unicorn_under_every_fpcr_mode()
    {
        UnicornDifferential.RunRandom(SimdDataTemplates.FloatingPoint, 4000, seed: 0xF10A, new DifferentialOptions { RandomFpcr = true })
            .AssertEveryTemplateExecuted();
    }

    [Fact]
    public void Random_sequences_of_simd_data_instructions_match_Unicorn()
    {
        InstructionTemplate[] all = [.. SimdDataTemplates.Movement, .. SimdDataTemplates.Shifts, .. SimdDataTemplates.ByElement];
        UnicornDifferential.RunSequences(all, sequences: 150, length: 30, seed: 0x5E0);
    }
}
