using System.Globalization;
using System.CommandLine;
using System.Text;
using EdgeVisor.Emulation.Arm64;
using EdgeVisor.Emulation.Arm64.Memory;
using EdgeVisor.Emulation.Linux.Kernel;
using EdgeVisor.Emulation.Linux.Loading;
using EdgeVisor.Emulation.Linux.Processes;
using EdgeVisor.Emulation.Linux.Signals;
using EdgeVisor.Emulation.Loading;

namespace EdgeVisor.Cli.Commands;

/// <summary>
/// <c>edgevisor exec [options] PROGRAM [ARGS…]</c>: runs an AArch64 Linux program in user-mode emulation, like
/// qemu-aarch64. Everything after PROGRAM belongs to the guest. The guest's exit status becomes edgevisor's.
/// </summary>
public static class ExecCommand
{
    /// <summary>Environment variable naming the default sysroot (what -L gives).</summary>
    public const string SysrootVariable = "EDGEVISOR_SYSROOT";

    // Options of exec that take a value: the scan in SeparateGuestArguments skips their values.
    private static readonly HashSet<string> OptionsWithValue = ["-L", "--sysroot", "-E", "-U", "--argv0", "--fork-child"];

    public static Command Create()
    {
        var sysroot = new Option<string?>("--sysroot", "-L")
        {
            Description = $"Directory holding the AArch64 libraries and dynamic linker (default: ${SysrootVariable}).",
        };
        var set = new Option<string[]>("-E")
        {
            Description = "Set VAR=VALUE in the guest's environment (repeatable).",
            Arity = ArgumentArity.ZeroOrMore,
        };
        var unset = new Option<string[]>("-U")
        {
            Description = "Remove VAR from the guest's environment (repeatable).",
            Arity = ArgumentArity.ZeroOrMore,
        };
        var argv0 = new Option<string?>("--argv0")
        {
            Description = "argv[0] for the guest (default: PROGRAM as given).",
        };
        var strace = new Option<bool>("--strace")
        {
            Description = "Log every system call with its arguments and result to stderr.",
        };
        var stats = new Option<bool>("--stats")
        {
            Description = "At exit, print the guest instructions executed, the wall time and the emulated MIPS to stderr.",
        };
        var forkChild = new Option<int?>("--fork-child")
        {
            Description = "Internal: continue a guest fork whose state arrives on this descriptor.",
            Hidden = true,
        };
        var program = new Argument<string?>("program")
        {
            Description = "The AArch64 Linux executable.",
            Arity = ArgumentArity.ZeroOrOne,
        };
        var guestArgs = new Argument<string[]>("args")
        {
            Description = "Arguments for the program.",
            Arity = ArgumentArity.ZeroOrMore,
        };

        var command = new Command("exec", "Run an AArch64 Linux program (user-mode emulation, like qemu-aarch64).")
        {
            sysroot, set, unset, argv0, strace, stats, forkChild, program, guestArgs,
        };

        command.SetAction(parse =>
        {
            if (parse.GetValue(forkChild) is { } fd)
            {
                return ForkedChild.Run(fd, Console.Error);
            }

            return Execute(new ExecRequest(
                parse.GetValue(program),
                parse.GetValue(guestArgs) ?? [],
                parse.GetValue(sysroot) ?? NonEmpty(Environment.GetEnvironmentVariable(SysrootVariable)),
                parse.GetValue(set) ?? [],
                parse.GetValue(unset) ?? [],
                parse.GetValue(argv0),
                parse.GetValue(strace),
                parse.GetValue(stats)));
        });
        return command;
    }

    /// <summary>
    /// Puts "--" before the program of an <c>exec</c> command line so that the guest's own options ("ls -L") are
    /// never taken for edgevisor's. Other command lines pass through unchanged.
    /// </summary>
    public static string[] SeparateGuestArguments(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        if (args.Length == 0 || args[0] != "exec")
        {
            return args;
        }

        for (int i = 1; i < args.Length; i++)
        {
            string token = args[i];
            if (token == "--")
            {
                return args;
            }

            if (token.StartsWith('-') && token.Length > 1)
            {
                if (OptionsWithValue.Contains(token))
                {
                    i++;
                }

                continue;
            }

            return [.. args[..i], "--", .. args[i..]];
        }

        return args;
    }

    private sealed record ExecRequest(string? Program, string[] Arguments, string? Sysroot, string[] Set, string[] Unset, string? Argv0, bool Strace, bool Stats);

    private static int Execute(ExecRequest request)
    {
        if (request.Program is not { Length: > 0 } program)
        {
            return Fail(ExitCodes.Usage, "exec: missing PROGRAM (usage: edgevisor exec [options] PROGRAM [ARGS...])");
        }

        if (request.Sysroot is { } root && !Directory.Exists(root))
        {
            return Fail(ExitCodes.NoInput, $"{root}: sysroot is not a directory");
        }

        if (Directory.Exists(program))
        {
            return Fail(ExitCodes.BadImage, $"{program}: is a directory");
        }

        if (!File.Exists(program))
        {
            return Fail(ExitCodes.NoInput, $"{program}: no such file");
        }

        List<string> environment;
        try
        {
            environment = GuestEnvironment.Build(GuestEnvironment.OfThisProcess(), request.Set, request.Unset);
        }
        catch (FormatException e)
        {
            return Fail(ExitCodes.Usage, e.Message);
        }

        var memory = new GuestMemory();
        var process = new LinuxProcess(memory, SyscallTable.CreateDefault())
        {
            Sysroot = request.Sysroot,
            Diagnostics = Console.Error,
            SyscallTrace = request.Strace ? Console.Error : null,
        };

        LoadedProgram loaded;
        try
        {
            loaded = ProgramLoader.Load(process, program, [request.Argv0 ?? program, .. request.Arguments], environment, program);
        }
        catch (ImageFormatException e)
        {
            process.Dispose();
            return Fail(ExitCodes.BadImage, e.Message);
        }
        catch (FileNotFoundException e)
        {
            process.Dispose();
            return Fail(ExitCodes.NoInput, e.Message);
        }
        catch (ArgumentException e)
        {
            process.Dispose();
            return Fail(ExitCodes.Usage, e.Message);
        }

        var cpu = new Arm64Cpu(memory, process.Blocks);
        ProgramLoader.Start(cpu, loaded);
        ExitStatus status;
        var clock = System.Diagnostics.Stopwatch.StartNew();
        using (HostSignals.Forward(process))
        {
            status = process.RunMainThread(cpu);
        }

        if (request.Stats)
        {
            double seconds = clock.Elapsed.TotalSeconds;
            ulong instructions = process.InstructionsRetired;
            Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"edgevisor: {instructions:N0} instructions in {seconds:0.000} s ({instructions / Math.Max(seconds, 1e-9) / 1e6:0.0} MIPS), {status}"));
        }

        // The process is not disposed: a guest thread may still be blocked in a host call, and its memory must stay
        // valid until the host process ends right after this. A guest killed by a signal kills edgevisor the same way.
        return HostExit.Finish(status, Console.Error);
    }

    private static string? NonEmpty(string? text) => string.IsNullOrEmpty(text) ? null : text;

    private static int Fail(int code, string message)
    {
        Console.Error.WriteLine($"edgevisor: {message}");
        return code;
    }
}

/// <summary>The guest's environment: the host's in its original order, with -U removals and -E settings applied like qemu-user's.</summary>
internal static class GuestEnvironment
{
    /// <summary>This process's environment as NAME=value strings, in the order the kernel gave them.</summary>
    public static List<string> OfThisProcess()
    {
        try
        {
            byte[] raw = File.ReadAllBytes("/proc/self/environ");
            return [.. Encoding.UTF8.GetString(raw).Split('\0', StringSplitOptions.RemoveEmptyEntries)];
        }
        catch (IOException)
        {
            return [.. Environment.GetEnvironmentVariables().Keys.Cast<string>().Select(k => $"{k}={Environment.GetEnvironmentVariable(k)}")];
        }
    }

    public static List<string> Build(List<string> environment, IEnumerable<string> set, IEnumerable<string> unset)
    {
        var result = new List<string>(environment);
        foreach (string name in unset)
        {
            result.RemoveAll(e => NameOf(e) == name);
        }

        foreach (string assignment in set)
        {
            int equals = assignment.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                throw new FormatException($"-E {assignment}: expected VAR=VALUE");
            }

            string name = assignment[..equals];
            int existing = result.FindIndex(e => NameOf(e) == name);
            if (existing >= 0)
            {
                result[existing] = assignment;
            }
            else
            {
                result.Add(assignment);
            }
        }

        return result;
    }

    private static string NameOf(string entry)
    {
        int equals = entry.IndexOf('=', StringComparison.Ordinal);
        return equals < 0 ? entry : entry[..equals];
    }
}
