using System.Buffers.Binary;

namespace EdgeVisor.Workloads.Tests.Firmware;

/// <summary>
/// Tiny raw-binary programs for mps2-an385 (memory at address 0), written out as bytes so the tests need no
/// toolchain: a vector table whose reset and HardFault entries both point at a few Thumb instructions at 0x40.
/// </summary>
internal static class RawThumb
{
    /// <summary>UDF #0: an undefined instruction. In reset it escalates to HardFault, whose handler (the same code) faults again: lockup.</summary>
    public static byte[] LockUp() => Program(0xDE00, 0xE7FE);

    /// <summary>WFI then a branch to itself: with no timer and no interrupt enabled the core sleeps for good.</summary>
    public static byte[] SleepForever() => Program(0xBF30, 0xE7FE);

    private static byte[] Program(params ushort[] code)
    {
        var image = new byte[0x40 + (code.Length * 2)];
        BinaryPrimitives.WriteUInt32LittleEndian(image.AsSpan(0), 0x20010000);   // initial SP
        for (int vector = 1; vector < 16; vector++)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(image.AsSpan(vector * 4), 0x41);   // 0x40, Thumb
        }

        for (int i = 0; i < code.Length; i++)
        {
            BinaryPrimitives.WriteUInt16LittleEndian(image.AsSpan(0x40 + (i * 2)), code[i]);
        }

        return image;
    }
}
