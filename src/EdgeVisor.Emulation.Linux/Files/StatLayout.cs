using System.Buffers.Binary;

namespace EdgeVisor.Emulation.Linux.Files;

/// <summary>
/// The guest's struct stat (arm64 uses the generic 128-byte layout of asm-generic/stat.h, unlike x86-64), built from
/// a host struct statx, whose layout is the same everywhere. Device numbers are encoded as the kernel's stat does
/// (minor low byte, major in bits 8..19, minor's upper bits above).
/// </summary>
public static class StatLayout
{
    /// <summary>Size of the guest's struct stat.</summary>
    public const int StatSize = 128;

    /// <summary>Size of struct statx.</summary>
    public const int StatxSize = 256;

    /// <summary>STATX_BASIC_STATS: everything struct stat carries.</summary>
    public const uint BasicStats = 0x7ff;

    /// <summary>Fills guest struct stat <paramref name="stat"/> from host statx <paramref name="statx"/>.</summary>
    public static void FromStatx(ReadOnlySpan<byte> statx, Span<byte> stat)
    {
        stat[..StatSize].Clear();
        uint devMajor = U32(statx, 136), devMinor = U32(statx, 140);
        uint rdevMajor = U32(statx, 128), rdevMinor = U32(statx, 132);
        BinaryPrimitives.WriteUInt64LittleEndian(stat[0..], EncodeDevice(devMajor, devMinor));
        BinaryPrimitives.WriteUInt64LittleEndian(stat[8..], U64(statx, 32));                       // st_ino
        BinaryPrimitives.WriteUInt32LittleEndian(stat[16..], BinaryPrimitives.ReadUInt16LittleEndian(statx[28..])); // st_mode
        BinaryPrimitives.WriteUInt32LittleEndian(stat[20..], U32(statx, 16));                      // st_nlink
        BinaryPrimitives.WriteUInt32LittleEndian(stat[24..], U32(statx, 20));                      // st_uid
        BinaryPrimitives.WriteUInt32LittleEndian(stat[28..], U32(statx, 24));                      // st_gid
        BinaryPrimitives.WriteUInt64LittleEndian(stat[32..], EncodeDevice(rdevMajor, rdevMinor));  // st_rdev
        BinaryPrimitives.WriteUInt64LittleEndian(stat[48..], U64(statx, 40));                      // st_size
        BinaryPrimitives.WriteUInt32LittleEndian(stat[56..], U32(statx, 4));                       // st_blksize
        BinaryPrimitives.WriteUInt64LittleEndian(stat[64..], U64(statx, 48));                      // st_blocks
        CopyTime(statx, 64, stat, 72);   // atime
        CopyTime(statx, 112, stat, 88);  // mtime
        CopyTime(statx, 96, stat, 104);  // ctime
    }

    /// <summary>The kernel's new_encode_dev: a 32-bit dev_t as stat reports it.</summary>
    public static ulong EncodeDevice(uint major, uint minor) => (minor & 0xff) | (major << 8) | ((ulong)(minor & ~0xffu) << 12);

    private static void CopyTime(ReadOnlySpan<byte> statx, int from, Span<byte> stat, int to)
    {
        BinaryPrimitives.WriteInt64LittleEndian(stat[to..], BinaryPrimitives.ReadInt64LittleEndian(statx[from..]));
        BinaryPrimitives.WriteUInt64LittleEndian(stat[(to + 8)..], U32(statx, from + 8));
    }

    private static uint U32(ReadOnlySpan<byte> b, int offset) => BinaryPrimitives.ReadUInt32LittleEndian(b[offset..]);

    private static ulong U64(ReadOnlySpan<byte> b, int offset) => BinaryPrimitives.ReadUInt64LittleEndian(b[offset..]);
}
