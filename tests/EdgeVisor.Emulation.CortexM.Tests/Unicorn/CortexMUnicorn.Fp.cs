namespace EdgeVisor.Emulation.CortexM.Tests.Unicorn;

/// <summary>FP and system-register access for the FP/DSP differential tests (register ids from Unicorn 2.0.1's arm.h).</summary>
internal sealed partial class CortexMUnicorn
{
    public const int CortexM7 = 10;

    private const int RegFpscr = 6;
    private const int RegS0 = 79;
    private const int RegApsrNzcvqg = 129;

    /// <summary>S0..S31 as raw bits.</summary>
    public uint ReadS(int index) => (uint)ReadRegister(RegS0 + index);

    public void WriteS(int index, uint value) => WriteRegister(RegS0 + index, value);

    public uint Fpscr
    {
        get => (uint)ReadRegister(RegFpscr);
        set => WriteRegister(RegFpscr, value);
    }

    /// <summary>
    /// APSR N,Z,C,V,Q and GE[3:0] (bits 31..27 and 19..16). Unicorn 2.0.1 quirks: writing XPSR drops GE, so the
    /// write goes through APSR_NZCVQG; reading APSR_NZCVQG returns FPSCR, so the read goes through XPSR.
    /// </summary>
    public uint ApsrWithGe
    {
        get => (uint)ReadRegister(RegXpsr) & 0xF80F_0000;
        set => WriteRegister(RegApsrNzcvqg, value);
    }
}
