using System.Runtime.Intrinsics;
using EdgeVisor.Emulation.Arm64.Tests.TestKit;

namespace EdgeVisor.Emulation.Arm64.Tests.FloatingPoint;

/// <summary>Scalar FP instructions running through the core's block loop, assembled from source (FP instructions only).</summary>
public sealed class ScalarFpProgramTests
{
    private const uint Ixc = 1u << 4;

    [Fact]
    public void Newton_steps_compute_a_square_root_and_fcmp_sets_the_flags()
    {
        string step = """
                fdiv d2, d0, d1
                fadd d2, d2, d1
                fmul d1, d2, d3
            """;
        using var machine = new A64Machine().Assemble($"""
                fmov d0, #2.0
                fmov d1, #1.0
                fmov d3, #0.5
                {string.Join('\n', Enumerable.Repeat(step, 6))}
                fcmp d1, d0
                fcvtzs x0, d1, #32
                fmov x1, d1
            """);
        var stop = machine.Run(3 + 18 + 3);
        Assert.Equal(Arm64StopKind.InstructionLimit, stop.Kind);
        double guess = 1.0;
        for (int i = 0; i < 6; i++)
        {
            guess = ((2.0 / guess) + guess) * 0.5; // the same IEEE operations on the host
        }

        Assert.Equal(BitConverter.DoubleToUInt64Bits(guess), machine.Cpu.X[1]);
        Assert.Equal((ulong)(long)(guess * 4294967296.0), machine.Cpu.X[0]);
        Assert.Equal(0x8000_0000u, machine.Cpu.Nzcv); // sqrt(2) < 2: N only
        Assert.Equal(Ixc, machine.Cpu.Fpsr);
    }

    [Fact]
    public void Fmov_to_and_from_the_upper_half_of_a_vector_register_leaves_the_lower_half()
    {
        using var machine = new A64Machine().Assemble("""
                fmov v5.d[1], x0
                fmov x2, v5.d[1]
                fmov x3, d5
                fmov s6, w0
                fmov w4, s6
            """);
        machine.Cpu.X[0] = 0x1234_0000_0000_0001;
        machine.Cpu.V[5] = Vector128.Create(0x5678UL, 0).AsByte();
        machine.Cpu.V[6] = Vector128.Create(ulong.MaxValue, ulong.MaxValue).AsByte();
        Assert.Equal(Arm64StopKind.InstructionLimit, machine.Run(5).Kind);
        Assert.Equal(0x1234_0000_0000_0001UL, machine.Cpu.X[2]);
        Assert.Equal(0x5678UL, machine.Cpu.X[3]);
        Assert.Equal(1UL, machine.Cpu.X[4]);
        Assert.Equal(Vector128.Create(1UL, 0UL), machine.Cpu.V[6].AsUInt64()); // the scalar write cleared the rest
    }

    [Fact]
    public void Half_precision_arithmetic_is_undefined_because_fp16_is_not_advertised()
    {
        using var machine = new A64Machine().Assemble(".arch armv8.2-a+fp16\nfadd h0, h1, h2");
        var stop = machine.Run(10);
        Assert.Equal(Arm64StopKind.Undefined, stop.Kind);
        Assert.Equal(A64Machine.CodeBase, stop.Address);
    }
}
