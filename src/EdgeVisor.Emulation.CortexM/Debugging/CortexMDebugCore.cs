using System.Buffers.Binary;
using EdgeVisor.Emulation.Debugging;
using EdgeVisor.Emulation.Machines;
using EdgeVisor.Emulation.Memory;

namespace EdgeVisor.Emulation.CortexM.Debugging;

/// <summary>
/// The core-side half of an <see cref="IDebugTarget"/> for a <see cref="CortexMCpu"/>: registers through
/// <see cref="CortexMRegisterMap"/>, memory through the bus's debugger accessors, breakpoints in the core's
/// breakpoint list (memory is never patched), watchpoints on the bus, and the translation of the core's
/// <see cref="StopReason"/> into a <see cref="DebugStop"/> naming the watchpoint that fired. The machine
/// adapter adds the run loop (clock events, devices) around it.
/// </summary>
public sealed class CortexMDebugCore : IDisposable
{
    private readonly IReadOnlyList<CortexMDebugRegister> _registers;
    private readonly List<(uint Address, uint Length, WatchpointKind Kind)> _watchpoints = [];
    private DebugStop? _watchHit;

    public CortexMDebugCore(CortexMCpu cpu)
    {
        Cpu = cpu;
        _registers = CortexMRegisterMap.For(cpu.CpuModel);
        RegisterSizes = _registers.Select(r => r.ByteSize).ToArray();
        TargetDescriptionXml = CortexMTargetDescription.Build(_registers);
        cpu.Bus.WatchpointHit += OnWatchpointHit;
    }

    public CortexMCpu Cpu { get; }

    public string TargetDescriptionXml { get; }

    public IReadOnlyList<int> RegisterSizes { get; }

    public IReadOnlyList<int> ExpeditedRegisters => CortexMRegisterMap.Expedited;

    public bool TryReadRegister(int number, Span<byte> value)
    {
        if ((uint)number >= (uint)_registers.Count || value.Length != _registers[number].ByteSize)
        {
            return false;
        }

        ulong v = _registers[number].Read(Cpu);
        if (value.Length == 8)
        {
            BinaryPrimitives.WriteUInt64LittleEndian(value, v);
        }
        else
        {
            BinaryPrimitives.WriteUInt32LittleEndian(value, (uint)v);
        }

        return true;
    }

    public bool TryWriteRegister(int number, ReadOnlySpan<byte> value)
    {
        if ((uint)number >= (uint)_registers.Count || value.Length != _registers[number].ByteSize)
        {
            return false;
        }

        _registers[number].Write(Cpu, value.Length == 8 ? BinaryPrimitives.ReadUInt64LittleEndian(value) : BinaryPrimitives.ReadUInt32LittleEndian(value));
        return true;
    }

    public bool TryReadMemory(ulong address, Span<byte> destination)
    {
        if (!Fits(address, destination.Length))
        {
            return false;
        }

        if (RegisterAccess(address, destination.Length) is { } access)
        {
            try
            {
                uint value = access.Device.Read(access.Offset, destination.Length);
                for (int i = 0; i < destination.Length; i++)
                {
                    destination[i] = (byte)(value >> (8 * i));
                }

                return true;
            }
            catch (BusFaultException)
            {
                return false;
            }
        }

        return Cpu.Bus.TryReadBytes((uint)address, destination);
    }

    public bool TryWriteMemory(ulong address, ReadOnlySpan<byte> source)
    {
        if (!Fits(address, source.Length))
        {
            return false;
        }

        if (RegisterAccess(address, source.Length) is { } access)
        {
            uint value = 0;
            for (int i = 0; i < source.Length; i++)
            {
                value |= (uint)source[i] << (8 * i);
            }

            try
            {
                access.Device.Write(access.Offset, value, source.Length);
                return true;
            }
            catch (BusFaultException)
            {
                return false;
            }
        }

        return Cpu.Bus.TryWriteBytes((uint)address, source);
    }

    public bool AddBreakpoint(ulong address)
    {
        if (address > uint.MaxValue)
        {
            return false;
        }

        Cpu.AddBreakpoint((uint)address);
        return true;
    }

    public bool RemoveBreakpoint(ulong address)
    {
        if (address > uint.MaxValue)
        {
            return false;
        }

        Cpu.RemoveBreakpoint((uint)address);
        return true;
    }

    public bool AddWatchpoint(ulong address, ulong length, WatchpointKind kind)
    {
        if (length == 0 || !Fits(address, (long)Math.Min(length, int.MaxValue)) || length > int.MaxValue)
        {
            return false;
        }

        Cpu.Bus.AddWatchpoint((uint)address, (uint)length, onRead: kind != WatchpointKind.Write, onWrite: kind != WatchpointKind.Read);
        _watchpoints.Add(((uint)address, (uint)length, kind));
        return true;
    }

    public bool RemoveWatchpoint(ulong address, ulong length, WatchpointKind kind)
    {
        if (!_watchpoints.Remove(((uint)address, (uint)length, kind)))
        {
            return false;
        }

        Cpu.Bus.RemoveWatchpoint((uint)address, (uint)length, onRead: kind != WatchpointKind.Write, onWrite: kind != WatchpointKind.Read);
        return true;
    }

    /// <summary>Whether a watchpoint fired since <see cref="ClearWatchHit"/>.</summary>
    public bool HasWatchHit => _watchHit is not null;

    /// <summary>Forgets a watchpoint hit recorded before a run (call before each resume or step).</summary>
    public void ClearWatchHit() => _watchHit = null;

    /// <summary>
    /// The <see cref="DebugStop"/> for a core stop reason: a watchpoint stop names the watched range that
    /// fired; an exit carries the code; lockups and unhandled faults carry the core's state.
    /// Returns null for reasons that are not stops for a debugger (budget, sleeping).
    /// </summary>
    public DebugStop? Translate(StopReason reason) => reason switch
    {
        StopReason.Breakpoint => DebugStop.BreakpointAt(Cpu.Pc),
        StopReason.Step => DebugStop.Stepped,
        StopReason.Watchpoint => _watchHit ?? DebugStop.BreakpointAt(Cpu.Pc),
        StopReason.Interrupted => DebugStop.Interrupted,
        StopReason.Exited => DebugStop.Exited(Cpu.ExitCode ?? 0),
        StopReason.Lockup => DebugStop.Faulted("core locked up\n" + Cpu.DescribeState()),
        StopReason.UnhandledFault => DebugStop.Faulted("unhandled fault\n" + Cpu.DescribeState()),
        _ => null,
    };

    public void Dispose() => Cpu.Bus.WatchpointHit -= OnWatchpointHit;

    // A debugger's aligned 1/2/4-byte access to a device is one register access of that width, as through a
    // debug access port (gdb's "p *(uint32_t *)0x40004000" must not become four byte reads of a FIFO register).
    private (IMmioDevice Device, uint Offset)? RegisterAccess(ulong address, int length)
    {
        if (length is not (1 or 2 or 4) || (address & (ulong)(length - 1)) != 0 ||
            Cpu.Bus.FindRegion((uint)address) is not { Device: { } device } region || address + (ulong)length - 1 > region.End)
        {
            return null;
        }

        return (device, (uint)address - region.Base);
    }

    private static bool Fits(ulong address, long length) => address + (ulong)length <= (ulong)uint.MaxValue + 1;

    // The bus reports the access; gdb wants the watched range it hit (it matches the address to its watchpoint).
    private void OnWatchpointHit(uint address, int size, bool isWrite)
    {
        if (_watchHit is not null)
        {
            return;
        }

        foreach (var (start, length, kind) in _watchpoints)
        {
            bool kindMatches = kind == WatchpointKind.Access || (kind == WatchpointKind.Write) == isWrite;
            if (kindMatches && address < (ulong)start + length && start < (ulong)address + (uint)size)
            {
                _watchHit = DebugStop.Watchpoint(start, kind);
                return;
            }
        }
    }
}
