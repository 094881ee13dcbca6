using EdgeVisor.Emulation.Arm64.Memory;
using EdgeVisor.Emulation.Linux.Kernel;

namespace EdgeVisor.Emulation.Linux.Signals;

/// <summary>
/// The return path of a signal handler. Linux points LR at the vDSO's sigreturn stub; EdgeVisor has no vDSO, so it
/// maps one execute-only page holding the same two instructions (mov x8, #139; svc #0). The page sits below 64 KiB,
/// where Linux never lets a program map anything (vm.mmap_min_addr), so it cannot collide with the guest's mappings.
/// </summary>
public static class SignalTrampoline
{
    /// <summary>Guest address of the stub.</summary>
    public const ulong Address = 0xF000;

    private static readonly byte[] Code = [0x68, 0x11, 0x80, 0xD2, 0x01, 0x00, 0x00, 0xD4]; // mov x8, #139; svc #0

    /// <summary>The stub's address, mapping it on first use.</summary>
    public static ulong Ensure(LinuxProcess process)
    {
        var state = process.SignalState;
        if (state.TrampolineAddress != 0)
        {
            return state.TrampolineAddress;
        }

        lock (state.Lock)
        {
            if (state.TrampolineAddress == 0)
            {
                var memory = process.Memory;
                memory.Map(Address, GuestMemory.PageSize, PagePermissions.Execute);
                memory.WritePrivileged(Address, Code);
                state.TrampolineAddress = Address;
            }
        }

        return Address;
    }
}
