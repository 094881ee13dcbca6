namespace EdgeVisor.Emulation.Arm64.FloatingPoint;

/// <summary>
/// The scalar FP operations as type parameters for <see cref="ScalarFpHandlers"/>: one handler instance per operation,
/// so no handler branches on an opcode. Nested so the names never meet the SIMD work's operation types.
/// </summary>
internal static class ScalarFpOperations
{
    /// <summary>A two-operand FP operation on raw bits; handlers are instantiated per operation so none branches on an opcode.</summary>
    public interface IBinary
    {
        static abstract ulong Apply(int size, ulong a, ulong b, uint fpcr, ref uint fpsr);
    }

    /// <summary>A one-operand FP operation on raw bits.</summary>
    public interface IUnary
    {
        static abstract ulong Apply(int size, ulong a, uint fpcr, ref uint fpsr);
    }

    public struct Add : IBinary
    {
        public static ulong Apply(int size, ulong a, ulong b, uint fpcr, ref uint fpsr) => SoftFloat.Add(size, a, b, fpcr, ref fpsr);
    }

    public struct Sub : IBinary
    {
        public static ulong Apply(int size, ulong a, ulong b, uint fpcr, ref uint fpsr) => SoftFloat.Sub(size, a, b, fpcr, ref fpsr);
    }

    public struct Mul : IBinary
    {
        public static ulong Apply(int size, ulong a, ulong b, uint fpcr, ref uint fpsr) => SoftFloat.Mul(size, a, b, fpcr, ref fpsr);
    }

    /// <summary>FNMUL: the rounded product negated (a NaN result's sign flips too, as FPNeg does).</summary>
    public struct NegatedMul : IBinary
    {
        public static ulong Apply(int size, ulong a, ulong b, uint fpcr, ref uint fpsr) => SoftFloat.Negate(size, SoftFloat.Mul(size, a, b, fpcr, ref fpsr));
    }

    public struct Div : IBinary
    {
        public static ulong Apply(int size, ulong a, ulong b, uint fpcr, ref uint fpsr) => SoftFloat.Div(size, a, b, fpcr, ref fpsr);
    }

    public struct Max : IBinary
    {
        public static ulong Apply(int size, ulong a, ulong b, uint fpcr, ref uint fpsr) => SoftFloat.Max(size, a, b, fpcr, ref fpsr);
    }

    public struct Min : IBinary
    {
        public static ulong Apply(int size, ulong a, ulong b, uint fpcr, ref uint fpsr) => SoftFloat.Min(size, a, b, fpcr, ref fpsr);
    }

    public struct MaxNum : IBinary
    {
        public static ulong Apply(int size, ulong a, ulong b, uint fpcr, ref uint fpsr) => SoftFloat.MaxNum(size, a, b, fpcr, ref fpsr);
    }

    public struct MinNum : IBinary
    {
        public static ulong Apply(int size, ulong a, ulong b, uint fpcr, ref uint fpsr) => SoftFloat.MinNum(size, a, b, fpcr, ref fpsr);
    }

    public struct Sqrt : IUnary
    {
        public static ulong Apply(int size, ulong a, uint fpcr, ref uint fpsr) => SoftFloat.Sqrt(size, a, fpcr, ref fpsr);
    }

    /// <summary>FMOV (register): the element unchanged.</summary>
    public struct Move : IUnary
    {
        public static ulong Apply(int size, ulong a, uint fpcr, ref uint fpsr) => a;
    }

    public struct Abs : IUnary
    {
        public static ulong Apply(int size, ulong a, uint fpcr, ref uint fpsr) => SoftFloat.Abs(size, a);
    }

    public struct Neg : IUnary
    {
        public static ulong Apply(int size, ulong a, uint fpcr, ref uint fpsr) => SoftFloat.Negate(size, a);
    }
}
