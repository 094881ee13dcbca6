namespace EdgeVisor.Emulation.CortexM;

/// <summary>
/// The PMSAv7 memory protection unit (0xE000ED90..0xE000EDB8): eight regions of 2^(SIZE+1) bytes,
/// each with eight sub-regions, access permissions and execute-never. The highest-numbered matching
/// region decides; with no match, privileged code may use the default map when PRIVDEFENA is set.
/// HardFault, NMI and FAULTMASK code bypasses the MPU unless HFNMIENA is set. Also the default memory
/// map's execute-never regions, which apply with the MPU off.
/// </summary>
public sealed class Mpu
{
    /// <summary>Regions of this MPU (the Cortex-M0+/M3/M4/M7 configurations used here all have eight).</summary>
    public const int RegionCount = 8;

    private const uint EnableBit = 1u << 0;
    private const uint HfNmiEnableBit = 1u << 1;
    private const uint PrivDefEnableBit = 1u << 2;

    private readonly CortexMCpu _cpu;
    private readonly bool _present;
    private readonly bool _v6m;
    private readonly Region[] _regions = new Region[RegionCount];
    private uint _control;
    private uint _number;

    internal Mpu(CortexMCpu cpu)
    {
        _cpu = cpu;
        _present = cpu.CpuModel.HasMpu;
        _v6m = cpu.CpuModel.IsV6M;
    }

    /// <summary>MPU_CTRL.ENABLE.</summary>
    public bool Enabled => (_control & EnableBit) != 0;

    /// <summary>The outcome of an access check.</summary>
    public enum Access
    {
        Allowed,
        Denied,
    }

    /// <summary>
    /// True for the default memory map's execute-never regions: Peripheral (0x40000000-0x5FFFFFFF),
    /// Device (0xA0000000-0xDFFFFFFF) and System (0xE0000000-0xFFFFFFFF).
    /// </summary>
    public static bool IsDefaultMapExecuteNever(uint address) =>
        address is (>= 0x40000000 and <= 0x5FFFFFFF) or >= 0xA0000000;

    /// <summary>Decides an access at <paramref name="address"/> for code at the given privilege and priority.</summary>
    public Access Check(uint address, bool write, bool fetch, bool privileged, bool negativePriority)
    {
        if (!Enabled || (negativePriority && (_control & HfNmiEnableBit) == 0))
        {
            return fetch && IsDefaultMapExecuteNever(address) ? Access.Denied : Access.Allowed;
        }

        // The System region is always accessed through the default map.
        if (address >= 0xE0000000)
        {
            return fetch ? Access.Denied : Access.Allowed;
        }

        for (int i = RegionCount - 1; i >= 0; i--)
        {
            ref readonly var r = ref _regions[i];
            if (!r.Matches(address))
            {
                continue;
            }

            if (fetch && r.ExecuteNever)
            {
                return Access.Denied;
            }

            return Permits(r.AccessPermission, write, privileged) ? Access.Allowed : Access.Denied;
        }

        if (privileged && (_control & PrivDefEnableBit) != 0)
        {
            return fetch && IsDefaultMapExecuteNever(address) ? Access.Denied : Access.Allowed;
        }

        return Access.Denied;
    }

    internal void Reset()
    {
        Array.Clear(_regions);
        _control = 0;
        _number = 0;
        _cpu.MpuEnabled = false;
    }

    internal bool TryRead(uint offset, out uint value)
    {
        value = 0;
        if (offset is < 0xD90 or > 0xDB8)
        {
            return false;
        }

        if (!_present)
        {
            return true;
        }

        value = offset switch
        {
            0xD90 => RegionCount << 8, // TYPE: DREGION, unified
            0xD94 => _control,
            0xD98 => _number,
            0xD9C or 0xDA4 or 0xDAC or 0xDB4 => _regions[_number].Rbar | _number,
            0xDA0 or 0xDA8 or 0xDB0 or 0xDB8 => _regions[_number].Rasr,
            _ => 0,
        };
        if (_v6m && offset > 0xDA0)
        {
            value = 0; // no alias registers on ARMv6-M
        }

        return true;
    }

    internal bool TryWrite(uint offset, uint value, uint lanes)
    {
        if (offset is < 0xD90 or > 0xDB8)
        {
            return false;
        }

        if (!_present || (_v6m && offset > 0xDA0))
        {
            return true;
        }

        switch (offset)
        {
            case 0xD94:
                _control = SystemControlBlock.Merge(_control, value, lanes) & (EnableBit | HfNmiEnableBit | PrivDefEnableBit);
                Changed();
                break;
            case 0xD98:
                _number = SystemControlBlock.Merge(_number, value, lanes) & (RegionCount - 1);
                break;
            case 0xD9C or 0xDA4 or 0xDAC or 0xDB4:
                value = SystemControlBlock.Merge(_regions[_number].Rbar | _number, value, lanes);
                if ((value & 0x10) != 0)
                {
                    _number = value & (RegionCount - 1); // VALID: the write also selects the region
                }

                _regions[_number].Rbar = value & 0xFFFFFFE0;
                Changed();
                break;
            case 0xDA0 or 0xDA8 or 0xDB0 or 0xDB8:
                _regions[_number].Rasr = SystemControlBlock.Merge(_regions[_number].Rasr, value, lanes) & 0x173FFF3F;
                Changed();
                break;
        }

        return true;
    }

    /// <summary>AP field: 0 none, 1 privileged RW, 2 privileged RW / unprivileged RO, 3 RW, 5 privileged RO, 6 and 7 RO.</summary>
    private static bool Permits(uint ap, bool write, bool privileged) => ap switch
    {
        1 => privileged,
        2 => privileged || !write,
        3 => true,
        5 => privileged && !write,
        6 or 7 => !write,
        _ => false,
    };

    private void Changed()
    {
        _cpu.MpuEnabled = Enabled;
        _cpu.OnMpuChanged();
    }

    private struct Region
    {
        public uint Rbar;
        public uint Rasr;

        public readonly bool ExecuteNever => (Rasr & (1u << 28)) != 0;

        public readonly uint AccessPermission => (Rasr >> 24) & 7;

        public readonly bool Matches(uint address)
        {
            if ((Rasr & 1) == 0)
            {
                return false;
            }

            int sizeField = (int)((Rasr >> 1) & 0x1F);
            if (sizeField < 4)
            {
                return false; // sizes below 32 bytes are UNPREDICTABLE; treat the region as absent
            }

            ulong size = 1ul << (sizeField + 1);
            ulong regionBase = Rbar & ~(size - 1);
            if (address < regionBase || address - regionBase >= size)
            {
                return false;
            }

            // Sub-regions exist for regions of 256 bytes and more: one eighth each.
            if (size >= 256)
            {
                int sub = (int)((address - regionBase) / (size / 8));
                if ((Rasr & (1u << (8 + sub))) != 0)
                {
                    return false;
                }
            }

            return true;
        }
    }
}
