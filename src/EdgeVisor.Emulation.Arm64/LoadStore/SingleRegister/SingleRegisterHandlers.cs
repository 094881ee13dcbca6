using EdgeVisor.Emulation.Arm64.Decoding;
using EdgeVisor.Emulation.Arm64.LoadStore.Addressing;

namespace EdgeVisor.Emulation.Arm64.LoadStore.SingleRegister;

/// <summary>
/// Handlers for one-register loads and stores (LDR/STR and their byte, halfword, signed, unscaled, unprivileged,
/// indexed, register-offset and literal forms, for general and SIMD&amp;FP registers). One generic body per
/// direction; the decoder picks the instantiation, so each form runs its own specialised code. Rt is in
/// <see cref="Op.Rd"/>. The register is written, and the base written back, only after the access succeeded; a
/// load whose Rt is also a written-back base ends with the written-back address, as QEMU does.
/// </summary>
internal static class SingleRegisterHandlers
{
    public static void Load<TMode, TAccess>(Arm64Cpu cpu, ref Op op)
        where TMode : struct, IAddressMode
        where TAccess : struct, IIntegerAccess
    {
        ulong address = TMode.Address(cpu, ref op);
        cpu.X[op.Rd] = TAccess.Load(cpu.Memory, address);
        TMode.WriteBack(cpu, ref op, address);
    }

    public static void Store<TMode, TAccess>(Arm64Cpu cpu, ref Op op)
        where TMode : struct, IAddressMode
        where TAccess : struct, IIntegerAccess
    {
        ulong address = TMode.Address(cpu, ref op);
        TAccess.Store(cpu.Memory, address, cpu.X[op.Rd]);
        TMode.WriteBack(cpu, ref op, address);
    }

    public static void LoadVector<TMode, TAccess>(Arm64Cpu cpu, ref Op op)
        where TMode : struct, IAddressMode
        where TAccess : struct, IVectorAccess
    {
        ulong address = TMode.Address(cpu, ref op);
        cpu.V[op.Rd] = TAccess.Load(cpu.Memory, address);
        TMode.WriteBack(cpu, ref op, address);
    }

    public static void StoreVector<TMode, TAccess>(Arm64Cpu cpu, ref Op op)
        where TMode : struct, IAddressMode
        where TAccess : struct, IVectorAccess
    {
        ulong address = TMode.Address(cpu, ref op);
        TAccess.Store(cpu.Memory, address, cpu.V[op.Rd]);
        TMode.WriteBack(cpu, ref op, address);
    }

    /// <summary>PRFM/PRFUM: a hint that never faults; nothing to do.</summary>
    public static void Prefetch(Arm64Cpu cpu, ref Op op)
    {
    }
}
