using System.Text;
using EdgeVisor.Emulation.Memory;

namespace EdgeVisor.Emulation.CortexM.Tests.Unicorn;

/// <summary>
/// What <see cref="DifferentialRunner"/> and <see cref="FpDifferentialRunner"/> share: the images they load into both
/// engines and the comparisons of the core registers and the data window after a case.
/// </summary>
internal static class DifferentialCompare
{
    /// <summary>
    /// A vector table at 0 so a fault has somewhere to go: the initial SP is <see cref="DifferentialRunner.StackTop"/>,
    /// every handler is an infinite loop at 0x100.
    /// </summary>
    public static byte[] VectorTable()
    {
        var vectors = new byte[0x104];
        BitConverter.GetBytes(DifferentialRunner.StackTop).CopyTo(vectors, 0);
        for (int i = 1; i < 64; i++)
        {
            BitConverter.GetBytes(0x101u).CopyTo(vectors, i * 4);
        }

        vectors[0x100] = 0xFE;
        vectors[0x101] = 0xE7;
        return vectors;
    }

    /// <summary>The case's halfwords as little-endian bytes, then a trailing "b ." so a run that falls through stays put.</summary>
    public static byte[] CodeImage(ushort[] halfwords)
    {
        var code = new byte[(halfwords.Length * 2) + 4];
        for (int i = 0; i < halfwords.Length; i++)
        {
            BitConverter.GetBytes(halfwords[i]).CopyTo(code, i * 2);
        }

        code[^4] = 0xFE;
        code[^3] = 0xE7;
        return code;
    }

    /// <summary>Appends a line for each of R0-R15 that differs (Unicorn's PC has the Thumb bit set; it is cleared first).</summary>
    public static void CompareCoreRegisters(StringBuilder diff, CortexMUnicorn unicorn, CortexMCpu cpu)
    {
        for (int r = 0; r < 16; r++)
        {
            uint expected = r == 15 ? unicorn[r] & ~1u : unicorn[r];
            if (expected != cpu.R[r])
            {
                diff.Append($"r{r}: unicorn 0x{expected:X8}, edgevisor 0x{cpu.R[r]:X8}\n");
            }
        }
    }

    /// <summary>Appends a line for the first byte of the data window that differs, if any.</summary>
    public static void CompareDataWindow(StringBuilder diff, CortexMUnicorn unicorn, AddressSpace bus)
    {
        var expectedData = unicorn.Read(DifferentialRunner.DataBase, (int)DifferentialRunner.DataSize);
        var actualData = new byte[DifferentialRunner.DataSize];
        bus.TryReadBytes(DifferentialRunner.DataBase, actualData);
        for (int i = 0; i < actualData.Length; i++)
        {
            if (expectedData[i] != actualData[i])
            {
                diff.Append($"memory 0x{DifferentialRunner.DataBase + i:X8}: unicorn 0x{expectedData[i]:X2}, edgevisor 0x{actualData[i]:X2}\n");
                break;
            }
        }
    }

    /// <summary>The case's code as hex halfwords after the model and description, for a failure message.</summary>
    public static StringBuilder DescribeCode(CortexMModel model, string description, ushort[] code)
    {
        var text = new StringBuilder();
        text.Append($"{model.Name} {description}: code");
        foreach (var hw in code)
        {
            text.Append($" {hw:X4}");
        }

        return text;
    }

    /// <summary>Appends R0-R14 as the case set them.</summary>
    public static void DescribeRegisters(StringBuilder text, uint[] registers)
    {
        for (int r = 0; r < 15; r++)
        {
            text.Append($"r{r}=0x{registers[r]:X8} ");
        }
    }
}
