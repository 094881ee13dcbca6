using EdgeVisor.Emulation.CortexM.Execution;

namespace EdgeVisor.Emulation.CortexM;

/// <summary>The engine's view of the MPU: a check before each access while <see cref="MpuEnabled"/>.</summary>
public sealed partial class CortexMCpu
{
    /// <summary>Raised when MPU configuration changes, so an engine that cached fetch permissions can drop them.</summary>
    public event Action? MpuChanged;

    /// <summary>
    /// Checks an access against the MPU for the current privilege and priority; throws
    /// <see cref="CortexMFaultException"/> (MemManage DACCVIOL with the address, or IACCVIOL for a fetch)
    /// when it is not permitted. <paramref name="size"/> is the access width; the first byte decides.
    /// </summary>
    public void MpuCheck(uint address, int size, bool write, bool fetch)
    {
        if (Mpu.Check(address, write, fetch, Privileged, NegativePriority) == Mpu.Access.Denied)
        {
            throw new CortexMFaultException(fetch ? FaultType.MemManageInstruction : FaultType.MemManageData, address);
        }
    }

    /// <summary>
    /// Instruction fetch permission (MPU when enabled, else the default map's execute-never regions:
    /// 0x40000000-0x5FFFFFFF and 0xA0000000 upwards). The engine calls it when decoding a block; throws
    /// <see cref="CortexMFaultException"/> with <see cref="FaultType.MemManageInstruction"/>.
    /// </summary>
    public void CheckInstructionFetch(uint address)
    {
        if (MpuEnabled ? Mpu.Check(address, false, true, Privileged, NegativePriority) == Mpu.Access.Denied : Mpu.IsDefaultMapExecuteNever(address))
        {
            throw new CortexMFaultException(FaultType.MemManageInstruction, address);
        }
    }

    internal void OnMpuChanged() => MpuChanged?.Invoke();
}
