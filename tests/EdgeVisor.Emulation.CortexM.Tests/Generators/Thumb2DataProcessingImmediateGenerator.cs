using EdgeVisor.Emulation.CortexM.Tests.Unicorn;

namespace EdgeVisor.Emulation.CortexM.Tests.Generators;

/// <summary>Thumb-2 modified-immediate and plain-immediate data processing, bit fields, saturation, MOVW/MOVT, ADR.</summary>
public sealed class Thumb2DataProcessingImmediateGenerator : InstructionGenerator
{
    private static readonly uint[] ModifiedOps = [0, 1, 2, 3, 4, 8, 10, 11, 13, 14];

    public override bool Supports(CortexMModel model) => model.HasThumb2;

    public override InstructionCase Generate(CaseBuilder b)
    {
        uint rd = (uint)b.Register();
        uint rn = (uint)b.Register();
        uint i = b.Field(1);
        uint imm3 = b.Field(3);
        uint imm8 = b.Field(8);
        if (b.Random.Next(2) == 0)
        {
            uint op = ModifiedOps[b.Random.Next(ModifiedOps.Length)];
            uint s = b.Field(1);
            if ((op is 0 or 4 or 8 or 13) && s == 1 && b.Random.Next(3) == 0)
            {
                rd = 15; // TST/TEQ/CMN/CMP
            }

            if ((op is 2 or 3) && b.Random.Next(3) == 0)
            {
                rn = 15; // MOV/MVN
            }

            if (i == 0 && imm3 != 0 && imm3 < 4 && imm8 == 0)
            {
                imm8 = 1;
            }

            return b.Case32("modified immediate", 0xF0000000 | (i << 26) | (op << 21) | (s << 20) | (rn << 16) | (imm3 << 12) | (rd << 8) | imm8);
        }

        switch (b.Random.Next(6))
        {
            case 0:
                {
                    // ADDW/SUBW, with Rn = PC meaning ADR.
                    uint op = b.Random.Next(2) == 0 ? 0u : 0b01010u;
                    if (b.Random.Next(4) == 0)
                    {
                        rn = 15;
                    }

                    return b.Case32("addw/subw/adr", 0xF2000000 | (i << 26) | (op << 20) | (rn << 16) | (imm3 << 12) | (rd << 8) | imm8);
                }

            case 1:
                {
                    uint op = b.Random.Next(2) == 0 ? 0b00100u : 0b01100u;
                    return b.Case32("movw/movt", 0xF2000000 | (i << 26) | (op << 20) | (b.Field(4) << 16) | (imm3 << 12) | (rd << 8) | imm8);
                }

            case 2:
                {
                    // SSAT/USAT with LSL or ASR (ASR #0 is SSAT16/USAT16, a DSP instruction: avoided).
                    uint op = new uint[] { 0b10000, 0b10010, 0b11000, 0b11010 }[b.Random.Next(4)];
                    uint shift = b.Field(5);
                    if ((op & 2) != 0 && shift == 0)
                    {
                        shift = 1;
                    }

                    return b.Case32("ssat/usat", 0xF3000000 | ((op & 0xF) << 20) | (rn << 16) | ((shift >> 2) << 12) | (rd << 8) | ((shift & 3) << 6) | b.Field(5));
                }

            case 3:
            case 4:
                {
                    // SBFX/UBFX: lsb + width <= 32.
                    uint lsb = (uint)b.Random.Next(32);
                    uint widthm1 = (uint)b.Random.Next((int)(32 - lsb));
                    uint op = b.Random.Next(2) == 0 ? 0b10100u : 0b11100u;
                    return b.Case32("sbfx/ubfx", 0xF3000000 | ((op & 0xF) << 20) | (rn << 16) | ((lsb >> 2) << 12) | (rd << 8) | ((lsb & 3) << 6) | widthm1);
                }

            default:
                {
                    // BFI/BFC: msb >= lsb.
                    uint lsb = (uint)b.Random.Next(32);
                    uint msb = lsb + (uint)b.Random.Next((int)(32 - lsb));
                    if (b.Random.Next(4) == 0)
                    {
                        rn = 15;
                    }

                    return b.Case32("bfi/bfc", 0xF3600000 | (rn << 16) | ((lsb >> 2) << 12) | (rd << 8) | ((lsb & 3) << 6) | msb);
                }
        }
    }
}
