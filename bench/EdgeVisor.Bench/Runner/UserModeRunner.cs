using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace EdgeVisor.Bench.Runner;

/// <summary>
/// Runs compute-heavy AArch64 Linux programs of our own under <c>edgevisor exec</c> and under qemu-aarch64 in the
/// same run and prints emulated MIPS and the time ratio. The instruction count comes from EdgeVisor's
/// <c>--stats</c> line (same binary, same semantics); QEMU's start-up is measured with a minimal run and subtracted
/// so its rate is steady-state. Both must print the same output, or the figures are void.
/// </summary>
public static partial class UserModeRunner
{
    /// <summary>Programs from tests/EdgeVisor.Cli.Tests/Programs/Sources, each built static at -O2, that take an iteration count.</summary>
    private static readonly string[] Programs = ["compute-static-O2", "compute-static-O0"];

    public static int Run(string[] args)
    {
        int iterations = Arguments.Int(args, "--iterations", 3000);
        int repeat = Arguments.Int(args, "--repeat", 3);
        string root = RepositoryRoot.Find();
        string sources = Path.Combine(root, "tests", "EdgeVisor.Cli.Tests", "Programs", "Sources");
        string build = Path.Combine(AppContext.BaseDirectory, "aarch64-bench");
        Exec("make", ["-C", sources, $"BUILD={build}", .. Programs.Select(p => Path.Combine(build, p))], out _, out _);
        string edgevisor = Path.Combine(AppContext.BaseDirectory, "edgevisor.dll");

        Console.WriteLine($"AArch64 user mode, {iterations} iterations, median of {repeat} runs, {Environment.ProcessorCount} host cores");
        Console.WriteLine($"{"program",-20} {"instructions",15} {"edgevisor s",12} {"edgevisor MIPS",15} {"qemu s",8} {"qemu MIPS",10} {"time ratio",11}");
        int status = 0;
        foreach (string name in Programs)
        {
            string program = Path.Combine(build, name);
            string count = iterations.ToString(CultureInfo.InvariantCulture);
            var ours = Median(repeat, () => Timed(DotnetHost(), [edgevisor, "exec", "--stats", program, count]));
            var qemu = Median(repeat, () => Timed("qemu-aarch64", [program, count]));
            var qemuStartup = Median(repeat, () => Timed("qemu-aarch64", [program, "1"]));
            if (ours.Output != qemu.Output)
            {
                Console.Error.WriteLine($"{name}: outputs differ; figures are void.\n--- edgevisor\n{ours.Output}\n--- qemu\n{qemu.Output}");
                status = 1;
                continue;
            }

            var match = StatsLine().Match(ours.Errors);
            if (!match.Success)
            {
                Console.Error.WriteLine($"{name}: edgevisor printed no --stats line:\n{ours.Errors}");
                status = 1;
                continue;
            }

            ulong instructions = ulong.Parse(match.Groups[1].Value, NumberStyles.AllowThousands, CultureInfo.InvariantCulture);
            double ourMips = instructions / ours.Seconds / 1e6;
            double qemuMips = instructions / Math.Max(qemu.Seconds - qemuStartup.Seconds, 1e-3) / 1e6;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{name,-20} {instructions,15:N0} {ours.Seconds,12:0.000} {ourMips,15:0.0} {qemu.Seconds,8:0.000} {qemuMips,10:0.0} {ours.Seconds / qemu.Seconds,11:0.00}x"));
        }

        return status;
    }

    [GeneratedRegex(@"edgevisor: ([\d,]+) instructions")]
    private static partial Regex StatsLine();

    private static (string Output, string Errors, double Seconds) Timed(string tool, IReadOnlyList<string> arguments)
    {
        var stopwatch = Stopwatch.StartNew();
        Exec(tool, arguments, out string output, out string errors);
        return (output, errors, stopwatch.Elapsed.TotalSeconds);
    }

    private static void Exec(string tool, IReadOnlyList<string> arguments, out string output, out string errors)
    {
        var start = new ProcessStartInfo(tool) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"cannot start {tool}");
        var stderr = process.StandardError.ReadToEndAsync();
        output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        errors = stderr.Result;
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{tool} {string.Join(' ', arguments)} exited with {process.ExitCode}: {errors}");
        }
    }

    private static (string Output, string Errors, double Seconds) Median(int repeat, Func<(string, string, double)> run)
    {
        var runs = Enumerable.Range(0, repeat).Select(_ => run()).OrderBy(r => r.Item3).ToList();
        return runs[runs.Count / 2];
    }

    private static string DotnetHost() =>
        Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host : "dotnet";
}
