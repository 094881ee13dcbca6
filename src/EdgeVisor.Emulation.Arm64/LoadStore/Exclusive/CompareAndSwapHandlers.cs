using EdgeVisor.Emulation.Arm64.Decoding;

namespace EdgeVisor.Emulation.Arm64.LoadStore.Exclusive;

/// <summary>
/// CAS/CASA/CASL/CASAL (byte to doubleword) and CASP pairs. Rs (compare value, then the old memory value) is read
/// from <see cref="Op.Rm"/> and written to <see cref="Op.Ra"/>; Rt (the new value) is <see cref="Op.Rd"/>. For pairs
/// the second registers are <see cref="Op.B"/> (Rs+1 read), <see cref="Op.C"/> (Rs+1 written) and
/// <see cref="Op.A"/> (Rt+1). The access needs write permission and natural alignment even when the comparison
/// fails. Host compare-and-swap is a full barrier, which covers every acquire/release variant.
/// </summary>
internal static unsafe class CompareAndSwapHandlers
{
    public static void Single<TWidth>(Arm64Cpu cpu, ref Op op)
        where TWidth : struct, IAtomicWidth
    {
        byte* pointer = cpu.Memory.AtomicPointer(cpu.X[op.Rn], TWidth.Bytes, write: true);
        ulong old = TWidth.CompareExchange(pointer, cpu.X[op.Rd], TWidth.Truncate(cpu.X[op.Rm]));
        cpu.X[op.Ra] = old;
    }

    /// <summary>CASP Ws, Ws+1, Wt, Wt+1: one 8-byte compare-and-swap.</summary>
    public static void Pair32(Arm64Cpu cpu, ref Op op)
    {
        byte* pointer = cpu.Memory.AtomicPointer(cpu.X[op.Rn], 8, write: true);
        ulong expected = (uint)cpu.X[op.Rm] | (cpu.X[op.B] << 32);
        ulong value = (uint)cpu.X[op.Rd] | (cpu.X[op.A] << 32);
        ulong old = Atomic64.CompareExchange(pointer, value, expected);
        cpu.X[op.Ra] = (uint)old;
        cpu.X[op.C] = old >> 32;
    }

    /// <summary>CASP Xs, Xs+1, Xt, Xt+1: 16 bytes through <see cref="WideAtomics"/>.</summary>
    public static void Pair64(Arm64Cpu cpu, ref Op op)
    {
        ulong address = cpu.X[op.Rn];
        byte* pointer = cpu.Memory.AtomicPointer(address, 16, write: true);
        var (low, high) = WideAtomics.CompareExchange(pointer, address, cpu.X[op.Rd], cpu.X[op.A], cpu.X[op.Rm], cpu.X[op.B]);
        cpu.X[op.Ra] = low;
        cpu.X[op.C] = high;
    }
}
