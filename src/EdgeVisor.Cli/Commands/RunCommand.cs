using System.CommandLine;
using System.Runtime.InteropServices;
using EdgeVisor.Emulation.Boards;
using EdgeVisor.Emulation.Loading;
using EdgeVisor.Emulation.Machines;

namespace EdgeVisor.Cli.Commands;

/// <summary>
/// <c>edgevisor run</c>: loads a firmware image onto a modelled board and runs it. UART 0 and the
/// semihosting console go to stdout; the firmware's semihosting exit code becomes the process exit code.
/// </summary>
public static class RunCommand
{
    public const string DefaultBoard = "mps2-an385";

    public static Command Create()
    {
        var board = new Option<string>("--board", "-b")
        {
            Description = "Board name (see 'edgevisor boards') or path to a board file.",
            DefaultValueFactory = _ => DefaultBoard,
        };
        var timeout = new Option<string?>("--timeout")
        {
            Description = "Stop after this much wall-clock time (10s, 500ms, 2m) with exit code 124.",
        };
        var maxInstructions = new Option<ulong?>("--max-instructions")
        {
            Description = "Stop after this many instructions with exit code 125.",
        };
        var trace = new Option<FileInfo?>("--trace")
        {
            Description = "Write every executed instruction (cycle, PC, symbol, opcode) to this file.",
        };
        var realtime = new Option<bool>("--realtime")
        {
            Description = "Pace virtual time to wall time 1:1 instead of running as fast as possible.",
        };
        var gdb = new Option<int?>("--gdb")
        {
            Description = "Serve the GDB remote protocol on this TCP port (127.0.0.1).",
        };
        var wait = new Option<bool>("--wait")
        {
            Description = "With --gdb: stay halted at reset until the debugger continues.",
        };
        var loadAddress = new Option<string?>("--load-address")
        {
            Description = "Where a raw binary image goes (e.g. 0x0). Not needed for ELF or Intel HEX.",
        };
        var wiring = new Option<FileInfo?>("--wiring")
        {
            Description = "Wiring file (JSON or YAML): simulated devices on pins and I2C buses, guest pins and addresses mapped to host hardware.",
        };
        var hostAllow = new Option<string?>("--host-allow")
        {
            Description = "Host lines and buses the wiring may use, e.g. gpiochip0:2-27,i2c-1 (default: any that exists).",
        };
        var traceGpio = new Option<FileInfo?>("--trace-gpio")
        {
            Description = "Write every pin change and wired device state to this VCD file (virtual time, 1 ns; GTKWave).",
        };
        var traceI2c = new Option<string?>("--trace-i2c")
        {
            Description = "Write every I2C step with its virtual time to this file ('-' for stderr).",
        };
        var stimulus = new Option<FileInfo?>("--stimulus")
        {
            Description = "Stimulus script: timed button presses, sensor values and pin levels (2ms press b1).",
        };
        var firmware = new Argument<FileInfo>("firmware")
        {
            Description = "Firmware image: ELF, Intel HEX, or raw binary with --load-address.",
        };
        var firmwareArgs = new Argument<string[]>("args")
        {
            Description = "Arguments the firmware sees through semihosting SYS_GET_CMDLINE.",
            Arity = ArgumentArity.ZeroOrMore,
        };

        var command = new Command("run", "Run firmware on a modelled board.")
        {
            board, timeout, maxInstructions, trace, realtime, gdb, wait, loadAddress, wiring, hostAllow, traceGpio, traceI2c, stimulus,
            firmware, firmwareArgs,
        };

        command.SetAction((parse, cancellation) => Task.FromResult(Execute(new RunRequest(
            parse.GetValue(board)!,
            parse.GetValue(firmware)!,
            parse.GetValue(firmwareArgs) ?? [],
            parse.GetValue(timeout),
            parse.GetValue(maxInstructions),
            parse.GetValue(trace),
            parse.GetValue(realtime),
            parse.GetValue(gdb),
            parse.GetValue(wait),
            parse.GetValue(loadAddress),
            new WiringRequest(
                parse.GetValue(wiring),
                parse.GetValue(hostAllow),
                parse.GetValue(traceGpio),
                parse.GetValue(traceI2c),
                parse.GetValue(stimulus))), cancellation)));
        return command;
    }

    private sealed record RunRequest(
        string Board,
        FileInfo Firmware,
        string[] Arguments,
        string? Timeout,
        ulong? MaxInstructions,
        FileInfo? Trace,
        bool Realtime,
        int? GdbPort,
        bool WaitForDebugger,
        string? LoadAddress,
        WiringRequest Wiring);

    private static int Execute(RunRequest request, CancellationToken cancellation)
    {
        TimeSpan? timeout = null;
        if (request.Timeout is { } timeoutText)
        {
            if (!DurationParser.TryParse(timeoutText, out var parsed))
            {
                return Fail(ExitCodes.Usage, $"--timeout: '{timeoutText}' is not a duration (use 10s, 500ms, 2m)");
            }

            timeout = parsed;
        }

        uint? loadAddress = null;
        if (request.LoadAddress is { } addressText)
        {
            loadAddress = BoardDescription.ParseNumber(addressText);
            if (loadAddress is null)
            {
                return Fail(ExitCodes.Usage, $"--load-address: '{addressText}' is not an address (use 0x08000000)");
            }
        }

        if (request.WaitForDebugger && request.GdbPort is null)
        {
            return Fail(ExitCodes.Usage, "--wait needs --gdb PORT");
        }

        if (!request.Firmware.Exists)
        {
            return Fail(ExitCodes.NoInput, $"{request.Firmware.FullName}: no such file");
        }

        // Wiring and stimulus files are read before anything is built, so a mistake in them costs nothing.
        if (RunWiring.Prepare(request.Wiring, out var wiringSetup) is { } badWiring)
        {
            return badWiring;
        }

        BoardDescription board;
        try
        {
            board = BoardCatalog.Get(request.Board);
        }
        catch (Exception e) when (e is ArgumentException or FormatException or IOException)
        {
            return Fail(ExitCodes.Usage, e.Message);
        }

        FirmwareImage image;
        try
        {
            image = ImageLoader.Load(request.Firmware.FullName, loadAddress);
        }
        catch (ImageFormatException e)
        {
            return Fail(ExitCodes.BadImage, e.Message);
        }
        catch (IOException e)
        {
            return Fail(ExitCodes.NoInput, $"{request.Firmware.FullName}: {e.Message}");
        }

        using var traceWriter = request.Trace is null ? null : new StreamWriter(request.Trace.FullName);
        using var stdout = Console.OpenStandardOutput();
        using var stdin = Console.IsInputRedirected ? Console.OpenStandardInput() : null;
        var options = new MachineOptions
        {
            ConsoleOutput = stdout,
            ConsoleInput = stdin,
            // argv[0] is the path as typed, which is what QEMU hands the firmware for -kernel.
            CommandLine = [request.Firmware.ToString(), .. request.Arguments],
            Realtime = request.Realtime,
            Trace = traceWriter,
            Terminals = ConsoleTerminals.OfThisProcess(),
        };

        using var machine = new Machine(board, options);
        try
        {
            machine.Load(image);
        }
        catch (ImageFormatException e)
        {
            return Fail(ExitCodes.BadImage, e.Message);
        }

        // Devices, host claims, traces and stimulus; disposed (host lines back to inputs, traces complete) however the run ends.
        if (wiringSetup.Attach(machine, out var wired) is { } wiringFailure)
        {
            return wiringFailure;
        }

        using var wiredRun = wired;

        // Ctrl-C (SIGINT) and SIGTERM (systemd, kill) stop the run instead of ending the process, so the usual
        // disposal completes the traces and returns host lines to inputs.
        bool terminated = false;
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, signal =>
        {
            signal.Cancel = true;
            machine.RequestStop();
        });
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, signal =>
        {
            signal.Cancel = true;
            terminated = true;
            machine.RequestStop();
        });

        var limits = new RunLimits { WallTimeout = timeout, MaxInstructions = request.MaxInstructions };
        MachineRunResult result;
        try
        {
            result = request.GdbPort is { } port
                ? DebugSession.Run(machine, port, request.WaitForDebugger, limits, cancellation)
                : machine.Run(limits, cancellation);
        }
        catch (IOException e) when (request.GdbPort is not null)
        {
            return Fail(ExitCodes.Unavailable, e.Message);
        }

        stdout.Flush();
        if (wired.StimulusFailure is { } stimulusFailure)
        {
            return Fail(ExitCodes.BadConfiguration, stimulusFailure);
        }

        if (terminated && result.Outcome == MachineOutcome.Stopped)
        {
            return Fail(ExitCodes.Terminated, $"terminated by SIGTERM ({result.Instructions:N0} instructions, {result.VirtualTime.TotalMilliseconds:0.###} ms virtual)");
        }

        return Report(result, request);
    }

    private static int Report(MachineRunResult result, RunRequest request)
    {
        if (result.RealtimeWarning is { } warning)
        {
            Console.Error.WriteLine($"edgevisor: {warning}");
        }

        switch (result.Outcome)
        {
            case MachineOutcome.Exited:
                return result.ExitCode ?? ExitCodes.Success;
            case MachineOutcome.Timeout:
                return Fail(ExitCodes.Timeout, $"timeout: stopped after {request.Timeout} of wall-clock time ({result.Instructions:N0} instructions, {result.VirtualTime.TotalMilliseconds:0.###} ms virtual)");
            case MachineOutcome.InstructionLimit:
                return Fail(ExitCodes.InstructionLimit, $"instruction limit: stopped after {result.Instructions:N0} instructions ({result.VirtualTime.TotalMilliseconds:0.###} ms virtual)");
            case MachineOutcome.Lockup:
                return Fail(ExitCodes.Lockup, $"lockup: the core locked up\n{result.State}");
            case MachineOutcome.UnhandledFault:
                return Fail(ExitCodes.UnhandledFault, $"unhandled fault: {result.Message}\n{result.State}");
            case MachineOutcome.Asleep:
                return Fail(ExitCodes.Asleep, $"asleep: the core waits for an interrupt that nothing can raise ({result.Instructions:N0} instructions, {result.VirtualTime.TotalMilliseconds:0.###} ms virtual)");
            default:
                return Fail(ExitCodes.Stopped, $"stopped: {result.Message}");
        }
    }

    internal static int Fail(int code, string message)
    {
        Console.Error.WriteLine($"edgevisor: {message}");
        return code;
    }
}
