using System.Runtime.CompilerServices;
using EdgeVisor.Emulation.Arm64.Memory;

namespace EdgeVisor.Emulation.Arm64.LoadStore.Addressing;

/// <summary>
/// Makes multi-part stores (pairs of Q registers, structures) all-or-nothing with respect to faults: the range is
/// checked before the first byte is written, and the fault names the first inaccessible page the access reaches, as
/// a single access of that size would.
/// </summary>
internal static class WriteChecks
{
    /// <summary>Throws the guest fault the store of [address, address+length) would take, if any page refuses it.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void EnsureWritable(GuestMemory memory, ulong address, int length)
    {
        // Within one page the first write either faults before anything is written or all of them succeed.
        if ((address & GuestMemory.PageMask) + (ulong)length > GuestMemory.PageSize)
        {
            CheckPages(memory, address, length, write: true);
        }
    }

    /// <summary>Throws the fault an access of [address, address+length) takes at its first refusing page.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void CheckPages(GuestMemory memory, ulong address, int length, bool write)
    {
        var required = write ? PagePermissions.Write : PagePermissions.Read;
        ulong lastPage = (address + (ulong)length - 1) & ~GuestMemory.PageMask;
        for (ulong at = address; ; at = (at & ~GuestMemory.PageMask) + GuestMemory.PageSize)
        {
            if (!memory.IsAccessible(at, 1, required))
            {
                throw new GuestFaultException(at, write, execute: false);
            }

            if ((at & ~GuestMemory.PageMask) == lastPage)
            {
                return;
            }
        }
    }
}
