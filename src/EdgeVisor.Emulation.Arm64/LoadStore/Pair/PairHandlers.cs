using EdgeVisor.Emulation.Arm64.Decoding;
using EdgeVisor.Emulation.Arm64.LoadStore.Addressing;

namespace EdgeVisor.Emulation.Arm64.LoadStore.Pair;

/// <summary>LDP/STP/LDNP/STNP/LDPSW handlers, specialised per addressing mode and register shape.</summary>
internal static class PairHandlers
{
    public static void Load<TMode, TPair>(Arm64Cpu cpu, ref Op op)
        where TMode : struct, IAddressMode
        where TPair : struct, IPairAccess
    {
        ulong address = TMode.Address(cpu, ref op);
        TPair.Load(cpu, ref op, address);
        TMode.WriteBack(cpu, ref op, address);
    }

    public static void Store<TMode, TPair>(Arm64Cpu cpu, ref Op op)
        where TMode : struct, IAddressMode
        where TPair : struct, IPairAccess
    {
        ulong address = TMode.Address(cpu, ref op);
        TPair.Store(cpu, ref op, address);
        TMode.WriteBack(cpu, ref op, address);
    }
}
