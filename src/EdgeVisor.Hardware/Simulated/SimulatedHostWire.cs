using System.Diagnostics;

namespace EdgeVisor.Hardware.Simulated;

/// <summary>
/// One simulated host line seen from outside the host: <see cref="Drive"/>/<see cref="Release"/> it like a button or
/// a signal generator, read <see cref="Level"/>, watch <see cref="Changed"/>. <see cref="HoldByOtherProcess"/>
/// makes it look taken by another process. Its level follows the same rules as a real line: an output drives its
/// level; an input shows the outside's level, else its pull (up reads 1).
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "The claim belongs to whoever claimed the line; the wire only knows it.")]
public sealed class SimulatedHostWire
{
    private readonly Lock _lock = new();
    private ClaimedLine? _claim;
    private bool _outputLevel;
    private bool _externalLevel;
    private bool _externallyDriven;

    internal SimulatedHostWire(HostPin pin)
    {
        Pin = pin;
    }

    public HostPin Pin { get; }

    /// <summary>The claimer's name while claimed by this process, else null.</summary>
    public string? Owner => _claim?.Owner;

    /// <summary>The other process's name while <see cref="HoldByOtherProcess"/> holds the line.</summary>
    public string? OtherProcess { get; private set; }

    /// <summary>True while this process drives the line as an output.</summary>
    public bool IsOutput { get; private set; }

    /// <summary>The bias while it is an input.</summary>
    public HostPull Pull { get; private set; }

    /// <summary>The level on the wire.</summary>
    public bool Level
    {
        get
        {
            lock (_lock)
            {
                return LevelLocked;
            }
        }
    }

    /// <summary>How many times this process wrote the output (a write of the same level counts too).</summary>
    public int OutputWrites { get; private set; }

    /// <summary>Raised after the level changed: the new level and <see cref="Stopwatch"/> ticks.</summary>
    public event Action<bool, long>? Changed;

    private bool LevelLocked => IsOutput ? _outputLevel : _externallyDriven ? _externalLevel : Pull == HostPull.Up;

    /// <summary>The outside drives the line (seen while it is an input); an input claim sees the edge.</summary>
    public void Drive(bool level) => Update(() =>
    {
        _externalLevel = level;
        _externallyDriven = true;
    });

    /// <summary>The outside lets go: the line floats to its pull.</summary>
    public void Release() => Update(() => _externallyDriven = false);

    /// <summary>Marks the line as held by another process (claims fail as with EBUSY), or frees it with null.</summary>
    public void HoldByOtherProcess(string? process)
    {
        lock (_lock)
        {
            OtherProcess = process;
        }
    }

    internal IHostGpioLine Claim(string owner)
    {
        lock (_lock)
        {
            if (OtherProcess is not null)
            {
                throw new HostHardwareException($"{owner}: {Pin} is in use by another process ({OtherProcess}); stop that process or choose another line");
            }

            if (_claim is not null)
            {
                throw new HostHardwareException($"{owner}: {Pin} is already claimed by {_claim.Owner}");
            }

            _claim = new ClaimedLine(this, owner);
        }

        // A claim starts as an input without bias, as the real backend does.
        Update(() =>
        {
            IsOutput = false;
            Pull = HostPull.None;
        });
        return _claim;
    }

    private void Update(Action change)
    {
        bool before, after;
        ClaimedLine? claim;
        lock (_lock)
        {
            before = LevelLocked;
            change();
            after = LevelLocked;
            claim = _claim;
        }

        if (before == after)
        {
            return;
        }

        long now = Stopwatch.GetTimestamp();
        Changed?.Invoke(after, now);
        if (claim is not null && !IsOutput)
        {
            claim.RaiseEdge(after, now);
        }
    }

    private sealed class ClaimedLine(SimulatedHostWire wire, string owner) : IHostGpioLine
    {
        private volatile bool _disposed;

        public HostPin Pin => wire.Pin;

        public string Owner => owner;

        public bool IsOutput => wire.IsOutput;

        public event Action<bool, long>? EdgeDetected;

        public void SetInput(HostPull pull)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            wire.Update(() =>
            {
                wire.IsOutput = false;
                wire.Pull = pull;
            });
        }

        public void SetOutput(bool level)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            wire.Update(() =>
            {
                wire.IsOutput = true;
                wire._outputLevel = level;
                wire.OutputWrites++;
            });
        }

        public bool Read()
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            return wire.Level;
        }

        public void Dispose()
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            wire.Update(() =>
            {
                wire.IsOutput = false;
                wire.Pull = HostPull.None;
            });
            lock (wire._lock)
            {
                wire._claim = null;
            }
        }

        internal void RaiseEdge(bool level, long timestamp)
        {
            if (!_disposed)
            {
                EdgeDetected?.Invoke(level, timestamp);
            }
        }
    }
}
