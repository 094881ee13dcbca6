using EdgeVisor.Emulation.Arm64.Decoding;

namespace EdgeVisor.Emulation.Arm64.Simd.Arithmetic.Decoding;

/// <summary>How the decoder derives <see cref="Op.Size"/> and <see cref="Op.Amount"/> from the size and Q fields.</summary>
internal enum FormShape : byte
{
    /// <summary>Integer elements of the size field; Amount = elements in the register.</summary>
    Elements,

    /// <summary>FP elements: single or double from size&lt;0&gt; (size&lt;1&gt; selects the instruction).</summary>
    Float,

    /// <summary>Bytes whatever the size field says (it selects the instruction: AND/BIC/ORR..., NOT/RBIT).</summary>
    Bytes,

    /// <summary>Narrow elements of the size field, 64 bits of them (long, wide and narrowing forms).</summary>
    HalfWidth,

    /// <summary>Integer pairs of the size field summed into wide elements (SADDLP...): Amount = pairs.</summary>
    PairwiseLong,

    /// <summary>FP source single or double from size&lt;0&gt;, narrowed (FCVTN, FCVTXN).</summary>
    FloatNarrow,

    /// <summary>FP source half or single from size&lt;0&gt;, lengthened (FCVTL).</summary>
    FloatLong,
}

/// <summary>One allocated encoding of a class table: its handler, allowed arrangements, shape and parameter.</summary>
internal unsafe struct SimdForm
{
    public delegate*<Arm64Cpu, ref Op, void> Handler;

    /// <summary>Bit (size &lt;&lt; 1 | Q) set for each allocated arrangement (scalar tables use Q = 0 only).</summary>
    public byte Arrangements;

    public FormShape Shape;

    /// <summary>Copied to <see cref="Op.B"/>.</summary>
    public byte Parameter;

    /// <summary>Copied to <see cref="Op.C"/>.</summary>
    public byte Extra;
}

/// <summary>
/// Allowed arrangements as bit sets over (size &lt;&lt; 1 | Q): bit 0 = 8B, 1 = 16B, 2 = 4H, 3 = 8H, 4 = 2S, 5 = 4S,
/// 6 = 1D, 7 = 2D. Scalar tables use the Q = 0 bits: B, H, S, D.
/// </summary>
internal static class Arrangement
{
    public const byte Any = 0xFF;
    public const byte NotOneD = 0xBF;
    public const byte NoD = 0x3F;
    public const byte BytesOnly = 0x03;
    public const byte BytesHalves = 0x0F;
    public const byte HalvesSingles = 0x3C;
    public const byte SinglesOnly = 0x30;

    /// <summary>Across lanes, integer: 8B, 16B, 4H, 8H, 4S.</summary>
    public const byte AcrossInteger = 0x2F;

    /// <summary>FP vector with size&lt;1&gt; = 0: 2S, 4S, 2D (size 00 Q0, 00 Q1, 01 Q1).</summary>
    public const byte FloatLow = 0x0B;

    /// <summary>FP vector with size&lt;1&gt; = 1.</summary>
    public const byte FloatHigh = 0xB0;

    /// <summary>FP across lanes: 4S only.</summary>
    public const byte FloatAcrossLow = 0x02;
    public const byte FloatAcrossHigh = 0x20;

    /// <summary>FCVTXN: double to single only (size 01).</summary>
    public const byte DoubleOnlyLow = 0x0C;

    public const byte ScalarAny = 0x55;
    public const byte ScalarD = 0x40;
    public const byte ScalarBhs = 0x15;
    public const byte ScalarHs = 0x14;
    public const byte ScalarFloatLow = 0x05;
    public const byte ScalarFloatHigh = 0x50;
    public const byte ScalarDoubleOnlyLow = 0x04;
}

/// <summary>
/// The allocated encodings of one instruction class, indexed by U, size and opcode. Entries are filled by
/// <see cref="Int"/> (any size; the arrangement mask decides) or <see cref="Fp"/> (size&lt;1&gt; fixed).
/// </summary>
internal sealed unsafe class FormTable
{
    private readonly SimdForm[] _forms = new SimdForm[256];

    /// <summary>The form for the fields, or null when unallocated.</summary>
    public ref SimdForm Find(uint u, uint size, uint opcode, uint q, out bool found)
    {
        ref SimdForm form = ref _forms[(int)((u << 7) | (size << 5) | opcode)];
        found = form.Handler != null && (form.Arrangements & (1 << (int)((size << 1) | q))) != 0;
        return ref form;
    }

    /// <summary>An integer (or size-independent) form: registered for every size value.</summary>
    public FormTable Int(int u, int opcode, delegate*<Arm64Cpu, ref Op, void> handler, byte arrangements, FormShape shape = FormShape.Elements, byte parameter = 0, byte extra = 0)
    {
        for (int size = 0; size < 4; size++)
        {
            Set(u, size, opcode, handler, arrangements, shape, parameter, extra);
        }

        return this;
    }

    /// <summary>A form for one exact size value (AND/BIC/ORR/ORN, NOT/RBIT, PMULL).</summary>
    public FormTable Sized(int u, int size, int opcode, delegate*<Arm64Cpu, ref Op, void> handler, byte arrangements, FormShape shape = FormShape.Elements, byte parameter = 0, byte extra = 0)
    {
        Set(u, size, opcode, handler, arrangements, shape, parameter, extra);
        return this;
    }

    /// <summary>A floating-point form: size&lt;1&gt; = <paramref name="high"/>, size&lt;0&gt; = sz.</summary>
    public FormTable Fp(int u, int high, int opcode, delegate*<Arm64Cpu, ref Op, void> handler, byte arrangements, FormShape shape = FormShape.Float, byte parameter = 0)
    {
        Set(u, high * 2, opcode, handler, arrangements, shape, parameter, 0);
        Set(u, (high * 2) + 1, opcode, handler, arrangements, shape, parameter, 0);
        return this;
    }

    private void Set(int u, int size, int opcode, delegate*<Arm64Cpu, ref Op, void> handler, byte arrangements, FormShape shape, byte parameter, byte extra)
    {
        ref SimdForm form = ref _forms[(u << 7) | (size << 5) | opcode];
        form.Handler = handler;
        form.Arrangements = arrangements;
        form.Shape = shape;
        form.Parameter = parameter;
        form.Extra = extra;
    }
}
