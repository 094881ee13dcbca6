using EdgeVisor.Emulation.Interrupts;

namespace EdgeVisor.Emulation.CortexM;

/// <summary>
/// Pending, active, enable and priority state of every exception (system exceptions and external
/// interrupts alike, so one priority rule covers both), the NVIC register block at 0xE000E100, and
/// the interrupt inputs devices drive. Level inputs pend while high and pend again on exception return
/// if still high; pulses pend once. Every change tells the core to re-evaluate preemption and wake-up.
/// </summary>
public sealed class Nvic : IInterruptController
{
    private const int RegisterBanks = 16; // ISER0..ISER15 covers 512 exceptions

    private readonly CortexMCpu _cpu;
    private readonly bool[] _pending;
    private readonly bool[] _active;
    private readonly bool[] _enabled;
    private readonly bool[] _level;
    private readonly byte[] _priority;
    private int _priorityGroup;

    internal Nvic(CortexMCpu cpu, int externalInterrupts, int priorityBits)
    {
        if (externalInterrupts is < 1 or > 496)
        {
            throw new ArgumentOutOfRangeException(nameof(externalInterrupts), externalInterrupts, "a Cortex-M NVIC has 1..496 external interrupts");
        }

        if (priorityBits is < 2 or > 8)
        {
            throw new ArgumentOutOfRangeException(nameof(priorityBits), priorityBits, "a Cortex-M NVIC implements 2..8 priority bits");
        }

        _cpu = cpu;
        ExternalInterrupts = externalInterrupts;
        int count = ExceptionNumber.FirstExternal + externalInterrupts;
        _pending = new bool[count];
        _active = new bool[count];
        _enabled = new bool[count];
        _level = new bool[count];
        _priority = new byte[count];
        PriorityMask = (byte)(0xFF << (8 - priorityBits));
    }

    /// <summary>Number of external interrupt lines.</summary>
    public int ExternalInterrupts { get; }

    /// <summary>Exceptions the vector table holds: 16 system slots plus the external lines.</summary>
    public int ExceptionCount => _pending.Length;

    /// <summary>The implemented priority bits as a mask of an 8-bit priority field (0xE0 for 3 bits).</summary>
    public byte PriorityMask { get; }

    /// <summary>AIRCR.PRIGROUP: priority bits [PRIGROUP:0] are sub-priority, the rest group priority.</summary>
    public int PriorityGroup
    {
        get => _priorityGroup;
        set
        {
            _priorityGroup = value & 7;
            Changed(false);
        }
    }

    /// <summary>The mask that keeps a priority's group bits.</summary>
    public int GroupMask => (0xFF << (_priorityGroup + 1)) & 0xFF;

    /// <summary>Number of exceptions currently active (nesting depth).</summary>
    public int ActiveCount
    {
        get
        {
            int n = 0;
            foreach (bool a in _active)
            {
                n += a ? 1 : 0;
            }

            return n;
        }
    }

    /// <inheritdoc/>
    public void SetLevel(int line, bool asserted)
    {
        int exception = ExternalException(line);
        _level[exception] = asserted;
        if (asserted)
        {
            SetPending(exception, true);
        }
    }

    /// <inheritdoc/>
    public void Pulse(int line) => SetPending(ExternalException(line), true);

    /// <summary>True if input <paramref name="line"/> is held high.</summary>
    public bool IsLevelHigh(int line) => _level[ExternalException(line)];

    public bool IsPending(int exception) => InRange(exception) && _pending[exception];

    public bool IsActive(int exception) => InRange(exception) && _active[exception];

    /// <summary>Whether the exception can be taken when pending: always for system exceptions except the configurable faults (SHCSR).</summary>
    public bool IsEnabled(int exception)
    {
        if (!InRange(exception))
        {
            return false;
        }

        return exception switch
        {
            ExceptionNumber.MemManage or ExceptionNumber.BusFault or ExceptionNumber.UsageFault => _enabled[exception],
            < ExceptionNumber.FirstExternal => IsImplementedSystemException(exception),
            _ => _enabled[exception],
        };
    }

    /// <summary>Pends or un-pends an exception. Pending an external interrupt whose input is high is the hardware's normal state.</summary>
    public void SetPending(int exception, bool pending)
    {
        if (!InRange(exception) || !IsImplementedSystemException(exception))
        {
            return;
        }

        if (!pending && _level[exception] && !_active[exception])
        {
            // A level-sensitive input that is still asserted keeps its interrupt pending.
            return;
        }

        bool wasPending = _pending[exception];
        _pending[exception] = pending;
        if (pending != wasPending || pending)
        {
            Changed(pending && !wasPending);
        }
    }

    /// <summary>Enables or disables an exception (external lines; the configurable faults through SHCSR).</summary>
    public void SetEnabled(int exception, bool enabled)
    {
        if (InRange(exception) && _enabled[exception] != enabled)
        {
            _enabled[exception] = enabled;
            Changed(false);
        }
    }

    /// <summary>Marks an exception active (entry) or inactive. Deactivating re-pends a level input that is still high.</summary>
    public void SetActive(int exception, bool active)
    {
        if (!InRange(exception))
        {
            return;
        }

        _active[exception] = active;
        if (!active && _level[exception])
        {
            _pending[exception] = true;
        }

        Changed(false);
    }

    /// <summary>The exception's priority: -3 Reset, -2 NMI, -1 HardFault, else the programmed 8-bit value (unimplemented bits zero).</summary>
    public int Priority(int exception) => exception switch
    {
        ExceptionNumber.Reset => -3,
        ExceptionNumber.Nmi => -2,
        ExceptionNumber.HardFault => -1,
        _ => InRange(exception) ? _priority[exception] : 256,
    };

    /// <summary>The priority with the sub-priority bits cleared: what preemption compares.</summary>
    public int GroupPriority(int exception)
    {
        int p = Priority(exception);
        return p < 0 ? p : p & GroupMask;
    }

    /// <summary>Programs a configurable priority; the unimplemented low bits read as zero.</summary>
    public void SetPriority(int exception, int value)
    {
        if (exception < ExceptionNumber.MemManage || !InRange(exception) || !IsImplementedSystemException(exception))
        {
            return;
        }

        _priority[exception] = (byte)(value & PriorityMask);
        Changed(false);
    }

    /// <summary>
    /// The pending, enabled exception that would be taken next: lowest priority value, then lowest
    /// exception number. 0 when nothing is pending.
    /// </summary>
    public int HighestPending()
    {
        int best = 0;
        int bestPriority = int.MaxValue;
        for (int e = 1; e < _pending.Length; e++)
        {
            if (_pending[e] && IsEnabled(e))
            {
                int p = Priority(e);
                if (p < bestPriority)
                {
                    best = e;
                    bestPriority = p;
                }
            }
        }

        return best;
    }

    /// <summary>The lowest group priority among active exceptions, 256 when none is active (Thread mode, no boost).</summary>
    public int HighestActiveGroupPriority()
    {
        int best = 256;
        for (int e = 1; e < _active.Length; e++)
        {
            if (_active[e])
            {
                best = Math.Min(best, GroupPriority(e));
            }
        }

        return best;
    }

    /// <summary>True if some external interrupt is pending (ICSR.ISRPENDING).</summary>
    public bool AnyExternalPending()
    {
        for (int e = ExceptionNumber.FirstExternal; e < _pending.Length; e++)
        {
            if (_pending[e])
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Clears every active bit (AIRCR.VECTCLRACTIVE).</summary>
    public void ClearAllActive()
    {
        Array.Clear(_active);
        Changed(false);
    }

    internal void Reset()
    {
        Array.Clear(_pending);
        Array.Clear(_active);
        Array.Clear(_enabled);
        Array.Clear(_priority);
        _priorityGroup = 0;

        // Inputs keep their level across a core reset; a high level pends again.
        for (int e = ExceptionNumber.FirstExternal; e < _level.Length; e++)
        {
            _pending[e] = _level[e];
        }
    }

    /// <summary>Reads the NVIC register at <paramref name="offset"/> from 0xE000E000 (word aligned).</summary>
    internal bool TryRead(uint offset, out uint value)
    {
        value = 0;
        if (offset is >= 0x400 and < 0x5F0)
        {
            int first = ExceptionNumber.FirstExternal + (int)(offset - 0x400);
            for (int i = 0; i < 4; i++)
            {
                value |= (uint)(InRange(first + i) ? _priority[first + i] : 0) << (8 * i);
            }

            return true;
        }

        if (offset is < 0x100 or >= 0x380 || (offset & 0x7F) >= RegisterBanks * 4)
        {
            return false;
        }

        if (offset >= 0x300 && _cpu.CpuModel.IsV6M)
        {
            return true; // no IABR on ARMv6-M
        }

        int bank = (int)((offset & 0x7F) >> 2);
        var bits = (offset & 0xF80) switch
        {
            0x100 or 0x180 => _enabled,
            0x200 or 0x280 => _pending,
            _ => _active,
        };
        for (int i = 0; i < 32; i++)
        {
            int e = ExceptionNumber.FirstExternal + (bank * 32) + i;
            if (e < bits.Length && bits[e])
            {
                value |= 1u << i;
            }
        }

        return true;
    }

    /// <summary>Writes the NVIC register at <paramref name="offset"/>; <paramref name="lanes"/> selects the bytes written.</summary>
    internal bool TryWrite(uint offset, uint value, uint lanes)
    {
        if (offset is >= 0x400 and < 0x5F0)
        {
            int first = ExceptionNumber.FirstExternal + (int)(offset - 0x400);
            for (int i = 0; i < 4; i++)
            {
                if (((lanes >> (8 * i)) & 0xFF) != 0)
                {
                    SetPriority(first + i, (int)(value >> (8 * i)));
                }
            }

            return true;
        }

        if (offset is < 0x100 or >= 0x380 || (offset & 0x7F) >= RegisterBanks * 4)
        {
            return false;
        }

        if (offset >= 0x300)
        {
            return true; // IABR is read-only
        }

        int bank = (int)((offset & 0x7F) >> 2);
        value &= lanes;
        for (int i = 0; i < 32; i++)
        {
            if ((value & (1u << i)) == 0)
            {
                continue;
            }

            int e = ExceptionNumber.FirstExternal + (bank * 32) + i;
            if (e >= _pending.Length)
            {
                break;
            }

            switch (offset & 0xF80)
            {
                case 0x100: SetEnabled(e, true); break;
                case 0x180: SetEnabled(e, false); break;
                case 0x200: SetPending(e, true); break;
                default: SetPending(e, false); break;
            }
        }

        return true;
    }

    private static bool IsImplementedSystemException(int exception) =>
        exception is not (0 or 7 or 8 or 9 or 10 or 13);

    private bool InRange(int exception) => (uint)exception < (uint)_pending.Length;

    private int ExternalException(int line)
    {
        if ((uint)line >= (uint)ExternalInterrupts)
        {
            throw new ArgumentOutOfRangeException(nameof(line), line, $"the NVIC has interrupt lines 0..{ExternalInterrupts - 1}");
        }

        return ExceptionNumber.FirstExternal + line;
    }

    private void Changed(bool newlyPending) => _cpu.OnExceptionStateChanged(newlyPending);
}
