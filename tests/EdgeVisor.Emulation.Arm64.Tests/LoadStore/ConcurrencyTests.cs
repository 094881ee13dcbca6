using EdgeVisor.Emulation.Arm64.Memory;
using EdgeVisor.Emulation.Arm64.Tests.TestKit;

namespace EdgeVisor.Emulation.Arm64.Tests.LoadStore;

/// <summary>
/// Guest threads on different host threads sharing one address space: increments through exclusives and through
/// LSE atomics must never be lost. The exclusive increment uses only loads and stores (x+1 comes from a table,
/// table[i] = i + 1), and the host retries a failed store-exclusive, as a guest retry loop would.
/// </summary>
public sealed class ConcurrencyTests
{
    private const int Threads = 3;
    private const int IncrementsPerThread = 20_000;
    private const ulong TableBase = 0x20_0000;
    private const ulong TableSize = 0x8_0000;

    [Fact]
    public void Concurrent_exclusive_and_atomic_increments_reach_the_exact_total()
    {
        using var m = new A64Machine().Assemble("""
            ldxr x2, [x0]
            ldr x3, [x4, x2, lsl #3]
            stxr w5, x3, [x0]
            ldadd x6, x7, [x1]
            ldaxr w2, [x8]
            ldr x3, [x4, x2, lsl #3]
            stlxr w5, w3, [x8]
            """);
        m.Memory.Map(TableBase, TableSize, PagePermissions.Read);
        var table = new ulong[TableSize / 8];
        for (int i = 0; i < table.Length; i++)
        {
            table[i] = (ulong)i + 1;
        }

        m.Memory.WritePrivileged(TableBase, System.Runtime.InteropServices.MemoryMarshal.AsBytes(table.AsSpan()));
        ulong exclusiveCounter = A64Machine.DataBase;
        ulong atomicCounter = A64Machine.DataBase + 0x40;
        ulong wordCounter = A64Machine.DataBase + 0x80;

        long failedStores = 0;
        var workers = Enumerable.Range(0, Threads).Select(_ => new Thread(() =>
        {
            var cpu = new Arm64Cpu(m.Memory, m.Blocks);
            cpu.X[0] = exclusiveCounter;
            cpu.X[1] = atomicCounter;
            cpu.X[4] = TableBase;
            cpu.X[6] = 1;
            cpu.X[8] = wordCounter;
            for (int i = 0; i < IncrementsPerThread; i++)
            {
                Interlocked.Add(ref failedStores, RunUntilStored(cpu, A64Machine.CodeBase));
                cpu.Pc = A64Machine.CodeBase + 12;
                Assert.Equal(Arm64StopKind.InstructionLimit, cpu.Run(1).Kind);
                Interlocked.Add(ref failedStores, RunUntilStored(cpu, A64Machine.CodeBase + 16));
            }
        })).ToList();
        workers.ForEach(t => t.Start());
        workers.ForEach(t => t.Join());

        const ulong total = Threads * IncrementsPerThread;
        Assert.True(m.Memory.Read64(exclusiveCounter) == total, $"exclusive counter {m.Memory.Read64(exclusiveCounter)} after {failedStores} failed store-exclusives");
        Assert.Equal(total, m.Memory.Read64(atomicCounter));
        Assert.Equal((uint)total, m.Memory.Read32(wordCounter));
    }

    [Fact]
    public void Guest_retry_loops_on_several_host_threads_lose_no_increment()
    {
        const int iterations = 50_000;
        using var m = new A64Machine().Assemble("""
            loop:
                ldaxr x2, [x0]
                add x2, x2, #1
                stlxr w5, x2, [x0]
                cbnz w5, loop
                ldaddal x6, x7, [x1]
                subs x9, x9, #1
                b.ne loop
                brk #0
            """);
        ulong exclusiveCounter = A64Machine.DataBase + 0x100;
        ulong atomicCounter = A64Machine.DataBase + 0x180;
        var stops = new Arm64Stop[Threads];
        var workers = Enumerable.Range(0, Threads).Select(index => new Thread(() =>
        {
            var cpu = new Arm64Cpu(m.Memory, m.Blocks) { Pc = A64Machine.CodeBase };
            cpu.X[0] = exclusiveCounter;
            cpu.X[1] = atomicCounter;
            cpu.X[6] = 1;
            cpu.X[9] = iterations;
            stops[index] = cpu.Run(100_000_000);
        })).ToList();
        workers.ForEach(t => t.Start());
        workers.ForEach(t => t.Join());

        Assert.All(stops, stop => Assert.Equal(Arm64StopKind.Breakpoint, stop.Kind));
        Assert.Equal((ulong)(Threads * iterations), m.Memory.Read64(exclusiveCounter));
        Assert.Equal((ulong)(Threads * iterations), m.Memory.Read64(atomicCounter));
    }

    /// <summary>Runs the three-instruction increment at <paramref name="start"/> until its store-exclusive succeeds; returns the failures.</summary>
    private static long RunUntilStored(Arm64Cpu cpu, ulong start)
    {
        long failures = 0;
        while (true)
        {
            cpu.Pc = start;
            var stop = cpu.Run(3);
            if (stop.Kind != Arm64StopKind.InstructionLimit)
            {
                throw new InvalidOperationException($"increment stopped with {stop}");
            }

            if (cpu.X[5] == 0)
            {
                return failures;
            }

            failures++;
        }
    }
}
