using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace EdgeVisor.Emulation.Arm64;

/// <summary>Register-file accessors shared by the FP, SIMD and load/store handlers.</summary>
public sealed partial class Arm64Cpu
{
    /// <summary>Low 64 bits of Vn (a D register, or the B/H/S value in its low bits).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ulong GetD(int n) => V[n].AsUInt64().ToScalar();

    /// <summary>Writes a scalar or 64-bit vector result: the low 64 bits get <paramref name="value"/>, bits 127:64 are cleared.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void SetD(int n, ulong value) => V[n] = Vector128.CreateScalar(value).AsByte();

    /// <summary>Writes a full 128-bit value.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void SetQ(int n, Vector128<byte> value) => V[n] = value;

    /// <summary>Writes a vector result of Q ? 128 : 64 bits (64-bit results clear the upper half).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void SetVector(int n, Vector128<byte> value, bool q) => V[n] = q ? value : Vector128.CreateScalar(value.AsUInt64().ToScalar()).AsByte();
}
