using EdgeVisor.Emulation.Arm64.Decoding;

namespace EdgeVisor.Emulation.Arm64.LoadStore.Structures;

/// <summary>
/// Decodes the Advanced SIMD structure classes:
/// multiple structures 0 Q 0011001 L 0 Rm opcode size Rn Rt (bit 23 = post-index; without it bits 21:16 are zero),
/// single structure 0 Q 0011011 L R Rm opcode S size Rn Rt (bit 23 = post-index; without it bits 20:16 are zero).
/// Rm = 31 post-indexes by the bytes transferred, any other Rm by that register.
/// </summary>
internal static unsafe class StructureDecoder
{
    /// <summary>Multiple-structure opcode (bits 15:12) → (rpt, selem); (0, 0) is unallocated.</summary>
    private static readonly (byte Repeat, byte Elements)[] MultipleForms =
    [
        (1, 4), (0, 0), (4, 1), (0, 0), (1, 3), (0, 0), (3, 1), (1, 1),
        (1, 2), (0, 0), (2, 1), (0, 0), (0, 0), (0, 0), (0, 0), (0, 0),
    ];

    public static bool Decode(uint raw, ref Op op)
    {
        bool single = (raw & (1u << 24)) != 0;
        bool post = (raw & (1u << 23)) != 0;
        if (!post && ((raw >> 16) & (single ? 0x1Fu : 0x3Fu)) != 0)
        {
            return false;
        }

        if (!single && (raw & (1u << 21)) != 0)
        {
            return false;
        }

        bool q = (raw & (1u << 30)) != 0;
        bool load = (raw & (1u << 22)) != 0;
        op.Rd = (byte)(raw & 31);
        op.Rn = Reg.SpOrRegister((raw >> 5) & 31);
        op.Shift = q ? (byte)1 : (byte)0;
        if (!(single ? DecodeSingle(raw, q, load, ref op) : DecodeMultiple(raw, q, load, ref op)))
        {
            return false;
        }

        if (post)
        {
            uint rm = (raw >> 16) & 31;
            op.Rm = Reg.ZrSource(rm);
            op.B = rm == 31 ? StructureTransfer.ImmediateWriteBack : StructureTransfer.RegisterWriteBack;
            op.Imm = op.Cond;
        }

        return true;
    }

    private static bool DecodeMultiple(uint raw, bool q, bool load, ref Op op)
    {
        var (repeat, elements) = MultipleForms[(raw >> 12) & 15];
        uint size = (raw >> 10) & 3;
        if (repeat == 0 || (size == 3 && !q && elements != 1))
        {
            return false;
        }

        op.Size = (byte)size;
        op.A = elements;
        op.C = repeat;
        op.Cond = (byte)(repeat * elements * (q ? 16 : 8));
        op.Handler = load ? &StructureHandlers.LoadMultiple : &StructureHandlers.StoreMultiple;
        return true;
    }

    private static bool DecodeSingle(uint raw, bool q, bool load, ref Op op)
    {
        uint opcode = (raw >> 13) & 7;
        uint r = (raw >> 21) & 1;
        uint s = (raw >> 12) & 1;
        uint size = (raw >> 10) & 3;
        int selem = (int)((((opcode & 1) << 1) | r) + 1);
        uint qBit = q ? 1u : 0u;
        int scale = (int)(opcode >> 1);
        int index;
        switch (scale)
        {
            case 0:
                index = (int)((qBit << 3) | (s << 2) | size);
                break;
            case 1:
                if ((size & 1) != 0)
                {
                    return false;
                }

                index = (int)((qBit << 2) | (s << 1) | (size >> 1));
                break;
            case 2:
                if ((size & 2) != 0 || (size == 1 && s != 0))
                {
                    return false;
                }

                if (size == 0)
                {
                    index = (int)((qBit << 1) | s);
                }
                else
                {
                    scale = 3;
                    index = (int)qBit;
                }

                break;
            default:
                // LDnR: load only, S = 0; the element size is the size field.
                if (!load || s != 0)
                {
                    return false;
                }

                op.Size = (byte)size;
                op.A = (byte)selem;
                op.Cond = (byte)(selem << (int)size);
                op.Handler = &StructureHandlers.LoadReplicate;
                return true;
        }

        op.Size = (byte)scale;
        op.A = (byte)selem;
        op.Amount = (byte)index;
        op.Cond = (byte)(selem << scale);
        op.Handler = load ? &StructureHandlers.LoadLane : &StructureHandlers.StoreLane;
        return true;
    }
}
