using System.Numerics;

namespace EdgeVisor.Emulation.Arm64.Integer;

/// <summary>
/// A shift applied to the second operand of shifted-register instructions. Implemented by structs so a generic
/// handler instantiated with one is compiled with the shift inlined (no branch on the shift type per instruction).
/// </summary>
internal interface IShift
{
    static abstract ulong Apply64(ulong value, int amount);

    static abstract uint Apply32(uint value, int amount);
}

internal struct NoShift : IShift
{
    public static ulong Apply64(ulong value, int amount) => value;

    public static uint Apply32(uint value, int amount) => value;
}

internal struct LogicalShiftLeft : IShift
{
    public static ulong Apply64(ulong value, int amount) => value << amount;

    public static uint Apply32(uint value, int amount) => value << amount;
}

internal struct LogicalShiftRight : IShift
{
    public static ulong Apply64(ulong value, int amount) => value >> amount;

    public static uint Apply32(uint value, int amount) => value >> amount;
}

internal struct ArithmeticShiftRight : IShift
{
    public static ulong Apply64(ulong value, int amount) => (ulong)((long)value >> amount);

    public static uint Apply32(uint value, int amount) => (uint)((int)value >> amount);
}

internal struct RotateRight : IShift
{
    public static ulong Apply64(ulong value, int amount) => BitOperations.RotateRight(value, amount);

    public static uint Apply32(uint value, int amount) => BitOperations.RotateRight(value, amount);
}

/// <summary>The extend of add/sub (extended register): the low byte, half, word or all of Rm, zero- or sign-extended.</summary>
internal interface IExtend
{
    static abstract ulong Apply(ulong value);
}

internal struct ExtendUxtb : IExtend
{
    public static ulong Apply(ulong value) => (byte)value;
}

internal struct ExtendUxth : IExtend
{
    public static ulong Apply(ulong value) => (ushort)value;
}

internal struct ExtendUxtw : IExtend
{
    public static ulong Apply(ulong value) => (uint)value;
}

internal struct ExtendUxtx : IExtend
{
    public static ulong Apply(ulong value) => value;
}

internal struct ExtendSxtb : IExtend
{
    public static ulong Apply(ulong value) => (ulong)(sbyte)value;
}

internal struct ExtendSxth : IExtend
{
    public static ulong Apply(ulong value) => (ulong)(short)value;
}

internal struct ExtendSxtw : IExtend
{
    public static ulong Apply(ulong value) => (ulong)(int)value;
}

/// <summary>The binary operations of the logical (shifted register) class; the second operand arrives shifted.</summary>
internal interface ILogicalOperation
{
    static abstract ulong Apply(ulong a, ulong b);
}

internal struct AndOperation : ILogicalOperation
{
    public static ulong Apply(ulong a, ulong b) => a & b;
}

internal struct BicOperation : ILogicalOperation
{
    public static ulong Apply(ulong a, ulong b) => a & ~b;
}

internal struct OrrOperation : ILogicalOperation
{
    public static ulong Apply(ulong a, ulong b) => a | b;
}

internal struct OrnOperation : ILogicalOperation
{
    public static ulong Apply(ulong a, ulong b) => a | ~b;
}

internal struct EorOperation : ILogicalOperation
{
    public static ulong Apply(ulong a, ulong b) => a ^ b;
}

internal struct EonOperation : ILogicalOperation
{
    public static ulong Apply(ulong a, ulong b) => a ^ ~b;
}
