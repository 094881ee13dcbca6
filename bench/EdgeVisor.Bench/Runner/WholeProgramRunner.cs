using System.Diagnostics;
using System.Globalization;
using EdgeVisor.Emulation.Loading;
using EdgeVisor.Emulation.Machines;

namespace EdgeVisor.Bench.Runner;

/// <summary>
/// Runs the compute-heavy firmware images on EdgeVisor and on qemu-system-arm in the same run and prints
/// emulated MIPS and the time ratio. Instruction counts come from EdgeVisor (same image, same semantics);
/// QEMU's start-up cost is measured with a one-iteration run and subtracted so both rates are steady-state.
/// Both engines must print the same output, or the figures are void.
/// </summary>
public static class WholeProgramRunner
{
    private static readonly string[] Boards = ["mps2-an385", "mps2-an386"];

    public static int Run(string[] args)
    {
        int iterations = Arguments.Int(args, "--iterations", 60000);
        int repeat = Arguments.Int(args, "--repeat", 3);
        string root = RepositoryRoot.Find();
        Console.WriteLine($"bench-compute, {iterations} iterations, median of {repeat} runs, {Environment.ProcessorCount} host cores");
        Console.WriteLine($"{"board",-12} {"instructions",14} {"edgevisor s",12} {"edgevisor MIPS",15} {"qemu s",8} {"qemu MIPS",10} {"time ratio",11}");
        int status = 0;
        foreach (string board in Boards)
        {
            string image = Path.Combine(root, "firmware-images", board, "bench-compute.elf");
            var (ourOutput, instructions, ourSeconds) = Median(repeat, () => RunEdgeVisor(board, image, iterations));
            var (qemuOutput, _, qemuSeconds) = Median(repeat, () => RunQemu(board, image, iterations));
            var (_, _, qemuStartup) = Median(repeat, () => RunQemu(board, image, 1));
            if (ourOutput != qemuOutput)
            {
                Console.Error.WriteLine($"{board}: outputs differ; figures are void.\n--- edgevisor\n{ourOutput}\n--- qemu\n{qemuOutput}");
                status = 1;
                continue;
            }

            double ourMips = instructions / ourSeconds / 1e6;
            double qemuMips = instructions / Math.Max(qemuSeconds - qemuStartup, 1e-3) / 1e6;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{board,-12} {instructions,14:N0} {ourSeconds,12:0.000} {ourMips,15:0.0} {qemuSeconds,8:0.000} {qemuMips,10:0.0} {ourSeconds / qemuSeconds,11:0.00}x"));
        }

        return status;
    }

    private static (string Output, ulong Instructions, double Seconds) RunEdgeVisor(string board, string image, int iterations)
    {
        var output = new MemoryStream();
        var stopwatch = Stopwatch.StartNew();
        using var machine = new Machine(BoardCatalog.Get(board), new MachineOptions
        {
            ConsoleOutput = output,
            CommandLine = ["bench-compute", iterations.ToString(CultureInfo.InvariantCulture)],
        });
        machine.Load(ImageLoader.Load(image, null));
        var result = machine.Run(RunLimits.None, CancellationToken.None);
        stopwatch.Stop();
        if (result.Outcome != MachineOutcome.Exited || result.ExitCode != 0)
        {
            throw new InvalidOperationException($"{board}: EdgeVisor ended with {result.Outcome} ({result.Message})");
        }

        return (System.Text.Encoding.UTF8.GetString(output.ToArray()), result.Instructions, stopwatch.Elapsed.TotalSeconds);
    }

    private static (string Output, ulong Instructions, double Seconds) RunQemu(string board, string image, int iterations)
    {
        var start = new ProcessStartInfo("qemu-system-arm")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string a in new[]
        {
            "-M", board, "-nographic", "-monitor", "none",
            "-semihosting-config", $"enable=on,target=native,arg=bench-compute,arg={iterations}",
            "-kernel", image,
        })
        {
            start.ArgumentList.Add(a);
        }

        var stopwatch = Stopwatch.StartNew();
        using var process = Process.Start(start) ?? throw new InvalidOperationException("cannot start qemu-system-arm");
        string output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        stopwatch.Stop();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{board}: qemu-system-arm exited with {process.ExitCode}: {process.StandardError.ReadToEnd()}");
        }

        return (output, 0, stopwatch.Elapsed.TotalSeconds);
    }

    private static (string Output, ulong Instructions, double Seconds) Median(int repeat, Func<(string, ulong, double)> run)
    {
        var runs = Enumerable.Range(0, repeat).Select(_ => run()).OrderBy(r => r.Item3).ToList();
        return runs[runs.Count / 2];
    }
}
