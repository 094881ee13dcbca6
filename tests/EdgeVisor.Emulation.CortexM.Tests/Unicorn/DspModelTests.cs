using EdgeVisor.Emulation.CortexM.Tests.SystemModel;

namespace EdgeVisor.Emulation.CortexM.Tests.Unicorn;

/// <summary>The DSP extension exists only on ARMv7E-M (cortex-m4, m4f, m7): elsewhere its encodings are UNDEFINED.</summary>
public class DspModelTests
{
    [Theory]
    [InlineData(0xFA92F103u)] // sadd16 r1, r2, r3
    [InlineData(0xFB22F103u)] // smuad r1, r2, r3
    [InlineData(0xEAC21103u)] // pkhbt r1, r2, r3, lsl #4
    [InlineData(0xFBC312C4u)] // smlald r1, r2, r3, r4
    [InlineData(0xFA83F182u)] // qadd r1, r2, r3
    public void Dsp_instructions_are_undefined_on_armv7m_and_execute_on_armv7em(uint instruction)
    {
        foreach (var (model, faults) in new[] { ("cortex-m3", true), ("cortex-m0", true), ("cortex-m4", false) })
        {
            using var fixture = new CoreFixture(model);
            fixture.Bus.Write16(CoreFixture.ResetHandler, (ushort)(instruction >> 16));
            fixture.Bus.Write16(CoreFixture.ResetHandler + 2, (ushort)instruction);
            fixture.Cpu.Run(fixture.Clock.Now + 1);
            Assert.Equal(faults ? 3u : 0u, fixture.Cpu.Ipsr);
            if (faults && model == "cortex-m3")
            {
                Assert.Equal(1u << 16, fixture.Cpu.Scb.Faults.Cfsr & 0xFFFF_0000); // UNDEFINSTR
            }
        }
    }
}
