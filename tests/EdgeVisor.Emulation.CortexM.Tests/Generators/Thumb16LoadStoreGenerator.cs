using EdgeVisor.Emulation.CortexM.Tests.Unicorn;

namespace EdgeVisor.Emulation.CortexM.Tests.Generators;

/// <summary>16-bit loads and stores: register offset, imm5, SP-relative, literal, LDM/STM, PUSH/POP.</summary>
public sealed class Thumb16LoadStoreGenerator : InstructionGenerator
{
    public override InstructionCase Generate(CaseBuilder b)
    {
        int rt = b.LowRegister();
        int rn = b.LowRegister();
        switch (b.Random.Next(7))
        {
            case 0:
                {
                    int rm = (rn + 1 + b.Random.Next(7)) % 8;
                    int op = b.Bits(3);
                    uint size = op switch { 0 or 4 => 4u, 1 or 5 or 7 => 2u, _ => 1u };
                    b.PointIntoData(rn, 4);
                    b.Registers[rm] = (uint)b.Random.Next(0, 64) * size;
                    return b.Case("load/store register offset", 1, (ushort)(0x5000 | (op << 9) | (rm << 6) | (rn << 3) | rt));
                }

            case 1:
                {
                    int form = b.Random.Next(3);
                    b.PointIntoData(rn, 4);
                    ushort top = form switch { 0 => 0x6000, 1 => 0x7000, _ => 0x8000 };
                    return b.Case("load/store imm5", 1, (ushort)(top | (b.Bits(1) << 11) | (b.Bits(5) << 6) | (rn << 3) | rt));
                }

            case 2:
                return b.Case("load/store sp-relative", 1, (ushort)(0x9000 | (b.Bits(1) << 11) | (rt << 8) | b.Bits(6)));
            case 3:
                return b.Case("ldr literal", 1, (ushort)(0x4800 | (rt << 8) | b.Bits(8)));
            case 4:
                {
                    bool load = b.Random.Next(2) == 0;
                    int list = b.Bits(8) | (1 << b.Random.Next(8));
                    if (!load)
                    {
                        list &= ~(1 << rn);
                        list |= list == 0 ? 1 << ((rn + 1) % 8) : 0;
                    }

                    b.PointIntoData(rn, 4);
                    return b.Case("ldm/stm", 1, (ushort)((load ? 0xC800 : 0xC000) | (rn << 8) | list));
                }

            case 5:
                return b.Case("push", 1, (ushort)(0xB400 | (b.Bits(1) << 8) | b.Bits(8) | 1));
            default:
                return b.Case("pop", 1, (ushort)(0xBC00 | b.Bits(8) | 2));
        }
    }
}
