using EdgeVisor.Emulation.Machines;
using EdgeVisor.Emulation.Semihosting;

namespace EdgeVisor.Emulation.CortexM.Tests.Engine;

/// <summary>BKPT 0xAB reaches the semihosting host; its exit request ends the run with the firmware's exit code.</summary>
public sealed class SemihostingBridgeTests
{
    [Fact]
    public void Sys_exit_extended_stops_the_run_with_the_exit_code()
    {
        // bkpt 0xab; b .    r0 = SYS_EXIT_EXTENDED, r1 -> { ADP_Stopped_ApplicationExit, 3 }
        using var core = new TestCore(semihosting: (bus, clock) => new SemihostingHost(bus, clock, new SemihostingOptions()));
        core.Load(0xBEAB, 0xE7FE);
        core.Bus.Write32(TestCore.RamBase, SemihostingHost.ApplicationExit);
        core.Bus.Write32(TestCore.RamBase + 4, 3);
        core.Cpu.R[0] = 0x20;
        core.Cpu.R[1] = TestCore.RamBase;

        Assert.Equal(StopReason.Exited, core.Cpu.Run(100));
        Assert.Equal(3, core.Cpu.ExitCode);
    }

    [Fact]
    public void Bkpt_0xab_without_a_host_is_a_debug_event()
    {
        using var core = new TestCore().Load(0xBEAB, 0xE7FE);

        core.Cpu.Run(1);

        Assert.Equal(3u, core.Cpu.Ipsr);
        Assert.Null(core.Cpu.ExitCode);
    }
}
