using EdgeVisor.Emulation.Arm64.Memory;

namespace EdgeVisor.Emulation.Arm64.Tests.TestKit;

public sealed class MachineSmokeTests
{
    [Fact]
    public void An_unallocated_encoding_stops_as_undefined_at_its_address_with_the_encoding()
    {
        using var machine = new A64Machine().Load(0x0000_0000); // UDF #0
        var stop = machine.Run(10);
        Assert.Equal(Arm64StopKind.Undefined, stop.Kind);
        Assert.Equal(0u, stop.Detail);
        Assert.Equal(A64Machine.CodeBase, machine.Cpu.Pc);
    }

    [Fact]
    public void Fetching_from_an_unmapped_page_is_an_instruction_abort()
    {
        using var machine = new A64Machine();
        machine.Cpu.Pc = 0x4000_0000;
        var stop = machine.Run(1);
        Assert.Equal(Arm64StopKind.InstructionAbort, stop.Kind);
        Assert.Equal(0x4000_0000UL, stop.Address);
    }

    [Fact]
    public void Guest_permissions_are_enforced_in_software()
    {
        using var machine = new A64Machine();
        Assert.Throws<GuestFaultException>(() => machine.Memory.Write32(A64Machine.CodeBase, 1));
        Assert.Throws<GuestFaultException>(() => machine.Memory.Read32(0x3000_0000));
        machine.Memory.Write64(A64Machine.DataBase + 0xFFC, 0x1122_3344_5566_7788); // crosses into the next page
        Assert.Equal(0x1122_3344_5566_7788UL, machine.Memory.Read64(A64Machine.DataBase + 0xFFC));
        Assert.Throws<GuestFaultException>(() => machine.Memory.Read64(A64Machine.DataBase + A64Machine.DataSize - 4));
    }
}
