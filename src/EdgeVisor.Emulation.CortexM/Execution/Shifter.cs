using System.Runtime.CompilerServices;
using EdgeVisor.Emulation.CortexM.Decoding;

namespace EdgeVisor.Emulation.CortexM.Execution;

/// <summary>The barrel shifter and the adder, with the ARM ARM's carry/overflow rules.</summary>
internal static class Shifter
{
    /// <summary>Shift_C: shifts <paramref name="value"/> and updates <paramref name="carry"/> (unchanged for a zero shift).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint Shift(uint value, int type, int amount, ref bool carry)
    {
        if (type == ShiftType.Rrx)
        {
            bool outCarry = (value & 1) != 0;
            value = (carry ? 0x80000000u : 0) | (value >> 1);
            carry = outCarry;
            return value;
        }

        if (amount == 0)
        {
            return value;
        }

        switch (type)
        {
            case ShiftType.Lsl:
                if (amount < 32)
                {
                    carry = ((value >> (32 - amount)) & 1) != 0;
                    return value << amount;
                }

                carry = amount == 32 && (value & 1) != 0;
                return 0;
            case ShiftType.Lsr:
                if (amount < 32)
                {
                    carry = ((value >> (amount - 1)) & 1) != 0;
                    return value >> amount;
                }

                carry = amount == 32 && (value & 0x80000000) != 0;
                return 0;
            case ShiftType.Asr:
                if (amount < 32)
                {
                    carry = ((value >> (amount - 1)) & 1) != 0;
                    return (uint)((int)value >> amount);
                }

                carry = (value & 0x80000000) != 0;
                return (uint)((int)value >> 31);
            default:
                value = uint.RotateRight(value, amount & 31);
                carry = (value & 0x80000000) != 0;
                return value;
        }
    }

    /// <summary>AddWithCarry: x + y + carry with the carry-out and signed overflow.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint Add(uint x, uint y, bool carryIn, out bool carry, out bool overflow)
    {
        ulong unsigned = (ulong)x + y + (carryIn ? 1u : 0u);
        uint result = (uint)unsigned;
        carry = unsigned > uint.MaxValue;
        overflow = ((~(x ^ y) & (x ^ result)) & 0x80000000) != 0;
        return result;
    }
}
