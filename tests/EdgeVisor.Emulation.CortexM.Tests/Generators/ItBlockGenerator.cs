using EdgeVisor.Emulation.CortexM.Tests.Unicorn;

namespace EdgeVisor.Emulation.CortexM.Tests.Generators;

/// <summary>
/// IT blocks of one to four 16-bit data-processing instructions (which do not set flags inside IT,
/// except CMP/CMN/TST), optionally ending in a branch to the end of the code, with random
/// conditions and flags. Both engines run to the end address (see <see cref="InstructionCase.RunToEnd"/>).
/// </summary>
public sealed class ItBlockGenerator : InstructionGenerator
{
    public override bool Supports(CortexMModel model) => model.HasThumb2;

    public override InstructionCase Generate(CaseBuilder b)
    {
        int length = b.Random.Next(1, 5);
        uint firstCond = (uint)b.Random.Next(15);
        uint mask;
        if (firstCond == 14)
        {
            mask = AllThen(length);
        }
        else
        {
            // Pattern bits above the terminating 1 choose then/else for instructions 2..length.
            uint pattern = (uint)b.Random.Next(0, 8) & ((1u << (length - 1)) - 1);
            mask = ((pattern << (5 - length)) | (1u << (4 - length))) & 0xF;
        }

        var code = new List<ushort> { (ushort)(0xBF00 | (firstCond << 4) | mask) };
        for (int i = 0; i < length; i++)
        {
            bool last = i == length - 1;
            if (last && b.Random.Next(3) == 0)
            {
                // B to the end: skips the NOP that follows when taken.
                code.Add(0xE000);
                code.Add(0xBF00);
            }
            else
            {
                code.Add(Body(b));
            }
        }

        return b.Case("it block", 16, [.. code]) with { RunToEnd = true };
    }

    private static uint AllThen(int length) => length switch { 1 => 0b1000, 2 => 0b0100, 3 => 0b0010, _ => 0b0001 };

    private static ushort Body(CaseBuilder b)
    {
        int rd = b.LowRegister();
        int rm = b.LowRegister();
        return b.Random.Next(4) switch
        {
            0 => (ushort)(0x2000 | (b.Bits(2) << 11) | (rd << 8) | b.Bits(8)),
            1 => (ushort)(0x4000 | (b.Bits(4) << 6) | (rm << 3) | rd),
            2 => (ushort)(0x1800 | (b.Bits(2) << 9) | (b.Bits(3) << 6) | (rm << 3) | rd),
            _ => (ushort)((b.Random.Next(3) << 11) | (b.Bits(5) << 6) | (rm << 3) | rd),
        };
    }
}
