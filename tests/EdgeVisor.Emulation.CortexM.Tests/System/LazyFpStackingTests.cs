using EdgeVisor.Emulation.CortexM.Execution;

namespace EdgeVisor.Emulation.CortexM.Tests.SystemModel;

/// <summary>Extended frames and lazy FP state preservation (FPCCR.LSPEN/ASPEN, LSPACT, FPCAR) on the Cortex-M4F.</summary>
public sealed class LazyFpStackingTests
{
    private const uint Cpacr = CoreFixture.Scs + 0xD88;
    private const uint Fpccr = CoreFixture.Scs + 0xF34;
    private const uint Fpcar = CoreFixture.Scs + 0xF38;

    private static CoreFixture FpCore()
    {
        var f = new CoreFixture("cortex-m4f");
        f.Write(Cpacr, 0xF << 20);
        for (int i = 0; i < 32; i++)
        {
            f.Cpu.S[i] = 0x3F800000u + (uint)i;
        }

        return f;
    }

    [Fact]
    public void Fp_instruction_without_cpacr_access_is_nocp()
    {
        using var f = new CoreFixture("cortex-m4f");
        var fault = Assert.Throws<CortexMFaultException>(() => f.Cpu.FpAccessCheck());
        Assert.Equal(FaultType.NoCoprocessor, fault.Type);
    }

    [Fact]
    public void Fp_instruction_on_a_core_without_fpu_is_nocp()
    {
        using var f = new CoreFixture("cortex-m3");
        f.Write(Cpacr, 0xF << 20);
        Assert.Equal(0u, f.Read(Cpacr));
        Assert.Throws<CortexMFaultException>(() => f.Cpu.FpAccessCheck());
    }

    [Fact]
    public void First_fp_instruction_sets_fpca_and_takes_fpscr_defaults_from_fpdscr()
    {
        using var f = FpCore();
        f.Write(CoreFixture.Scs + 0xF3C, 0x03C00000); // FPDSCR: DN, FZ, RMode=RZ
        f.Cpu.Fpscr = 0;
        Assert.True(f.Cpu.FpAccessCheck());
        Assert.Equal(4u, f.Cpu.Control & 4);
        Assert.Equal(0x03C00000u, f.Cpu.Fpscr);
    }

    [Fact]
    public void Entry_without_fp_context_uses_the_basic_frame()
    {
        using var f = FpCore();
        f.EnableIrq(0, 0);
        f.PendIrq(0);
        f.Cpu.CheckPendingExceptions();
        Assert.Equal(CoreFixture.InitialSp - 0x20, f.Cpu.R[13]);
        Assert.Equal(0xFFFFFFF9u, f.Cpu.R[14]);
        Assert.Equal(0u, f.Read(Fpccr) & 1);
    }

    [Fact]
    public void Lazy_entry_reserves_the_extended_frame_without_writing_fp_registers()
    {
        using var f = FpCore();
        var cpu = f.Cpu;
        cpu.FpAccessCheck(); // thread code used FP: CONTROL.FPCA = 1
        f.EnableIrq(0, 0);
        f.PendIrq(0);
        cpu.CheckPendingExceptions();

        uint frame = CoreFixture.InitialSp - 0x68;
        Assert.Equal(frame, cpu.R[13]);
        Assert.Equal(0xFFFFFFE9u, cpu.R[14]);
        Assert.Equal(0u, cpu.Control & 4); // the handler starts without FP context
        uint fpccr = f.Read(Fpccr);
        Assert.Equal(1u, fpccr & 1);              // LSPACT
        Assert.Equal(1u << 3, fpccr & (1u << 3)); // THREAD
        Assert.Equal(1u << 4, fpccr & (1u << 4)); // HFRDY
        Assert.Equal(0u, fpccr & (1u << 1));      // USER: thread was privileged
        Assert.Equal(frame + 0x20, f.Read(Fpcar));
        Assert.Equal(0u, f.Read(frame + 0x20)); // not written yet
    }

    [Fact]
    public void First_fp_instruction_in_the_handler_preserves_s0_to_s15_and_fpscr_at_fpcar()
    {
        using var f = FpCore();
        var cpu = f.Cpu;
        cpu.FpAccessCheck();
        cpu.Fpscr = 0x01000000; // set by thread code after its FP context started
        f.EnableIrq(0, 0);
        f.PendIrq(0);
        cpu.CheckPendingExceptions();
        uint frame = cpu.R[13];

        cpu.FpAccessCheck();
        for (int i = 0; i < 16; i++)
        {
            Assert.Equal(0x3F800000u + (uint)i, f.Read(frame + 0x20 + (uint)(4 * i)));
        }

        Assert.Equal(0x01000000u, f.Read(frame + 0x60));
        Assert.Equal(0u, f.Read(Fpccr) & 1);
        Assert.Equal(4u, cpu.Control & 4);

        // The handler changes FP registers; return restores the interrupted context's values.
        for (int i = 0; i < 16; i++)
        {
            cpu.S[i] = 0;
        }

        cpu.Fpscr = 0;
        cpu.ExceptionReturn(cpu.R[14]);
        Assert.Equal(0x3F800000u, cpu.S[0]);
        Assert.Equal(0x3F80000Fu, cpu.S[15]);
        Assert.Equal(0x01000000u, cpu.Fpscr);
        Assert.Equal(CoreFixture.InitialSp, cpu.R[13]);
        Assert.Equal(4u, cpu.Control & 4); // EXC_RETURN bit 4 clear: FPCA restored
    }

    [Fact]
    public void Return_without_fp_use_in_the_handler_discards_the_reservation()
    {
        using var f = FpCore();
        var cpu = f.Cpu;
        cpu.FpAccessCheck();
        f.EnableIrq(0, 0);
        f.PendIrq(0);
        cpu.CheckPendingExceptions();
        uint frame = cpu.R[13];
        f.Write(frame + 0x20, 0xBAD0BAD0); // garbage where S0 would be: must not be loaded

        cpu.ExceptionReturn(cpu.R[14]);
        Assert.Equal(0u, f.Read(Fpccr) & 1);
        Assert.Equal(0x3F800000u, cpu.S[0]);
        Assert.Equal(CoreFixture.InitialSp, cpu.R[13]);
    }

    [Fact]
    public void Lspen_clear_writes_the_fp_frame_at_entry()
    {
        using var f = FpCore();
        var cpu = f.Cpu;
        f.Write(Fpccr, 1u << 31); // ASPEN only
        cpu.FpAccessCheck();
        cpu.Fpscr = 0x01000000;
        f.EnableIrq(0, 0);
        f.PendIrq(0);
        cpu.CheckPendingExceptions();
        uint frame = cpu.R[13];
        Assert.Equal(0x3F800005u, f.Read(frame + 0x20 + (4 * 5)));
        Assert.Equal(0x01000000u, f.Read(frame + 0x60));
        Assert.Equal(0u, f.Read(Fpccr) & 1);
    }

    [Fact]
    public void Extended_frame_is_always_8_byte_aligned()
    {
        using var f = FpCore();
        var cpu = f.Cpu;
        f.Write(CoreFixture.Scs + 0xD14, 0); // STKALIGN off: an FP frame still forces alignment
        cpu.FpAccessCheck();
        cpu.R[13] = 0x20007FFC;
        f.EnableIrq(0, 0);
        f.PendIrq(0);
        cpu.CheckPendingExceptions();
        Assert.Equal((0x20007FFCu - 0x68) & ~7u, cpu.R[13]);
        cpu.ExceptionReturn(cpu.R[14]);
        Assert.Equal(0x20007FFCu, cpu.R[13]);
    }

    [Fact]
    public void Nested_handler_using_fp_gets_exc_return_e1()
    {
        using var f = FpCore();
        var cpu = f.Cpu;
        f.EnableIrq(0, 0x80);
        f.EnableIrq(1, 0x20);
        f.PendIrq(0);
        cpu.CheckPendingExceptions();
        cpu.FpAccessCheck(); // handler 0 uses FP
        f.PendIrq(1);
        cpu.CheckPendingExceptions();
        Assert.Equal(0xFFFFFFE1u, cpu.R[14]);
        Assert.Equal(0u, f.Read(Fpccr) & (1u << 3)); // THREAD clear: reserved by a handler
    }
}
