namespace EdgeVisor.Emulation.Arm64.Tests.Simd.Arithmetic;

/// <summary>Reserved arrangements and unimplemented extension classes execute as undefined instructions.</summary>
public sealed class UnallocatedEncodingTests
{
    [Theory]
    [InlineData(0x0EE2_8420u, "ADD V0.1D (size 11, Q 0) is reserved")]
    [InlineData(0x2E62_9C20u, "PMUL with 16-bit elements is reserved")]
    [InlineData(0x4EE2_9C20u, "MUL with 64-bit elements is reserved")]
    [InlineData(0x0E22_B420u, "SQDMULH with bytes is reserved")]
    [InlineData(0x0E62_D420u, "FADD V0.4H (three same FP16) is not advertised")]
    [InlineData(0x4E82_9420u, "SDOT (three-register extension) is not advertised")]
    [InlineData(0x0E61_D820u, "FADDP (wrong U) / unallocated two-register-misc opcode")]
    [InlineData(0x0EB1_B820u, "ADDV .2S is reserved")]
    [InlineData(0x6EF0_C820u, "FMAXNMV .2D is reserved")]
    [InlineData(0x0E62_E020u, "PMULL with 16-bit elements is reserved")]
    [InlineData(0x5E22_8420u, "scalar ADD with bytes is reserved")]
    [InlineData(0x0E62_F420u, "three same FP16 FMAX")]
    public void Reserved_or_unadvertised_encodings_are_undefined(uint encoding, string why)
    {
        using var bench = new SimdTestBench();
        var stop = bench.RunWord(encoding);
        Assert.True(stop.Kind == Arm64StopKind.Undefined, $"{why}: 0x{encoding:X8} stopped with {stop.Kind}");
        Assert.Equal(encoding, stop.Detail);
    }
}
