using EdgeVisor.Emulation.Arm64.Branches;
using EdgeVisor.Emulation.Arm64.SystemInstructions;

namespace EdgeVisor.Emulation.Arm64.Decoding;

/// <summary>Branches, exception generating and system instructions (ARM ARM C4.1.3): split by op0 = bits 31:29.</summary>
public static unsafe partial class A64Decoder
{
    private static bool DecodeBranchesExceptionsSystem(uint raw, ref Op op) => (raw >> 29) switch
    {
        0b000 or 0b100 => BranchDecoders.Immediate(raw, ref op),
        0b001 or 0b101 => ((raw >> 25) & 1) == 0 ? BranchDecoders.CompareAndBranch(raw, ref op) : BranchDecoders.TestAndBranch(raw, ref op),
        0b010 => ((raw >> 25) & 1) == 0 && BranchDecoders.Conditional(raw, ref op),
        0b110 => ((raw >> 25) & 1) != 0
            ? BranchDecoders.Register(raw, ref op)
            : ((raw >> 24) & 1) == 0 ? BranchDecoders.ExceptionGeneration(raw, ref op) : SystemDecoders.Decode(raw, ref op),
        _ => false,
    };
}
