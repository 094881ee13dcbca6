namespace EdgeVisor.Hardware;

/// <summary>
/// A claimed host GPIO line. Methods may be called from any one thread at a time (the machine thread);
/// <see cref="EdgeDetected"/> is raised on a backend thread, and <see cref="IDisposable.Dispose"/> may come from
/// a shutdown handler on yet another thread, so implementations serialise access themselves.
/// Dispose returns the line to an input without bias and releases it; it is idempotent.
/// </summary>
public interface IHostGpioLine : IDisposable
{
    HostPin Pin { get; }

    /// <summary>Who claimed the line (for messages).</summary>
    string Owner { get; }

    /// <summary>True while the line is an output.</summary>
    bool IsOutput { get; }

    /// <summary>Makes the line an input with <paramref name="pull"/> (falls back to no bias where the chip cannot pull).</summary>
    void SetInput(HostPull pull);

    /// <summary>Makes the line an output (if it is not one) and drives <paramref name="level"/>.</summary>
    void SetOutput(bool level);

    /// <summary>The level on the line now.</summary>
    bool Read();

    /// <summary>
    /// An edge on the line while it is an input: the new level and <see cref="System.Diagnostics.Stopwatch"/>
    /// ticks when this process saw it. Raised on a backend thread: post it to the machine thread.
    /// </summary>
    event Action<bool, long>? EdgeDetected;
}
