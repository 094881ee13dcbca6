using System.Text;
using EdgeVisor.Emulation.Boards;
using EdgeVisor.Emulation.Loading;
using EdgeVisor.Emulation.Machines.Tracing;
using EdgeVisor.Emulation.Peripherals.Gpio;
using EdgeVisor.Emulation.Peripherals.Uart;

namespace EdgeVisor.Emulation.Machines.Testing;

/// <summary>A line a UART transmitted, with the virtual time its newline went out.</summary>
public sealed record UartLine(string Uart, string Text, ulong Cycle, TimeSpan At);

/// <summary>A level change of a pin, with its virtual time.</summary>
public sealed record PinEdge(string Pin, bool Level, ulong Cycle, TimeSpan At)
{
    public Edge Edge => Level ? Edge.Rising : Edge.Falling;
}

/// <summary>
/// Headless firmware testing: start a board with an image, then wait in virtual time for what the firmware does
/// (UART lines, pin edges, its exit) and read its registers and memory. Waits consume events in order, like
/// an expect script: a line printed before the wait started but not yet consumed still matches. Every wait is
/// bounded by virtual time (deterministic) and, as a safety net, by <see cref="WallTimeout"/>.
/// <code>
/// using var session = FirmwareSession.Start("mps2-an385", "firmware-images/mps2-an385/timer-irq.elf");
/// var line = session.WaitForUartLine("timer0 tick 1/5", TimeSpan.FromMilliseconds(50));
/// Assert.Equal(10, (int)line.At.TotalMilliseconds);
/// </code>
/// </summary>
public sealed partial class FirmwareSession : IDisposable
{
    private readonly ConsoleCapture _console = new();
    private readonly List<UartLine> _lines = [];
    private readonly Dictionary<string, StringBuilder> _partialLines = [];
    private readonly List<PinEdge> _edges = [];
    private int _lineCursor;
    private int _edgeCursor;
    private Func<bool>? _stopCondition;
    private MachineRunResult? _ended;

    private FirmwareSession(BoardDescription board, FirmwareImage image, MachineOptions? options)
    {
        var effective = (options ?? new MachineOptions()) with { ConsoleOutput = _console };
        if (effective.CommandLine.Count == 0)
        {
            effective = effective with { CommandLine = [Path.GetFileName(image.Path)] };
        }

        Machine = new Machine(board, effective);
        try
        {
            I2cLog = new I2cLog(Machine);
            foreach (var uart in Machine.Peripherals.Values.OfType<IConsoleUart>())
            {
                var name = uart.Name;
                uart.ByteTransmitted += (value, cycle) => UartByte(name, value, cycle);
            }

            foreach (var port in Machine.Peripherals.Values.OfType<IGpioPort>())
            {
                foreach (var pin in port.Pins)
                {
                    pin.Changed += (p, level, cycle) => PinChanged(p, level, cycle);
                }
            }

            Machine.Load(image);
        }
        catch
        {
            Machine.Dispose();
            throw;
        }

    }

    /// <summary>The machine under test: its peripherals, pins, CPU and bus are all reachable from here.</summary>
    public Machine Machine { get; }

    /// <summary>Wall-clock safety net for each wait (virtual timeouts are the real bound). Default 30 s.</summary>
    public TimeSpan WallTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Everything the console got so far: the console UART and semihosting stdout, in order.</summary>
    public string ConsoleText
    {
        get
        {
            Machine.FlushConsole();
            return _console.Text;
        }
    }

    /// <summary>Lines every UART completed so far.</summary>
    public IReadOnlyList<UartLine> UartLines => _lines;

    /// <summary>Every pin edge so far.</summary>
    public IReadOnlyList<PinEdge> PinEdges => _edges;

    /// <summary>Virtual time since reset.</summary>
    public TimeSpan VirtualTime => Machine.Clock.Elapsed;

    /// <summary>The run's end once the firmware exited, locked up or faulted; null while it can still run.</summary>
    public MachineRunResult? Ended => _ended;

    /// <summary>
    /// Builds the board (a bundled name or a board file), loads the image (ELF, HEX; BIN needs <paramref name="binaryLoadAddress"/>)
    /// and resets. The session captures the console, so <paramref name="options"/>' ConsoleOutput is replaced; an empty
    /// command line becomes the image's file name (what QEMU passes).
    /// </summary>
    public static FirmwareSession Start(string boardNameOrPath, string imagePath, MachineOptions? options = null, uint? binaryLoadAddress = null) =>
        new(BoardCatalog.Get(boardNameOrPath), ImageLoader.Load(imagePath, binaryLoadAddress), options);

    /// <summary>Builds the board from a description and loads an already parsed image.</summary>
    public static FirmwareSession Start(BoardDescription board, FirmwareImage image, MachineOptions? options = null) => new(board, image, options);

    /// <summary>
    /// Runs until a UART (the console UART unless <paramref name="uart"/> names another) completes a line containing
    /// <paramref name="contains"/>, and returns it. Throws <see cref="FirmwareSessionException"/> if the virtual
    /// timeout passes or the firmware ends first, with the console output in the message.
    /// </summary>
    public UartLine WaitForUartLine(string contains, TimeSpan virtualTimeout, string? uart = null)
    {
        string name = uart ?? Machine.ConsoleUart?.Name ?? throw new InvalidOperationException($"board {Machine.Board.Name} has no console UART; name one");
        bool Match(UartLine l) => l.Uart.Equals(name, StringComparison.OrdinalIgnoreCase) && l.Text.Contains(contains, StringComparison.Ordinal);
        int index = WaitFor(
            () => FindFrom(_lines, _lineCursor, Match),
            virtualTimeout,
            $"a line on {name} containing \"{contains}\"");
        _lineCursor = index + 1;
        return _lines[index];
    }

    /// <summary>Runs until <paramref name="port"/>.<paramref name="pin"/> (a GPIO port, "fpgaio" or "scc") shows <paramref name="edge"/>; returns it.</summary>
    public PinEdge WaitForPinEdge(string port, int pin, Edge edge, TimeSpan virtualTimeout)
    {
        string pinName = Machine.Pin(port, pin).Name;
        bool Match(PinEdge e) => e.Pin == pinName && (edge == Edge.Any || e.Edge == edge);
        int index = WaitFor(() => FindFrom(_edges, _edgeCursor, Match), virtualTimeout, $"a {edge.ToString().ToLowerInvariant()} edge on {pinName}");
        _edgeCursor = index + 1;
        return _edges[index];
    }

    /// <summary>Runs for exactly <paramref name="duration"/> of virtual time (less if the firmware ends first).</summary>
    public MachineRunResult RunFor(TimeSpan duration)
    {
        var result = Machine.Run(new RunLimits { VirtualTime = duration, WallTimeout = WallTimeout });
        Note(result);
        return result;
    }

    /// <summary>Runs until the firmware exits and returns its exit code; throws if it does not within <paramref name="virtualTimeout"/>.</summary>
    public int WaitForExit(TimeSpan virtualTimeout)
    {
        if (_ended is null)
        {
            var result = Machine.Run(new RunLimits { VirtualTime = virtualTimeout, WallTimeout = WallTimeout });
            Note(result);
        }

        if (_ended is { Outcome: MachineOutcome.Exited, ExitCode: { } code })
        {
            return code;
        }

        throw Failure($"the firmware did not exit within {virtualTimeout} of virtual time");
    }

    /// <summary>A core register by name: r0-r12, sp, lr, pc, xpsr, msp, psp, primask, basepri, faultmask, control.</summary>
    public uint ReadRegister(string name)
    {
        var cpu = Machine.Cpu;
        string n = name.ToLowerInvariant();
        if (n.Length > 1 && n[0] == 'r' && int.TryParse(n.AsSpan(1), out int index) && index is >= 0 and <= 15)
        {
            return cpu.R[index];
        }

        return n switch
        {
            "sp" => cpu.R[13],
            "lr" => cpu.R[14],
            "pc" => cpu.R[15],
            "xpsr" => cpu.Xpsr,
            "msp" => cpu.Msp,
            "psp" => cpu.Psp,
            "primask" => cpu.Primask ? 1u : 0,
            "faultmask" => cpu.Faultmask ? 1u : 0,
            "basepri" => cpu.Basepri,
            "control" => cpu.Control,
            _ => throw new ArgumentException($"unknown register '{name}' (r0-r12, sp, lr, pc, xpsr, msp, psp, primask, basepri, faultmask, control)", nameof(name)),
        };
    }

    /// <summary>Reads guest memory or device registers without side effects on memory; throws if a byte is unmapped.</summary>
    public byte[] ReadMemory(uint address, int length)
    {
        var bytes = new byte[length];
        if (!Machine.Bus.TryReadBytes(address, bytes))
        {
            throw new ArgumentException($"0x{address:X8}+{length}: not all of it is mapped on {Machine.Board.Name}");
        }

        return bytes;
    }

    /// <summary>A little-endian 32-bit word of guest memory.</summary>
    public uint ReadWord(uint address) => BitConverter.ToUInt32(ReadMemory(address, 4));

    /// <summary>The address of a symbol of the loaded ELF (Thumb bit clear); throws if the image has no such symbol.</summary>
    public uint SymbolAddress(string name) =>
        Machine.Image?.Symbols.Find(name)?.Address ?? throw new ArgumentException($"the image has no symbol '{name}'");

    public void Dispose()
    {
        _wiring?.Dispose();
        I2cLog.Dispose();
        Machine.Dispose();
    }

    private static int FindFrom<T>(List<T> items, int from, Func<T, bool> match)
    {
        for (int i = from; i < items.Count; i++)
        {
            if (match(items[i]))
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>Runs in virtual time until <paramref name="find"/> finds something, stopping the core as soon as it might have.</summary>
    private int WaitFor(Func<int> find, TimeSpan virtualTimeout, string what)
    {
        int found = find();
        if (found >= 0)
        {
            return found;
        }

        if (_ended is not null)
        {
            throw Failure($"waiting for {what}: the firmware already ended");
        }

        ulong deadline = Machine.Clock.Now + Machine.Clock.CyclesFor(virtualTimeout);
        _stopCondition = () => find() >= 0;
        try
        {
            while (true)
            {
                ulong left = deadline > Machine.Clock.Now ? deadline - Machine.Clock.Now : 0;
                var result = Machine.Run(new RunLimits
                {
                    VirtualTime = TimeSpan.FromSeconds((double)left / Machine.Clock.FrequencyHz),
                    WallTimeout = WallTimeout,
                });
                found = find();
                if (found >= 0)
                {
                    return found;
                }

                Note(result);
                switch (result.Outcome)
                {
                    case MachineOutcome.Stopped when Machine.Clock.Now < deadline:
                        continue;
                    case MachineOutcome.VirtualTimeLimit:
                    case MachineOutcome.Stopped:
                        throw Failure($"no {what} within {virtualTimeout} of virtual time");
                    default:
                        throw Failure($"waiting for {what}: {result.Message}");
                }
            }
        }
        finally
        {
            _stopCondition = null;
        }
    }

    private void Note(MachineRunResult result)
    {
        if (result.Outcome is MachineOutcome.Exited or MachineOutcome.Lockup or MachineOutcome.UnhandledFault or MachineOutcome.Asleep)
        {
            _ended = result;
        }
    }

    private FirmwareSessionException Failure(string message)
    {
        var text = new StringBuilder(message);
        if (_ended is { } end)
        {
            text.Append($" (firmware ended: {end.Message})");
        }

        text.Append($" at {VirtualTime.TotalMilliseconds:0.###} ms virtual; console so far:\n").Append(ConsoleText);
        if (_ended?.State is { Length: > 0 } state)
        {
            text.Append('\n').Append(state);
        }

        return new FirmwareSessionException(text.ToString());
    }

    private void UartByte(string uart, byte value, ulong cycle)
    {
        if (!_partialLines.TryGetValue(uart, out var line))
        {
            line = _partialLines[uart] = new StringBuilder();
        }

        if (value == (byte)'\n')
        {
            string text = line.ToString().TrimEnd('\r');
            line.Clear();
            _lines.Add(new UartLine(uart, text, cycle, TimeSpan.FromSeconds((double)cycle / Machine.Clock.FrequencyHz)));
            StopIfSatisfied();
        }
        else
        {
            line.Append((char)value);
        }
    }

    private void PinChanged(GpioPin pin, bool level, ulong cycle)
    {
        _edges.Add(new PinEdge(pin.Name, level, cycle, TimeSpan.FromSeconds((double)cycle / Machine.Clock.FrequencyHz)));
        StopIfSatisfied();
    }

    private void StopIfSatisfied()
    {
        if (_stopCondition?.Invoke() == true)
        {
            Machine.RequestStop();
        }
    }
}

/// <summary>A firmware test expectation that was not met (timeout, early exit, fault); the message includes the console output.</summary>
public sealed class FirmwareSessionException(string message) : Exception(message);
