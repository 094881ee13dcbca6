using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;

namespace EdgeVisor.Emulation.CortexM.Tests.SystemModel;

/// <summary>
/// Runs an assembled flat image on qemu-system-arm (an MPS2 board: RAM at 0 and 0x20000000, like
/// <see cref="ProgramRunner"/>) under gdb-multiarch until a gdb breakpoint at <c>done</c> (or at the
/// default handler), then reads the core registers and a window of SRAM.
/// </summary>
internal static partial class QemuProgram
{
    public sealed record State(IReadOnlyDictionary<string, uint> Registers, uint[] Sram);

    public static State Run(AssembledProgram program, string board, int sramWords)
    {
        string image = Path.Combine(Path.GetTempPath(), $"edgevisor-qemu-{Environment.ProcessId}-{Guid.NewGuid():N}.bin");
        File.WriteAllBytes(image, program.Image);
        int port = FreePort();
        var qemu = Process.Start(new ProcessStartInfo("qemu-system-arm", ["-M", board, "-S", "-gdb", $"tcp:127.0.0.1:{port}", "-nographic", "-serial", "null", "-monitor", "none", "-kernel", image])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        }) ?? throw new InvalidOperationException("could not start qemu-system-arm (Debian package qemu-system-arm)");
        try
        {
            WaitForListener(port);
            var args = new List<string>
            {
                "-batch", "-nx", "-ex", "set pagination off", "-ex", $"target remote 127.0.0.1:{port}",
                "-ex", $"break *0x{program["done"]:X8}", "-ex", $"break *0x{program["default_handler"]:X8}",
                "-ex", "continue", "-ex", "info registers", "-ex", $"x/{sramWords}wx 0x{ProgramRunner.Sram:X8}",
            };
            using var gdb = Process.Start(new ProcessStartInfo("gdb-multiarch", args) { RedirectStandardOutput = true, RedirectStandardError = true })
                ?? throw new InvalidOperationException("could not start gdb-multiarch");
            var stderr = gdb.StandardError.ReadToEndAsync();
            string output = gdb.StandardOutput.ReadToEnd();
            if (!gdb.WaitForExit(30_000))
            {
                gdb.Kill();
                throw new TimeoutException("gdb-multiarch did not finish against qemu-system-arm");
            }

            var registers = new Dictionary<string, uint>(StringComparer.Ordinal);
            foreach (Match m in RegisterLine().Matches(output))
            {
                registers[m.Groups[1].Value] = uint.Parse(m.Groups[2].Value, NumberStyles.HexNumber, CultureInfo.InvariantCulture);
            }

            var sram = new List<uint>();
            foreach (Match m in MemoryLine().Matches(output))
            {
                sram.AddRange(m.Groups[1].Value.Split((char[])['\t', ' '], StringSplitOptions.RemoveEmptyEntries)
                    .Select(w => uint.Parse(w.AsSpan(2), NumberStyles.HexNumber, CultureInfo.InvariantCulture)));
            }

            Assert.True(registers.ContainsKey("pc") && sram.Count == sramWords, $"could not read QEMU's state:\n{output}\n{stderr.Result}");
            Assert.True(registers["pc"] == program["done"], $"under QEMU the program stopped at 0x{registers["pc"]:X8}, not at done:\n{output}");
            return new State(registers, [.. sram]);
        }
        finally
        {
            qemu.Kill(entireProcessTree: true);
            qemu.WaitForExit();
            qemu.Dispose();
            File.Delete(image);
        }
    }

    private static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    private static void WaitForListener(int port)
    {
        var clock = Stopwatch.StartNew();
        string hexPort = port.ToString("X4", CultureInfo.InvariantCulture);
        while (clock.Elapsed < TimeSpan.FromSeconds(10))
        {
            if (File.ReadLines("/proc/net/tcp").Any(l => l.Contains($":{hexPort} 00000000:0000 0A", StringComparison.Ordinal)))
            {
                return;
            }

            Thread.Sleep(20);
        }

        throw new TimeoutException($"qemu-system-arm did not listen on port {port}");
    }

    [GeneratedRegex(@"^(r\d+|sp|lr|pc|xpsr)\s+0x([0-9a-f]+)", RegexOptions.Multiline)]
    private static partial Regex RegisterLine();

    [GeneratedRegex(@"^0x[0-9a-f]+:((?:\s+0x[0-9a-f]{8})+)\s*$", RegexOptions.Multiline)]
    private static partial Regex MemoryLine();
}
