using EdgeVisor.Emulation.CortexM.Decoding;

namespace EdgeVisor.Emulation.CortexM.Execution;

/// <summary>
/// Op handlers for the DSP extension (ARMv7E-M). Each reads its operands from the op (see <see cref="ThumbDecoder"/>'s
/// DSP decoder for the field use) and delegates the arithmetic to the pure Dsp* classes.
/// </summary>
internal static class DspHandlers
{
    /// <summary>Parallel add/subtract: <c>Shift</c> = <see cref="ParallelOperation"/>, <c>Extra</c> = <see cref="ParallelKind"/>.</summary>
    public static void Parallel(CortexMCpu cpu, ref Op op) =>
        cpu.R[op.Rd & 15] = DspParallel.Compute((ParallelOperation)op.Shift, (ParallelKind)op.Extra, cpu.R[op.Rn & 15], cpu.R[op.Rm & 15], ref cpu.GE);

    /// <summary>QADD/QSUB/QDADD/QDSUB Rd, Rm, Rn: <c>Extra</c> bit 0 = doubling, bit 1 = subtract.</summary>
    public static void Saturating(CortexMCpu cpu, ref Op op)
    {
        uint m = cpu.R[op.Rm & 15];
        uint n = cpu.R[op.Rn & 15];
        cpu.R[op.Rd & 15] = op.Extra switch
        {
            0 => DspSaturating.Add(m, n, ref cpu.Q),
            1 => DspSaturating.DoubleAdd(m, n, ref cpu.Q),
            2 => DspSaturating.Subtract(m, n, ref cpu.Q),
            _ => DspSaturating.DoubleSubtract(m, n, ref cpu.Q),
        };
    }

    /// <summary>SSAT16: <c>Amount</c> = saturation bits.</summary>
    public static void SignedSaturate16(CortexMCpu cpu, ref Op op) =>
        cpu.R[op.Rd & 15] = DspSaturating.SignedSaturate16(cpu.R[op.Rn & 15], op.Amount, ref cpu.Q);

    /// <summary>USAT16: <c>Amount</c> = saturation bits.</summary>
    public static void UnsignedSaturate16(CortexMCpu cpu, ref Op op) =>
        cpu.R[op.Rd & 15] = DspSaturating.UnsignedSaturate16(cpu.R[op.Rn & 15], op.Amount, ref cpu.Q);

    public static void Select(CortexMCpu cpu, ref Op op) =>
        cpu.R[op.Rd & 15] = DspPacking.Select(cpu.R[op.Rn & 15], cpu.R[op.Rm & 15], cpu.GE);

    /// <summary>PKHBT: <c>Amount</c> = LSL amount.</summary>
    public static void PackBottomTop(CortexMCpu cpu, ref Op op) =>
        cpu.R[op.Rd & 15] = DspPacking.PackBottomTop(cpu.R[op.Rn & 15], cpu.R[op.Rm & 15], op.Amount);

    /// <summary>PKHTB: <c>Amount</c> = ASR amount (0 means 32).</summary>
    public static void PackTopBottom(CortexMCpu cpu, ref Op op) =>
        cpu.R[op.Rd & 15] = DspPacking.PackTopBottom(cpu.R[op.Rn & 15], cpu.R[op.Rm & 15], op.Amount);

    /// <summary>SXTAB16/UXTAB16/SXTB16/UXTB16: <c>Amount</c> = rotation, <c>Extra</c> bit 0 = signed, bit 1 = no accumulator (Rn = PC).</summary>
    public static void ExtendAddDual(CortexMCpu cpu, ref Op op)
    {
        uint n = (op.Extra & 2) != 0 ? 0 : cpu.R[op.Rn & 15];
        cpu.R[op.Rd & 15] = DspPacking.ExtendAddDual(n, cpu.R[op.Rm & 15], op.Amount, (op.Extra & 1) != 0);
    }

    /// <summary>SXTAB/UXTAB/SXTAH/UXTAH: <c>Amount</c> = rotation, <c>Extra</c> bit 0 = signed, bit 1 = halfword.</summary>
    public static void ExtendAdd(CortexMCpu cpu, ref Op op) =>
        cpu.R[op.Rd & 15] = DspPacking.ExtendAdd(cpu.R[op.Rn & 15], cpu.R[op.Rm & 15], op.Amount, (op.Extra & 1) != 0, (op.Extra & 2) != 0);

    /// <summary>SMLA&lt;x&gt;&lt;y&gt;/SMUL&lt;x&gt;&lt;y&gt;: <c>Extra</c> bit 0 = m top, bit 1 = n top, bit 2 = accumulate.</summary>
    public static void MultiplyHalves(CortexMCpu cpu, ref Op op)
    {
        uint n = cpu.R[op.Rn & 15];
        uint m = cpu.R[op.Rm & 15];
        bool nTop = (op.Extra & 2) != 0;
        bool mTop = (op.Extra & 1) != 0;
        cpu.R[op.Rd & 15] = (op.Extra & 4) != 0
            ? DspMultiply.MultiplyAccumulateHalves(n, m, cpu.R[op.Ra & 15], nTop, mTop, ref cpu.Q)
            : DspMultiply.MultiplyHalves(n, m, nTop, mTop);
    }

    /// <summary>SMLAW&lt;y&gt;/SMULW&lt;y&gt;: <c>Extra</c> bit 0 = m top, bit 2 = accumulate.</summary>
    public static void MultiplyWord(CortexMCpu cpu, ref Op op)
    {
        uint n = cpu.R[op.Rn & 15];
        uint m = cpu.R[op.Rm & 15];
        bool mTop = (op.Extra & 1) != 0;
        cpu.R[op.Rd & 15] = (op.Extra & 4) != 0
            ? DspMultiply.MultiplyAccumulateWord(n, m, cpu.R[op.Ra & 15], mTop, ref cpu.Q)
            : DspMultiply.MultiplyWord(n, m, mTop);
    }

    /// <summary>SMLAD/SMLSD/SMUAD/SMUSD: <c>Extra</c> bit 0 = exchange, bit 1 = subtract, bit 2 = accumulate.</summary>
    public static void DualMultiply(CortexMCpu cpu, ref Op op)
    {
        uint a = (op.Extra & 4) != 0 ? cpu.R[op.Ra & 15] : 0;
        cpu.R[op.Rd & 15] = DspMultiply.DualMultiplyAccumulate(cpu.R[op.Rn & 15], cpu.R[op.Rm & 15], a, (op.Extra & 1) != 0, (op.Extra & 2) != 0, ref cpu.Q);
    }

    /// <summary>SMLALD/SMLSLD: Rd = RdLo, Ra = RdHi; <c>Extra</c> bit 0 = exchange, bit 1 = subtract.</summary>
    public static void DualMultiplyLong(CortexMCpu cpu, ref Op op)
    {
        ulong accumulator = ((ulong)cpu.R[op.Ra & 15] << 32) | cpu.R[op.Rd & 15];
        ulong result = DspMultiply.DualMultiplyAccumulateLong(cpu.R[op.Rn & 15], cpu.R[op.Rm & 15], accumulator, (op.Extra & 1) != 0, (op.Extra & 2) != 0);
        cpu.R[op.Rd & 15] = (uint)result;
        cpu.R[op.Ra & 15] = (uint)(result >> 32);
    }

    /// <summary>SMLAL&lt;x&gt;&lt;y&gt;: Rd = RdLo, Ra = RdHi; <c>Extra</c> bit 0 = m top, bit 1 = n top.</summary>
    public static void MultiplyHalvesLong(CortexMCpu cpu, ref Op op)
    {
        ulong accumulator = ((ulong)cpu.R[op.Ra & 15] << 32) | cpu.R[op.Rd & 15];
        ulong result = DspMultiply.MultiplyAccumulateHalvesLong(cpu.R[op.Rn & 15], cpu.R[op.Rm & 15], accumulator, (op.Extra & 2) != 0, (op.Extra & 1) != 0);
        cpu.R[op.Rd & 15] = (uint)result;
        cpu.R[op.Ra & 15] = (uint)(result >> 32);
    }

    /// <summary>SMMLA/SMMLS/SMMUL: <c>Extra</c> bit 0 = round, bit 1 = subtract, bit 2 = accumulate.</summary>
    public static void MostSignificantWord(CortexMCpu cpu, ref Op op)
    {
        uint a = (op.Extra & 4) != 0 ? cpu.R[op.Ra & 15] : 0;
        cpu.R[op.Rd & 15] = DspMultiply.MostSignificantWord(cpu.R[op.Rn & 15], cpu.R[op.Rm & 15], a, (op.Extra & 2) != 0, (op.Extra & 1) != 0);
    }

    /// <summary>UMAAL: Rd = RdLo, Ra = RdHi.</summary>
    public static void MultiplyAccumulateAccumulate(CortexMCpu cpu, ref Op op)
    {
        ulong result = DspMultiply.MultiplyAccumulateAccumulate(cpu.R[op.Rn & 15], cpu.R[op.Rm & 15], cpu.R[op.Ra & 15], cpu.R[op.Rd & 15]);
        cpu.R[op.Rd & 15] = (uint)result;
        cpu.R[op.Ra & 15] = (uint)(result >> 32);
    }

    /// <summary>USAD8/USADA8: <c>Extra</c> bit 2 = accumulate.</summary>
    public static void SumAbsoluteDifferences(CortexMCpu cpu, ref Op op)
    {
        uint a = (op.Extra & 4) != 0 ? cpu.R[op.Ra & 15] : 0;
        cpu.R[op.Rd & 15] = DspMultiply.SumAbsoluteDifferences(cpu.R[op.Rn & 15], cpu.R[op.Rm & 15], a);
    }
}
