using EdgeVisor.Emulation.Semihosting;
using Op = EdgeVisor.Emulation.Semihosting.SemihostingOperation;

namespace EdgeVisor.Emulation.Tests.Semihosting;

public sealed class SemihostingConsoleTests
{
    [Fact]
    public void Write0_and_WriteC_go_to_stderr_by_default_like_qemu()
    {
        using var rig = new SemihostingRig();

        Assert.Equal(0, rig.Value(Op.Write0, rig.String("hello, ")));
        rig.Call(Op.WriteC, rig.String("W"));
        rig.Call(Op.WriteC, rig.String("\n"));

        Assert.Equal("hello, W\n", rig.StderrText);
        Assert.Equal("", rig.StdoutText);
    }

    [Fact]
    public void Write0_and_WriteC_go_to_the_debug_console_when_one_is_given()
    {
        var debug = new MemoryStream();
        using var rig = new SemihostingRig(o => o with { DebugConsole = debug });

        rig.Call(Op.Write0, rig.String("dbg"));
        rig.Call(Op.WriteC, rig.String("!"));

        Assert.Equal("dbg!", System.Text.Encoding.ASCII.GetString(debug.ToArray()));
        Assert.Equal("", rig.StderrText);
    }

    [Theory]
    [InlineData(4)]
    [InlineData(5)]
    [InlineData(6)]
    [InlineData(7)]
    public void Tt_opened_for_writing_is_stdout(int mode)
    {
        using var rig = new SemihostingRig();
        long handle = rig.Open(":tt", mode);

        Assert.True(handle > 0);
        Assert.Equal(0, rig.Write(handle, "to stdout\n"));
        Assert.Equal("to stdout\n", rig.StdoutText);
        Assert.Equal("", rig.StderrText);
    }

    [Theory]
    [InlineData(8)]
    [InlineData(9)]
    [InlineData(10)]
    [InlineData(11)]
    public void Tt_opened_for_appending_is_stderr(int mode)
    {
        using var rig = new SemihostingRig();
        long handle = rig.Open(":tt", mode);

        Assert.Equal(0, rig.Write(handle, "to stderr\n"));
        Assert.Equal("to stderr\n", rig.StderrText);
        Assert.Equal("", rig.StdoutText);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Tt_opened_for_reading_is_stdin_and_returns_the_bytes_not_read(int mode)
    {
        using var rig = new SemihostingRig(stdin: "typed line\n");
        long handle = rig.Open(":tt", mode);

        Assert.Equal((5, "typed line\n"), rig.Read(handle, 16));
        Assert.Equal((16, ""), rig.Read(handle, 16));
    }

    [Fact]
    public void Handles_start_at_one_and_the_lowest_free_number_is_reused()
    {
        using var rig = new SemihostingRig();

        Assert.Equal(1, rig.Open(":tt", 0));
        Assert.Equal(2, rig.Open(":tt", 4));
        Assert.Equal(3, rig.Open(":tt", 8));
        Assert.Equal(0, rig.Close(2));
        Assert.Equal(2, rig.Open(":tt", 4));
        Assert.Equal(4, rig.Open(":semihosting-features", 0));
    }

    [Fact]
    public void Writing_to_stdin_or_reading_stdout_transfers_nothing_and_sets_ebadf()
    {
        using var rig = new SemihostingRig(stdin: "abc");
        long stdin = rig.Open(":tt", 0);
        long stdout = rig.Open(":tt", 4);

        Assert.Equal(3, rig.Write(stdin, "xyz"));
        Assert.Equal(9, rig.Errno);
        Assert.Equal((4, ""), rig.Read(stdout, 4));
        Assert.Equal(9, rig.Errno);
        Assert.Equal("", rig.StdoutText);
    }

    [Fact]
    public void ReadC_returns_stdin_bytes_then_minus_one_at_the_end()
    {
        using var rig = new SemihostingRig(stdin: "ok");

        Assert.Equal('o', rig.Value(Op.ReadC, 0));
        Assert.Equal('k', rig.Value(Op.ReadC, 0));
        Assert.Equal(-1, rig.Value(Op.ReadC, 0));
    }

    [Fact]
    public void Without_console_streams_output_is_dropped_and_input_is_at_its_end()
    {
        using var rig = new SemihostingRig(o => o with { Stdin = null, Stdout = null, Stderr = null });

        Assert.Equal(0, rig.Write(rig.Open(":tt", 4), "lost"));
        Assert.Equal(0, rig.Value(Op.Write0, rig.String("lost too")));
        Assert.Equal((8, ""), rig.Read(rig.Open(":tt", 0), 8));
        Assert.Equal(-1, rig.Value(Op.ReadC, 0));
    }

    [Fact]
    public void IsTty_reports_what_the_options_say_about_each_console_stream()
    {
        using var rig = new SemihostingRig(o => o with { StdoutIsTerminal = true });

        Assert.Equal(0, rig.Value(Op.IsTty, rig.Block((ulong)rig.Open(":tt", 0))));
        Assert.Equal(25, rig.Errno);
        Assert.Equal(1, rig.Value(Op.IsTty, rig.Block((ulong)rig.Open(":tt", 4))));
        Assert.Equal(0, rig.Value(Op.IsTty, rig.Block((ulong)rig.Open(":tt", 8))));
        Assert.Equal(-1, rig.Value(Op.IsTty, rig.Block(77)));
        Assert.Equal(9, rig.Errno);
    }

    [Fact]
    public void Consoles_cannot_seek_but_report_length_zero_so_newlib_fstat_works()
    {
        using var rig = new SemihostingRig();
        long handle = rig.Open(":tt", 4);

        Assert.Equal(-1, rig.Value(Op.Seek, rig.Block((ulong)handle, 0)));
        Assert.Equal(29, rig.Errno);
        Assert.Equal(0, rig.Value(Op.FileLength, rig.Block((ulong)handle)));
        Assert.Equal(0, rig.Value(Op.FileLength, rig.Block((ulong)rig.Open(":tt", 0))));
    }

    [Fact]
    public void The_features_file_announces_extended_exit_and_separate_stderr()
    {
        using var rig = new SemihostingRig();
        long handle = rig.Open(":semihosting-features", 0);

        Assert.Equal(5, rig.Value(Op.FileLength, rig.Block((ulong)handle)));
        Assert.Equal((0, "SHFB"), rig.Read(handle, 4));
        Assert.Equal(0, rig.Value(Op.Seek, rig.Block((ulong)handle, 4)));
        uint buffer = rig.Buffer(1);
        Assert.Equal(0, rig.Value(Op.Read, rig.Block((ulong)handle, buffer, 1)));
        Assert.Equal(0x03, rig.Memory.Read8(buffer));
        Assert.Equal(1, rig.Value(Op.Read, rig.Block((ulong)handle, buffer, 1)));
        Assert.Equal(1, rig.Write(handle, "x"));
        Assert.Equal(0, rig.Close(handle));
    }

    [Fact]
    public void The_features_file_cannot_be_opened_for_writing()
    {
        using var rig = new SemihostingRig();
        Assert.Equal(-1, rig.Open(":semihosting-features", 4));
        Assert.Equal(13, rig.Errno);
    }
}
