using System.Runtime.CompilerServices;
using EdgeVisor.Emulation.CortexM.Execution;

namespace EdgeVisor.Emulation.CortexM;

/// <summary>Data accesses as instructions make them: alignment rules, the MPU, the exclusive monitor.</summary>
public sealed partial class CortexMCpu
{
    /// <summary>LDR/STR-class word read: unaligned allowed on ARMv7-M unless CCR.UNALIGN_TRP.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public uint ReadWord(uint address)
    {
        if ((address & 3) != 0)
        {
            CheckUnaligned(address);
        }

        if (MpuEnabled)
        {
            MpuCheck(address, 4, false, false);
        }

        return Bus.Read32(address);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public uint ReadHalf(uint address)
    {
        if ((address & 1) != 0)
        {
            CheckUnaligned(address);
        }

        if (MpuEnabled)
        {
            MpuCheck(address, 2, false, false);
        }

        return Bus.Read16(address);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public uint ReadByte(uint address)
    {
        if (MpuEnabled)
        {
            MpuCheck(address, 1, false, false);
        }

        return Bus.Read8(address);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void WriteWord(uint address, uint value)
    {
        if ((address & 3) != 0)
        {
            CheckUnaligned(address);
        }

        if (MpuEnabled)
        {
            MpuCheck(address, 4, true, false);
        }

        Bus.Write32(address, value);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void WriteHalf(uint address, uint value)
    {
        if ((address & 1) != 0)
        {
            CheckUnaligned(address);
        }

        if (MpuEnabled)
        {
            MpuCheck(address, 2, true, false);
        }

        Bus.Write16(address, (ushort)value);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void WriteByte(uint address, uint value)
    {
        if (MpuEnabled)
        {
            MpuCheck(address, 1, true, false);
        }

        Bus.Write8(address, (byte)value);
    }

    /// <summary>Word read that must be aligned on every architecture (LDM, LDRD, LDREX, VLDR...).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public uint ReadWordAligned(uint address)
    {
        if ((address & 3) != 0)
        {
            throw new CortexMFaultException(FaultType.Unaligned, address);
        }

        if (MpuEnabled)
        {
            MpuCheck(address, 4, false, false);
        }

        return Bus.Read32(address);
    }

    /// <summary>Word write that must be aligned on every architecture (STM, STRD, STREX, VSTR...).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void WriteWordAligned(uint address, uint value)
    {
        if ((address & 3) != 0)
        {
            throw new CortexMFaultException(FaultType.Unaligned, address);
        }

        if (MpuEnabled)
        {
            MpuCheck(address, 4, true, false);
        }

        Bus.Write32(address, value);
    }

    /// <summary>Opens the local exclusive monitor for <paramref name="address"/> (LDREX*).</summary>
    public void MarkExclusive(uint address)
    {
        _exclusiveOpen = true;
        _exclusiveAddress = address;
    }

    /// <summary>STREX* check: true when the monitor is open for <paramref name="address"/>; always closes it.</summary>
    public bool CheckAndClearExclusive(uint address)
    {
        bool ok = _exclusiveOpen && _exclusiveAddress == address;
        _exclusiveOpen = false;
        return ok;
    }

    private void CheckUnaligned(uint address)
    {
        if (_alwaysAlignmentFaults || UnalignedTrap)
        {
            throw new CortexMFaultException(FaultType.Unaligned, address);
        }
    }
}
