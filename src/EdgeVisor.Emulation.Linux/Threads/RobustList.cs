using EdgeVisor.Emulation.Linux.Kernel;

namespace EdgeVisor.Emulation.Linux.Threads;

/// <summary>
/// Robust futexes: a dying thread's list of held mutexes (struct robust_list_head {list, futex_offset,
/// list_op_pending}, 24 bytes) is walked, and every futex word it owns gets FUTEX_OWNER_DIED with a wake-up, so other
/// threads see EOWNERDEAD instead of hanging.
/// </summary>
public static class RobustList
{
    /// <summary>sizeof(struct robust_list_head).</summary>
    public const ulong HeadSize = 24;

    private const uint Waiters = 0x80000000;
    private const uint OwnerDied = 0x40000000;
    private const uint TidMask = 0x3FFFFFFF;

    /// <summary>Bounds the walk of a corrupt or circular list, as the kernel's ROBUST_LIST_LIMIT does.</summary>
    private const int Limit = 2048;

    /// <summary>Releases every robust futex <paramref name="thread"/> holds.</summary>
    public static void Release(LinuxThread thread)
    {
        ulong head = thread.RobustListHead;
        if (head == 0)
        {
            return;
        }

        thread.RobustListHead = 0;
        var memory = thread.Process.Memory;
        if (!memory.TryReadUInt64(head, out ulong entry) || !memory.TryReadUInt64(head + 8, out ulong offset)
            || !memory.TryReadUInt64(head + 16, out ulong pending))
        {
            return;
        }

        pending &= ~1UL;
        for (int walked = 0; (entry & ~1UL) != head && walked < Limit; walked++)
        {
            ulong current = entry & ~1UL;
            if (!memory.TryReadUInt64(current, out ulong next))
            {
                return;
            }

            if (current != pending)
            {
                MarkOwnerDead(thread, current + offset);
            }

            entry = next;
        }

        if (pending != 0)
        {
            MarkOwnerDead(thread, pending + offset);
        }
    }

    private static unsafe void MarkOwnerDead(LinuxThread thread, ulong address)
    {
        var memory = thread.Process.Memory;
        if ((address & 3) != 0 || !memory.IsAccessible(address, 4, Arm64.Memory.PagePermissions.ReadWrite))
        {
            return;
        }

        uint* word = (uint*)memory.AtomicPointer(address, 4, write: true);
        while (true)
        {
            uint value = Volatile.Read(ref *word);
            if ((value & TidMask) != (uint)thread.Tid)
            {
                return;
            }

            uint updated = (value & Waiters) | OwnerDied;
            if (Interlocked.CompareExchange(ref *word, updated, value) == value)
            {
                if ((value & Waiters) != 0)
                {
                    thread.Process.Futexes.Wake(address, 1);
                }

                return;
            }
        }
    }
}
