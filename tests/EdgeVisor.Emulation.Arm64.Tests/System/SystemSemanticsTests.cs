using EdgeVisor.Emulation.Arm64.SystemInstructions;
using EdgeVisor.Emulation.Arm64.Tests.TestKit;

namespace EdgeVisor.Emulation.Arm64.Tests.SystemInstructions;

public sealed class SystemSemanticsTests
{
    private static A64Machine Run(string source)
    {
        var machine = new A64Machine().Assemble(source + "\nudf #1");
        var stop = machine.Run(1000);
        Assert.Equal(Arm64StopKind.Undefined, stop.Kind);
        Assert.Equal(1u, stop.Detail);
        return machine;
    }

    [Fact]
    public void Id_registers_read_the_values_Linux_reports_for_the_advertised_features()
    {
        using var machine = Run("""
            mrs x0, id_aa64isar0_el1
            mrs x1, id_aa64pfr0_el1
            mrs x2, midr_el1
            mrs x3, mpidr_el1
            mrs x4, id_aa64isar1_el1
            mrs x5, s3_0_c0_c4_4 // ID_AA64ZFR0_EL1
            mrs x6, s3_0_c0_c7_7
            mrs x7, ctr_el0
            mrs x8, dczid_el0
            mrs x9, cntfrq_el0
            """);
        var x = machine.Cpu.X;
        Assert.Equal(0x21_1120UL, x[0]); // LSE atomics 2, CRC32 1, SHA2 1, SHA1 1, AES+PMULL 2
        Assert.Equal(0x11UL, x[1]); // FP and AdvSIMD without FP16, EL0/EL1 AArch64 only
        Assert.Equal(SystemRegisters.Midr, x[2]);
        Assert.Equal(0x8000_0000UL, x[3]);
        Assert.Equal(1UL, x[4]); // DPB: DC CVAP
        Assert.Equal(0UL, x[5]); // no SVE
        Assert.Equal(0UL, x[6]); // unknown ID-space register reads as zero
        Assert.Equal(0x8444_C004UL, x[7]);
        Assert.Equal(4UL, x[8]);
        Assert.Equal(GenericTimer.Frequency, x[9]);
    }

    [Fact]
    public void The_hwcap_is_derived_from_the_advertised_features()
    {
        // fp asimd aes pmull sha1 sha2 crc32 atomics cpuid dcpop
        Assert.Equal((1UL << 0) | (1UL << 1) | (1UL << 3) | (1UL << 4) | (1UL << 5) | (1UL << 6) | (1UL << 7) | (1UL << 8) | (1UL << 11) | (1UL << 16), CpuFeatures.LinuxHwcap);
        Assert.Equal("fp asimd aes pmull sha1 sha2 crc32 atomics cpuid dcpop", CpuFeatures.CpuInfoFeatures);
    }

    [Theory]
    [InlineData("mrs x0, s3_0_c0_c1_0")] // AArch32 ID space (CRm = 1): not emulated by Linux
    [InlineData("mrs x0, sctlr_el1")]
    [InlineData("msr tpidrro_el0, x0")]
    [InlineData("msr daifset, #2")]
    [InlineData("mrs x0, daif")]
    [InlineData("dc civac, x0\ndc isw, x0")]
    [InlineData("ic iallu")]
    [InlineData("cfinv")]
    [InlineData("sb")]
    public void What_EL0_may_not_do_is_undefined(string instruction)
    {
        using var machine = new A64Machine().Assemble(".arch armv8.5-a\n" + instruction);
        machine.Cpu.X[0] = A64Machine.DataBase;
        var stop = machine.Run(10);
        Assert.Equal(Arm64StopKind.Undefined, stop.Kind);
    }

    [Fact]
    public void The_virtual_counter_advances_at_the_advertised_frequency()
    {
        using var machine = new A64Machine().Assemble("mrs x0, cntvct_el0\nsvc #0\nmrs x1, cntvct_el0\nsvc #0");
        machine.Run(10);
        Thread.Sleep(20);
        machine.Run(10);
        ulong elapsed = machine.Cpu.X[1] - machine.Cpu.X[0];
        Assert.InRange(elapsed, GenericTimer.Frequency / 100, GenericTimer.Frequency); // 20 ms: between 10 ms and 1 s
    }

    [Fact]
    public void Tpidr_el0_and_nzcv_round_trip_through_msr_and_mrs()
    {
        using var machine = Run("""
            mov x0, #0x1234
            msr tpidr_el0, x0
            mrs x1, tpidr_el0
            mov x2, #0x60000000
            msr nzcv, x2
            cset x3, eq
            mrs x4, nzcv
            mrs x5, tpidrro_el0
            """);
        Assert.Equal(0x1234UL, machine.Cpu.TpidrEl0);
        Assert.Equal(0x1234UL, machine.Cpu.X[1]);
        Assert.Equal(1UL, machine.Cpu.X[3]);
        Assert.Equal(0x6000_0000UL, machine.Cpu.X[4]);
        Assert.Equal(0UL, machine.Cpu.X[5]);
    }

    [Fact]
    public void Dc_zva_zeroes_the_aligned_64_byte_block_only()
    {
        using var machine = new A64Machine();
        var pattern = Enumerable.Repeat((byte)0xAA, 256).ToArray();
        machine.Memory.WritePrivileged(A64Machine.DataBase, pattern);
        machine.Assemble("dc zva, x0\nudf #1");
        machine.Cpu.X[0] = A64Machine.DataBase + 64 + 13;
        machine.Run(10);
        var after = new byte[256];
        Assert.True(machine.Memory.TryRead(A64Machine.DataBase, after));
        Assert.All(after[..64], b => Assert.Equal(0xAA, b));
        Assert.All(after[64..128], b => Assert.Equal(0, b));
        Assert.All(after[128..], b => Assert.Equal(0xAA, b));
    }

    [Fact]
    public void Dc_zva_on_read_only_memory_and_cache_cleans_of_unmapped_memory_are_data_aborts()
    {
        using var machine = new A64Machine().Assemble("dc zva, x0");
        machine.Cpu.X[0] = A64Machine.CodeBase + 0x100;
        var stop = machine.Run(10);
        Assert.Equal(Arm64StopKind.DataAbort, stop.Kind);
        Assert.True(stop.Write);
        Assert.Equal(A64Machine.CodeBase, machine.Cpu.Pc);

        machine.Assemble("dc cvau, x0");
        machine.Cpu.X[0] = 0x3000_0000;
        stop = machine.Run(10);
        Assert.Equal(Arm64StopKind.DataAbort, stop.Kind);
        Assert.Equal(0x3000_0000UL, stop.Address);
    }

    [Fact]
    public unsafe void Ic_ivau_drops_decoded_code_that_was_rewritten_behind_the_decoder()
    {
        using var machine = new A64Machine().Assemble("""
            again:
                mov x0, #1
                svc #0
                dc cvau, x1
                ic ivau, x1
                dsb ish
                isb
                b again
            """);
        machine.Cpu.X[1] = A64Machine.CodeBase;
        machine.Run(100);
        Assert.Equal(1UL, machine.Cpu.X[0]);

        // Rewrite "mov x0, #1" into "mov x0, #2" through the host view (as a second, writable mapping would): no
        // write barrier sees it, so only IC IVAU can make the core notice.
        *(uint*)(machine.Memory.Base + A64Machine.CodeBase) = 0xD280_0040;
        Assert.Equal(Arm64StopKind.Syscall, machine.Run(100).Kind);
        Assert.Equal(2UL, machine.Cpu.X[0]);
    }

    [Fact]
    public void Clrex_opens_the_exclusive_monitor_and_barriers_execute()
    {
        using var machine = new A64Machine().Assemble("dmb ish\ndsb sy\nisb\nclrex\nudf #1");
        machine.Cpu.ExclusiveAddress = A64Machine.DataBase;
        var stop = machine.Run(100);
        Assert.Equal(Arm64StopKind.Undefined, stop.Kind);
        Assert.Equal(A64Machine.CodeBase + 16, machine.Cpu.Pc);
        Assert.Equal(Arm64Cpu.NoExclusive, machine.Cpu.ExclusiveAddress);
    }
}
