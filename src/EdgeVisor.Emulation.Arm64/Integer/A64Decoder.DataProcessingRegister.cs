using EdgeVisor.Emulation.Arm64.Integer;

namespace EdgeVisor.Emulation.Arm64.Decoding;

/// <summary>Data processing — register (ARM ARM C4.1.5): split by op1 = bit 28 and op2 = bits 24:21.</summary>
public static unsafe partial class A64Decoder
{
    private static bool DecodeDataProcessingRegister(uint raw, ref Op op)
    {
        uint op2 = (raw >> 21) & 0xF;
        if (((raw >> 28) & 1) == 0)
        {
            return (op2 & 0b1000) == 0 ? RegisterDecoders.LogicalShifted(raw, ref op)
                : (op2 & 1) == 0 ? RegisterDecoders.AddSubtractShifted(raw, ref op)
                : RegisterDecoders.AddSubtractExtended(raw, ref op);
        }

        return op2 switch
        {
            0b0000 => RegisterDecoders.AddSubtractCarry(raw, ref op), // RMIF/SETF (FlagM) are not advertised: undefined
            0b0010 => RegisterDecoders.ConditionalCompare(raw, ref op),
            0b0100 => RegisterDecoders.ConditionalSelect(raw, ref op),
            0b0110 => ((raw >> 30) & 1) == 0 ? RegisterDecoders.TwoSource(raw, ref op) : RegisterDecoders.OneSource(raw, ref op),
            >= 0b1000 => RegisterDecoders.ThreeSource(raw, ref op),
            _ => false,
        };
    }
}
