using System.Runtime.Intrinsics;
namespace EdgeVisor.Emulation.Arm64.Tests.TestKit;

/// <summary>Runs a few assembled (SIMD) instructions on an <see cref="A64Machine"/> with vector registers set up by the test.</summary>
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
        setup(machine.Cpu);
        RunExactly(machine, source);
        return machine;
    }

    /// <summary>Assembles <paramref name="source"/> into <paramref name="machine"/> and runs exactly its instructions, asserting that none stopped the run early.</summary>
    public static void RunExactly(A64Machine machine, string source)
    {
        uint[] code = Assembler.Assemble(source);
        machine.Load(code);
        Arm64Stop stop = machine.Run((ulong)code.Length);
        Assert.True(stop.Kind == Arm64StopKind.InstructionLimit, $"'{source}' stopped with {stop.Kind} at 0x{stop.Address:X} (detail 0x{stop.Detail:X})");
    }

    /// <summary>Runs <paramref name="encoding"/> alone and returns whether it stopped as an undefined instruction.</summary>
    public static bool IsUndefined(uint encoding)
    {
        using var machine = new A64Machine().Load(encoding);
        return machine.Run(1).Kind == Arm64StopKind.Undefined;
    }
}
