using EdgeVisor.Emulation.Arm64.Tests.TestKit;

namespace EdgeVisor.Emulation.Arm64.Tests.Branches;

public sealed class BranchSemanticsTests
{
    [Fact]
    public void Svc_stops_after_itself_with_its_immediate_and_execution_resumes_there()
    {
        using var machine = new A64Machine().Assemble("""
            mov x8, #64
            svc #0x12
            mov x0, #5
            svc #0
            """);
        var stop = machine.Run(100);
        Assert.Equal(Arm64StopKind.Syscall, stop.Kind);
        Assert.Equal(0x12u, stop.Detail);
        Assert.Equal(A64Machine.CodeBase + 8, machine.Cpu.Pc);
        Assert.Equal(64UL, machine.Cpu.X[8]);
        stop = machine.Run(100);
        Assert.Equal(Arm64StopKind.Syscall, stop.Kind);
        Assert.Equal(5UL, machine.Cpu.X[0]);
    }

    [Fact]
    public void Brk_and_hlt_stop_at_the_instruction()
    {
        using var machine = new A64Machine().Assemble("nop\nbrk #0x3e8\nhlt #7");
        var stop = machine.Run(100);
        Assert.Equal(Arm64StopKind.Breakpoint, stop.Kind);
        Assert.Equal(0x3E8u, stop.Detail);
        Assert.Equal(A64Machine.CodeBase + 4, machine.Cpu.Pc);
        machine.Cpu.Pc += 4;
        stop = machine.Run(100);
        Assert.Equal(Arm64StopKind.Halt, stop.Kind);
        Assert.Equal(7u, stop.Detail);
        Assert.Equal(A64Machine.CodeBase + 8, machine.Cpu.Pc);
    }

    [Fact]
    public void A_counted_loop_with_calls_runs_to_completion_through_chained_blocks()
    {
        using var machine = new A64Machine().Assemble("""
                mov x0, #0
                mov x1, #1000
            loop:
                bl add_three
                subs x1, x1, #1
                b.ne loop
                cbz x1, done
                udf #2
            add_three:
                add x0, x0, #3
                ret
            done:
                tbnz x0, #0, odd
                brk #0
            odd:
                brk #1
            """);
        var stop = machine.Run(100_000);
        Assert.Equal(Arm64StopKind.Breakpoint, stop.Kind);
        Assert.Equal(0u, stop.Detail);
        Assert.Equal(3000UL, machine.Cpu.X[0]);
        Assert.Equal(0UL, machine.Cpu.X[1]);
    }

    [Fact]
    public void Blr_x30_jumps_to_the_old_link_register()
    {
        using var machine = new A64Machine().Assemble("""
            adr x30, target
            blr x30
            udf #1
            target:
            brk #9
            """);
        var stop = machine.Run(100);
        Assert.Equal(Arm64StopKind.Breakpoint, stop.Kind);
        Assert.Equal(9u, stop.Detail);
        Assert.Equal(A64Machine.CodeBase + 8, machine.Cpu.X[30]);
    }

    [Fact]
    public void A_branch_to_a_misaligned_register_value_is_a_pc_alignment_fault()
    {
        using var machine = new A64Machine().Assemble("adr x3, . + 6\nbr x3");
        var stop = machine.Run(100);
        Assert.Equal(Arm64StopKind.PcAlignment, stop.Kind);
        Assert.Equal(A64Machine.CodeBase + 6, stop.Address);
    }

    [Fact]
    public void PAuth_branches_are_undefined_but_PAuth_and_BTI_hints_are_nops()
    {
        using var machine = new A64Machine().Assemble("""
            .arch armv8.5-a
            paciasp
            bti c
            autiasp
            xpaclri
            yield
            wfe
            wfi
            braaz x1
            """);
        var stop = machine.Run(100);
        Assert.Equal(Arm64StopKind.Undefined, stop.Kind);
        Assert.Equal(A64Machine.CodeBase + (7 * 4), machine.Cpu.Pc);
        Assert.Equal(0xD61F_083Fu, stop.Detail); // BRAAZ X1
    }

    [Fact]
    public void Hypervisor_and_secure_monitor_calls_and_eret_are_undefined_at_EL0()
    {
        foreach (uint raw in new uint[] { 0xD400_0002, 0xD400_0003, 0xD69F_03E0, 0xD4A0_0001 }) // HVC, SMC, ERET, DCPS1
        {
            using var machine = new A64Machine().Load(raw);
            var stop = machine.Run(1);
            Assert.Equal(Arm64StopKind.Undefined, stop.Kind);
            Assert.Equal(raw, stop.Detail);
        }
    }
}
