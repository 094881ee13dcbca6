using System.Collections.Concurrent;
using EdgeVisor.Emulation.Debugging;

namespace EdgeVisor.Emulation.Tests.Debugging;

/// <summary>
/// A scripted machine: 17 four-byte registers, 4 KiB of memory at <see cref="MemoryBase"/>, and a queue of
/// stops that <see cref="Resume"/> returns in order; with the queue empty it runs until interrupted.
/// </summary>
internal sealed class FakeDebugTarget : IDebugTarget, IDisposable
{
    public const uint MemoryBase = 0x2000_0000;
    public const int RegisterCount = 17;

    private readonly SemaphoreSlim _interrupts = new(0);
    private int _resumes;
    private int _steps;
    private int _resets;

    public uint[] Registers { get; } = new uint[RegisterCount];

    public byte[] Memory { get; } = new byte[0x1000];

    public ConcurrentQueue<DebugStop> ScriptedStops { get; } = new();

    public List<ulong> Breakpoints { get; } = [];

    public List<(ulong Address, ulong Length, WatchpointKind Kind)> Watchpoints { get; } = [];

    /// <summary>Set each time <see cref="Resume"/> starts (tests wait on it before sending Ctrl-C).</summary>
    public SemaphoreSlim ResumeStarted { get; } = new(0);

    public int Resumes => Volatile.Read(ref _resumes);

    public int Steps => Volatile.Read(ref _steps);

    public int Resets => Volatile.Read(ref _resets);

    public string TargetDescriptionXml { get; set; } =
        "<?xml version=\"1.0\"?><!DOCTYPE target SYSTEM \"gdb-target.dtd\"><target><architecture>arm</architecture></target>";

    public IReadOnlyList<int> RegisterSizes { get; } = Enumerable.Repeat(4, RegisterCount).ToArray();

    /// <summary>None by default, so the stop replies the tests expect stay short.</summary>
    public IReadOnlyList<int> ExpeditedRegisters { get; set; } = [];

    /// <summary>Makes register reads and the next resume throw, like a target with a bug.</summary>
    public bool Broken { get; set; }

    public bool TryReadRegister(int number, Span<byte> value)
    {
        if (Broken)
        {
            throw new InvalidOperationException("broken register file");
        }

        BitConverter.TryWriteBytes(value, Registers[number]);
        return true;
    }

    public bool TryWriteRegister(int number, ReadOnlySpan<byte> value)
    {
        Registers[number] = BitConverter.ToUInt32(value);
        return true;
    }

    public bool TryReadMemory(ulong address, Span<byte> destination)
    {
        if (address < MemoryBase || address + (ulong)destination.Length > MemoryBase + (ulong)Memory.Length)
        {
            return false;
        }

        Memory.AsSpan((int)(address - MemoryBase), destination.Length).CopyTo(destination);
        return true;
    }

    public bool TryWriteMemory(ulong address, ReadOnlySpan<byte> source)
    {
        if (address < MemoryBase || address + (ulong)source.Length > MemoryBase + (ulong)Memory.Length)
        {
            return false;
        }

        source.CopyTo(Memory.AsSpan((int)(address - MemoryBase)));
        return true;
    }

    public bool AddBreakpoint(ulong address)
    {
        lock (Breakpoints)
        {
            Breakpoints.Add(address);
        }

        return true;
    }

    public bool RemoveBreakpoint(ulong address)
    {
        lock (Breakpoints)
        {
            return Breakpoints.Remove(address);
        }
    }

    public bool AddWatchpoint(ulong address, ulong length, WatchpointKind kind)
    {
        lock (Watchpoints)
        {
            Watchpoints.Add((address, length, kind));
        }

        return true;
    }

    public bool RemoveWatchpoint(ulong address, ulong length, WatchpointKind kind)
    {
        lock (Watchpoints)
        {
            return Watchpoints.Remove((address, length, kind));
        }
    }

    public DebugStop Step()
    {
        Interlocked.Increment(ref _steps);
        Registers[15] += 2;
        return DebugStop.Stepped;
    }

    public DebugStop Resume()
    {
        Interlocked.Increment(ref _resumes);
        ResumeStarted.Release();
        if (Broken)
        {
            throw new InvalidOperationException("broken core");
        }

        if (ScriptedStops.TryDequeue(out var stop))
        {
            Thread.Sleep(20); // "runs" a little before the scripted event
            return stop;
        }

        _interrupts.Wait();
        return DebugStop.Interrupted;
    }

    public void Interrupt() => _interrupts.Release();

    /// <summary>Whether the server told us a debugger is attached.</summary>
    public bool DebuggerAttached { get; private set; }

    public void SetDebuggerAttached(bool attached) => DebuggerAttached = attached;

    public void Reset()
    {
        Interlocked.Increment(ref _resets);
        Registers[15] = 0x100;
    }

    public string DescribeState() => $"pc=0x{Registers[15]:x8}";

    public void Dispose()
    {
        _interrupts.Dispose();
        ResumeStarted.Dispose();
    }
}
