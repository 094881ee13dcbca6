using System.Runtime.Intrinsics;
using EdgeVisor.Emulation.Arm64.Tests.TestKit;

namespace EdgeVisor.Emulation.Arm64.Tests.Simd.Data;

/// <summary>Runs a few assembled SIMD instructions on an <see cref="A64Machine"/> with registers set up by the test.</summary>
internal static class VectorTestKit
{
    /// <summary>A 128-bit register value from its low and high doublewords.</summary>
    public static Vector128<byte> Q(ulong low, ulong high = 0) => Vector128.Create(low, high).AsByte();

    /// <summary>A register value from 16 bytes, element 0 first.</summary>
    public static Vector128<byte> Bytes(params byte[] bytes) => Vector128.Create(bytes);

    /// <summary>Low doubleword of V<paramref name="n"/>.</summary>
    public static ulong Low(this Arm64Cpu cpu, int n) => cpu.V[n].AsUInt64()[0];

    /// <summary>High doubleword of V<paramref name="n"/>.</summary>
    public static ulong High(this Arm64Cpu cpu, int n) => cpu.V[n].AsUInt64()[1];

    /// <summary>
    /// Assembles <paramref name="source"/>, lets <paramref name="setup"/> fill registers, runs exactly its
    /// instructions and asserts nothing stopped them early; returns the machine for inspection.
    /// </summary>
    public static A64Machine Run(string source, Action<Arm64Cpu> setup)
    {
        var machine = new A64Machine();
        uint[] code = Assembler.Assemble(source);
        machine.Load(code);
        setup(machine.Cpu);
        Arm64Stop stop = machine.Run((ulong)code.Length);
        Assert.Equal(Arm64StopKind.InstructionLimit, stop.Kind);
        return machine;
    }

    /// <summary>Decodes <paramref name="source"/> (one instruction) and returns whether it executes as undefined.</summary>
    public static bool IsUndefined(uint encoding)
    {
        using var machine = new A64Machine().Load(encoding);
        return machine.Run(1).Kind == Arm64StopKind.Undefined;
    }
}
