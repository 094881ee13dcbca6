using System.Runtime.Intrinsics;

namespace EdgeVisor.Emulation.Arm64.Simd.Arithmetic.Integer;

/// <summary>
/// An element operation that <see cref="Vector128"/> performs on all lanes at once with exactly the Arm result
/// (wrapping arithmetic, all-ones compare masks). Used for the integer instructions compilers emit most.
/// </summary>
internal interface ILanewiseOp
{
    static abstract Vector128<T> Apply<T>(Vector128<T> d, Vector128<T> a, Vector128<T> b);
}

internal readonly struct VectorAdd : ILanewiseOp
{
    public static Vector128<T> Apply<T>(Vector128<T> d, Vector128<T> a, Vector128<T> b) => a + b;
}

internal readonly struct VectorSub : ILanewiseOp
{
    public static Vector128<T> Apply<T>(Vector128<T> d, Vector128<T> a, Vector128<T> b) => a - b;
}

internal readonly struct VectorMul : ILanewiseOp
{
    public static Vector128<T> Apply<T>(Vector128<T> d, Vector128<T> a, Vector128<T> b) => a * b;
}

internal readonly struct VectorMulAdd : ILanewiseOp
{
    public static Vector128<T> Apply<T>(Vector128<T> d, Vector128<T> a, Vector128<T> b) => d + (a * b);
}

internal readonly struct VectorMulSub : ILanewiseOp
{
    public static Vector128<T> Apply<T>(Vector128<T> d, Vector128<T> a, Vector128<T> b) => d - (a * b);
}

internal readonly struct VectorMax : ILanewiseOp
{
    public static Vector128<T> Apply<T>(Vector128<T> d, Vector128<T> a, Vector128<T> b) => Vector128.Max(a, b);
}

internal readonly struct VectorMin : ILanewiseOp
{
    public static Vector128<T> Apply<T>(Vector128<T> d, Vector128<T> a, Vector128<T> b) => Vector128.Min(a, b);
}

internal readonly struct VectorCompareGreater : ILanewiseOp
{
    public static Vector128<T> Apply<T>(Vector128<T> d, Vector128<T> a, Vector128<T> b) => Vector128.GreaterThan(a, b);
}

internal readonly struct VectorCompareGreaterEqual : ILanewiseOp
{
    public static Vector128<T> Apply<T>(Vector128<T> d, Vector128<T> a, Vector128<T> b) => Vector128.GreaterThanOrEqual(a, b);
}

internal readonly struct VectorCompareEqual : ILanewiseOp
{
    public static Vector128<T> Apply<T>(Vector128<T> d, Vector128<T> a, Vector128<T> b) => Vector128.Equals(a, b);
}

/// <summary>CMTST: all ones where the operands share a set bit.</summary>
internal readonly struct VectorTestBits : ILanewiseOp
{
    public static Vector128<T> Apply<T>(Vector128<T> d, Vector128<T> a, Vector128<T> b) => ~Vector128.Equals(a & b, Vector128<T>.Zero);
}

/// <summary>NEG and ABS read only the first source.</summary>
internal readonly struct VectorNegate : ILanewiseOp
{
    public static Vector128<T> Apply<T>(Vector128<T> d, Vector128<T> a, Vector128<T> b) => -a;
}

internal readonly struct VectorAbs : ILanewiseOp
{
    // Written out rather than Vector128.Abs so the most negative value wraps to itself on every path, as ABS does.
    public static Vector128<T> Apply<T>(Vector128<T> d, Vector128<T> a, Vector128<T> b) => Vector128.ConditionalSelect(Vector128.LessThan(a, Vector128<T>.Zero), -a, a);
}

/// <summary>The bitwise three-same forms (AND, BIC, ORR, ORN, EOR, BSL, BIT, BIF); element size is irrelevant.</summary>
internal readonly struct VectorAnd : ILanewiseOp
{
    public static Vector128<T> Apply<T>(Vector128<T> d, Vector128<T> a, Vector128<T> b) => a & b;
}

internal readonly struct VectorBitClear : ILanewiseOp
{
    public static Vector128<T> Apply<T>(Vector128<T> d, Vector128<T> a, Vector128<T> b) => Vector128.AndNot(a, b);
}

internal readonly struct VectorOr : ILanewiseOp
{
    public static Vector128<T> Apply<T>(Vector128<T> d, Vector128<T> a, Vector128<T> b) => a | b;
}

internal readonly struct VectorOrNot : ILanewiseOp
{
    public static Vector128<T> Apply<T>(Vector128<T> d, Vector128<T> a, Vector128<T> b) => a | ~b;
}

internal readonly struct VectorXor : ILanewiseOp
{
    public static Vector128<T> Apply<T>(Vector128<T> d, Vector128<T> a, Vector128<T> b) => a ^ b;
}

/// <summary>BSL: Vd selects between Vn (where set) and Vm.</summary>
internal readonly struct VectorBitSelect : ILanewiseOp
{
    public static Vector128<T> Apply<T>(Vector128<T> d, Vector128<T> a, Vector128<T> b) => Vector128.ConditionalSelect(d, a, b);
}

/// <summary>BIT: insert bits of Vn into Vd where Vm is set.</summary>
internal readonly struct VectorBitInsertIfTrue : ILanewiseOp
{
    public static Vector128<T> Apply<T>(Vector128<T> d, Vector128<T> a, Vector128<T> b) => Vector128.ConditionalSelect(b, a, d);
}

/// <summary>BIF: insert bits of Vn into Vd where Vm is clear.</summary>
internal readonly struct VectorBitInsertIfFalse : ILanewiseOp
{
    public static Vector128<T> Apply<T>(Vector128<T> d, Vector128<T> a, Vector128<T> b) => Vector128.ConditionalSelect(b, d, a);
}

/// <summary>NOT (MVN).</summary>
internal readonly struct VectorNot : ILanewiseOp
{
    public static Vector128<T> Apply<T>(Vector128<T> d, Vector128<T> a, Vector128<T> b) => ~a;
}
