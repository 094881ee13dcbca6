using System.Collections.Concurrent;
using EdgeVisor.Emulation.Boards;
using EdgeVisor.Emulation.CortexM;
using EdgeVisor.Emulation.Loading;
using EdgeVisor.Emulation.Machines.Composition;
using EdgeVisor.Emulation.Machines.ConsoleIo;
using EdgeVisor.Emulation.Machines.Tracing;
using EdgeVisor.Emulation.Memory;
using EdgeVisor.Emulation.Peripherals;
using EdgeVisor.Emulation.Peripherals.Catalog;
using EdgeVisor.Emulation.Peripherals.Gpio;
using EdgeVisor.Emulation.Peripherals.Interrupts;
using EdgeVisor.Emulation.Peripherals.Stm32.Rcc;
using EdgeVisor.Emulation.Peripherals.Timers;
using EdgeVisor.Emulation.Peripherals.Uart;
using EdgeVisor.Emulation.Semihosting;
using EdgeVisor.Emulation.Time;

namespace EdgeVisor.Emulation.Machines;

/// <summary>
/// One emulated board: the address space with the board's memory, the core (with its NVIC, SysTick, SCB), the
/// peripherals the board file lists, semihosting, and the console. Build it from a board description, load a
/// firmware image, then <see cref="Run"/> it (or drive it in slices with <see cref="RunSlice"/>, as the GDB stub does).
/// </summary>
public sealed partial class Machine : IDisposable
{
    private readonly Dictionary<string, IPeripheral> _peripherals;
    private readonly ConsoleInput _input;
    private readonly BufferedStream? _consoleOutput;
    private readonly Stream _errorOutput;
    private readonly IConsoleUart? _consoleUart;
    private readonly InstructionTracer? _tracer;
    private readonly ConcurrentQueue<Action> _posted = new();
    private readonly SemaphoreSlim _postedSignal = new(0);
    private volatile bool _stopRequested;
    private bool _resetRequested;
    private bool _disposed;

    public Machine(BoardDescription board, MachineOptions? options = null)
    {
        Board = board;
        Options = options ?? new MachineOptions();
        Bus = new AddressSpace();
        try
        {
            Clock = new VirtualClock(board.Cpu.ClockHz);
            _input = new ConsoleInput(Options.ConsoleInput);
            _consoleOutput = Options.ConsoleOutput is { } output ? new BufferedStream(output, 4096) : null;
            _errorOutput = Options.ErrorOutput ?? Console.OpenStandardError();

            MemoryMapBuilder.MapMemory(board, Bus);
            Semihosting = new SemihostingHost(Bus, Clock, new SemihostingOptions
            {
                Stdin = Options.ConsoleInput is null ? null : _input.Reader,
                Stdout = _consoleOutput,
                Stderr = _errorOutput,
                CommandLine = string.Join(' ', Options.CommandLine),
                FileRoot = Options.SemihostingFileRoot,
                StdinIsTerminal = Options.Terminals.Input,
                StdoutIsTerminal = Options.Terminals.Output,
                StderrIsTerminal = Options.Terminals.Error,
            });
            Cpu = CpuCatalog.Create(board, Bus, Clock, Semihosting);
            Interrupts = new InterruptRouter(Cpu.Nvic, SetNmi);
            var context = new PeripheralContext(Clock, Interrupts) { ConsoleOutput = _consoleOutput, Bus = Bus };
            var created = MemoryMapBuilder.MapPeripherals(board, Bus, context);
            MemoryMapBuilder.MapBackground(board, Bus, created);
            _peripherals = new Dictionary<string, IPeripheral>(created.ByName, StringComparer.OrdinalIgnoreCase);

            var console = board.Peripherals.FirstOrDefault(PeripheralCatalog.IsConsole);
            _consoleUart = console is null ? null : _peripherals[console.Name] as IConsoleUart;
            foreach (var watchdog in _peripherals.Values.OfType<CmsdkApbWatchdog>())
            {
                watchdog.ResetRequested += _ => RequestSystemReset();
            }

            // STM32 RCC_xxxRSTR bits reset the peripheral they name.
            foreach (var rcc in _peripherals.Values.OfType<Stm32Rcc>())
            {
                rcc.PeripheralReset += name => _peripherals.GetValueOrDefault(name)?.Reset();
            }

            _tracer = Options.Trace is { } trace ? new InstructionTracer(this, trace) : null;
            Cpu.Reset();
        }
        catch
        {
            _input?.Dispose();
            Bus.Dispose();
            throw;
        }
    }

    /// <summary>The board this machine was built from.</summary>
    public BoardDescription Board { get; }

    public MachineOptions Options { get; }

    public AddressSpace Bus { get; }

    /// <summary>Virtual time in core clock cycles.</summary>
    public VirtualClock Clock { get; }

    public CortexMCpu Cpu { get; }

    public SemihostingHost Semihosting { get; }

    /// <summary>Where peripheral interrupt outputs go (the core's NVIC, with lines shared by several outputs ORed).</summary>
    public InterruptRouter Interrupts { get; }

    /// <summary>The loaded image (symbols for diagnostics), once <see cref="Load"/> was called.</summary>
    public FirmwareImage? Image { get; private set; }

    /// <summary>The board's peripherals by instance name ("uart0", "gpio1").</summary>
    public IReadOnlyDictionary<string, IPeripheral> Peripherals => _peripherals;

    /// <summary>The UART the board marks as the console, if any.</summary>
    public IConsoleUart? ConsoleUart => _consoleUart;

    /// <summary>A peripheral by name and model type; throws naming the board's peripherals if there is no such one.</summary>
    public T Peripheral<T>(string name)
        where T : class, IPeripheral
    {
        if (_peripherals.TryGetValue(name, out var p) && p is T typed)
        {
            return typed;
        }

        string known = string.Join(", ", _peripherals.Values.OfType<T>().Select(x => x.Name));
        throw new ArgumentException($"board {Board.Name} has no {typeof(T).Name} named '{name}' (it has: {(known.Length == 0 ? "none" : known)})");
    }

    /// <summary>A digital line of a GPIO port, the FPGA I/O block (LEDs, buttons) or the SCC LEDs.</summary>
    public GpioPin Pin(string port, int pin)
    {
        if (!_peripherals.TryGetValue(port, out var p) || p is not IGpioPort gpio)
        {
            string ports = string.Join(", ", _peripherals.Values.OfType<IGpioPort>().Select(x => x.Name));
            throw new ArgumentException($"board {Board.Name} has no GPIO port '{port}' (ports: {ports})");
        }

        if (pin < 0 || pin >= gpio.Pins.Count)
        {
            throw new ArgumentOutOfRangeException(nameof(pin), pin, $"{port} has pins 0-{gpio.Pins.Count - 1}");
        }

        return gpio.Pins[pin];
    }

    /// <summary>
    /// Places the image's segments in memory (throws <see cref="ImageFormatException"/> if one lies outside the
    /// board's memory, leaving memory unchanged), makes its symbols available to diagnostics, and resets the machine
    /// so the core boots from the vector table.
    /// </summary>
    public void Load(FirmwareImage image)
    {
        ImageLoader.Place(image, Bus);
        Image = image;
        // newlib's rdimon crt0 moves the stack to SYS_HEAPINFO's answer (all zeros would put it at 0).
        Semihosting.HeapInfo = SemihostingHeapInfo.LikeQemu(Bus, image.Segments);
        Cpu.SymbolLookup = address => image.Symbols.Lookup(address) is null ? null : image.Symbols.Describe(address);
        Reset();
    }

    /// <summary>System reset: every peripheral to its reset state, then the core (SP and PC from the vector table).</summary>
    public void Reset()
    {
        _resetRequested = false;
        foreach (var p in _peripherals.Values)
        {
            p.Reset();
        }

        Cpu.Reset();
    }

    /// <summary>Asks a running <see cref="Run"/> to return <see cref="MachineOutcome.Stopped"/> soon. Safe from any thread.</summary>
    public void RequestStop()
    {
        _stopRequested = true;
        Cpu.RequestStop();
    }

    /// <summary>
    /// True when something outside the machine (a host input pin, a device on another thread) can
    /// <see cref="Post"/> work to it: a core asleep with nothing scheduled then waits for that instead of
    /// ending the run as <see cref="MachineOutcome.Asleep"/>.
    /// </summary>
    public bool HasExternalInputs { get; set; }

    /// <summary>
    /// Runs <paramref name="action"/> on the machine's thread at the next instruction boundary the run loop reaches
    /// (the core is interrupted so that happens promptly; a sleeping core is woken). Safe from any thread; this is
    /// how host GPIO edges reach the models, which are not thread-safe.
    /// </summary>
    public void Post(Action action)
    {
        _posted.Enqueue(action);
        _postedSignal.Release();
        Cpu.RequestStop();
    }

    /// <summary>Writes buffered console output to the console stream.</summary>
    public void FlushConsole()
    {
        _consoleOutput?.Flush();
        _errorOutput.Flush();
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        FlushConsole();
        _input.Dispose();
        _postedSignal.Dispose();
        Bus.Dispose();
    }

    /// <summary>Runs what other threads posted; returns whether there was anything.</summary>
    private bool RunPosted()
    {
        bool any = false;
        while (_posted.TryDequeue(out var action))
        {
            any = true;
            action();
        }

        return any;
    }

    private void SetNmi(bool level)
    {
        if (level)
        {
            Cpu.Nvic.SetPending(ExceptionNumber.Nmi, true);
        }
    }

    private void RequestSystemReset()
    {
        _resetRequested = true;
        Cpu.RequestStop();
    }
}
