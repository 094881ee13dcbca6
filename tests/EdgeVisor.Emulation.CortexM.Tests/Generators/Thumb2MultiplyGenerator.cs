using EdgeVisor.Emulation.CortexM.Tests.Unicorn;

namespace EdgeVisor.Emulation.CortexM.Tests.Generators;

/// <summary>MUL/MLA/MLS, SMULL/UMULL/SMLAL/UMLAL, SDIV/UDIV (divide by zero gives 0 with DIV_0_TRP clear).</summary>
public sealed class Thumb2MultiplyGenerator : InstructionGenerator
{
    public override bool Supports(CortexMModel model) => model.HasThumb2;

    public override InstructionCase Generate(CaseBuilder b)
    {
        uint rd = (uint)b.Register();
        uint rn = (uint)b.Register();
        uint rm = (uint)b.Register();
        uint ra = (uint)b.Register();
        switch (b.Random.Next(3))
        {
            case 0:
                {
                    uint op = b.Field(1);
                    if (op == 0 && b.Random.Next(3) == 0)
                    {
                        ra = 15; // MUL
                    }

                    return b.Case32("mul/mla/mls", 0xFB000000 | (rn << 16) | (ra << 12) | (rd << 8) | (op << 4) | rm);
                }

            case 1:
                {
                    uint op1 = new uint[] { 0, 2, 4, 6 }[b.Random.Next(4)];
                    while (ra == rd)
                    {
                        ra = (uint)b.Register();
                    }

                    return b.Case32("smull/umull/smlal/umlal", 0xFB800000 | (op1 << 20) | (rn << 16) | (rd << 12) | (ra << 8) | rm);
                }

            default:
                {
                    if (b.Random.Next(4) == 0)
                    {
                        b.Registers[rm] = b.Random.Next(2) == 0 ? 0 : 0xFFFFFFFF;
                    }

                    uint op1 = b.Random.Next(2) == 0 ? 1u : 3u;
                    return b.Case32("sdiv/udiv", 0xFB80F0F0 | (op1 << 20) | (rn << 16) | (rd << 8) | rm);
                }
        }
    }
}
