using EdgeVisor.Emulation.Arm64.Tests.TestKit;

namespace EdgeVisor.Emulation.Arm64.Tests.LoadStore;

/// <summary>
/// Loads and stores of features this core does not implement or advertise (RCpc, LORegions, pointer authentication,
/// memory tagging) and reserved encodings stop as undefined (SIGILL) with the encoding, instead of running as
/// something else. Unicorn's "max" CPU implements several of these, so they are checked here rather than against it.
/// </summary>
public sealed class UnimplementedEncodingTests
{
    public static TheoryData<string> Instructions => new()
    {
        "ldapr x0, [x1]",
        "ldaprb w0, [x1]",
        "ldapur x0, [x1, #8]",
        "stlur w0, [x1, #-4]",
        "ldraa x0, [x1, #8]",
        "stg x0, [x1]",
        "ldlar w0, [x1]",
        "stllr x0, [x1]",
        ".inst 0x48217c82 // CASP with an odd Rs",
        ".inst 0xc8a00041 // CAS with Rt2 other than 11111",
        ".inst 0xf8800420 // the PRFM slot of post-index",
        ".inst 0x3c400820 // unprivileged SIMD&FP load",
        ".inst 0x7cc00420 // LDR with V = 1, opc = 11, size = 01",
        ".inst 0xe9c00420 // not a valid pair: opc = 11",
        ".inst 0x0c401020 // multiple structures, opcode 0001",
        ".inst 0x0d40d020 // LD1R with S = 1",
    };

    [Theory]
    [MemberData(nameof(Instructions))]
    public void Encodings_of_unimplemented_features_and_reserved_values_are_undefined(string instruction)
    {
        string source = ".arch armv8.5-a+memtag+rcpc+lse\n" + instruction;
        using var m = new A64Machine().Assemble(source);
        uint raw = m.Memory.Read32(A64Machine.CodeBase);
        m.Cpu.X[1] = A64Machine.DataBase;
        m.Cpu.X[4] = A64Machine.DataBase;
        m.Cpu.X[0] = 0x1234;
        var stop = m.Run(1);
        Assert.Equal(Arm64StopKind.Undefined, stop.Kind);
        Assert.Equal(raw, stop.Detail);
        Assert.Equal(A64Machine.CodeBase, m.Cpu.Pc);
        Assert.Equal(0x1234UL, m.Cpu.X[0]);
        Assert.Equal(A64Machine.DataBase, m.Cpu.X[1]);
    }
}
