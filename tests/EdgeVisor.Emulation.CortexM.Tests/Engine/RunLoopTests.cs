using EdgeVisor.Emulation.Machines;

namespace EdgeVisor.Emulation.CortexM.Tests.Engine;

/// <summary>Run budget, Step, stop requests and sleeping as a machine and a debugger see them.</summary>
public sealed class RunLoopTests
{
    // adds r0, #1 (x3); b back to the first adds.
    private static readonly ushort[] CountingLoop = [0x3001, 0x3001, 0x3001, 0xE7FB];

    [Fact]
    public void Run_executes_exactly_the_budget_and_advances_time_by_it()
    {
        using var core = new TestCore().Load(CountingLoop);

        var reason = core.Cpu.Run(1001);

        Assert.Equal(StopReason.Budget, reason);
        Assert.Equal(1001ul, core.Cpu.InstructionsRetired);
        Assert.Equal(1001ul, core.Clock.Now);
        Assert.Equal(751u, core.Cpu.R[0]);
        Assert.Equal(TestCore.CodeStart + 2, core.Cpu.Pc);
    }

    [Fact]
    public void Running_in_uneven_slices_ends_in_the_same_state_as_one_run()
    {
        using var whole = new TestCore().Load(CountingLoop);
        using var sliced = new TestCore().Load(CountingLoop);
        whole.Cpu.Run(5000);

        foreach (ulong slice in new ulong[] { 1, 2, 3, 7, 13, 64, 65, 1000, 5000 })
        {
            sliced.Cpu.Run(slice);
        }

        Assert.Equal(whole.Cpu.R[0], sliced.Cpu.R[0]);
        Assert.Equal(whole.Cpu.Pc, sliced.Cpu.Pc);
        Assert.Equal(5000ul, sliced.Cpu.InstructionsRetired);
    }

    [Fact]
    public void Step_executes_one_instruction_at_a_time_through_an_IT_block()
    {
        // movs r0, #0 (Z=1); ite eq; moveq r1, #1; movne r2, #1; b .
        using var core = new TestCore().Load(0x2000, 0xBF0C, 0x2101, 0x2201, 0xE7FE);
        core.Cpu.R[1] = 0;
        core.Cpu.R[2] = 0;

        Assert.Equal(StopReason.Step, core.Cpu.Step());
        Assert.Equal(StopReason.Step, core.Cpu.Step());
        Assert.Equal(TestCore.CodeStart + 4, core.Cpu.Pc);
        Assert.NotEqual(0u, core.Cpu.ItState);
        core.Cpu.Step();
        Assert.Equal(1u, core.Cpu.R[1]);
        core.Cpu.Step();

        Assert.Equal(0u, core.Cpu.R[2]);
        Assert.Equal(0u, core.Cpu.ItState);
        Assert.Equal(TestCore.CodeStart + 8, core.Cpu.Pc);
        Assert.Equal(4ul, core.Cpu.InstructionsRetired);
    }

    [Fact]
    public void A_budget_ending_inside_an_IT_block_resumes_with_the_rest_of_it()
    {
        // cmp r0, #0; itte eq; moveq r1, #1; moveq r2, #1; movne r3, #1; b .
        using var core = new TestCore().Load(0x2800, 0xBF06, 0x2101, 0x2201, 0x2301, 0xE7FE);
        core.Cpu.R[0] = 0;
        core.Cpu.R[1] = core.Cpu.R[2] = core.Cpu.R[3] = 0;

        core.Cpu.Run(3);
        Assert.Equal(TestCore.CodeStart + 6, core.Cpu.Pc);
        Assert.NotEqual(0u, core.Cpu.ItState);

        core.Cpu.Run(10);
        Assert.Equal((1u, 1u, 0u), (core.Cpu.R[1], core.Cpu.R[2], core.Cpu.R[3]));
        Assert.Equal(0u, core.Cpu.ItState);
    }

    [Fact]
    public void A_stop_request_ends_the_run_with_interrupted()
    {
        using var core = new TestCore().Load(CountingLoop);
        core.Cpu.RequestStop();

        Assert.Equal(StopReason.Interrupted, core.Cpu.Run(1000));
        Assert.Equal(StopReason.Budget, core.Cpu.Run(1000));
    }

    [Fact]
    public void Wfi_with_nothing_pending_sleeps_and_fast_forwards_time()
    {
        // wfi; b .
        using var core = new TestCore().Load(0xBF30, 0xE7FE);

        Assert.Equal(StopReason.Sleeping, core.Cpu.Run(10_000));
        Assert.Equal(10_000ul, core.Clock.Now);
        Assert.Equal(1ul, core.Cpu.InstructionsRetired);
    }
}
