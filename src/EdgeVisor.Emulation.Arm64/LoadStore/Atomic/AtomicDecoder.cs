using EdgeVisor.Emulation.Arm64.Decoding;
using EdgeVisor.Emulation.Arm64.LoadStore.Exclusive;
using H = EdgeVisor.Emulation.Arm64.LoadStore.Atomic.AtomicHandlers;

namespace EdgeVisor.Emulation.Arm64.LoadStore.Atomic;

/// <summary>
/// Decodes "atomic memory operations": size 111 V 00 A R 1 Rs o3 opc 00 Rn Rt with V = 0. o3 = 0 selects the
/// operation by opc (ADD, CLR, EOR, SET, SMAX, SMIN, UMAX, UMIN); o3 = 1 with opc 000 is SWP. LDAPR (o3 = 1,
/// opc 100) belongs to FEAT_LRCPC, which this core does not implement or advertise; the rest is unallocated.
/// </summary>
internal static unsafe class AtomicDecoder
{
    public static bool Decode(uint raw, ref Op op)
    {
        if ((raw & (1u << 26)) != 0)
        {
            return false;
        }

        uint size = raw >> 30;
        bool o3 = (raw & (1u << 15)) != 0;
        uint opc = (raw >> 12) & 7;
        op.Rd = Reg.ZrDestination(raw & 31);
        op.Rn = Reg.SpOrRegister((raw >> 5) & 31);
        op.Rm = Reg.ZrSource((raw >> 16) & 31);
        if (o3)
        {
            if (opc != 0)
            {
                return false;
            }

            op.Handler = size switch
            {
                0 => &H.Swap<Atomic8>,
                1 => &H.Swap<Atomic16>,
                2 => &H.Swap<Atomic32>,
                _ => &H.Swap<Atomic64>,
            };
            return true;
        }

        op.Handler = size switch
        {
            0 => Select<Atomic8>(opc),
            1 => Select<Atomic16>(opc),
            2 => Select<Atomic32>(opc),
            _ => Select<Atomic64>(opc),
        };
        return true;
    }

    private static delegate*<Arm64Cpu, ref Op, void> Select<TWidth>(uint opc)
        where TWidth : struct, IAtomicWidth => opc switch
    {
        0 => &H.ReadModifyWrite<TWidth, AddOperation>,
        1 => &H.ReadModifyWrite<TWidth, ClearOperation>,
        2 => &H.ReadModifyWrite<TWidth, ExclusiveOrOperation>,
        3 => &H.ReadModifyWrite<TWidth, SetOperation>,
        4 => &H.ReadModifyWrite<TWidth, SignedMaxOperation>,
        5 => &H.ReadModifyWrite<TWidth, SignedMinOperation>,
        6 => &H.ReadModifyWrite<TWidth, UnsignedMaxOperation>,
        _ => &H.ReadModifyWrite<TWidth, UnsignedMinOperation>,
    };
}
