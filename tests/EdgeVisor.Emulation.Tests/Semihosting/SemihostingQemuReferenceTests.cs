using EdgeVisor.Emulation.Semihosting;
using EdgeVisor.Emulation.Tests.Reference;
using Op = EdgeVisor.Emulation.Semihosting.SemihostingOperation;

namespace EdgeVisor.Emulation.Tests.Semihosting;

/// <summary>
/// Exit codes and console routing against qemu-system-arm 7.2 running firmware built with
/// arm-none-eabi-gcc and newlib's rdimon: `edgevisor run` must give the same verdict.
/// </summary>
public sealed class SemihostingQemuReferenceTests
{
    private const uint ApplicationExit = 0x20026;
    private const uint RunTimeError = 0x20023;

    [Theory]
    [InlineData(ApplicationExit)]
    [InlineData(RunTimeError)]
    [InlineData(0x20020u)]
    [InlineData(0u)]
    public void SYS_EXIT_with_a_reason_code_gives_the_exit_code_qemu_gives(uint reason)
    {
        string elf = ArmToolchain.Build("raw_exit.c", "OPERATION=0x18", $"PARAMETER=0x{reason:x}", "USE_BLOCK=0", "BLOCK0=0", "BLOCK1=0");
        int qemu = Qemu.Run(elf).ExitCode;

        using var rig = new SemihostingRig();
        var ours = rig.Call(Op.Exit, reason);

        Assert.Equal(qemu, ours.ExitCode!.Value & 0xFF);
    }

    [Theory]
    [InlineData(ApplicationExit, 0u)]
    [InlineData(ApplicationExit, 42u)]
    [InlineData(ApplicationExit, 300u)]
    [InlineData(RunTimeError, 42u)]
    public void SYS_EXIT_EXTENDED_gives_the_exit_code_qemu_gives(uint reason, uint subcode)
    {
        string elf = ArmToolchain.Build("raw_exit.c", "OPERATION=0x20", "PARAMETER=0", "USE_BLOCK=1", $"BLOCK0=0x{reason:x}", $"BLOCK1={subcode}u");
        int qemu = Qemu.Run(elf).ExitCode;

        using var rig = new SemihostingRig();
        var ours = rig.Call(Op.ExitExtended, rig.Block(reason, subcode));

        Assert.Equal(qemu, ours.ExitCode!.Value & 0xFF);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(3)]
    [InlineData(255)]
    [InlineData(-1)]
    public void Newlib_exit_n_gives_the_exit_code_qemu_gives(int status)
    {
        string elf = ArmToolchain.Build("exit_with.c", $"EXIT_STATUS=({status})");
        int qemu = Qemu.Run(elf).ExitCode;

        using var rig = new SemihostingRig();
        int? ours = NewlibKill(rig, ApplicationExit, (uint)status);

        Assert.Equal(qemu, ours!.Value & 0xFF);
        Assert.Equal(status & 0xFF, qemu);
    }

    [Fact]
    public void Newlib_abort_gives_the_exit_code_qemu_gives()
    {
        int qemu = Qemu.Run(ArmToolchain.Build("abort.c")).ExitCode;

        using var rig = new SemihostingRig();
        int? ours = NewlibKill(rig, RunTimeError, 6);

        Assert.Equal(qemu, ours!.Value & 0xFF);
        Assert.Equal(1, qemu);
    }

    [Fact]
    public void Console_channels_reach_the_same_host_streams_as_in_qemu()
    {
        var qemu = Qemu.Run(ArmToolchain.Build("console.c"));
        Assert.Equal(0, qemu.ExitCode);

        using var rig = new SemihostingRig();
        rig.Call(Op.Write0, rig.String("debug channel\n"));
        var (stdout, stderr) = NewlibConsoleHandles(rig);
        rig.Write(stdout, "stdout line\n");
        rig.Write(stderr, "stderr line\n");

        Assert.Equal(qemu.Stdout, rig.StdoutText);
        Assert.Equal(qemu.Stderr, rig.StderrText);
    }

    [Fact]
    public void Console_handles_report_the_same_length_and_terminal_state_as_qemu_on_pipes()
    {
        var qemu = Qemu.Run(ArmToolchain.Build("console_probe.c"));

        using var rig = new SemihostingRig();
        var ours = new System.Text.StringBuilder();
        foreach (int mode in new[] { 0, 4, 8 })
        {
            long handle = rig.Open(":tt", mode);
            ours.Append($"mode {mode}: flen {rig.Value(Op.FileLength, rig.Block((ulong)handle))} istty {rig.Value(Op.IsTty, rig.Block((ulong)handle))}\n");
        }

        Assert.Equal(qemu.Stdout, ours.ToString());
    }

    [Theory]
    [InlineData("", null)]
    [InlineData(",arg=prog,arg=-v,arg=3", "prog -v 3")]
    public void Get_cmdline_returns_what_qemu_returns_for_the_same_command_line(string qemuArguments, string? commandLine)
    {
        // With no arg=, QEMU reports the -kernel path exactly as given: `edgevisor run` should do the same.
        string elf = ArmToolchain.Build("cmdline.c");
        var qemu = Qemu.Run(elf, qemuArguments);

        using var rig = new SemihostingRig(o => o with { CommandLine = commandLine ?? elf });
        uint buffer = rig.Buffer(256);
        uint block = rig.Block(buffer, 256);
        long result = rig.Value(Op.GetCommandLine, block);
        string ours = $"[{rig.ReadCString(buffer)}] {rig.Field(block, 1)} {result}\n";

        Assert.Equal(qemu.Stdout, ours);
    }

    /// <summary>
    /// What newlib's _kill_shared does (checked against its disassembly in the built firmware):
    /// probe ":semihosting-features", then use SYS_EXIT_EXTENDED with (reason, status) when the
    /// EXIT_EXTENDED bit is set, else SYS_EXIT with the reason alone.
    /// </summary>
    private static int? NewlibKill(SemihostingRig rig, uint reason, uint status)
    {
        byte features = ReadFeatureByte(rig);
        return (features & 1) != 0
            ? rig.Call(Op.ExitExtended, rig.Block(reason, status)).ExitCode
            : rig.Call(Op.Exit, reason).ExitCode;
    }

    /// <summary>rdimon's initialise_monitor_handles: stdin, stdout, and stderr of its own only with the STDOUT_STDERR feature.</summary>
    private static (long Stdout, long Stderr) NewlibConsoleHandles(SemihostingRig rig)
    {
        rig.Open(":tt", 0);
        long stdout = rig.Open(":tt", 4);
        long stderr = (ReadFeatureByte(rig) & 2) != 0 ? rig.Open(":tt", 8) : stdout;
        return (stdout, stderr);
    }

    private static byte ReadFeatureByte(SemihostingRig rig)
    {
        long handle = rig.Open(":semihosting-features", 0);
        Assert.True(handle > 0);
        Assert.Equal(5, rig.Value(Op.FileLength, rig.Block((ulong)handle)));
        var (_, magic) = rig.Read(handle, 4);
        Assert.Equal("SHFB", magic);
        uint buffer = rig.Buffer(1);
        rig.Value(Op.Seek, rig.Block((ulong)handle, 4));
        rig.Value(Op.Read, rig.Block((ulong)handle, buffer, 1));
        rig.Close(handle);
        return rig.Memory.Read8(buffer);
    }
}
