using EdgeVisor.Emulation.Arm64.Decoding;
using EdgeVisor.Emulation.Arm64.LoadStore.Exclusive;

namespace EdgeVisor.Emulation.Arm64.LoadStore.Atomic;

/// <summary>
/// LSE atomic memory operations (LD&lt;op&gt;{A}{L}{B,H,,} and SWP; the ST&lt;op&gt; aliases are the same with Rt = XZR):
/// a host compare-and-swap loop (or exchange) on the aligned, write-checked pointer, so they are atomic against every
/// other guest thread's atomics and exclusives. Host atomics are full barriers, which covers the acquire/release
/// variants. Rs (operand) in <see cref="Op.Rm"/>, Rt (receives the old value) in <see cref="Op.Rd"/>.
/// </summary>
internal static unsafe class AtomicHandlers
{
    public static void ReadModifyWrite<TWidth, TOperation>(Arm64Cpu cpu, ref Op op)
        where TWidth : struct, IAtomicWidth
        where TOperation : struct, IAtomicOperation
    {
        byte* pointer = cpu.Memory.AtomicPointer(cpu.X[op.Rn], TWidth.Bytes, write: true);
        ulong operand = TWidth.Truncate(cpu.X[op.Rm]);
        ulong old = TWidth.Read(pointer);
        while (true)
        {
            ulong seen = TWidth.CompareExchange(pointer, TOperation.Apply<TWidth>(old, operand), old);
            if (seen == old)
            {
                break;
            }

            old = seen;
        }

        cpu.X[op.Rd] = old;
    }

    public static void Swap<TWidth>(Arm64Cpu cpu, ref Op op)
        where TWidth : struct, IAtomicWidth
    {
        byte* pointer = cpu.Memory.AtomicPointer(cpu.X[op.Rn], TWidth.Bytes, write: true);
        cpu.X[op.Rd] = TWidth.Exchange(pointer, cpu.X[op.Rm]);
    }
}
