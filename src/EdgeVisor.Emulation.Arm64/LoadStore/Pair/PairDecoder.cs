using EdgeVisor.Emulation.Arm64.Decoding;
using EdgeVisor.Emulation.Arm64.LoadStore.Addressing;
using H = EdgeVisor.Emulation.Arm64.LoadStore.Pair.PairHandlers;

namespace EdgeVisor.Emulation.Arm64.LoadStore.Pair;

/// <summary>
/// Decodes the register-pair classes: opc 101 V 0 idx L imm7 Rt2 Rn Rt, idx = 00 no-allocate (offset),
/// 01 post-index, 10 offset, 11 pre-index. imm7 is scaled by the register size.
/// </summary>
internal static unsafe class PairDecoder
{
    public static bool Decode(uint raw, ref Op op)
    {
        uint opc = raw >> 30;
        bool vector = (raw & (1u << 26)) != 0;
        uint index = (raw >> 23) & 3;
        bool load = (raw & (1u << 22)) != 0;

        int scale;
        if (vector)
        {
            if (opc == 3)
            {
                return false;
            }

            scale = 2 + (int)opc;
        }
        else
        {
            // opc 01: LDPSW (loads, not no-allocate); its store slot is STGP (memory tagging, not implemented).
            if (opc == 3 || (opc == 1 && (!load || index == 0)))
            {
                return false;
            }

            scale = opc == 2 ? 3 : 2;
        }

        uint rt = raw & 31;
        uint rt2 = (raw >> 10) & 31;
        op.Rn = Reg.SpOrRegister((raw >> 5) & 31);
        op.Imm = (ulong)((long)((int)(raw << 10) >> 25) << scale); // imm7 at bits 21:15
        if (vector)
        {
            op.Rd = (byte)rt;
            op.Ra = (byte)rt2;
        }
        else
        {
            op.Rd = load ? Reg.ZrDestination(rt) : Reg.ZrSource(rt);
            op.Ra = load ? Reg.ZrDestination(rt2) : Reg.ZrSource(rt2);
        }

        op.Handler = index switch
        {
            1 => Select<PostIndex>(vector, opc, load),
            3 => Select<PreIndex>(vector, opc, load),
            _ => Select<BaseOffset>(vector, opc, load),
        };
        return true;
    }

    private static delegate*<Arm64Cpu, ref Op, void> Select<TMode>(bool vector, uint opc, bool load)
        where TMode : struct, IAddressMode
    {
        if (vector)
        {
            return (opc, load) switch
            {
                (0, false) => &H.Store<TMode, SinglePair>,
                (0, true) => &H.Load<TMode, SinglePair>,
                (1, false) => &H.Store<TMode, DoublePair>,
                (1, true) => &H.Load<TMode, DoublePair>,
                (_, false) => &H.Store<TMode, QuadPair>,
                (_, true) => &H.Load<TMode, QuadPair>,
            };
        }

        return (opc, load) switch
        {
            (0, false) => &H.Store<TMode, WordPair>,
            (0, true) => &H.Load<TMode, WordPair>,
            (1, _) => &H.Load<TMode, SignedWordPair>,
            (_, false) => &H.Store<TMode, DoublewordPair>,
            (_, true) => &H.Load<TMode, DoublewordPair>,
        };
    }
}
