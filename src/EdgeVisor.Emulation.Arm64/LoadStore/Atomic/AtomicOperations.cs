using System.Runtime.CompilerServices;
using EdgeVisor.Emulation.Arm64.LoadStore.Exclusive;

namespace EdgeVisor.Emulation.Arm64.LoadStore.Atomic;

/// <summary>The read-modify-write of one LSE atomic (LDADD, LDCLR, ...): new memory value from old and operand, both zero-extended at the width.</summary>
internal interface IAtomicOperation
{
    static abstract ulong Apply<TWidth>(ulong old, ulong operand)
        where TWidth : struct, IAtomicWidth;
}

internal struct AddOperation : IAtomicOperation
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong Apply<TWidth>(ulong old, ulong operand)
        where TWidth : struct, IAtomicWidth => TWidth.Truncate(old + operand);
}

/// <summary>LDCLR: clears the operand's bits (old AND NOT operand).</summary>
internal struct ClearOperation : IAtomicOperation
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong Apply<TWidth>(ulong old, ulong operand)
        where TWidth : struct, IAtomicWidth => old & ~operand;
}

internal struct ExclusiveOrOperation : IAtomicOperation
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong Apply<TWidth>(ulong old, ulong operand)
        where TWidth : struct, IAtomicWidth => old ^ operand;
}

/// <summary>LDSET: sets the operand's bits.</summary>
internal struct SetOperation : IAtomicOperation
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong Apply<TWidth>(ulong old, ulong operand)
        where TWidth : struct, IAtomicWidth => old | operand;
}

internal struct SignedMaxOperation : IAtomicOperation
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong Apply<TWidth>(ulong old, ulong operand)
        where TWidth : struct, IAtomicWidth => TWidth.SignExtend(old) >= TWidth.SignExtend(operand) ? old : operand;
}

internal struct SignedMinOperation : IAtomicOperation
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong Apply<TWidth>(ulong old, ulong operand)
        where TWidth : struct, IAtomicWidth => TWidth.SignExtend(old) <= TWidth.SignExtend(operand) ? old : operand;
}

internal struct UnsignedMaxOperation : IAtomicOperation
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong Apply<TWidth>(ulong old, ulong operand)
        where TWidth : struct, IAtomicWidth => old >= operand ? old : operand;
}

internal struct UnsignedMinOperation : IAtomicOperation
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong Apply<TWidth>(ulong old, ulong operand)
        where TWidth : struct, IAtomicWidth => old <= operand ? old : operand;
}
