using System.Numerics;

namespace EdgeVisor.Emulation.Arm64.Integer;

/// <summary>
/// The A64 CRC32 and CRC32C instructions: bit-reflected CRCs over 1, 2, 4 or 8 little-endian data bytes, with no
/// pre- or post-inversion. CRC32C uses the host's CRC32C instruction through <see cref="BitOperations.Crc32C(uint, byte)"/>;
/// CRC32 (polynomial 0x04C11DB7) uses a byte table.
/// </summary>
internal static class Crc32Tables
{
    private const uint ReflectedPolynomial = 0xEDB8_8320;
    private static readonly uint[] Table = CreateTable();

    public static uint Crc32(uint crc, ulong data, int bytes)
    {
        var table = Table;
        for (int i = 0; i < bytes; i++)
        {
            crc = table[(byte)(crc ^ (uint)data)] ^ (crc >> 8);
            data >>= 8;
        }

        return crc;
    }

    public static uint Crc32C(uint crc, ulong data, int bytes) => bytes switch
    {
        1 => BitOperations.Crc32C(crc, (byte)data),
        2 => BitOperations.Crc32C(crc, (ushort)data),
        4 => BitOperations.Crc32C(crc, (uint)data),
        _ => BitOperations.Crc32C(crc, data),
    };

    private static uint[] CreateTable()
    {
        var table = new uint[256];
        for (uint i = 0; i < 256; i++)
        {
            uint crc = i;
            for (int bit = 0; bit < 8; bit++)
            {
                crc = (crc & 1) != 0 ? (crc >> 1) ^ ReflectedPolynomial : crc >> 1;
            }

            table[i] = crc;
        }

        return table;
    }
}
