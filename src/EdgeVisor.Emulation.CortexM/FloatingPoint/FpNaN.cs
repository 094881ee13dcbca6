namespace EdgeVisor.Emulation.CortexM.FloatingPoint;

/// <summary>FPProcessNaN / FPProcessNaNs / FPProcessNaNs3: signalling NaNs first (IOC, quieted), then quiet ones, in operand order.</summary>
internal static class FpNaN
{
    /// <summary>The result of an operation whose NaN operand is <paramref name="bits"/>: quieted, or the default NaN under FPSCR.DN.</summary>
    public static uint Process(FpClass cls, uint bits, ref uint fpscr)
    {
        if (cls == FpClass.SignalingNaN)
        {
            fpscr |= Fpscr.Ioc;
        }

        return (fpscr & Fpscr.Dn) != 0 ? FpRounder.DefaultNaN : bits | 0x40_0000;
    }

    public static bool TryProcess(in FpValue x, uint a, in FpValue y, uint b, ref uint fpscr, out uint result)
    {
        if (x.Class == FpClass.SignalingNaN)
        {
            result = Process(x.Class, a, ref fpscr);
        }
        else if (y.Class == FpClass.SignalingNaN)
        {
            result = Process(y.Class, b, ref fpscr);
        }
        else if (x.Class == FpClass.QuietNaN)
        {
            result = Process(x.Class, a, ref fpscr);
        }
        else if (y.Class == FpClass.QuietNaN)
        {
            result = Process(y.Class, b, ref fpscr);
        }
        else
        {
            result = 0;
            return false;
        }

        return true;
    }

    public static bool TryProcess(in FpValue x, uint a, in FpValue y, uint b, in FpValue z, uint c, ref uint fpscr, out uint result)
    {
        if (x.Class == FpClass.SignalingNaN)
        {
            result = Process(x.Class, a, ref fpscr);
        }
        else if (y.Class == FpClass.SignalingNaN)
        {
            result = Process(y.Class, b, ref fpscr);
        }
        else if (z.Class == FpClass.SignalingNaN)
        {
            result = Process(z.Class, c, ref fpscr);
        }
        else if (x.Class == FpClass.QuietNaN)
        {
            result = Process(x.Class, a, ref fpscr);
        }
        else if (y.Class == FpClass.QuietNaN)
        {
            result = Process(y.Class, b, ref fpscr);
        }
        else if (z.Class == FpClass.QuietNaN)
        {
            result = Process(z.Class, c, ref fpscr);
        }
        else
        {
            result = 0;
            return false;
        }

        return true;
    }

    /// <summary>An Invalid Operation not caused by a NaN operand (0*inf, inf-inf, sqrt(-x), 0/0): IOC and the default NaN.</summary>
    public static uint Invalid(ref uint fpscr)
    {
        fpscr |= Fpscr.Ioc;
        return FpRounder.DefaultNaN;
    }
}
