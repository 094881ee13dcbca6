using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using EdgeVisor.Emulation.Memory;
using EdgeVisor.Emulation.Time;

namespace EdgeVisor.Emulation.CortexM.Tests.SystemModel;

/// <summary>
/// Differential against qemu-system-arm 7.2: the reset values of the System Control Space registers
/// (ICTR, SysTick, NVIC, SCB, feature IDs, CPACR, MPU, FP control) as QEMU's gdb stub reads them on the
/// MPS2 boards (VM halted with -S), against a core configured like those boards. CPUID is left out: it
/// comes from the model table, where the project names the silicon revision (QEMU reports r0p0/r0p1).
/// </summary>
public sealed partial class QemuScsReferenceTests
{
    [Theory]
    [InlineData("mps2-an385", "cortex-m3")]
    [InlineData("mps2-an386", "cortex-m4f")]
    public void Scs_reset_values_match_qemu(string board, string model)
    {
        uint[] addresses = [.. Addresses()];
        var theirs = ReadThroughQemu(board, addresses);

        using var bus = new AddressSpace();
        bus.MapMemory("flash", 0, 0x1000, RegionKind.Ram);
        var cpu = new CortexMCpu(CortexMModel.Find(model)!, bus, new VirtualClock(25_000_000), new CortexMConfiguration { PriorityBits = 3, Interrupts = 32 });
        cpu.Reset();

        var mismatches = addresses
            .Where(a => bus.Read32(a) != theirs[a])
            .Select(a => $"0x{a:X8}: edgevisor 0x{bus.Read32(a):X8}, qemu 0x{theirs[a]:X8}")
            .ToList();
        Assert.True(mismatches.Count == 0, $"{mismatches.Count} of {addresses.Length} SCS registers differ on {board}:\n" + string.Join("\n", mismatches));
    }

    private static IEnumerable<uint> Addresses()
    {
        static IEnumerable<uint> Words(uint from, uint to) => Enumerable.Range(0, (int)((to - from) / 4) + 1).Select(i => from + (uint)(4 * i));

        return new uint[] { 0xE000E004 }
            .Concat(Words(0xE000E010, 0xE000E01C))               // SysTick (CALIB from the 1 MHz reference clock)
            .Concat([0xE000E100, 0xE000E180, 0xE000E200, 0xE000E280, 0xE000E300])
            .Concat(Words(0xE000E400, 0xE000E41C))               // IPR0..7
            .Concat(Words(0xE000ED04, 0xE000ED3C))               // ICSR..AFSR
            .Concat(Words(0xE000ED40, 0xE000ED70))               // feature IDs
            .Concat([0xE000ED88])                                // CPACR
            .Concat(Words(0xE000ED90, 0xE000EDA0))               // MPU
            .Concat(Words(0xE000EF34, 0xE000EF44));              // FPCCR, FPCAR, FPDSCR, MVFR0/1
    }

    private static Dictionary<uint, uint> ReadThroughQemu(string board, uint[] addresses)
    {
        int port = FreePort();
        using var qemu = Process.Start(new ProcessStartInfo("qemu-system-arm", ["-M", board, "-S", "-gdb", $"tcp:127.0.0.1:{port}", "-nographic", "-serial", "null", "-monitor", "none"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        }) ?? throw new InvalidOperationException("could not start qemu-system-arm (Debian package qemu-system-arm)");
        try
        {
            WaitForListener(port);
            var args = new List<string> { "-batch", "-nx", "-ex", "set pagination off", "-ex", $"target remote 127.0.0.1:{port}" };
            foreach (uint a in addresses)
            {
                args.AddRange(["-ex", $"x/1wx 0x{a:X8}"]);
            }

            using var gdb = Process.Start(new ProcessStartInfo("gdb-multiarch", args) { RedirectStandardOutput = true, RedirectStandardError = true })
                ?? throw new InvalidOperationException("could not start gdb-multiarch");
            var stderr = gdb.StandardError.ReadToEndAsync();
            string output = gdb.StandardOutput.ReadToEnd();
            gdb.WaitForExit();
            var values = new Dictionary<uint, uint>();
            foreach (Match m in WordLine().Matches(output))
            {
                values[uint.Parse(m.Groups[1].Value, NumberStyles.HexNumber, CultureInfo.InvariantCulture)] =
                    uint.Parse(m.Groups[2].Value, NumberStyles.HexNumber, CultureInfo.InvariantCulture);
            }

            var missing = addresses.Where(a => !values.ContainsKey(a)).Select(a => $"0x{a:X8}").ToList();
            Assert.True(missing.Count == 0, $"gdb did not answer reads of {string.Join(", ", missing)}:\n{output}\n{stderr.Result}");
            return values;
        }
        finally
        {
            qemu.Kill(entireProcessTree: true);
            qemu.WaitForExit();
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
            // /proc/net/tcp shows the listening socket without taking QEMU's single gdb connection.
            if (File.ReadLines("/proc/net/tcp").Any(l => l.Contains($":{hexPort} 00000000:0000 0A", StringComparison.Ordinal)))
            {
                return;
            }

            Thread.Sleep(20);
        }

        throw new TimeoutException($"qemu-system-arm did not listen on port {port}");
    }

    [GeneratedRegex(@"^0x([0-9a-f]+):\s+0x([0-9a-f]{8})$", RegexOptions.Multiline)]
    private static partial Regex WordLine();
}
