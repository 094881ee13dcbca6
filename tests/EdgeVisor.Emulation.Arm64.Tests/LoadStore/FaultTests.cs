using System.Runtime.Intrinsics;
using EdgeVisor.Emulation.Arm64.Memory;
using EdgeVisor.Emulation.Arm64.Tests.TestKit;

namespace EdgeVisor.Emulation.Arm64.Tests.LoadStore;

/// <summary>A faulting load or store stops with a data abort at its own PC, names the address, and changes nothing.</summary>
public sealed class FaultTests
{
    private const ulong Data = A64Machine.DataBase;
    private const ulong Unmapped = 0x4000_0000;

    [Fact]
    public void A_load_from_an_unmapped_page_aborts_without_writing_the_register_or_the_base()
    {
        using var m = new A64Machine().Assemble("""
            ldr x1, [x0]
            ldr x2, [x0, #8]!
            """);
        m.Cpu.X[0] = Unmapped;
        m.Cpu.X[1] = 0x1234;
        var stop = m.Run(1);
        Assert.Equal(Arm64StopKind.DataAbort, stop.Kind);
        Assert.Equal(Unmapped, stop.Address);
        Assert.False(stop.Write);
        Assert.Equal(A64Machine.CodeBase, m.Cpu.Pc);
        Assert.Equal(0x1234UL, m.Cpu.X[1]);

        m.Cpu.Pc = A64Machine.CodeBase + 4;
        m.Cpu.X[2] = 0x5678;
        stop = m.Run(1);
        Assert.Equal(Arm64StopKind.DataAbort, stop.Kind);
        Assert.Equal(Unmapped + 8, stop.Address);
        Assert.Equal(A64Machine.CodeBase + 4, m.Cpu.Pc);
        Assert.Equal(Unmapped, m.Cpu.X[0]);
        Assert.Equal(0x5678UL, m.Cpu.X[2]);
    }

    [Fact]
    public void A_store_to_a_read_only_page_aborts_as_a_write_and_leaves_memory_and_base_unchanged()
    {
        using var m = new A64Machine().Assemble("str x1, [x0], #16");
        ulong target = A64Machine.CodeBase + 0x800;
        m.Cpu.X[0] = target;
        m.Cpu.X[1] = 0xFFFF_FFFF_FFFF_FFFF;
        var stop = m.Run(1);
        Assert.Equal(Arm64StopKind.DataAbort, stop.Kind);
        Assert.True(stop.Write);
        Assert.Equal(target, stop.Address);
        Assert.Equal(target, m.Cpu.X[0]);
        Assert.Equal(0UL, m.Memory.Read64(target));
    }

    [Fact]
    public void An_access_straddling_into_an_unmapped_page_faults_at_that_page_and_writes_neither_part()
    {
        using var m = new A64Machine().Assemble("""
            str x1, [x0]
            stp x1, x2, [x3]
            stp q1, q2, [x4]
            ldp x5, x6, [x3]
            ldp q5, q6, [x4]
            """);
        ulong end = Data + A64Machine.DataSize;
        m.Cpu.X[0] = end - 4;
        m.Cpu.X[1] = 0x1111_1111_1111_1111;
        m.Cpu.X[2] = 0x2222_2222_2222_2222;
        m.Cpu.X[3] = end - 8;
        m.Cpu.X[4] = end - 16;
        m.Cpu.X[5] = 5;
        m.Cpu.X[6] = 6;
        m.Cpu.V[1] = Vector128.Create((byte)1);
        m.Cpu.V[5] = Vector128.Create((byte)5);
        m.Cpu.V[6] = Vector128.Create((byte)6);
        for (int i = 0; i < 5; i++)
        {
            m.Cpu.Pc = A64Machine.CodeBase + (ulong)(4 * i);
            var stop = m.Run(1);
            Assert.Equal(Arm64StopKind.DataAbort, stop.Kind);
            Assert.Equal(end, stop.Address);
            Assert.Equal(i < 3, stop.Write);
        }

        Assert.Equal(0UL, m.Memory.Read64(end - 16));
        Assert.Equal(0UL, m.Memory.Read64(end - 8));
        Assert.Equal(5UL, m.Cpu.X[5]);
        Assert.Equal(6UL, m.Cpu.X[6]);
        Assert.Equal(Vector128.Create((byte)5), m.Cpu.V[5]);
        Assert.Equal(Vector128.Create((byte)6), m.Cpu.V[6]);
    }

    [Fact]
    public void Exclusive_and_atomic_accesses_must_be_aligned()
    {
        using var m = new A64Machine().Assemble("""
            ldxr x1, [x0]
            ldar w1, [x0]
            ldadd x2, x1, [x0]
            cas w2, w1, [x0]
            ldxp x1, x2, [x3]
            """);
        m.Cpu.X[0] = Data + 4 + 2;
        m.Cpu.X[1] = 0xAB;
        m.Cpu.X[3] = Data + 8;
        for (int i = 0; i < 5; i++)
        {
            m.Cpu.Pc = A64Machine.CodeBase + (ulong)(4 * i);
            var stop = m.Run(1);
            Assert.Equal(Arm64StopKind.DataAbort, stop.Kind);
            Assert.True(stop.Alignment, $"instruction {i}");
        }

        Assert.Equal(0xABUL, m.Cpu.X[1]);
    }

    [Fact]
    public void An_atomic_on_a_read_only_page_is_a_write_fault()
    {
        using var m = new A64Machine().Assemble("swp x2, x1, [x0]");
        m.Memory.Protect(Data, GuestMemory.PageSize, PagePermissions.Read);
        m.Cpu.X[0] = Data;
        var stop = m.Run(1);
        Assert.Equal(Arm64StopKind.DataAbort, stop.Kind);
        Assert.True(stop.Write);
        Assert.False(stop.Alignment);
        Assert.Equal(Data, stop.Address);
    }
}
