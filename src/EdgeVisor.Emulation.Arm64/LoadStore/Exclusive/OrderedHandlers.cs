using EdgeVisor.Emulation.Arm64.Decoding;

namespace EdgeVisor.Emulation.Arm64.LoadStore.Exclusive;

/// <summary>
/// LDAR/STLR (load-acquire, store-release; byte to doubleword). Both must be aligned (alignment fault otherwise).
/// The acquire is a volatile read. The release store is a host exchange, a full barrier: A64 requires a later LDAR
/// to be ordered after an earlier STLR (RCsc), which a plain release store on x86 would not guarantee.
/// Rt in <see cref="Op.Rd"/>.
/// </summary>
internal static unsafe class OrderedHandlers
{
    public static void LoadAcquire<TWidth>(Arm64Cpu cpu, ref Op op)
        where TWidth : struct, IAtomicWidth
    {
        byte* pointer = cpu.Memory.AtomicPointer(cpu.X[op.Rn], TWidth.Bytes, write: false);
        cpu.X[op.Rd] = TWidth.Read(pointer);
    }

    public static void StoreRelease<TWidth>(Arm64Cpu cpu, ref Op op)
        where TWidth : struct, IAtomicWidth
    {
        byte* pointer = cpu.Memory.AtomicPointer(cpu.X[op.Rn], TWidth.Bytes, write: true);
        TWidth.Exchange(pointer, cpu.X[op.Rd]);
    }
}
