using EdgeVisor.Emulation.CortexM.Tests.Unicorn;

namespace EdgeVisor.Emulation.CortexM.Tests.Generators;

/// <summary>16-bit data processing: shifts, add/subtract, immediates, the 16 register ops, high registers, SP/PC arithmetic, REV*, extends.</summary>
public sealed class Thumb16DataProcessingGenerator : InstructionGenerator
{
    public override InstructionCase Generate(CaseBuilder b)
    {
        int rd = b.LowRegister();
        int rm = b.LowRegister();
        int rn = b.LowRegister();
        switch (b.Random.Next(10))
        {
            case 0:
                return b.Case("shift immediate", 1, (ushort)((b.Random.Next(3) << 11) | (b.Bits(5) << 6) | (rm << 3) | rd));
            case 1:
                return b.Case("add/sub register/imm3", 1, (ushort)(0x1800 | (b.Bits(2) << 9) | (b.Bits(3) << 6) | (rn << 3) | rd));
            case 2:
                return b.Case("mov/cmp/add/sub imm8", 1, (ushort)(0x2000 | (b.Bits(2) << 11) | (rd << 8) | b.Bits(8)));
            case 3:
            case 4:
                if (b.Random.Next(4) == 0)
                {
                    // Shift amounts around 32 in the register for LSL/LSR/ASR/ROR by register.
                    b.Registers[rm] = (uint)b.Random.Next(0, 70);
                }

                return b.Case("register data processing", 1, (ushort)(0x4000 | (b.Bits(4) << 6) | (rm << 3) | rd));
            case 5:
                {
                    // ADD/CMP/MOV with high registers; never writes SP or PC, CMP needs a high register.
                    int op = b.Random.Next(3);
                    int d = RegisterExcept(b, 13, 15);
                    int m = RegisterExcept(b, 15);
                    if (op == 1 && d < 8 && m < 8)
                    {
                        m = 8 + b.Random.Next(5);
                    }

                    return b.Case("high register add/cmp/mov", 1, (ushort)(0x4400 | (op << 8) | ((d & 8) << 4) | (m << 3) | (d & 7)));
                }

            case 6:
                return b.Case("adr / add rd, sp", 1, (ushort)(0xA000 | (b.Bits(1) << 11) | (rd << 8) | b.Bits(8)));
            case 7:
                return b.Case("add/sub sp, #imm7", 1, (ushort)(0xB000 | (b.Bits(1) << 7) | b.Bits(5)));
            case 8:
                {
                    int op = new[] { 0, 1, 3 }[b.Random.Next(3)];
                    return b.Case("rev/rev16/revsh", 1, (ushort)(0xBA00 | (op << 6) | (rm << 3) | rd));
                }

            default:
                return b.Case("sxth/sxtb/uxth/uxtb", 1, (ushort)(0xB200 | (b.Bits(2) << 6) | (rm << 3) | rd));
        }
    }

    private static int RegisterExcept(CaseBuilder b, params int[] excluded)
    {
        while (true)
        {
            int r = b.Random.Next(16);
            if (Array.IndexOf(excluded, r) < 0)
            {
                return r;
            }
        }
    }
}
