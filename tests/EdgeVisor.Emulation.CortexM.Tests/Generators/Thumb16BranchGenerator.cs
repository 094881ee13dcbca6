using EdgeVisor.Emulation.CortexM.Tests.Unicorn;

namespace EdgeVisor.Emulation.CortexM.Tests.Generators;

/// <summary>Branches: B, B&lt;c&gt;, BX, BLX, BL, and CBZ/CBNZ on ARMv7-M.</summary>
public sealed class Thumb16BranchGenerator : InstructionGenerator
{
    public override InstructionCase Generate(CaseBuilder b)
    {
        switch (b.Random.Next(b.Model.HasThumb2 ? 6 : 5))
        {
            case 0:
                return b.Case("b", 1, (ushort)(0xE000 | b.Bits(11)));
            case 1:
                return b.Case("b<c>", 1, (ushort)(0xD000 | (b.Random.Next(14) << 8) | b.Bits(8)));
            case 2:
            case 3:
                {
                    int rm = b.Random.Next(15);
                    if (rm == 13)
                    {
                        rm = 14;
                    }

                    b.Registers[rm] = 0x2001u + ((uint)b.Random.Next(0, 0x1000) * 2);
                    bool link = b.Random.Next(2) == 0;
                    return b.Case(link ? "blx" : "bx", 1, (ushort)(0x4700 | (link ? 0x80 : 0) | (rm << 3)));
                }

            case 4:
                {
                    uint s = b.Field(1);
                    uint imm10 = s == 0 ? b.Field(4) : 0x3FF;
                    // J1 = J2 = 1: a short forward (S = 0) or backward (S = 1) call.
                    return b.Case("bl", 1, (ushort)(0xF000 | (s << 10) | imm10), (ushort)(0xF800 | b.Field(11)));
                }

            default:
                {
                    int rn = b.LowRegister();
                    if (b.Random.Next(2) == 0)
                    {
                        b.Registers[rn] = 0;
                    }

                    return b.Case("cbz/cbnz", 1, (ushort)(0xB100 | (b.Bits(1) << 11) | (b.Bits(1) << 9) | (b.Bits(5) << 3) | rn));
                }
        }
    }
}
