using EdgeVisor.Emulation.CortexM.Tests.SystemModel;

namespace EdgeVisor.Emulation.CortexM.Tests.FloatingPoint;

/// <summary>Small FP programs assembled with arm-none-eabi-as, run end to end: FPSCR flags, VMRS APSR_nzcv with conditional code, VPUSH/VPOP.</summary>
public class FpProgramTests
{
    private static CoreFixture RunProgram(string source, string model, string fpu, int steps)
    {
        var program = Assembler.Assemble(source, model == "cortex-m7" ? "cortex-m7" : "cortex-m4", CoreFixture.ResetHandler, fpu);
        var fixture = new CoreFixture(model);
        fixture.Write(0xE000ED88, 0x00F0_0000);
        fixture.Bus.Load(CoreFixture.ResetHandler, program.Image);
        fixture.Cpu.Run(fixture.Clock.Now + (ulong)steps);
        Assert.Equal(0u, fixture.Cpu.Ipsr);
        return fixture;
    }

    [Fact]
    public void Compare_and_branch_on_fp_flags()
    {
        const string source = """
            vmov.f32 s0, #1.5
            vmov.f32 s1, #2.0
            vcmp.f32 s0, s1
            vmrs APSR_nzcv, fpscr
            ite lt
            movlt r0, #1
            movge r0, #2
            vdiv.f32 s2, s0, s1
            vmul.f32 s3, s2, s1
            vmrs r1, fpscr
            b .
            """;
        using var fixture = RunProgram(source, "cortex-m4f", "fpv4-sp-d16", 10);
        Assert.Equal(1u, fixture.Cpu.R[0]);
        Assert.True(fixture.Cpu.N);
        Assert.Equal(0x3F40_0000u, fixture.Cpu.S[2]); // 0.75
        Assert.Equal(0x3FC0_0000u, fixture.Cpu.S[3]); // 1.5
        Assert.Equal(0x8000_0000u, fixture.Cpu.R[1]); // N from the compare, no exception flags
    }

    [Fact]
    public void Vpush_and_vpop_round_trip_through_the_stack()
    {
        const string source = """
            vmov.f32 s16, #3.0
            vmov.f32 s17, #-0.5
            vmov r2, r3, s16, s17
            vpush {s16-s17}
            vmov.f32 s16, #1.0
            vmov.f32 s17, #1.0
            vpop {s16-s17}
            vmov r4, r5, d8
            b .
            """;
        using var fixture = RunProgram(source, "cortex-m7", "fpv5-sp-d16", 8);
        Assert.Equal(fixture.Cpu.R[2], fixture.Cpu.R[4]);
        Assert.Equal(fixture.Cpu.R[3], fixture.Cpu.R[5]);
        Assert.Equal(0x4040_0000u, fixture.Cpu.R[4]);
        Assert.Equal(0xBF00_0000u, fixture.Cpu.R[5]);
        Assert.Equal(CoreFixture.InitialSp, fixture.Cpu.R[13]);
    }

    [Fact]
    public void Division_by_zero_and_inexact_accumulate_in_fpscr()
    {
        const string source = """
            vmov.f32 s0, #1.0
            vsub.f32 s1, s1, s1
            vdiv.f32 s2, s0, s1
            vmov.f32 s3, #3.0
            vdiv.f32 s4, s0, s3
            vmrs r0, fpscr
            b .
            """;
        using var fixture = RunProgram(source, "cortex-m4f", "fpv4-sp-d16", 6);
        Assert.Equal(0x7F80_0000u, fixture.Cpu.S[2]);
        Assert.Equal(0x12u, fixture.Cpu.R[0] & 0x9F); // DZC | IXC
    }

    [Fact]
    public void Fp_instructions_inside_an_it_block_execute_only_when_the_condition_holds()
    {
        const string source = """
            vmov.f32 s0, #1.0
            vmov.f32 s1, #1.0
            movs r0, #0
            cmp r0, #0
            itte eq
            vaddeq.f32 s2, s0, s1
            vmoveq r1, s2
            vaddne.f32 s3, s0, s1
            vcvt.s32.f32 s4, s2
            vmov r2, s4
            b .
            """;
        using var fixture = RunProgram(source, "cortex-m4f", "fpv4-sp-d16", 10);
        Assert.Equal(0x4000_0000u, fixture.Cpu.R[1]); // 2.0
        Assert.Equal(2u, fixture.Cpu.R[2]);
        Assert.Equal(0u, fixture.Cpu.S[3]); // the "ne" addition was skipped
    }

    [Fact]
    public void Vldr_reads_pc_relative_literals_from_the_word_aligned_pc()
    {
        const string source = """
            nop
            vldr s0, value
            vldr d1, pair
            vmov r0, s0
            vmov r1, r2, d1
            b .
            .align 3
            value: .word 0x40490FDB
            .word 0
            pair: .word 0x11111111, 0x22222222
            """;
        using var fixture = RunProgram(source, "cortex-m4f", "fpv4-sp-d16", 5);
        Assert.Equal(0x4049_0FDBu, fixture.Cpu.R[0]);
        Assert.Equal(0x1111_1111u, fixture.Cpu.R[1]);
        Assert.Equal(0x2222_2222u, fixture.Cpu.R[2]);
    }
}
