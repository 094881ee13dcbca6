using EdgeVisor.Emulation.Machines;

namespace EdgeVisor.Emulation.CortexM.Tests.Engine;

/// <summary>Instructions that must fault, and the ones that must not, per architecture.</summary>
public sealed class FaultTests
{
    private const uint HardFault = 3;
    private const uint CfsrUnaligned = 1u << 24;
    private const uint CfsrDivideByZero = 1u << 25;
    private const uint CfsrUndefined = 1u << 16;
    private const uint CfsrPreciseBusError = 1u << 9;

    [Fact]
    public void Unaligned_ldr_works_on_armv7m()
    {
        // ldr r0, [r1]; b .
        using var core = new TestCore().Load(0x6808, 0xE7FE);
        core.Bus.Write32(TestCore.RamBase + 0x11, 0xCAFEF00D);
        core.Cpu.R[1] = TestCore.RamBase + 0x11;

        core.Cpu.Run(2);

        Assert.Equal(0xCAFEF00Du, core.Cpu.R[0]);
        Assert.Equal(0u, core.Cpu.Ipsr);
    }

    [Fact]
    public void Unaligned_ldr_faults_on_armv6m()
    {
        using var core = new TestCore("cortex-m0").Load(0x6808, 0xE7FE);
        core.Cpu.R[1] = TestCore.RamBase + 0x11;

        core.Cpu.Run(2);

        Assert.Equal(HardFault, core.Cpu.Ipsr);
        Assert.Equal(TestCore.HandlerAddress, core.Cpu.Pc);
    }

    [Fact]
    public void Unaligned_ldm_is_a_usage_fault_on_armv7m()
    {
        // ldmia r1!, {r0}; b .
        using var core = new TestCore().Load(0xC901, 0xE7FE);
        core.Cpu.R[1] = TestCore.RamBase + 0x12;

        core.Cpu.Run(2);

        Assert.NotEqual(0u, core.Cpu.Ipsr);
        Assert.NotEqual(0u, core.Cpu.Scb.Faults.Cfsr & CfsrUnaligned);
        Assert.Equal(TestCore.RamBase + 0x12, core.Cpu.R[1]); // the faulting LDM did not write back
    }

    [Fact]
    public void Ldrt_is_judged_as_unprivileged_even_in_privileged_code()
    {
        // ldr.w r0, [r1] reads CPUID; ldrt r2, [r1] is a bus fault (the SCS refuses unprivileged access),
        // escalated to HardFault because BusFault is not enabled.
        using var core = new TestCore().Load(0xF8D1, 0x0000, 0xF851, 0x2E00, 0xE7FE);
        core.Cpu.R[1] = 0xE000ED00;

        core.Cpu.Run(3);

        Assert.Equal(0x412FC231u, core.Cpu.R[0]);
        Assert.Equal(HardFault, core.Cpu.Ipsr);
        Assert.NotEqual(0u, core.Cpu.Scb.Faults.Cfsr & CfsrPreciseBusError);
        Assert.Equal(TestCore.CodeStart + 4, core.Bus.Read32(core.Cpu.R[13] + 24));
        Assert.False(core.Cpu.UnprivilegedAccess);
    }

    [Fact]
    public void A_thumb2_instruction_is_undefined_on_armv6m()
    {
        // movw r0, #0x1234 (Thumb-2 only)
        using var core = new TestCore("cortex-m0").Load(0xF241, 0x2034, 0xE7FE);

        core.Cpu.Run(1);

        Assert.Equal(HardFault, core.Cpu.Ipsr);
    }

    [Fact]
    public void The_faulting_instruction_address_is_stacked_as_the_return_address()
    {
        // movs r0, #1; udf #0; b .
        using var core = new TestCore().Load(0x2001, 0xDE00, 0xE7FE);

        core.Cpu.Run(2);

        Assert.NotEqual(0u, core.Cpu.Ipsr);
        Assert.NotEqual(0u, core.Cpu.Scb.Faults.Cfsr & CfsrUndefined);
        uint stackedPc = core.Bus.Read32(core.Cpu.R[13] + 24);
        Assert.Equal(TestCore.CodeStart + 2, stackedPc);
        Assert.Equal(2ul, core.Cpu.InstructionsRetired); // movs, then the handler's first b . (the udf never retires)
    }

    [Fact]
    public void Division_by_zero_gives_zero_unless_trapped()
    {
        // udiv r0, r1, r2; b .
        using var core = new TestCore().Load(0xFBB1, 0xF0F2, 0xE7FE);
        core.Cpu.R[0] = 99;
        core.Cpu.R[1] = 10;
        core.Cpu.R[2] = 0;
        core.Cpu.Run(1);
        Assert.Equal(0u, core.Cpu.R[0]);
        Assert.Equal(0u, core.Cpu.Ipsr);

        core.Cpu.Reset();
        core.Cpu.DivideByZeroTrap = true;
        core.Cpu.R[2] = 0;
        core.Cpu.Run(core.Clock.Now + 1);
        Assert.NotEqual(0u, core.Cpu.Ipsr);
        Assert.NotEqual(0u, core.Cpu.Scb.Faults.Cfsr & CfsrDivideByZero);
    }

    [Fact]
    public void Exclusive_store_fails_without_a_matching_exclusive_load()
    {
        // ldrex r0, [r1]; clrex; strex r2, r3, [r1]; b .
        using var core = new TestCore().Load(0xE851, 0x0F00, 0xF3BF, 0x8F2F, 0xE841, 0x3200, 0xE7FE);
        core.Cpu.R[1] = TestCore.RamBase + 0x100;
        core.Cpu.R[3] = 0xABCD;

        Assert.Equal(StopReason.Budget, core.Cpu.Run(3));

        Assert.Equal(1u, core.Cpu.R[2]);
        Assert.Equal(0u, core.Bus.Read32(TestCore.RamBase + 0x100));
    }
}
