using EdgeVisor.Emulation.Memory;
using EdgeVisor.Testing.Qemu;

namespace EdgeVisor.Emulation.Machines.Tests;

/// <summary>
/// Differential against qemu-system-arm 7.2: the reset value of every modelled peripheral register, read through
/// QEMU's gdb stub (gdb-multiarch, 32-bit reads, the VM halted with -S) and through this machine's bus.
/// (Only reads: QEMU's debug accesses cannot write device registers.) GPIO identification registers are left out:
/// QEMU maps the GPIO ports as RAZ/WI windows, this board models them.
/// </summary>
public class QemuResetValueTests
{
    [Theory]
    [InlineData("mps2-an385")]
    [InlineData("mps2-an386")]
    public void Register_reset_values_match_qemu(string board)
    {
        uint[] addresses = [.. RegisterAddresses()];
        var qemu = QemuGdbSession.ReadWords(board, addresses);
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
}
