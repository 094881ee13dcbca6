namespace EdgeVisor.Emulation.Peripherals.Devices;

/// <summary>
/// The BME280's factory trimming parameters (dig_T1 … dig_H6) and the datasheet's integer compensation, run
/// forwards (raw ADC → °C, Pa, %RH, what firmware computes) and backwards (a quantity → the raw ADC value the
/// forward formula turns back into it, found by bisection since each formula is monotonic in its ADC input).
/// </summary>
public sealed record Bme280Trimming(
    ushort T1, short T2, short T3,
    ushort P1, short P2, short P3, short P4, short P5, short P6, short P7, short P8, short P9,
    byte H1, short H2, byte H3, short H4, short H5, sbyte H6)
{
    /// <summary>
    /// Trimming of a typical part: the temperature and pressure words are the worked example of Bosch's
    /// datasheets, the humidity ones a typical production part's.
    /// </summary>
    public static Bme280Trimming Typical { get; } = new(
        27504, 26435, -1000,
        36477, -10685, 3024, 2855, 140, -7, 15500, -14600, 6000,
        75, 362, 0, 313, 50, 30);

    /// <summary>calib00..calib25 as the part holds them at 0x88..0xA1 (little-endian words, 0xA0 unused).</summary>
    public byte[] Block1()
    {
        byte[] b = new byte[26];
        short[] words = [(short)T1, T2, T3, (short)P1, P2, P3, P4, P5, P6, P7, P8, P9];
        for (int i = 0; i < words.Length; i++)
        {
            b[2 * i] = (byte)words[i];
            b[(2 * i) + 1] = (byte)(words[i] >> 8);
        }

        b[25] = H1;
        return b;
    }

    /// <summary>calib26..calib32 at 0xE1..0xE7: dig_H2, dig_H3, then dig_H4/dig_H5 as two 12-bit values sharing 0xE5, dig_H6.</summary>
    public byte[] Block2() =>
    [
        (byte)H2, (byte)(H2 >> 8), H3,
        (byte)(H4 >> 4), (byte)((H4 & 0xF) | ((H5 & 0xF) << 4)), (byte)(H5 >> 4),
        (byte)H6,
    ];

    /// <summary>The datasheet's "t_fine" for a raw temperature: °C × 5120 (the carrier of temperature into P and H).</summary>
    public int FineTemperature(int adcT)
    {
        int linear = (((adcT >> 3) - (T1 << 1)) * T2) >> 11;
        int delta = (adcT >> 4) - T1;
        int quadratic = (((delta * delta) >> 12) * T3) >> 14;
        return linear + quadratic;
    }

    /// <summary>Temperature in 0.01 °C, as the datasheet's 32-bit routine returns it.</summary>
    public static int Centidegrees(int fineTemperature) => ((fineTemperature * 5) + 128) >> 8;

    /// <summary>Pressure in Pa as Q24.8 (the datasheet's 64-bit routine), 0 where the formula would divide by zero.</summary>
    public uint PressureQ24Dot8(int adcP, int fineTemperature)
    {
        long a = fineTemperature - 128000L;
        long b = a * a * P6;
        b += (a * P5) << 17;
        b += (long)P4 << 35;
        a = ((a * a * P3) >> 8) + ((a * P2) << 12);
        a = ((1L << 47) + a) * P1 >> 33;
        if (a == 0)
        {
            return 0;
        }

        long p = 1048576 - adcP;
        p = (((p << 31) - b) * 3125) / a;
        long c = (P9 * (p >> 13) * (p >> 13)) >> 25;
        long d = (P8 * p) >> 19;
        return (uint)(((p + c + d) >> 8) + ((long)P7 << 4));
    }

    /// <summary>Relative humidity in %RH as Q22.10 (the datasheet's 32-bit routine), clamped to 0…100 %.</summary>
    public uint HumidityQ22Dot10(int adcH, int fineTemperature)
    {
        int x = fineTemperature - 76800;
        int offset = ((adcH << 14) - (H4 << 20) - (H5 * x) + 16384) >> 15;
        int gain = ((((((x * H6) >> 10) * (((x * H3) >> 11) + 32768)) >> 10) + 2097152) * H2 + 8192) >> 14;
        x = offset * gain;
        x -= ((((x >> 15) * (x >> 15)) >> 7) * H1) >> 4;
        x = Math.Clamp(x, 0, 419430400);
        return (uint)(x >> 12);
    }

    /// <summary>The raw temperature (a multiple of <paramref name="step"/>) whose t_fine is closest to <paramref name="celsius"/>.</summary>
    public int RawTemperature(double celsius, int step) =>
        Closest(step, 1 << 20, adc => FineTemperature(adc), celsius * 5120, increasing: true);

    /// <summary>The raw pressure (a multiple of <paramref name="step"/>) that compensates closest to <paramref name="pascals"/>.</summary>
    public int RawPressure(double pascals, int fineTemperature, int step) =>
        Closest(step, 1 << 20, adc => PressureQ24Dot8(adc, fineTemperature), pascals * 256, increasing: false);

    /// <summary>The raw humidity that compensates closest to <paramref name="percent"/>.</summary>
    public int RawHumidity(double percent, int fineTemperature) =>
        Closest(1, 1 << 16, adc => HumidityQ22Dot10(adc, fineTemperature), percent * 1024, increasing: true);

    /// <summary>Bisection over multiples of <paramref name="step"/> below <paramref name="limit"/> for the input whose output is nearest <paramref name="target"/>.</summary>
    private static int Closest(int step, int limit, Func<int, double> forward, double target, bool increasing)
    {
        int lo = 0;
        int hi = (limit / step) - 1;

        // Find the first index whose output is on the far side of the target, then pick the nearer neighbour.
        while (lo < hi)
        {
            int mid = (lo + hi) / 2;
            double value = forward(mid * step);
            if (increasing ? value < target : value > target)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid;
            }
        }

        if (lo > 0 && Math.Abs(forward((lo - 1) * step) - target) <= Math.Abs(forward(lo * step) - target))
        {
            lo--;
        }

        return lo * step;
    }
}
