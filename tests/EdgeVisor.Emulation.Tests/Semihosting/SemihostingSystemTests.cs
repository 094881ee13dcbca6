using EdgeVisor.Emulation.Semihosting;
using Op = EdgeVisor.Emulation.Semihosting.SemihostingOperation;

namespace EdgeVisor.Emulation.Tests.Semihosting;

public sealed class SemihostingSystemTests
{
    [Fact]
    public void Clock_counts_centiseconds_of_virtual_time()
    {
        using var rig = new SemihostingRig();
        Assert.Equal(0, rig.Value(Op.Clock, 0));

        rig.Clock.AdvanceTo((2UL * SemihostingRig.FrequencyHz) + 250_000 + 249_999);

        Assert.Equal(201, rig.Value(Op.Clock, 0));
    }

    [Fact]
    public void Elapsed_and_TickFreq_give_core_cycles_and_the_core_clock()
    {
        using var rig = new SemihostingRig();
        rig.Clock.AdvanceTo(0x1_2345_6789);
        uint block = rig.Buffer(8);

        Assert.Equal(0, rig.Value(Op.Elapsed, block));
        Assert.Equal(0x2345_6789UL, rig.Field(block, 0));
        Assert.Equal(0x1UL, rig.Field(block, 1));
        Assert.Equal(SemihostingRig.FrequencyHz, rig.Value(Op.TickFrequency, 0));
    }

    [Fact]
    public void Time_gives_host_seconds_since_1970()
    {
        var now = new FixedTime(DateTimeOffset.FromUnixTimeSeconds(1_800_000_000));
        using var rig = new SemihostingRig(o => o with { TimeProvider = now });

        Assert.Equal(1_800_000_000, rig.Value(Op.Time, 0));
    }

    [Fact]
    public void System_is_refused()
    {
        using var rig = new SemihostingRig();
        string marker = Path.Combine(Path.GetTempPath(), $"edgevisor-system-{Guid.NewGuid():N}");

        Assert.Equal(-1, rig.Value(Op.System, rig.Block(rig.String($"touch {marker}"), (ulong)(6 + marker.Length))));
        Assert.Equal(1, rig.Errno);
        Assert.False(File.Exists(marker));
    }

    [Fact]
    public void GetCmdline_writes_the_line_and_its_length_or_fails_if_it_does_not_fit()
    {
        using var rig = new SemihostingRig(o => o with { CommandLine = "fw.elf -v 3" });
        uint buffer = rig.Buffer(32);
        uint block = rig.Block(buffer, 32);

        Assert.Equal(0, rig.Value(Op.GetCommandLine, block));
        Assert.Equal("fw.elf -v 3", rig.ReadCString(buffer));
        Assert.Equal(11UL, rig.Field(block, 1));

        uint small = rig.Block(rig.Buffer(11), 11);
        Assert.Equal(-1, rig.Value(Op.GetCommandLine, small));
        Assert.Equal(7, rig.Errno);
        Assert.Equal(11UL, rig.Field(small, 1));
    }

    [Fact]
    public void HeapInfo_fills_the_block_the_parameter_points_to()
    {
        var info = new SemihostingHeapInfo(0x2100_0000, 0x2200_0000, 0x2200_0000, 0x2100_0000);
        using var rig = new SemihostingRig(o => o with { HeapInfo = info });
        uint block = rig.Buffer(16);

        Assert.Equal(0, rig.Value(Op.HeapInfo, rig.Block(block)));

        Assert.Equal([0x2100_0000UL, 0x2200_0000UL, 0x2200_0000UL, 0x2100_0000UL], Enumerable.Range(0, 4).Select(i => rig.Field(block, i)));
    }

    [Fact]
    public void HeapInfo_can_be_set_after_the_image_is_loaded()
    {
        using var rig = new SemihostingRig();
        rig.Host.HeapInfo = new SemihostingHeapInfo(1, 2, 3, 4);
        uint block = rig.Buffer(16);

        rig.Call(Op.HeapInfo, rig.Block(block));

        Assert.Equal([1UL, 2UL, 3UL, 4UL], Enumerable.Range(0, 4).Select(i => rig.Field(block, i)));
    }

    [Fact]
    public void HeapInfo_is_all_zero_when_unset()
    {
        using var rig = new SemihostingRig();
        uint block = rig.Buffer(16);

        rig.Call(Op.HeapInfo, rig.Block(block));

        Assert.All(Enumerable.Range(0, 4), i => Assert.Equal(0UL, rig.Field(block, i)));
    }

    [Theory]
    [InlineData(0u, 0)]
    [InlineData(5u, 0)]
    [InlineData(0xFFFF_FFFFu, 1)]
    [InlineData(0x8000_0000u, 1)]
    public void IsError_tells_negative_status_values(uint status, int expected)
    {
        using var rig = new SemihostingRig();
        Assert.Equal(expected, rig.Value(Op.IsError, rig.Block(status)));
    }

    [Fact]
    public void Errno_keeps_the_last_failure_across_successful_calls()
    {
        using var rig = new SemihostingRig();
        Assert.Equal(0, rig.Errno);

        rig.Open("/nonexistent/dir/file", 0);
        rig.Value(Op.Clock, 0);

        Assert.Equal(2, rig.Errno);
        Assert.Equal(2, rig.Host.LastErrno);
    }

    [Fact]
    public void An_unknown_operation_returns_minus_one_with_enosys()
    {
        using var rig = new SemihostingRig();
        var result = rig.Host.Handle(0x99, 0);

        Assert.Equal(0xFFFF_FFFFu, result.ReturnValue);
        Assert.Null(result.ExitCode);
        Assert.Equal(88, rig.Errno);
    }

    public static TheoryData<SemihostingOperation> BlockOperations => new()
    {
        Op.Open, Op.Close, Op.Write, Op.Read, Op.IsError, Op.IsTty, Op.Seek, Op.FileLength, Op.TempName,
        Op.Remove, Op.Rename, Op.GetCommandLine, Op.HeapInfo, Op.ExitExtended, Op.Elapsed, Op.WriteC, Op.Write0,
    };

    [Theory]
    [MemberData(nameof(BlockOperations))]
    public void A_parameter_pointing_at_nothing_gives_minus_one_and_efault(SemihostingOperation operation)
    {
        using var rig = new SemihostingRig();

        var result = rig.Call(operation, SemihostingRig.Unmapped);

        Assert.Equal(0xFFFF_FFFFu, result.ReturnValue);
        Assert.Null(result.ExitCode);
        Assert.Equal(14, rig.Errno);
    }

    [Fact]
    public void Buffers_and_strings_pointing_at_nothing_give_efault()
    {
        using var rig = new SemihostingRig();
        long stdout = rig.Open(":tt", 4);
        long stdin = rig.Open(":tt", 0);

        Assert.Equal(-1, rig.Value(Op.Write, rig.Block((ulong)stdout, SemihostingRig.Unmapped, 4)));
        Assert.Equal(-1, rig.Value(Op.Read, rig.Block((ulong)stdin, SemihostingRig.Unmapped, 4)));
        Assert.Equal(-1, rig.Value(Op.Open, rig.Block(SemihostingRig.Unmapped, 0, 3)));
        Assert.Equal(-1, rig.Value(Op.GetCommandLine, rig.Block(SemihostingRig.Unmapped, 100)));
        Assert.Equal(-1, rig.Value(Op.HeapInfo, rig.Block(SemihostingRig.Unmapped)));
        Assert.Equal(-1, rig.Value(Op.Read, rig.Block((ulong)stdin, SemihostingRig.RamBase + SemihostingRig.RamSize - 2, 4)));
        Assert.Equal(14, rig.Errno);
        Assert.Equal("", rig.StdoutText);
    }

    [Fact]
    public void A_string_running_off_the_end_of_memory_is_efault_not_a_crash()
    {
        using var rig = new SemihostingRig();
        uint end = SemihostingRig.RamBase + SemihostingRig.RamSize - 3;
        rig.Memory.Load(end, "abc"u8);

        Assert.Equal(-1, rig.Value(Op.Write0, end));
        Assert.Equal(14, rig.Errno);
        Assert.Equal("", rig.StderrText);
    }

    [Fact]
    public void Only_word_sizes_4_and_8_are_accepted()
    {
        using var memory = new EdgeVisor.Emulation.Memory.AddressSpace();
        Assert.Throws<ArgumentException>(() => new SemihostingHost(memory, new EdgeVisor.Emulation.Time.VirtualClock(1), new SemihostingOptions { WordSize = 2 }));
    }

    [Fact]
    public void With_8_byte_words_blocks_use_64_bit_fields_and_errors_are_sign_extended()
    {
        using var rig = new SemihostingRig(o => o with { WordSize = 8, CommandLine = "a64" });
        long handle = rig.Open(":tt", 4);

        Assert.Equal(0, rig.Write(handle, "sixty-four"));
        Assert.Equal("sixty-four", rig.StdoutText);
        uint buffer = rig.Buffer(8);
        uint block = rig.Block(buffer, 8);
        Assert.Equal(0, rig.Value(Op.GetCommandLine, block));
        Assert.Equal(3UL, rig.Field(block, 1));
        Assert.Equal(ulong.MaxValue, rig.Call(Op.Close, rig.Block(99)).ReturnValue64);
        Assert.Equal(1, rig.Value(Op.IsError, rig.Block(ulong.MaxValue)));
        Assert.Equal(-1, rig.Value(Op.Write, rig.Block((ulong)handle, 0x1_0000_0000UL + SemihostingRig.RamBase, 1)));
        Assert.Equal(14, rig.Errno);
    }

    private sealed class FixedTime(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
