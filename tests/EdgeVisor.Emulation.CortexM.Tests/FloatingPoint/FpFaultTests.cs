using EdgeVisor.Emulation.CortexM.Tests.SystemModel;

namespace EdgeVisor.Emulation.CortexM.Tests.FloatingPoint;

/// <summary>
/// FP faults the ARMv7-M ARM requires and Unicorn cannot judge (it runs FP on every model, ignores CPACR and does not
/// fault unaligned FP accesses): NOCP without an FPU or with CP10/CP11 disabled, UNDEFINSTR for FPv5 encodings on FPv4
/// and for double-precision arithmetic on single-precision FPUs, UNALIGNED for FP loads/stores.
/// </summary>
public class FpFaultTests
{
    private const uint Undefinstr = 1u << 16;
    private const uint Nocp = 1u << 19;
    private const uint Unaligned = 1u << 24;
    private const uint Cpacr = 0xE000ED88;

    private const uint VaddF32 = 0xEE710A21;     // vadd.f32 s1, s2, s3
    private const uint VaddF64 = 0xEE310B02;     // vadd.f64 d0, d1, d2
    private const uint VmaxnmF32 = 0xFEC10A21;   // vmaxnm.f32 s1, s2, s3
    private const uint VldrS0R0 = 0xED900A00;    // vldr s0, [r0]
    private const uint VldmR0 = 0xEC900A02;      // vldmia r0, {s0-s1}
    private const uint VmovR0S0 = 0xEE100A10;    // vmov r0, s0

    /// <summary>Runs one 32-bit instruction at the reset handler and returns the UFSR bits of CFSR (0 when nothing faulted).</summary>
    private static uint RunOne(string model, uint instruction, uint cpacr, bool unprivileged = false, uint r0 = 0x20000100)
    {
        using var fixture = new CoreFixture(model);
        fixture.Write(Cpacr, cpacr);
        fixture.Bus.Write16(CoreFixture.ResetHandler, (ushort)(instruction >> 16));
        fixture.Bus.Write16(CoreFixture.ResetHandler + 2, (ushort)instruction);
        fixture.Cpu.R[0] = r0;
        fixture.Cpu.Control = unprivileged ? 1u : 0;
        fixture.Cpu.Run(fixture.Clock.Now + 1);
        if (fixture.Cpu.Ipsr == 0)
        {
            Assert.Equal(CoreFixture.ResetHandler + 4, fixture.Cpu.Pc);
            return 0;
        }

        Assert.Equal(3u, fixture.Cpu.Ipsr); // UsageFault is disabled at reset, so it escalates to HardFault
        return fixture.Cpu.Scb.Faults.Cfsr & 0xFFFF_0000;
    }

    [Theory]
    [InlineData("cortex-m3")]
    [InlineData("cortex-m4")]
    public void Fp_instructions_on_a_core_without_fpu_raise_nocp(string model)
    {
        Assert.Equal(Nocp, RunOne(model, VaddF32, 0x00F0_0000));
        Assert.Equal(Nocp, RunOne(model, VmovR0S0, 0x00F0_0000));
    }

    [Theory]
    [InlineData("cortex-m4f")]
    [InlineData("cortex-m7")]
    public void Cpacr_controls_fp_access(string model)
    {
        Assert.Equal(Nocp, RunOne(model, VaddF32, 0));
        Assert.Equal(Nocp, RunOne(model, VaddF32, 0x0050_0000, unprivileged: true)); // privileged-only access
        Assert.Equal(0u, RunOne(model, VaddF32, 0x0050_0000));
        Assert.Equal(0u, RunOne(model, VaddF32, 0x00F0_0000, unprivileged: true));
    }

    [Fact]
    public void Fpv5_instructions_are_undefined_on_fpv4()
    {
        Assert.Equal(Undefinstr, RunOne("cortex-m4f", VmaxnmF32, 0x00F0_0000));
        Assert.Equal(0u, RunOne("cortex-m7", VmaxnmF32, 0x00F0_0000));
    }

    [Theory]
    [InlineData("cortex-m4f")]
    [InlineData("cortex-m7")]
    public void Double_precision_arithmetic_is_undefined_on_single_precision_fpus(string model)
    {
        Assert.Equal(Undefinstr, RunOne(model, VaddF64, 0x00F0_0000));
        Assert.Equal(Nocp, RunOne(model, VaddF64, 0)); // the coprocessor access check comes first
    }

    [Fact]
    public void Unaligned_fp_loads_and_stores_fault_even_without_unalign_trp()
    {
        Assert.Equal(0u, RunOne("cortex-m4f", VldrS0R0, 0x00F0_0000, r0: 0x20000100));
        Assert.Equal(Unaligned, RunOne("cortex-m4f", VldrS0R0, 0x00F0_0000, r0: 0x20000102));
        Assert.Equal(Unaligned, RunOne("cortex-m4f", VldmR0, 0x00F0_0000, r0: 0x20000101));
    }
}
