using EdgeVisor.Emulation.Arm64.Decoding;

namespace EdgeVisor.Emulation.Arm64.LoadStore.Exclusive;

/// <summary>
/// Load/store exclusive (LDXR/LDAXR/STXR/STLXR and the pair forms). The local monitor lives on the
/// <see cref="Arm64Cpu"/> (address, size, the value(s) read). A store-exclusive succeeds only if the monitor covers
/// its address and memory still holds the loaded value, checked and written in one host
/// compare-and-swap, so guest threads on different host threads cannot both succeed. (Like every CAS-based
/// emulation it cannot see an A-B-A change in between; guest lock and counter code does not depend on that.)
/// A store-exclusive whose monitor address does not match fails (status 1) without touching memory, as QEMU does.
/// A store-exclusive of another size than its load (constrained unpredictable) behaves as QEMU's: it writes if
/// memory at the store's size still equals the loaded value truncated to that size, and reports success only if
/// the whole loaded value equals what it found. Every
/// store-exclusive clears the monitor. Operands: Rt in <see cref="Op.Rd"/>, Rt2 in <see cref="Op.Ra"/>, the status
/// register Rs in <see cref="Op.Rm"/>. Acquire/release forms need nothing more: host atomics are full barriers and
/// the acquiring read is a volatile read.
/// </summary>
internal static unsafe class ExclusiveHandlers
{
    public static void Load<TWidth>(Arm64Cpu cpu, ref Op op)
        where TWidth : struct, IAtomicWidth
    {
        ulong address = cpu.X[op.Rn];
        byte* pointer = cpu.Memory.AtomicPointer(address, TWidth.Bytes, write: false);
        ulong value = TWidth.Read(pointer);
        cpu.ExclusiveAddress = address;
        cpu.ExclusiveSize = TWidth.Bytes;
        cpu.ExclusiveValue = value;
        cpu.X[op.Rd] = value;
    }

    public static void Store<TWidth>(Arm64Cpu cpu, ref Op op)
        where TWidth : struct, IAtomicWidth
    {
        ulong address = cpu.X[op.Rn];
        ulong status = 1;
        if (cpu.ExclusiveAddress == address)
        {
            byte* pointer = cpu.Memory.AtomicPointer(address, TWidth.Bytes, write: true);
            ulong expected = cpu.ExclusiveValue;
            status = TWidth.CompareExchange(pointer, cpu.X[op.Rd], TWidth.Truncate(expected)) == expected ? 0UL : 1UL;
        }

        cpu.ExclusiveAddress = Arm64Cpu.NoExclusive;
        cpu.X[op.Rm] = status;
    }

    /// <summary>LDXP Wt, Wt2: one 8-byte exclusive access.</summary>
    public static void LoadPair32(Arm64Cpu cpu, ref Op op)
    {
        ulong address = cpu.X[op.Rn];
        byte* pointer = cpu.Memory.AtomicPointer(address, 8, write: false);
        ulong value = Atomic64.Read(pointer);
        cpu.ExclusiveAddress = address;
        cpu.ExclusiveSize = 8;
        cpu.ExclusiveValue = value;
        cpu.X[op.Rd] = (uint)value;
        cpu.X[op.Ra] = value >> 32;
    }

    public static void StorePair32(Arm64Cpu cpu, ref Op op)
    {
        ulong address = cpu.X[op.Rn];
        ulong status = 1;
        if (cpu.ExclusiveAddress == address)
        {
            byte* pointer = cpu.Memory.AtomicPointer(address, 8, write: true);
            ulong expected = cpu.ExclusiveValue;
            ulong value = (uint)cpu.X[op.Rd] | (cpu.X[op.Ra] << 32);
            status = Atomic64.CompareExchange(pointer, value, expected) == expected ? 0UL : 1UL;
        }

        cpu.ExclusiveAddress = Arm64Cpu.NoExclusive;
        cpu.X[op.Rm] = status;
    }

    /// <summary>LDXP Xt, Xt2: 16 bytes, made atomic by <see cref="WideAtomics"/>.</summary>
    public static void LoadPair64(Arm64Cpu cpu, ref Op op)
    {
        ulong address = cpu.X[op.Rn];
        byte* pointer = cpu.Memory.AtomicPointer(address, 16, write: false);
        var (low, high) = WideAtomics.Read(pointer, address);
        cpu.ExclusiveAddress = address;
        cpu.ExclusiveSize = 16;
        cpu.ExclusiveValue = low;
        cpu.ExclusiveValue2 = high;
        cpu.X[op.Rd] = low;
        cpu.X[op.Ra] = high;
    }

    public static void StorePair64(Arm64Cpu cpu, ref Op op)
    {
        ulong address = cpu.X[op.Rn];
        ulong status = 1;
        if (cpu.ExclusiveAddress == address)
        {
            byte* pointer = cpu.Memory.AtomicPointer(address, 16, write: true);
            ulong expectedLow = cpu.ExclusiveValue;
            ulong expectedHigh = cpu.ExclusiveValue2;
            var (low, high) = WideAtomics.CompareExchange(pointer, address, cpu.X[op.Rd], cpu.X[op.Ra], expectedLow, expectedHigh);
            status = low == expectedLow && high == expectedHigh ? 0UL : 1UL;
        }

        cpu.ExclusiveAddress = Arm64Cpu.NoExclusive;
        cpu.X[op.Rm] = status;
    }
}
