using EdgeVisor.Emulation.Arm64.Decoding;

namespace EdgeVisor.Emulation.Arm64.LoadStore.Exclusive;

/// <summary>
/// Decodes the "load/store exclusive" encoding space: size 001000 o2 L o1 Rs o0 Rt2 Rn Rt.
/// o2:o1 = 00 exclusive register, 01 exclusive pair (size 1x) or CASP (size 0x), 10 LDAR/STLR (o0 = 1; the LORegion
/// forms with o0 = 0 are not implemented), 11 CAS. L = load (for CAS: acquire), o0 = acquire/release.
/// The Rs/Rt2 fields that are "should be one" in the non-CAS forms are ignored, as hardware does.
/// </summary>
internal static unsafe class ExclusiveDecoder
{
    public static bool Decode(uint raw, ref Op op)
    {
        uint size = raw >> 30;
        bool o2 = (raw & (1u << 23)) != 0;
        bool load = (raw & (1u << 22)) != 0;
        bool o1 = (raw & (1u << 21)) != 0;
        bool o0 = (raw & (1u << 15)) != 0;
        uint rs = (raw >> 16) & 31;
        uint rt2 = (raw >> 10) & 31;
        uint rt = raw & 31;
        op.Rn = Reg.SpOrRegister((raw >> 5) & 31);

        if (!o2 && !o1)
        {
            op.Rd = load ? Reg.ZrDestination(rt) : Reg.ZrSource(rt);
            op.Rm = Reg.ZrDestination(rs);
            op.Handler = (size, load) switch
            {
                (0, true) => &ExclusiveHandlers.Load<Atomic8>,
                (1, true) => &ExclusiveHandlers.Load<Atomic16>,
                (2, true) => &ExclusiveHandlers.Load<Atomic32>,
                (3, true) => &ExclusiveHandlers.Load<Atomic64>,
                (0, false) => &ExclusiveHandlers.Store<Atomic8>,
                (1, false) => &ExclusiveHandlers.Store<Atomic16>,
                (2, false) => &ExclusiveHandlers.Store<Atomic32>,
                _ => &ExclusiveHandlers.Store<Atomic64>,
            };
            return true;
        }

        if (!o2)
        {
            return size >= 2 ? DecodeExclusivePair(size, load, rs, rt2, rt, ref op) : DecodeCompareAndSwapPair(size, rs, rt2, rt, ref op);
        }

        if (!o1)
        {
            if (!o0)
            {
                return false; // LDLAR/STLLR: FEAT_LOR, not implemented or advertised
            }

            op.Rd = load ? Reg.ZrDestination(rt) : Reg.ZrSource(rt);
            op.Handler = (size, load) switch
            {
                (0, true) => &OrderedHandlers.LoadAcquire<Atomic8>,
                (1, true) => &OrderedHandlers.LoadAcquire<Atomic16>,
                (2, true) => &OrderedHandlers.LoadAcquire<Atomic32>,
                (3, true) => &OrderedHandlers.LoadAcquire<Atomic64>,
                (0, false) => &OrderedHandlers.StoreRelease<Atomic8>,
                (1, false) => &OrderedHandlers.StoreRelease<Atomic16>,
                (2, false) => &OrderedHandlers.StoreRelease<Atomic32>,
                _ => &OrderedHandlers.StoreRelease<Atomic64>,
            };
            return true;
        }

        // CAS{A}{L}{B,H,,}: Rt2 must be 11111.
        if (rt2 != 31)
        {
            return false;
        }

        op.Rd = Reg.ZrSource(rt);
        op.Rm = Reg.ZrSource(rs);
        op.Ra = Reg.ZrDestination(rs);
        op.Handler = size switch
        {
            0 => &CompareAndSwapHandlers.Single<Atomic8>,
            1 => &CompareAndSwapHandlers.Single<Atomic16>,
            2 => &CompareAndSwapHandlers.Single<Atomic32>,
            _ => &CompareAndSwapHandlers.Single<Atomic64>,
        };
        return true;
    }

    private static bool DecodeExclusivePair(uint size, bool load, uint rs, uint rt2, uint rt, ref Op op)
    {
        op.Rd = load ? Reg.ZrDestination(rt) : Reg.ZrSource(rt);
        op.Ra = load ? Reg.ZrDestination(rt2) : Reg.ZrSource(rt2);
        op.Rm = Reg.ZrDestination(rs);
        op.Handler = (size, load) switch
        {
            (2, true) => &ExclusiveHandlers.LoadPair32,
            (2, false) => &ExclusiveHandlers.StorePair32,
            (_, true) => &ExclusiveHandlers.LoadPair64,
            _ => &ExclusiveHandlers.StorePair64,
        };
        return true;
    }

    /// <summary>CASP{A}{L}: size 00 = W pairs, 01 = X pairs; Rs and Rt must be even and Rt2 must be 11111.</summary>
    private static bool DecodeCompareAndSwapPair(uint size, uint rs, uint rt2, uint rt, ref Op op)
    {
        if (rt2 != 31 || (rs & 1) != 0 || (rt & 1) != 0)
        {
            return false;
        }

        op.Rd = Reg.ZrSource(rt);
        op.A = Reg.ZrSource(rt + 1);
        op.Rm = Reg.ZrSource(rs);
        op.B = Reg.ZrSource(rs + 1);
        op.Ra = Reg.ZrDestination(rs);
        op.C = Reg.ZrDestination(rs + 1);
        op.Handler = size == 0 ? &CompareAndSwapHandlers.Pair32 : &CompareAndSwapHandlers.Pair64;
        return true;
    }
}
