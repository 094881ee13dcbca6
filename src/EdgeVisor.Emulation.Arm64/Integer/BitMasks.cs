namespace EdgeVisor.Emulation.Arm64.Integer;

/// <summary>The bitmask immediates of the logical-immediate instructions (ARM ARM DecodeBitMasks), decoded once at decode time.</summary>
public static class BitMasks
{
    /// <summary>
    /// Decodes N:immr:imms into the replicated, rotated run of ones for a <paramref name="dataSize"/>-bit (32 or 64)
    /// operation. Returns false for the reserved encodings (no element size, or an all-ones element).
    /// </summary>
    public static bool TryDecodeLogicalImmediate(uint n, uint imms, uint immr, int dataSize, out ulong mask)
    {
        mask = 0;
        uint combined = (n << 6) | (~imms & 0x3F);
        if (combined == 0)
        {
            return false;
        }

        int length = 31 - System.Numerics.BitOperations.LeadingZeroCount(combined);
        if (length < 1)
        {
            return false;
        }

        uint levels = (1u << length) - 1;
        if ((imms & levels) == levels)
        {
            return false; // a run of esize ones is not encodable
        }

        int elementSize = 1 << length;
        if (elementSize > dataSize)
        {
            return false;
        }

        int s = (int)(imms & levels);
        int r = (int)(immr & levels);
        ulong elementMask = elementSize == 64 ? ulong.MaxValue : (1UL << elementSize) - 1;
        ulong element = (1UL << (s + 1)) - 1; // s + 1 < 64 here since s < esize - 1
        if (r != 0)
        {
            element = ((element >> r) | (element << (elementSize - r))) & elementMask;
        }

        for (int i = 0; i < dataSize; i += elementSize)
        {
            mask |= element << i;
        }

        return true;
    }
}
