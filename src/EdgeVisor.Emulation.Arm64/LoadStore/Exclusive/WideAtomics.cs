namespace EdgeVisor.Emulation.Arm64.LoadStore.Exclusive;

/// <summary>
/// 16-byte atomicity for LDXP/STXP/LDAXP/STLXP of X registers and CASP of X registers, which .NET cannot do with
/// one host instruction: every such access takes the lock of its address's stripe, reads or compares-and-writes the
/// two doublewords, and releases it. This makes them atomic against each other (the way guest code uses them: a
/// 16-byte lock-free structure is only ever updated by 16-byte exclusives or CASP) but not against ordinary or 8-byte
/// atomic stores to the same bytes, which a real core would also order. Stripes keep unrelated addresses apart.
/// </summary>
internal static unsafe class WideAtomics
{
    private const int StripeCount = 64;

    private static readonly Lock[] Stripes = CreateStripes();

    /// <summary>Reads both doublewords of the aligned 16 bytes at <paramref name="pointer"/> as one atomic access.</summary>
    public static (ulong Low, ulong High) Read(byte* pointer, ulong guestAddress)
    {
        lock (Stripe(guestAddress))
        {
            return (((ulong*)pointer)[0], ((ulong*)pointer)[1]);
        }
    }

    /// <summary>
    /// Writes (<paramref name="low"/>, <paramref name="high"/>) if memory holds (<paramref name="expectedLow"/>,
    /// <paramref name="expectedHigh"/>); returns what memory held.
    /// </summary>
    public static (ulong Low, ulong High) CompareExchange(byte* pointer, ulong guestAddress, ulong low, ulong high, ulong expectedLow, ulong expectedHigh)
    {
        lock (Stripe(guestAddress))
        {
            ulong* words = (ulong*)pointer;
            ulong oldLow = words[0];
            ulong oldHigh = words[1];
            if (oldLow == expectedLow && oldHigh == expectedHigh)
            {
                Volatile.Write(ref words[0], low);
                Volatile.Write(ref words[1], high);
            }

            return (oldLow, oldHigh);
        }
    }

    private static Lock Stripe(ulong guestAddress) => Stripes[(int)((guestAddress >> 4) % StripeCount)];

    private static Lock[] CreateStripes()
    {
        var stripes = new Lock[StripeCount];
        for (int i = 0; i < stripes.Length; i++)
        {
            stripes[i] = new Lock();
        }

        return stripes;
    }
}
