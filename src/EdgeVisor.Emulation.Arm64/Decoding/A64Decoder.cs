using EdgeVisor.Emulation.Arm64.Memory;

namespace EdgeVisor.Emulation.Arm64.Decoding;

/// <summary>
/// Decodes A64 instructions into <see cref="Op"/>s and runs of them into <see cref="Block"/>s. This file holds the
/// top-level split of the encoding space (ARM ARM C4.1, op0 = bits 28:25); each instruction group's decoder lives
/// with its handlers in the group's folder (Integer, Branches, LoadStore, FloatingPoint, Simd) and returns false for
/// encodings it does not recognise, which then execute as <see cref="Undefined"/>.
/// </summary>
public static unsafe partial class A64Decoder
{
    /// <summary>
    /// Decodes from <paramref name="pc"/> until an op that ends a block, <paramref name="maxOps"/> ops, or an
    /// instruction that cannot be fetched (the block then stops before it; a block of zero ops means the fetch at
    /// <paramref name="pc"/> itself failed).
    /// </summary>
    public static Block DecodeBlock(GuestMemory memory, ulong pc, int maxOps)
    {
        Span<Op> ops = stackalloc Op[maxOps];
        int count = 0;
        ulong address = pc;
        while (count < maxOps)
        {
            uint raw;
            try
            {
                raw = memory.FetchInstruction(address);
            }
            catch (GuestFaultException)
            {
                break;
            }

            ref Op op = ref ops[count++];
            Decode(raw, address, ref op);
            address += 4;
            if ((op.Flags & OpFlags.EndsBlock) != 0)
            {
                break;
            }
        }

        return new Block(pc, ops[..count].ToArray(), address);
    }

    /// <summary>Decodes one instruction; an encoding no group recognises becomes <see cref="Undefined"/>.</summary>
    public static void Decode(uint raw, ulong address, ref Op op)
    {
        op = default;
        op.Address = address;
        op.Raw = raw;
        bool known = ((raw >> 25) & 0xF) switch
        {
            0b1000 or 0b1001 => DecodeDataProcessingImmediate(raw, ref op),
            0b1010 or 0b1011 => DecodeBranchesExceptionsSystem(raw, ref op),
            0b0100 or 0b0110 or 0b1100 or 0b1110 => DecodeLoadsStores(raw, ref op),
            0b0101 or 0b1101 => DecodeDataProcessingRegister(raw, ref op),
            0b0111 or 0b1111 => DecodeScalarFloatingPoint(raw, ref op) || DecodeSimdArithmetic(raw, ref op) || DecodeSimdData(raw, ref op),
            _ => false, // 0000 UDF/reserved, 0001 and 0011 unallocated, 0010 SVE (not implemented, not advertised)
        };

        if (!known)
        {
            op = default;
            op.Address = address;
            op.Raw = raw;
            op.Handler = &Undefined;
            op.Flags = OpFlags.EndsBlock;
        }
    }

    /// <summary>An encoding that is unallocated or that this core does not implement: stops with the encoding (SIGILL).</summary>
    public static void Undefined(Arm64Cpu cpu, ref Op op)
    {
        cpu.Pc = op.Address;
        cpu.RaiseStop(new Arm64Stop(Arm64StopKind.Undefined, op.Address, op.Raw));
    }
}
