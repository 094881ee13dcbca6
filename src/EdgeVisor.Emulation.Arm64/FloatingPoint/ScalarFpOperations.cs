namespace EdgeVisor.Emulation.Arm64.FloatingPoint;

/// <summary>A two-operand FP operation on raw bits; handlers are instantiated per operation so none branches on an opcode.</summary>
internal interface IFpBinaryOperation
{
    static abstract ulong Apply(int size, ulong a, ulong b, uint fpcr, ref uint fpsr);
}

/// <summary>A one-operand FP operation on raw bits.</summary>
internal interface IFpUnaryOperation
{
    static abstract ulong Apply(int size, ulong a, uint fpcr, ref uint fpsr);
}

internal struct FpAdd : IFpBinaryOperation
{
    public static ulong Apply(int size, ulong a, ulong b, uint fpcr, ref uint fpsr) => SoftFloat.Add(size, a, b, fpcr, ref fpsr);
}

internal struct FpSub : IFpBinaryOperation
{
    public static ulong Apply(int size, ulong a, ulong b, uint fpcr, ref uint fpsr) => SoftFloat.Sub(size, a, b, fpcr, ref fpsr);
}

internal struct FpMul : IFpBinaryOperation
{
    public static ulong Apply(int size, ulong a, ulong b, uint fpcr, ref uint fpsr) => SoftFloat.Mul(size, a, b, fpcr, ref fpsr);
}

/// <summary>FNMUL: the rounded product negated (a NaN result's sign flips too, as FPNeg does).</summary>
internal struct FpNegatedMul : IFpBinaryOperation
{
    public static ulong Apply(int size, ulong a, ulong b, uint fpcr, ref uint fpsr) => SoftFloat.Negate(size, SoftFloat.Mul(size, a, b, fpcr, ref fpsr));
}

internal struct FpDiv : IFpBinaryOperation
{
    public static ulong Apply(int size, ulong a, ulong b, uint fpcr, ref uint fpsr) => SoftFloat.Div(size, a, b, fpcr, ref fpsr);
}

internal struct FpMax : IFpBinaryOperation
{
    public static ulong Apply(int size, ulong a, ulong b, uint fpcr, ref uint fpsr) => SoftFloat.Max(size, a, b, fpcr, ref fpsr);
}

internal struct FpMin : IFpBinaryOperation
{
    public static ulong Apply(int size, ulong a, ulong b, uint fpcr, ref uint fpsr) => SoftFloat.Min(size, a, b, fpcr, ref fpsr);
}

internal struct FpMaxNum : IFpBinaryOperation
{
    public static ulong Apply(int size, ulong a, ulong b, uint fpcr, ref uint fpsr) => SoftFloat.MaxNum(size, a, b, fpcr, ref fpsr);
}

internal struct FpMinNum : IFpBinaryOperation
{
    public static ulong Apply(int size, ulong a, ulong b, uint fpcr, ref uint fpsr) => SoftFloat.MinNum(size, a, b, fpcr, ref fpsr);
}

internal struct FpSqrt : IFpUnaryOperation
{
    public static ulong Apply(int size, ulong a, uint fpcr, ref uint fpsr) => SoftFloat.Sqrt(size, a, fpcr, ref fpsr);
}

/// <summary>FMOV (register): the element unchanged.</summary>
internal struct FpMove : IFpUnaryOperation
{
    public static ulong Apply(int size, ulong a, uint fpcr, ref uint fpsr) => a;
}

internal struct FpAbs : IFpUnaryOperation
{
    public static ulong Apply(int size, ulong a, uint fpcr, ref uint fpsr) => SoftFloat.Abs(size, a);
}

internal struct FpNeg : IFpUnaryOperation
{
    public static ulong Apply(int size, ulong a, uint fpcr, ref uint fpsr) => SoftFloat.Negate(size, a);
}
