using EdgeVisor.Emulation.Semihosting;
using Op = EdgeVisor.Emulation.Semihosting.SemihostingOperation;

namespace EdgeVisor.Emulation.Tests.Semihosting;

/// <summary>Exit codes as qemu-system-arm 7.2 gives them (see SemihostingQemuReferenceTests for the live comparison).</summary>
public sealed class SemihostingExitTests
{
    private const uint ApplicationExit = 0x20026;
    private const uint RunTimeError = 0x20023;

    [Theory]
    [InlineData(ApplicationExit, 0)]
    [InlineData(RunTimeError, 1)]
    [InlineData(0x20020u, 1)]
    [InlineData(0u, 1)]
    [InlineData(3u, 1)]
    public void On_32_bit_SYS_EXIT_takes_the_reason_itself_and_only_application_exit_means_success(uint reason, int expected)
    {
        using var rig = new SemihostingRig();

        var result = rig.Call(Op.Exit, reason);

        Assert.True(result.Exited);
        Assert.Equal(expected, result.ExitCode);
    }

    [Theory]
    [InlineData(ApplicationExit, 0u, 0)]
    [InlineData(ApplicationExit, 3u, 3)]
    [InlineData(ApplicationExit, 255u, 255)]
    [InlineData(ApplicationExit, 256u, 256)]
    [InlineData(ApplicationExit, 0xFFFF_FFFFu, -1)]
    [InlineData(RunTimeError, 6u, 1)]
    [InlineData(0x20020u, 0u, 1)]
    public void SYS_EXIT_EXTENDED_gives_the_subcode_for_application_exit_and_1_otherwise(uint reason, uint subcode, int expected)
    {
        using var rig = new SemihostingRig();

        var result = rig.Call(Op.ExitExtended, rig.Block(reason, subcode));

        Assert.Equal(expected, result.ExitCode);
    }

    [Theory]
    [InlineData(ApplicationExit, 7UL, 7)]
    [InlineData(RunTimeError, 7UL, 1)]
    public void On_64_bit_SYS_EXIT_takes_a_reason_and_subcode_block(uint reason, ulong subcode, int expected)
    {
        using var rig = new SemihostingRig(o => o with { WordSize = 8 });

        Assert.Equal(expected, rig.Call(Op.Exit, rig.Block(reason, subcode)).ExitCode);
        Assert.Equal(expected, rig.Call(Op.ExitExtended, rig.Block(reason, subcode)).ExitCode);
    }

    [Fact]
    public void Other_calls_do_not_exit()
    {
        using var rig = new SemihostingRig();
        rig.Call(Op.Exit, ApplicationExit);

        var next = rig.Call(Op.Clock, 0);

        Assert.False(next.Exited);
        Assert.Null(next.ExitCode);
    }
}
