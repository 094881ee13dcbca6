using System.Globalization;
using System.Text;

namespace EdgeVisor.Emulation.Machines.Tracing;

/// <summary>
/// Writes a Value Change Dump (IEEE 1364 §18) of 1-bit signals for waveform viewers such as GTKWave: a header
/// declaring each signal in its scope, the initial values under $dumpvars, then "#time" lines followed by the
/// signals that changed. Time is virtual: core cycles converted to nanoseconds (timescale 1 ns). Declare every
/// signal with <see cref="Declare"/> before <see cref="Begin"/>; changes must come in non-decreasing time order.
/// </summary>
public sealed class VcdWriter : IDisposable
{
    private readonly TextWriter _writer;
    private readonly ulong _clockHz;
    private readonly List<Signal> _signals = [];
    private readonly string _top;
    private ulong _lastTime = ulong.MaxValue;
    private bool _begun;
    private bool _disposed;

    /// <param name="writer">Where the dump goes; disposed with this writer.</param>
    /// <param name="clockHz">Core clock: cycles → nanoseconds.</param>
    /// <param name="top">The top-level scope (the board name).</param>
    public VcdWriter(TextWriter writer, ulong clockHz, string top)
    {
        _writer = writer;
        _clockHz = clockHz;
        _top = Identifier(top);
    }

    /// <summary>A declared 1-bit signal.</summary>
    public sealed class Signal
    {
        internal Signal(string scope, string name, string code, bool initial)
        {
            Scope = scope;
            Name = name;
            Code = code;
            Value = initial;
        }

        public string Scope { get; }

        public string Name { get; }

        /// <summary>The short identifier code the dump uses for this signal.</summary>
        public string Code { get; }

        /// <summary>The value last written.</summary>
        public bool Value { get; internal set; }
    }

    /// <summary>Declares a 1-bit signal <paramref name="name"/> in <paramref name="scope"/> (a dotted path: "devices.led1") with its initial value.</summary>
    public Signal Declare(string scope, string name, bool initial)
    {
        if (_begun)
        {
            throw new InvalidOperationException("VCD signals must all be declared before the dump begins");
        }

        var signal = new Signal(scope, Identifier(name), CodeFor(_signals.Count), initial);
        _signals.Add(signal);
        return signal;
    }

    /// <summary>Writes the header and every signal's initial value at <paramref name="cycle"/>.</summary>
    public void Begin(ulong cycle)
    {
        _begun = true;
        _writer.Write("$date\n    ");
        _writer.Write(DateTime.UtcNow.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture));
        _writer.Write("\n$end\n$version\n    EdgeVisor GPIO trace (virtual time)\n$end\n$timescale 1 ns $end\n");
        _writer.Write($"$scope module {_top} $end\n");
        // Scopes nest by their dotted path; groups sorted by path keep a parent's children together, so each
        // scope is opened once: close what the next group does not share, open what it adds.
        string[] open = [];
        foreach (var group in _signals.GroupBy(s => s.Scope).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            string[] parts = group.Key.Split('.', StringSplitOptions.RemoveEmptyEntries);
            int shared = 0;
            while (shared < open.Length && shared < parts.Length && open[shared] == parts[shared])
            {
                shared++;
            }

            for (int i = shared; i < open.Length; i++)
            {
                _writer.Write("$upscope $end\n");
            }

            for (int i = shared; i < parts.Length; i++)
            {
                _writer.Write($"$scope module {Identifier(parts[i])} $end\n");
            }

            foreach (var signal in group)
            {
                _writer.Write($"$var wire 1 {signal.Code} {signal.Name} $end\n");
            }

            open = parts;
        }

        foreach (string _ in open)
        {
            _writer.Write("$upscope $end\n");
        }

        _writer.Write("$upscope $end\n$enddefinitions $end\n");
        WriteTime(cycle);
        _writer.Write("$dumpvars\n");
        foreach (var signal in _signals)
        {
            WriteValue(signal);
        }

        _writer.Write("$end\n");
    }

    /// <summary>Records that <paramref name="signal"/> is <paramref name="value"/> from <paramref name="cycle"/> on (nothing if unchanged).</summary>
    public void Change(Signal signal, bool value, ulong cycle)
    {
        if (!_begun || signal.Value == value)
        {
            return;
        }

        signal.Value = value;
        WriteTime(cycle);
        WriteValue(signal);
    }

    /// <summary>Marks the end of the trace at <paramref name="cycle"/> so viewers show the last values up to then, and flushes.</summary>
    public void End(ulong cycle)
    {
        if (_begun)
        {
            WriteTime(cycle);
        }

        _writer.Flush();
    }

    public void Flush() => _writer.Flush();

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _writer.Dispose();
    }

    /// <summary>Virtual nanoseconds at <paramref name="cycle"/>.</summary>
    public ulong Nanoseconds(ulong cycle) => (ulong)((UInt128)cycle * 1_000_000_000 / _clockHz);

    private void WriteTime(ulong cycle)
    {
        ulong time = Nanoseconds(cycle);
        if (time != _lastTime)
        {
            _lastTime = time;
            _writer.Write('#');
            _writer.Write(time.ToString(CultureInfo.InvariantCulture));
            _writer.Write('\n');
        }
    }

    private void WriteValue(Signal signal)
    {
        _writer.Write(signal.Value ? '1' : '0');
        _writer.Write(signal.Code);
        _writer.Write('\n');
    }

    /// <summary>VCD identifier codes: printable ASCII '!' to '~', base 94, shortest first.</summary>
    private static string CodeFor(int index)
    {
        var code = new StringBuilder();
        do
        {
            code.Append((char)('!' + (index % 94)));
            index /= 94;
        }
        while (index-- > 0);
        return code.ToString();
    }

    /// <summary>Names in VCD are whitespace-free tokens; anything else becomes '_'.</summary>
    private static string Identifier(string name)
    {
        var text = new StringBuilder(name.Length);
        foreach (char c in name)
        {
            text.Append(char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '[' or ']' ? c : '_');
        }

        return text.Length == 0 ? "_" : text.ToString();
    }
}
