using EdgeVisor.Emulation.CortexM.Execution;

namespace EdgeVisor.Emulation.CortexM.Tests.SystemModel;

/// <summary>PMSAv7 region matching, sub-regions, access permissions, execute-never and the default map.</summary>
public sealed class MpuTests
{
    private const uint Type = CoreFixture.Scs + 0xD90;
    private const uint Ctrl = CoreFixture.Scs + 0xD94;
    private const uint Rnr = CoreFixture.Scs + 0xD98;
    private const uint Rbar = CoreFixture.Scs + 0xD9C;
    private const uint Rasr = CoreFixture.Scs + 0xDA0;

    // RASR fields.
    private const uint Enable = 1;
    private const uint Xn = 1u << 28;

    private static uint Size(int log2Bytes) => (uint)(log2Bytes - 1) << 1;

    private static uint Ap(uint ap) => ap << 24;

    private static void Region(CoreFixture f, int number, uint baseAddress, uint rasr)
    {
        f.Write(Rbar, baseAddress | 0x10 | (uint)number); // VALID: selects the region
        f.Write(Rasr, rasr);
    }

    private static bool Allowed(CoreFixture f, uint address, bool write = false, bool fetch = false)
    {
        try
        {
            if (fetch)
            {
                f.Cpu.CheckInstructionFetch(address);
            }
            else
            {
                f.Cpu.MpuCheck(address, 4, write, fetch);
            }

            return true;
        }
        catch (CortexMFaultException)
        {
            return false;
        }
    }

    [Fact]
    public void Type_reports_eight_unified_regions_and_nothing_without_an_mpu()
    {
        using var f = new CoreFixture();
        Assert.Equal(8u << 8, f.Read(Type));
        using var m0 = new CoreFixture("cortex-m0", priorityBits: 2);
        Assert.Equal(0u, m0.Read(Type));
    }

    [Fact]
    public void Rbar_with_valid_selects_the_region_and_reads_back()
    {
        using var f = new CoreFixture();
        Region(f, 5, 0x20000000, Size(12) | Ap(3) | Enable);
        Assert.Equal(5u, f.Read(Rnr));
        Assert.Equal(0x20000005u, f.Read(Rbar));
        Assert.Equal(Size(12) | Ap(3) | Enable, f.Read(Rasr));
    }

    [Fact]
    public void Enabling_the_mpu_sets_the_engine_flag()
    {
        using var f = new CoreFixture();
        Assert.False(f.Cpu.MpuEnabled);
        f.Write(Ctrl, 1);
        Assert.True(f.Cpu.MpuEnabled);
    }

    [Fact]
    public void No_matching_region_faults_unless_privdefena_for_privileged_code()
    {
        using var f = new CoreFixture();
        Region(f, 0, 0x20000000, Size(12) | Ap(3) | Enable);
        f.Write(Ctrl, 1);
        Assert.True(Allowed(f, 0x20000F00));
        Assert.False(Allowed(f, 0x20001000));
        f.Write(Ctrl, 5); // PRIVDEFENA
        Assert.True(Allowed(f, 0x20001000));
        f.Cpu.WriteSpecialRegister(20, 1, 0); // unprivileged: the default map does not apply
        Assert.False(Allowed(f, 0x20001000));
    }

    [Fact]
    public void Highest_numbered_matching_region_wins()
    {
        using var f = new CoreFixture();
        Region(f, 0, 0x20000000, Size(16) | Ap(3) | Enable);   // 64 KiB read-write
        Region(f, 3, 0x20004000, Size(12) | Ap(6) | Enable);   // 4 KiB read-only inside it
        f.Write(Ctrl, 1);
        Assert.True(Allowed(f, 0x20003FFC, write: true));
        Assert.False(Allowed(f, 0x20004000, write: true));
        Assert.True(Allowed(f, 0x20004000));
        Assert.True(Allowed(f, 0x20005000, write: true));
    }

    [Fact]
    public void Disabled_subregion_falls_through_to_lower_regions()
    {
        using var f = new CoreFixture();
        Region(f, 0, 0x20000000, Size(16) | Ap(3) | Enable);
        Region(f, 1, 0x20000000, Size(16) | Ap(6) | (1u << (8 + 2)) | Enable); // sub-region 2 (0x4000-0x5FFF) disabled
        f.Write(Ctrl, 1);
        Assert.False(Allowed(f, 0x20003000, write: true)); // region 1: read-only
        Assert.True(Allowed(f, 0x20004800, write: true));  // sub-region 2: region 0 decides
        Assert.False(Allowed(f, 0x20006000, write: true));
    }

    [Theory]
    [InlineData(0u, false, false, false, false)]
    [InlineData(1u, true, true, false, false)]
    [InlineData(2u, true, true, true, false)]
    [InlineData(3u, true, true, true, true)]
    [InlineData(5u, true, false, false, false)]
    [InlineData(6u, true, false, true, false)]
    public void Access_permissions(uint ap, bool privRead, bool privWrite, bool userRead, bool userWrite)
    {
        using var f = new CoreFixture();
        Region(f, 0, 0x20000000, Size(16) | Ap(ap) | Enable);
        f.Write(Ctrl, 1);
        Assert.Equal(privRead, Allowed(f, 0x20000100));
        Assert.Equal(privWrite, Allowed(f, 0x20000100, write: true));
        f.Cpu.WriteSpecialRegister(20, 1, 0);
        Assert.Equal(userRead, Allowed(f, 0x20000100));
        Assert.Equal(userWrite, Allowed(f, 0x20000100, write: true));
    }

    [Fact]
    public void Execute_never_region_faults_instruction_fetch_only()
    {
        using var f = new CoreFixture();
        Region(f, 0, 0x20000000, Size(16) | Ap(3) | Xn | Enable);
        Region(f, 1, 0x00000000, Size(18) | Ap(3) | Enable);
        f.Write(Ctrl, 1);
        Assert.False(Allowed(f, 0x20000000, fetch: true));
        Assert.True(Allowed(f, 0x20000000));
        Assert.True(Allowed(f, 0x00001000, fetch: true));
    }

    [Fact]
    public void Default_map_forbids_execution_from_peripheral_device_and_system_space()
    {
        using var f = new CoreFixture();
        Assert.True(Allowed(f, 0x00001000, fetch: true));
        Assert.True(Allowed(f, 0x20001000, fetch: true));
        Assert.False(Allowed(f, 0x40000000, fetch: true));
        Assert.True(Allowed(f, 0x60000000, fetch: true));
        Assert.False(Allowed(f, 0xA0000000, fetch: true));
        Assert.False(Allowed(f, 0xE0000000, fetch: true));
    }

    [Fact]
    public void Hardfault_handler_bypasses_the_mpu_unless_hfnmiena()
    {
        using var f = new CoreFixture();
        Region(f, 0, 0x20000000, Size(16) | Ap(0) | Enable);
        f.Write(Ctrl, 1);
        f.Cpu.R[13] = 0x20010000 - 0x100; // inside the no-access region: stacking faults
        f.Cpu.RaiseFault(FaultType.UndefinedInstruction, 0);
        Assert.Equal((uint)ExceptionNumber.HardFault, f.Cpu.Ipsr);
        Assert.Equal(1u << 4, f.Read(CoreFixture.Scs + 0xD28) & (1u << 4)); // MSTKERR from the thread-level stacking
        Assert.True(Allowed(f, 0x20000100, write: true));
        f.Write(Ctrl, 3); // HFNMIENA
        Assert.False(Allowed(f, 0x20000100, write: true));
    }

    [Fact]
    public void Mpu_violation_raised_as_a_fault_records_mmfar()
    {
        using var f = new CoreFixture();
        f.Write(CoreFixture.Scs + 0xD24, 1u << 16);
        Region(f, 0, 0x00000000, Size(18) | Ap(3) | Enable);
        Region(f, 1, 0x20000000, Size(16) | Ap(3) | Enable);
        Region(f, 2, 0x20002000, Size(8) | Ap(5) | Enable);
        f.Write(Ctrl, 1);
        var fault = Assert.Throws<CortexMFaultException>(() => f.Cpu.MpuCheck(0x20002010, 4, true, false));
        f.Cpu.RaiseFault(fault.Type, fault.Address);
        Assert.Equal((uint)ExceptionNumber.MemManage, f.Cpu.Ipsr);
        Assert.Equal(0x20002010u, f.Read(CoreFixture.Scs + 0xD34));
    }
}
