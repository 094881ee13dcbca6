using EdgeVisor.Emulation.Arm64.Tests.TestKit;

namespace EdgeVisor.Emulation.Arm64.Tests.Integer;

public sealed class IntegerSemanticsTests
{
    private static A64Machine Run(string source, Action<Arm64Cpu>? setup = null)
    {
        var machine = new A64Machine().Assemble(source + "\nudf #1");
        setup?.Invoke(machine.Cpu);
        var stop = machine.Run(1000);
        Assert.Equal(Arm64StopKind.Undefined, stop.Kind);
        Assert.Equal(1u, stop.Detail);
        return machine;
    }

    [Fact]
    public void Division_by_zero_gives_zero_and_the_most_negative_value_divided_by_minus_one_gives_itself()
    {
        using var machine = Run("""
            mov x1, #7
            sdiv x2, x1, xzr
            udiv w3, w1, wzr
            mov x4, #0x8000000000000000
            mov x5, #-1
            sdiv x6, x4, x5
            mov w7, #0x80000000
            sdiv w8, w7, w5
            mov x9, #-7
            mov x10, #2
            sdiv x11, x9, x10
            """);
        var x = machine.Cpu.X;
        Assert.Equal(0UL, x[2]);
        Assert.Equal(0UL, x[3]);
        Assert.Equal(0x8000_0000_0000_0000UL, x[6]);
        Assert.Equal(0x8000_0000UL, x[8]); // 32-bit result, upper half cleared
        Assert.Equal(unchecked((ulong)-3L), x[11]); // rounds towards zero
    }

    [Fact]
    public void Thirty_two_bit_forms_clear_the_upper_half_of_the_destination()
    {
        using var machine = Run("""
            mov x1, #-1
            add w2, w1, #1
            orr w3, w1, w1
            movk w4, #0x1234, lsl #16
            sxtb w5, w1
            """, cpu => cpu.X[4] = 0xFFFF_FFFF_FFFF_FFFF);
        var x = machine.Cpu.X;
        Assert.Equal(0UL, x[2]);
        Assert.Equal(0xFFFF_FFFFUL, x[3]);
        Assert.Equal(0x1234_FFFFUL, x[4]);
        Assert.Equal(0xFFFF_FFFFUL, x[5]);
    }

    [Fact]
    public void Crc32_instructions_compute_the_standard_checksums()
    {
        // "123456789": CRC-32 (with the usual inversions) 0xCBF43926, CRC-32C 0xE3069283.
        using var machine = Run("""
            mov w0, #-1
            mov w1, #-1
            ldr x2, =0x3837363534333231
            crc32x w0, w0, x2
            crc32cx w1, w1, x2
            mov w3, #0x39
            crc32b w0, w0, w3
            crc32cb w1, w1, w3
            mvn w0, w0
            mvn w1, w1
            b 1f
            .ltorg
            1:
            """);
        Assert.Equal(0xCBF4_3926UL, machine.Cpu.X[0]);
        Assert.Equal(0xE306_9283UL, machine.Cpu.X[1]);
    }

    [Fact]
    public void Adrp_and_adr_compute_addresses_relative_to_the_instruction()
    {
        using var machine = Run("""
            adr x0, .
            .inst 0xb0000021 // adrp x1, . + 5 pages (an expression 'as' would leave as a relocation)
            adr x2, . - 4
            """);
        Assert.Equal(A64Machine.CodeBase, machine.Cpu.X[0]);
        Assert.Equal(((A64Machine.CodeBase + 4) & ~0xFFFUL) + 0x5000, machine.Cpu.X[1]);
        Assert.Equal(A64Machine.CodeBase + 4, machine.Cpu.X[2]);
    }

    [Fact]
    public void Reserved_logical_immediates_and_add_with_tags_are_undefined()
    {
        using var machine = new A64Machine().Load(0x9240_0000 | (0x3F << 10)); // AND x0, x0, #<imms=111111, N=1>: all ones, reserved
        Assert.Equal(Arm64StopKind.Undefined, machine.Run(1).Kind);
        machine.Load(0x9180_0000); // ADDG (MTE)
        Assert.Equal(Arm64StopKind.Undefined, machine.Run(1).Kind);
    }
}
