namespace EdgeVisor.Emulation.FloatingPoint;

/// <summary>
/// FPProcessNaN / FPProcessNaNs / FPProcessNaNs3: a signalling NaN operand wins over a quiet one, earlier operands
/// over later ones; a signalling NaN is quietened and raises IOC; with DN the result is the default NaN.
/// </summary>
public static class FloatNaN
{
    /// <summary>FPProcessNaN for an operand known to be a NaN.</summary>
    public static ulong Process(in FloatFormat format, FloatClass cls, ulong bits, uint control, ref uint flags)
    {
        ulong result = bits & format.Mask;
        if (cls == FloatClass.SignalingNaN)
        {
            result |= format.QuietBit;
            flags |= FloatControl.InvalidOperation;
        }

        return (control & FloatControl.DefaultNaN) != 0 ? format.DefaultNaN : result;
    }

    /// <summary>FPProcessNaNs: true with the result when either operand is a NaN.</summary>
    public static bool TryProcess(in FloatFormat format, in UnpackedFloat x, ulong a, in UnpackedFloat y, ulong b, uint control, ref uint flags, out ulong result)
    {
        if (!x.IsNaN && !y.IsNaN)
        {
            result = 0;
            return false;
        }

        if (x.Class == FloatClass.SignalingNaN)
        {
            result = Process(format, x.Class, a, control, ref flags);
        }
        else if (y.Class == FloatClass.SignalingNaN)
        {
            result = Process(format, y.Class, b, control, ref flags);
        }
        else if (x.IsNaN)
        {
            result = Process(format, x.Class, a, control, ref flags);
        }
        else
        {
            result = Process(format, y.Class, b, control, ref flags);
        }

        return true;
    }

    /// <summary>FPProcessNaNs3, operands in the order given.</summary>
    public static bool TryProcess(in FloatFormat format, in UnpackedFloat x, ulong a, in UnpackedFloat y, ulong b, in UnpackedFloat z, ulong c,
        uint control, ref uint flags, out ulong result)
    {
        if (!x.IsNaN && !y.IsNaN && !z.IsNaN)
        {
            result = 0;
            return false;
        }

        if (x.Class == FloatClass.SignalingNaN)
        {
            result = Process(format, x.Class, a, control, ref flags);
        }
        else if (y.Class == FloatClass.SignalingNaN)
        {
            result = Process(format, y.Class, b, control, ref flags);
        }
        else if (z.Class == FloatClass.SignalingNaN)
        {
            result = Process(format, z.Class, c, control, ref flags);
        }
        else if (x.IsNaN)
        {
            result = Process(format, x.Class, a, control, ref flags);
        }
        else if (y.IsNaN)
        {
            result = Process(format, y.Class, b, control, ref flags);
        }
        else
        {
            result = Process(format, z.Class, c, control, ref flags);
        }

        return true;
    }

    /// <summary>An invalid operation: IOC and the default NaN.</summary>
    public static ulong Invalid(in FloatFormat format, ref uint flags)
    {
        flags |= FloatControl.InvalidOperation;
        return format.DefaultNaN;
    }
}
