using System.Runtime.InteropServices;

namespace EdgeVisor.Workloads.Containers;

/// <summary>
/// statx(2), for the file facts .NET does not give (the type of a symlink itself, a device's major/minor, owner):
/// struct statx has one layout on every architecture, unlike struct stat. Returns -1 and sets errno on failure.
/// </summary>
internal static partial class Statx
{
    public const int AtFdCwd = -100;
    public const int AtSymlinkNoFollow = 0x100;
    public const int AtEmptyPath = 0x1000;

    // The file type bits of a mode (S_IFMT and its values), the same on every Linux architecture.
    public const uint FileTypeMask = 0xF000;
    public const uint Fifo = 0x1000;
    public const uint CharacterDevice = 0x2000;
    public const uint Directory = 0x4000;
    public const uint Regular = 0x8000;
    public const uint Symlink = 0xA000;

    /// <summary>STATX_TYPE: only the file type is wanted.</summary>
    public const uint TypeOnly = 0x1;

    /// <summary>STATX_BASIC_STATS.</summary>
    public const uint BasicStats = 0x7ff;

    [LibraryImport("libc", EntryPoint = "statx", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int Get(int directory, string path, int flags, uint mask, out StatxResult result);
}

/// <summary>struct statx (include/uapi/linux/stat.h): only the fields read here are named.</summary>
[StructLayout(LayoutKind.Explicit, Size = 256)]
internal struct StatxResult
{
    [FieldOffset(20)]
    public uint Uid;

    [FieldOffset(24)]
    public uint Gid;

    [FieldOffset(28)]
    public ushort Mode;

    [FieldOffset(128)]
    public uint RdevMajor;

    [FieldOffset(132)]
    public uint RdevMinor;
}
