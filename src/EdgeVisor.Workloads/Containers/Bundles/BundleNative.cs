using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace EdgeVisor.Workloads.Containers.Bundles;

/// <summary>
/// The host calls the bundle builder needs and .NET does not offer: openat2 (paths resolved inside an untrusted root) and
/// chown (statx is the shared <see cref="Containers.Statx"/>). Each returns -1 and sets errno on failure.
/// </summary>
internal static partial class BundleNative
{
    /// <summary>openat2's number: system calls from 424 on have one number on every architecture.</summary>
    private const nint SysOpenat2 = 437;

    // open(2) flags with the same values on x86-64, arm64 and 32-bit arm (O_DIRECTORY and O_NOFOLLOW differ, so they are not used).
    public const ulong ORdOnly = 0;
    public const ulong ONoCtty = 0x100;
    public const ulong ONonBlock = 0x800;
    public const ulong OCloExec = 0x80000;
    public const ulong OPath = 0x200000;

    /// <summary>Resolve the path as if the directory fd were "/": "..", absolute symlinks and absolute paths stay inside it.</summary>
    public const ulong ResolveInRoot = 0x10;

    /// <summary>No /proc/self/fd-style "magic" links, which would jump out of any root.</summary>
    public const ulong ResolveNoMagicLinks = 0x02;

    [StructLayout(LayoutKind.Sequential)]
    public struct OpenHow
    {
        public ulong Flags;
        public ulong Mode;
        public ulong Resolve;
    }

    /// <summary>RLIMIT_NOFILE: the same number on x86-64, arm64 and 32-bit arm.</summary>
    public const int RlimitNofile = 7;

    /// <summary>struct rlimit: two rlim_t, which are C unsigned longs (32-bit on 32-bit arm).</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct Rlimit
    {
        public nuint Current;
        public nuint Maximum;
    }

    /// <summary>openat2(2) through syscall(2): glibc has no wrapper. Returns the new fd.</summary>
    public static int Openat2(int directory, string path, OpenHow how) =>
        (int)Syscall(SysOpenat2, directory, path, ref how, (nuint)Marshal.SizeOf<OpenHow>());

    public static int Openat2(SafeFileHandle directory, string path, OpenHow how)
    {
        bool added = false;
        try
        {
            directory.DangerousAddRef(ref added);
            return Openat2((int)directory.DangerousGetHandle(), path, how);
        }
        finally
        {
            if (added)
            {
                directory.DangerousRelease();
            }
        }
    }

    public static string LastErrorMessage() => Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError());

    public static int LastError() => Marshal.GetLastPInvokeError();

    [LibraryImport("libc", EntryPoint = "syscall", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial nint Syscall(nint number, int directory, string path, ref OpenHow how, nuint size);

    [LibraryImport("libc", EntryPoint = "getrlimit", SetLastError = true)]
    public static partial int GetRlimit(int resource, out Rlimit limit);

    [LibraryImport("libc", EntryPoint = "chown", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int Chown(string path, uint owner, uint group);
}
