using EdgeVisor.Emulation.Machines;

namespace EdgeVisor.Emulation.CortexM.Tests.Engine;

/// <summary>Breakpoints, watchpoints and code modification: what a debugger and self-modifying firmware rely on.</summary>
public sealed class DebugAndCodeTests
{
    // movs r0, #1; movs r0, #2; movs r0, #3; b .
    private static readonly ushort[] ThreeMoves = [0x2001, 0x2002, 0x2003, 0xE7FE];

    [Fact]
    public void A_breakpoint_stops_before_its_instruction_and_resuming_continues_past_it()
    {
        using var core = new TestCore().Load(ThreeMoves);
        core.Cpu.Run(10); // blocks decoded before the breakpoint exists must not hide it
        core.Cpu.Reset();
        core.Cpu.AddBreakpoint(TestCore.CodeStart + 4);

        Assert.Equal(StopReason.Breakpoint, core.Cpu.Run(1000));
        Assert.Equal(TestCore.CodeStart + 4, core.Cpu.Pc);
        Assert.Equal(2u, core.Cpu.R[0]);

        Assert.Equal(StopReason.Budget, core.Cpu.Run(1000));
        Assert.Equal(3u, core.Cpu.R[0]);
    }

    [Fact]
    public void A_removed_breakpoint_no_longer_stops()
    {
        using var core = new TestCore().Load(ThreeMoves);
        core.Cpu.AddBreakpoint(TestCore.CodeStart + 2);
        core.Cpu.RemoveBreakpoint(TestCore.CodeStart + 2);

        Assert.Equal(StopReason.Budget, core.Cpu.Run(100));
        Assert.Equal(3u, core.Cpu.R[0]);
    }

    [Fact]
    public void A_write_watchpoint_stops_right_after_the_storing_instruction()
    {
        // str r0, [r1]; movs r2, #1; b .
        using var core = new TestCore().Load(0x6008, 0x2201, 0xE7FE);
        core.Cpu.R[1] = TestCore.RamBase + 0x40;
        core.Cpu.R[0] = 0x12345678;
        core.Cpu.R[2] = 0;
        core.Bus.AddWatchpoint(TestCore.RamBase + 0x40, 4, onRead: false, onWrite: true);

        Assert.Equal(StopReason.Watchpoint, core.Cpu.Run(100));
        Assert.Equal(TestCore.CodeStart + 2, core.Cpu.Pc);
        Assert.Equal(0u, core.Cpu.R[2]);
        Assert.Equal(1ul, core.Cpu.InstructionsRetired);
    }

    [Fact]
    public void Rewriting_code_that_already_ran_runs_the_new_code()
    {
        // movs r0, #1; b back
        using var core = new TestCore().Load(0x2001, 0xE7FD);
        core.Cpu.Run(10);
        Assert.Equal(1u, core.Cpu.R[0]);

        core.Bus.Write16(TestCore.CodeStart, 0x2002); // movs r0, #2

        core.Cpu.Run(20);
        Assert.Equal(2u, core.Cpu.R[0]);
    }

    [Fact]
    public void A_store_into_the_running_block_takes_effect_on_the_next_instruction()
    {
        // strh r2, [r1]; movs r0, #1; b .   with r1 -> the movs and r2 = movs r0, #7
        using var core = new TestCore().Load(0x800A, 0x2001, 0xE7FE);
        core.Cpu.Run(3); // decode and cache the block first
        core.Cpu.Reset();
        core.Cpu.R[1] = TestCore.CodeStart + 2;
        core.Cpu.R[2] = 0x2007;

        core.Cpu.Run(core.Clock.Now + 3);

        Assert.Equal(7u, core.Cpu.R[0]);
    }

    [Fact]
    public void Bkpt_with_a_debugger_attached_stops_at_the_bkpt()
    {
        // movs r0, #5; bkpt #1; b .
        using var core = new TestCore().Load(0x2005, 0xBE01, 0xE7FE);
        core.Cpu.DebuggerAttached = true;

        Assert.Equal(StopReason.Breakpoint, core.Cpu.Run(100));
        Assert.Equal(TestCore.CodeStart + 2, core.Cpu.Pc);
        Assert.Equal(5u, core.Cpu.R[0]);
        Assert.Equal(0u, core.Cpu.Ipsr);
    }
}
