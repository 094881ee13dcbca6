using EdgeVisor.Emulation.CortexM.Execution;
using EdgeVisor.Emulation.Memory;

namespace EdgeVisor.Emulation.CortexM.Decoding;

/// <summary>
/// Decodes Thumb and Thumb-2 code into blocks of <see cref="Op"/>s. The model decides what exists:
/// an encoding the model lacks (or nobody decodes) becomes an op that raises UNDEFINSTR when executed.
/// </summary>
public static unsafe partial class ThumbDecoder
{
    /// <summary>
    /// Decodes a block starting at <paramref name="pc"/> with ITSTATE <paramref name="itState"/>,
    /// at most <paramref name="maxOps"/> ops (more only to finish an IT block).
    /// </summary>
    public static Block DecodeBlock(CortexMCpu cpu, uint pc, uint itState, int maxOps)
    {
        var model = cpu.CpuModel;
        var buffer = new Op[maxOps + 5];
        uint address = pc;
        uint it = itState;
        int count = 0;
        bool cacheable = true;
        while (true)
        {
            if (count > 0 && (cpu.IsBreakpoint(address) || (count >= maxOps && it == 0) || count >= buffer.Length))
            {
                break;
            }

            ref Op op = ref buffer[count];
            op.Address = address;
            op.ItState = (byte)it;
            op.Index = (byte)count;
            op.Cond = it == 0 ? Conditions.Always : (byte)(it >> 4);

            if (!TryFetch(cpu.Bus, address, out uint hw1) || (IsWide(hw1) && !TryFetch(cpu.Bus, address + 2, out _)))
            {
                if (count == 0)
                {
                    op.Length = 2;
                    op.Cond = Conditions.Always;
                    op.Handler = &SystemOps.FetchFault;
                    count = 1;
                    cacheable = false;
                }

                break;
            }

            bool endsBlock;
            uint nextIt = Advance(it);
            if (IsWide(hw1))
            {
                TryFetch(cpu.Bus, address + 2, out uint hw2);
                op.Length = 4;
                op.Raw = (hw1 << 16) | hw2;
                endsBlock = Decode32(model, ref op, op.Raw, it);
            }
            else
            {
                op.Length = 2;
                op.Raw = hw1;
                endsBlock = Decode16(model, ref op, hw1, it, ref nextIt);
            }

            address += op.Length;
            it = nextIt;
            count++;
            if (endsBlock)
            {
                break;
            }
        }

        Array.Resize(ref buffer, count);
        return new Block(pc, itState, buffer, address, it, cacheable);
    }

    /// <summary>ITAdvance: the ITSTATE of the next instruction.</summary>
    public static uint Advance(uint it) => (it & 7) == 0 ? 0 : (it & 0xE0) | ((it << 1) & 0x1F);

    private static bool IsWide(uint hw1) => (hw1 >> 11) >= 0b11101;

    private static bool TryFetch(AddressSpace bus, uint address, out uint halfword)
    {
        try
        {
            halfword = bus.Read16(address);
            return true;
        }
        catch (BusFaultException)
        {
            halfword = 0;
            return false;
        }
    }

    /// <summary>An instruction that writes the PC: allowed inside an IT block only as its last instruction.</summary>
    private static bool SetBranch(ref Op op, delegate*<CortexMCpu, ref Op, void> handler)
    {
        op.Handler = (op.ItState & 0xF) is 0 or 0x8 ? handler : &SystemOps.Undefined;
        return true;
    }

    private static bool SetUndefined(ref Op op)
    {
        op.Handler = &SystemOps.Undefined;
        return true;
    }

    private static bool Set(ref Op op, delegate*<CortexMCpu, ref Op, void> handler)
    {
        op.Handler = handler;
        return false;
    }

    private static bool SetEnd(ref Op op, delegate*<CortexMCpu, ref Op, void> handler)
    {
        op.Handler = handler;
        return true;
    }

    /// <summary>DecodeImmShift: LSR/ASR #0 mean 32, ROR #0 means RRX.</summary>
    private static void ImmShift(ref Op op, uint type, uint amount)
    {
        if (type == ShiftType.Ror && amount == 0)
        {
            op.Shift = ShiftType.Rrx;
            op.Amount = 1;
            return;
        }

        op.Shift = (byte)type;
        op.Amount = (byte)(amount == 0 && type is ShiftType.Lsr or ShiftType.Asr ? 32 : amount);
    }

    private static uint SignExtend(uint value, int bits) => (uint)((int)(value << (32 - bits)) >> (32 - bits));
}
