using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using EdgeVisor.Tests.Http;

namespace EdgeVisor.Testing.Qemu;

/// <summary>
/// The reference side of the register/memory differential tests: starts qemu-system-arm on an MPS2 board
/// halted (<c>-S</c>) with its gdb stub on a free loopback port, drives it with gdb-multiarch in batch mode,
/// and parses what gdb printed. Compiled into each test project that needs it (tests/Shared is linked,
/// not referenced), so the tests of the core and of the boards read QEMU the same way.
/// </summary>
internal static partial class QemuGdbSession
{
    /// <summary>How long one gdb batch may take against QEMU before the test fails.</summary>
    private static readonly TimeSpan GdbTimeout = TimeSpan.FromSeconds(30);

    /// <summary>What gdb-multiarch printed: its commands' answers on stdout, errors (e.g. unreadable memory) on stderr.</summary>
    public sealed record GdbOutput(string Stdout, string Stderr);

    /// <summary>
    /// Runs <paramref name="gdbCommands"/> (each one a <c>-ex</c>) against QEMU's model of <paramref name="board"/>,
    /// after <c>target remote</c>; with <paramref name="kernel"/> QEMU loads that image first.
    /// </summary>
    public static GdbOutput Run(string board, IEnumerable<string> gdbCommands, string? kernel = null)
    {
        int port = LoopbackPorts.Free();
        var qemuArgs = new List<string> { "-M", board, "-S", "-gdb", $"tcp:127.0.0.1:{port}", "-nographic", "-serial", "null", "-monitor", "none" };
        if (kernel is not null)
        {
            qemuArgs.AddRange(["-kernel", kernel]);
        }

        using var qemu = Process.Start(new ProcessStartInfo("qemu-system-arm", qemuArgs)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        }) ?? throw new InvalidOperationException("could not start qemu-system-arm (Debian package qemu-system-arm)");
        try
        {
            WaitForListener(port);
            var args = new List<string> { "-batch", "-nx", "-ex", "set pagination off", "-ex", $"target remote 127.0.0.1:{port}" };
            foreach (string command in gdbCommands)
            {
                args.AddRange(["-ex", command]);
            }

            using var gdb = Process.Start(new ProcessStartInfo("gdb-multiarch", args) { RedirectStandardOutput = true, RedirectStandardError = true })
                ?? throw new InvalidOperationException("could not start gdb-multiarch");
            var stderr = gdb.StandardError.ReadToEndAsync();
            string output = gdb.StandardOutput.ReadToEnd();
            if (!gdb.WaitForExit(GdbTimeout))
            {
                gdb.Kill();
                throw new TimeoutException("gdb-multiarch did not finish against qemu-system-arm");
            }

            return new GdbOutput(output, stderr.Result);
        }
        finally
        {
            qemu.Kill(entireProcessTree: true);
            qemu.WaitForExit();
        }
    }

    /// <summary>
    /// Reads each of <paramref name="addresses"/> as one 32-bit word through QEMU's gdb stub (no image loaded, the
    /// board as it is at reset). A read QEMU refuses (a bus fault) is in the result as null; the test fails when
    /// gdb answers neither way for some address.
    /// </summary>
    public static Dictionary<uint, uint?> ReadWords(string board, IReadOnlyCollection<uint> addresses)
    {
        var output = Run(board, addresses.Select(a => $"x/1wx 0x{a:X8}"));
        var values = new Dictionary<uint, uint?>();
        foreach (Match m in WordLine().Matches(output.Stdout))
        {
            values[ParseHex(m.Groups[1].Value)] = ParseHex(m.Groups[2].Value);
        }

        foreach (Match m in FaultLine().Matches(output.Stdout + output.Stderr))
        {
            values[ParseHex(m.Groups[1].Value)] = null;
        }

        var missing = addresses.Where(a => !values.ContainsKey(a)).Select(a => $"0x{a:X8}").ToList();
        Assert.True(missing.Count == 0, $"gdb did not answer reads of {string.Join(", ", missing)}:\n{output.Stdout}\n{output.Stderr}");
        return values;
    }

    /// <summary>The core registers (r0..r12, sp, lr, pc, xpsr) in gdb's <c>info registers</c> output.</summary>
    public static Dictionary<string, uint> ParseRegisters(string gdbOutput)
    {
        var registers = new Dictionary<string, uint>(StringComparer.Ordinal);
        foreach (Match m in RegisterLine().Matches(gdbOutput))
        {
            registers[m.Groups[1].Value] = ParseHex(m.Groups[2].Value);
        }

        return registers;
    }

    /// <summary>The words of gdb's <c>x/Nwx</c> output, in address order.</summary>
    public static List<uint> ParseWords(string gdbOutput)
    {
        var words = new List<uint>();
        foreach (Match m in MemoryLine().Matches(gdbOutput))
        {
            words.AddRange(m.Groups[1].Value.Split((char[])['\t', ' '], StringSplitOptions.RemoveEmptyEntries)
                .Select(w => ParseHex(w[2..])));
        }

        return words;
    }

    private static uint ParseHex(string digits) => uint.Parse(digits, NumberStyles.HexNumber, CultureInfo.InvariantCulture);

    private static void WaitForListener(int port)
    {
        var clock = Stopwatch.StartNew();
        string hexPort = port.ToString("X4", CultureInfo.InvariantCulture);
        while (clock.Elapsed < TimeSpan.FromSeconds(10))
        {
            try
            {
                // /proc/net/tcp shows the listening socket without taking QEMU's single gdb connection.
                if (File.ReadLines("/proc/net/tcp").Any(l => l.Contains($":{hexPort} 00000000:0000 0A", StringComparison.Ordinal)))
                {
                    return;
                }
            }
            catch (IOException)
            {
            }

            Thread.Sleep(20);
        }

        throw new TimeoutException($"qemu-system-arm did not listen on port {port}");
    }

    [GeneratedRegex(@"^0x([0-9a-f]+):\s+0x([0-9a-f]{8})$", RegexOptions.Multiline)]
    private static partial Regex WordLine();

    [GeneratedRegex(@"Cannot access memory at address 0x([0-9a-f]+)")]
    private static partial Regex FaultLine();

    [GeneratedRegex(@"^(r\d+|sp|lr|pc|xpsr)\s+0x([0-9a-f]+)", RegexOptions.Multiline)]
    private static partial Regex RegisterLine();

    [GeneratedRegex(@"^0x[0-9a-f]+:((?:\s+0x[0-9a-f]{8})+)\s*$", RegexOptions.Multiline)]
    private static partial Regex MemoryLine();
}
