using EdgeVisor.Emulation.CortexM.Tests.Unicorn;

namespace EdgeVisor.Emulation.CortexM.Tests.Generators;

/// <summary>Thumb-2 shifted-register data processing, shifts by register, extends, REV/RBIT/CLZ.</summary>
public sealed class Thumb2DataProcessingRegisterGenerator : InstructionGenerator
{
    private static readonly uint[] ShiftedOps = [0, 1, 2, 3, 4, 8, 10, 11, 13, 14];

    public override bool Supports(CortexMModel model) => model.HasThumb2;

    public override InstructionCase Generate(CaseBuilder b)
    {
        uint rd = (uint)b.Register();
        uint rn = (uint)b.Register();
        uint rm = (uint)b.Register();
        switch (b.Random.Next(5))
        {
            case 0:
            case 1:
                {
                    uint op = ShiftedOps[b.Random.Next(ShiftedOps.Length)];
                    uint s = b.Field(1);
                    if ((op is 0 or 4 or 8 or 13) && s == 1 && b.Random.Next(3) == 0)
                    {
                        rd = 15;
                    }

                    if ((op is 2 or 3) && b.Random.Next(3) == 0)
                    {
                        rn = 15;
                    }

                    uint imm5 = b.Field(5);
                    return b.Case32("shifted register", 0xEA000000 | (op << 21) | (s << 20) | (rn << 16) | ((imm5 >> 2) << 12) | (rd << 8) | ((imm5 & 3) << 6) | (b.Field(2) << 4) | rm);
                }

            case 2:
                if (b.Random.Next(2) == 0)
                {
                    b.Registers[rm] = (uint)b.Random.Next(0, 70) | (b.Random.Next(2) == 0 ? 0 : 0xFFFFFF00u & b.Value());
                }

                return b.Case32("shift by register", 0xFA00F000 | (b.Field(2) << 21) | (b.Field(1) << 20) | (rn << 16) | (rd << 8) | rm);
            case 3:
                {
                    uint op = new uint[] { 0, 1, 4, 5 }[b.Random.Next(4)];
                    uint n = b.Model.HasDsp && b.Random.Next(2) == 0 ? rn : 15;
                    return b.Case32("extend", 0xFA00F080 | (op << 20) | (n << 16) | (rd << 8) | (b.Field(2) << 4) | rm);
                }

            default:
                {
                    (uint op1, uint op2) = new[] { (1u, 0u), (1u, 1u), (1u, 2u), (1u, 3u), (3u, 0u) }[b.Random.Next(5)];
                    return b.Case32("rev/rev16/rbit/revsh/clz", 0xFA80F080 | (op1 << 20) | (rm << 16) | (rd << 8) | (op2 << 4) | rm);
                }
        }
    }
}
