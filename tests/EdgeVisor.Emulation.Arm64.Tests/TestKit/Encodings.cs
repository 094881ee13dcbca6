using EdgeVisor.Emulation.Arm64.Decoding;

namespace EdgeVisor.Emulation.Arm64.Tests.TestKit;

/// <summary>What EdgeVisor's decoder makes of a raw encoding, without running it.</summary>
internal static unsafe class Encodings
{
    /// <summary>Whether the decoder gives <paramref name="raw"/> a real handler rather than the undefined-instruction op.</summary>
    public static bool IsDefined(uint raw)
    {
        var op = default(Op);
        A64Decoder.Decode(raw, A64Machine.CodeBase, ref op);
        return (nint)op.Handler != (nint)(delegate*<Arm64Cpu, ref Op, void>)&A64Decoder.Undefined; // ldftn gives one stable entry point
    }
}
