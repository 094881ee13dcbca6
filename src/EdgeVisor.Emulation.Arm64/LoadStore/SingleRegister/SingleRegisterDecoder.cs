using EdgeVisor.Emulation.Arm64.Decoding;
using EdgeVisor.Emulation.Arm64.LoadStore.Addressing;
using H = EdgeVisor.Emulation.Arm64.LoadStore.SingleRegister.SingleRegisterHandlers;

namespace EdgeVisor.Emulation.Arm64.LoadStore.SingleRegister;

/// <summary>
/// Decodes the one-register load/store classes (ARM ARM C4.1, "Loads and Stores"): unsigned immediate, the four
/// imm9 classes (unscaled, post-index, unprivileged, pre-index), register offset and literal. Each picks the
/// handler instantiation for its addressing mode and the access given by size:opc (general) or opc:size
/// (SIMD&amp;FP), and returns false for the unallocated combinations.
/// </summary>
internal static unsafe class SingleRegisterDecoder
{
    /// <summary>size 111 V 01 opc imm12 Rn Rt: the offset is imm12 scaled by the access size.</summary>
    public static bool DecodeUnsignedOffset(uint raw, ref Op op)
    {
        uint size = raw >> 30;
        uint opc = (raw >> 22) & 3;
        bool vector = (raw & (1u << 26)) != 0;
        if (!vector && size == 3 && opc == 2)
        {
            op.Handler = &H.Prefetch;
            return true;
        }

        int scale = Scale(vector, size, opc);
        op.Rn = Reg.SpOrRegister((raw >> 5) & 31);
        op.Imm = (ulong)((raw >> 10) & 0xFFF) << scale;
        return Select<BaseOffset>(raw, vector, size, opc, ref op);
    }

    /// <summary>size 111 V 00 opc 0 imm9 op4 Rn Rt: op4 = 00 unscaled, 01 post-index, 10 unprivileged, 11 pre-index.</summary>
    public static bool DecodeImmediate9(uint raw, ref Op op)
    {
        uint size = raw >> 30;
        uint opc = (raw >> 22) & 3;
        bool vector = (raw & (1u << 26)) != 0;
        uint form = (raw >> 10) & 3;
        op.Rn = Reg.SpOrRegister((raw >> 5) & 31);
        op.Imm = (ulong)((long)((int)(raw << 11) >> 23)); // imm9 at bits 20:12, sign-extended, never scaled
        if (!vector && size == 3 && opc == 2)
        {
            // PRFUM exists only as the unscaled form; the indexed and unprivileged forms of this slot are unallocated.
            if (form != 0)
            {
                return false;
            }

            op.Handler = &H.Prefetch;
            return true;
        }

        return form switch
        {
            0 => Select<BaseOffset>(raw, vector, size, opc, ref op),
            1 => Select<PostIndex>(raw, vector, size, opc, ref op),
            2 => !vector && Select<BaseOffset>(raw, vector, size, opc, ref op), // LDTR/STTR: at EL0 an ordinary access
            _ => Select<PreIndex>(raw, vector, size, opc, ref op),
        };
    }

    /// <summary>size 111 V 00 opc 1 Rm option S 10 Rn Rt: option must be UXTW, LSL/UXTX, SXTW or SXTX.</summary>
    public static bool DecodeRegisterOffset(uint raw, ref Op op)
    {
        uint size = raw >> 30;
        uint opc = (raw >> 22) & 3;
        bool vector = (raw & (1u << 26)) != 0;
        uint option = (raw >> 13) & 7;
        if ((option & 2) == 0)
        {
            return false;
        }

        if (!vector && size == 3 && opc == 2)
        {
            op.Handler = &H.Prefetch;
            return true;
        }

        int scale = Scale(vector, size, opc);
        op.Rn = Reg.SpOrRegister((raw >> 5) & 31);
        op.Rm = Reg.ZrSource((raw >> 16) & 31);
        op.Amount = (byte)((raw & (1u << 12)) != 0 ? scale : 0);
        return option switch
        {
            0b010 => Select<UnsignedWordOffset>(raw, vector, size, opc, ref op),
            0b110 => Select<SignedWordOffset>(raw, vector, size, opc, ref op),
            _ => Select<RegisterOffset>(raw, vector, size, opc, ref op), // 011 LSL/UXTX, 111 SXTX: 64 bits unchanged
        };
    }

    /// <summary>opc 011 V 00 imm19 Rt: the address is PC + imm19*4, computed here once.</summary>
    public static bool DecodeLiteral(uint raw, ref Op op)
    {
        uint opc = raw >> 30;
        bool vector = (raw & (1u << 26)) != 0;
        op.Imm = op.Address + (ulong)((long)((int)(raw << 8) >> 13) << 2);
        uint rt = raw & 31;
        if (vector)
        {
            op.Rd = (byte)rt;
            switch (opc)
            {
                case 0: op.Handler = &H.LoadVector<Literal, VectorSingle>; return true;
                case 1: op.Handler = &H.LoadVector<Literal, VectorDouble>; return true;
                case 2: op.Handler = &H.LoadVector<Literal, VectorQuad>; return true;
                default: return false;
            }
        }

        op.Rd = Reg.ZrDestination(rt);
        switch (opc)
        {
            case 0: op.Handler = &H.Load<Literal, WordAccess>; return true;
            case 1: op.Handler = &H.Load<Literal, DoubleAccess>; return true;
            case 2: op.Handler = &H.Load<Literal, SignedWordToX>; return true;
            default: op.Handler = &H.Prefetch; return true; // PRFM (literal)
        }
    }

    /// <summary>log2 of the access size: size for general registers and B/H/S/D, 4 for Q (opc 1x with size 00).</summary>
    private static int Scale(bool vector, uint size, uint opc) => vector && opc >= 2 ? 4 : (int)size;

    /// <summary>Sets Rt and the handler for mode <typeparamref name="TMode"/>; false for an unallocated size:opc.</summary>
    private static bool Select<TMode>(uint raw, bool vector, uint size, uint opc, ref Op op)
        where TMode : struct, IAddressMode
    {
        uint rt = raw & 31;
        delegate*<Arm64Cpu, ref Op, void> handler;
        if (vector)
        {
            op.Rd = (byte)rt;
            handler = (opc, size) switch
            {
                (0, 0) => &H.StoreVector<TMode, VectorByte>,
                (0, 1) => &H.StoreVector<TMode, VectorHalf>,
                (0, 2) => &H.StoreVector<TMode, VectorSingle>,
                (0, 3) => &H.StoreVector<TMode, VectorDouble>,
                (1, 0) => &H.LoadVector<TMode, VectorByte>,
                (1, 1) => &H.LoadVector<TMode, VectorHalf>,
                (1, 2) => &H.LoadVector<TMode, VectorSingle>,
                (1, 3) => &H.LoadVector<TMode, VectorDouble>,
                (2, 0) => &H.StoreVector<TMode, VectorQuad>,
                (3, 0) => &H.LoadVector<TMode, VectorQuad>,
                _ => null,
            };
        }
        else
        {
            op.Rd = opc == 0 ? Reg.ZrSource(rt) : Reg.ZrDestination(rt);
            handler = (size, opc) switch
            {
                (0, 0) => &H.Store<TMode, ByteAccess>,
                (0, 1) => &H.Load<TMode, ByteAccess>,
                (0, 2) => &H.Load<TMode, SignedByteToX>,
                (0, 3) => &H.Load<TMode, SignedByteToW>,
                (1, 0) => &H.Store<TMode, HalfAccess>,
                (1, 1) => &H.Load<TMode, HalfAccess>,
                (1, 2) => &H.Load<TMode, SignedHalfToX>,
                (1, 3) => &H.Load<TMode, SignedHalfToW>,
                (2, 0) => &H.Store<TMode, WordAccess>,
                (2, 1) => &H.Load<TMode, WordAccess>,
                (2, 2) => &H.Load<TMode, SignedWordToX>,
                (3, 0) => &H.Store<TMode, DoubleAccess>,
                (3, 1) => &H.Load<TMode, DoubleAccess>,
                _ => null, // size 10 opc 11 and size 11 opc 1x (PRFM handled by the caller)
            };
        }

        op.Handler = handler;
        return handler != null;
    }
}
