using EdgeVisor.Emulation.CortexM.Tests.Unicorn;

namespace EdgeVisor.Emulation.CortexM.Tests.Generators;

/// <summary>Thumb-2 loads and stores: imm12, imm8 with pre/post-index and writeback, register, literal, LDRD/STRD, LDM/STM.W, exclusives, TBB/TBH.</summary>
public sealed class Thumb2LoadStoreGenerator : InstructionGenerator
{
    public override bool Supports(CortexMModel model) => model.HasThumb2;

    public override InstructionCase Generate(CaseBuilder b)
    {
        uint rn = (uint)b.Register();
        uint rt = (uint)b.Register();
        while (rt == rn)
        {
            rt = (uint)b.Register();
        }

        // size 0 byte, 1 half, 2 word; signed loads for byte/half.
        uint size = b.Field(2) % 3;
        bool load = b.Random.Next(2) == 0;
        uint signed = load && size < 2 ? b.Field(1) : 0;
        uint l = load ? 1u : 0u;
        uint top = 0xF8000000 | (signed << 24) | (size << 21) | (l << 20);
        switch (b.Random.Next(9))
        {
            case 0:
            case 1:
                b.PointIntoData((int)rn, 4, 0x1000 / 2 - 16);
                return b.Case32("ldr/str imm12", top | 0x00800000 | (rn << 16) | (rt << 12) | (b.Field(12) & 0x3FF));
            case 2:
            case 3:
                {
                    // P/U/W imm8: not P=0,W=0.
                    uint puw = new uint[] { 0b001, 0b011, 0b100, 0b101, 0b111, 0b110 }[b.Random.Next(6)];
                    b.PointIntoData((int)rn);
                    return b.Case32("ldr/str imm8 indexed", top | (rn << 16) | (rt << 12) | 0x800 | (puw << 8) | b.Field(8));
                }

            case 4:
                {
                    uint rm = (uint)b.Register();
                    while (rm == rn)
                    {
                        rm = (uint)b.Register();
                    }

                    b.PointIntoData((int)rn, 4);
                    b.Registers[rm] = (uint)b.Random.Next(0, 64);
                    return b.Case32("ldr/str register", top | (rn << 16) | (rt << 12) | (b.Field(2) << 4) | rm);
                }

            case 5:
                // Literal: reads the code region near the instruction.
                return b.Case32("ldr literal", 0xF81F0000 | (signed << 24) | (b.Field(1) << 23) | (size << 21) | (rt << 12) | b.Field(8));
            case 6:
                {
                    // LDRD/STRD; with writeback Rn must differ from Rt/Rt2.
                    uint rt2 = (uint)b.Register();
                    while (rt2 == rt || rt2 == rn)
                    {
                        rt2 = (uint)b.Register();
                    }

                    uint pw = new uint[] { 0b10, 0b11, 0b01 }[b.Random.Next(3)];
                    b.PointIntoData((int)rn, 4, 0x400);
                    return b.Case32("ldrd/strd", 0xE8400000 | ((pw >> 1) << 24) | (b.Field(1) << 23) | ((pw & 1) << 21) | (l << 20) | (rn << 16) | (rt << 12) | (rt2 << 8) | b.Field(8));
                }

            case 7:
                {
                    // LDM/STM.W IA or DB, at least two registers, no SP/PC, Rn not in the list when writing back.
                    uint w = b.Field(1);
                    uint list = (b.Field(13) | 0x3) & 0x5FFF & 0x1FFF;
                    if (w == 1)
                    {
                        list &= ~(1u << (int)rn);
                        list |= 0x3u & ~(1u << (int)rn);
                    }

                    b.PointIntoData((int)rn, 4, 0x100);
                    uint mode = b.Random.Next(2) == 0 ? 0xE8800000u : 0xE9000000u;
                    return b.Case32("ldm/stm.w", mode | (w << 21) | (l << 20) | (rn << 16) | list);
                }

            default:
                return Exclusive(b, rn, rt);
        }
    }

    private static InstructionCase Exclusive(CaseBuilder b, uint rn, uint rt)
    {
        uint rd = (uint)b.Register();
        while (rd == rn || rd == rt)
        {
            rd = (uint)b.Register();
        }

        switch (b.Random.Next(4))
        {
            case 0:
                {
                    // LDREX; STREX to the same address succeeds.
                    b.PointIntoData((int)rn, 4);
                    uint imm8 = b.Field(4);
                    uint ldrex = 0xE8500F00 | (rn << 16) | (rt << 12) | imm8;
                    uint strex = 0xE8400000 | (rn << 16) | (rt << 12) | (rd << 8) | imm8;
                    return b.Case("ldrex/strex", 2, (ushort)(ldrex >> 16), (ushort)ldrex, (ushort)(strex >> 16), (ushort)strex);
                }

            case 1:
                {
                    // CLREX; STREX fails and stores nothing.
                    b.PointIntoData((int)rn, 4);
                    uint strex = 0xE8400000 | (rn << 16) | (rt << 12) | (rd << 8);
                    return b.Case("clrex/strex", 2, 0xF3BF, 0x8F2F, (ushort)(strex >> 16), (ushort)strex);
                }

            case 2:
                {
                    // LDREXB/H then STREXB/H.
                    b.PointIntoData((int)rn, 2);
                    uint half = b.Field(1);
                    uint ldrex = 0xE8D00F4F | (rn << 16) | (rt << 12) | (half << 4);
                    uint strex = 0xE8C00F40 | (rn << 16) | (rt << 12) | (half << 4) | rd;
                    return b.Case("ldrexb/h strexb/h", 2, (ushort)(ldrex >> 16), (ushort)ldrex, (ushort)(strex >> 16), (ushort)strex);
                }

            default:
                {
                    // TBB/TBH: a small index into a table in the data window.
                    uint rm = rt;
                    b.PointIntoData((int)rn, 2);
                    b.Registers[rm] = (uint)b.Random.Next(0, 32);
                    uint h = b.Field(1);
                    return b.Case32("tbb/tbh", 0xE8D0F000 | (rn << 16) | (h << 4) | rm);
                }
        }
    }
}
