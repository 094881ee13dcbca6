using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using EdgeVisor.Emulation.Memory;

namespace EdgeVisor.Emulation.Machines.Tests;

/// <summary>
/// Differential against qemu-system-arm 7.2: the reset value of every modelled peripheral register, read through
/// QEMU's gdb stub (gdb-multiarch, 32-bit reads, the VM halted with -S) and through this machine's bus.
/// (Only reads: QEMU's debug accesses cannot write device registers.) GPIO identification registers are left out:
/// QEMU maps the GPIO ports as RAZ/WI windows, this board models them.
/// </summary>
public partial class QemuResetValueTests
{
    [Theory]
    [InlineData("mps2-an385")]
    [InlineData("mps2-an386")]
    public void Register_reset_values_match_qemu(string board)
    {
        uint[] addresses = [.. RegisterAddresses()];
        var qemu = ReadThroughQemu(board, addresses);
        using var machine = new Machine(BoardCatalog.Get(board));
        var mismatches = new List<string>();
        foreach (uint address in addresses)
        {
            uint? ours;
            try
            {
                ours = machine.Bus.Read32(address);
            }
            catch (BusFaultException)
            {
                ours = null;
            }

            qemu.TryGetValue(address, out uint? theirs);
            if (ours != theirs)
            {
                mismatches.Add($"0x{address:X8}: edgevisor {Show(ours)}, qemu {Show(theirs)}");
            }
        }

        Assert.True(mismatches.Count == 0, $"{mismatches.Count} of {addresses.Length} registers differ:\n" + string.Join("\n", mismatches));
        Assert.True(addresses.Length > 150);
    }

    private static string Show(uint? value) => value is { } v ? $"0x{v:X8}" : "bus fault";

    private static IEnumerable<uint> RegisterAddresses()
    {
        IEnumerable<uint> Ids(uint b) => Enumerable.Range(0, 12).Select(i => b + 0xFD0 + (uint)(4 * i));
        IEnumerable<uint> Words(uint b, uint from, uint to) => Enumerable.Range(0, (int)((to - from) / 4) + 1).Select(i => b + from + (uint)(4 * i));

        foreach (uint uart in new uint[] { 0x40004000, 0x40005000, 0x40006000, 0x40007000, 0x40009000 })
        {
            foreach (uint a in Words(uart, 0x04, 0x14).Concat(Ids(uart)))
            {
                yield return a;
            }
        }

        foreach (uint timer in new uint[] { 0x40000000, 0x40001000 })
        {
            foreach (uint a in Words(timer, 0, 0x10).Concat(Ids(timer)))
            {
                yield return a;
            }
        }

        foreach (uint a in Words(0x40002000, 0, 0x3C).Append(0x40002F00u).Concat(Ids(0x40002000)))
        {
            yield return a;
        }

        foreach (uint a in Words(0x40008000, 0, 0x14).Append(0x40008C00u).Append(0x40008F00u).Concat(Ids(0x40008000)))
        {
            yield return a;
        }

        foreach (uint gpio in new uint[] { 0x40010000, 0x40011000, 0x40012000, 0x40013000 })
        {
            foreach (uint a in Words(gpio, 0, 0x38))
            {
                yield return a;
            }
        }

        foreach (uint a in Words(0x40028000, 0, 0x28).Append(0x4002804Cu))
        {
            yield return a;
        }

        foreach (uint a in Words(0x4002F000, 0, 0x1C).Concat(Words(0x4002F000, 0xA0, 0xAC)).Concat([0x4002F100u, 0x4002FFF8u, 0x4002FFFCu]))
        {
            yield return a;
        }

        // Holes QEMU fills with unimplemented devices, and addresses nothing decodes.
        foreach (uint a in new uint[] { 0x40003000, 0x4000A000, 0x40014000, 0x40024000, 0x40030000, 0x41000000, 0x00800000, 0x01010000, 0x20800000, 0x24000000, 0x44000000 })
        {
            yield return a;
        }
    }

    private static Dictionary<uint, uint?> ReadThroughQemu(string board, uint[] addresses)
    {
        int port = FreePort();
        using var qemu = Process.Start(new ProcessStartInfo("qemu-system-arm", ["-M", board, "-S", "-gdb", $"tcp:127.0.0.1:{port}", "-nographic", "-serial", "null", "-monitor", "none"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        }) ?? throw new InvalidOperationException("could not start qemu-system-arm");
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
            var values = new Dictionary<uint, uint?>();
            foreach (Match m in WordLine().Matches(output))
            {
                values[uint.Parse(m.Groups[1].Value, NumberStyles.HexNumber, CultureInfo.InvariantCulture)] =
                    uint.Parse(m.Groups[2].Value, NumberStyles.HexNumber, CultureInfo.InvariantCulture);
            }

            foreach (Match m in FaultLine().Matches(output + stderr.Result))
            {
                values[uint.Parse(m.Groups[1].Value, NumberStyles.HexNumber, CultureInfo.InvariantCulture)] = null;
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
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(10))
        {
            try
            {
                // /proc/net/tcp lists the listening socket without connecting (QEMU's stub takes one client).
                string hexPort = port.ToString("X4", CultureInfo.InvariantCulture);
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
}
