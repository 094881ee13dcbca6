using EdgeVisor.Emulation.Semihosting;
using Op = EdgeVisor.Emulation.Semihosting.SemihostingOperation;

namespace EdgeVisor.Emulation.Tests.Semihosting;

public sealed class SemihostingFileTests : IDisposable
{
    private readonly DirectoryInfo _root = Directory.CreateTempSubdirectory("edgevisor-semihosting-");

    public void Dispose() => _root.Delete(recursive: true);

    private SemihostingRig Rooted() => new(o => o with { FileRoot = _root.FullName });

    private string HostPath(string name) => Path.Combine(_root.FullName, name);

    [Fact]
    public void A_file_written_by_the_firmware_can_be_read_back_sought_and_measured()
    {
        using var rig = Rooted();
        long w = rig.Open("log.txt", 4);
        Assert.Equal(0, rig.Write(w, "hello file"));
        Assert.Equal(0, rig.Close(w));
        Assert.Equal("hello file", File.ReadAllText(HostPath("log.txt")));

        long r = rig.Open("log.txt", 1);
        Assert.Equal(10, rig.Value(Op.FileLength, rig.Block((ulong)r)));
        Assert.Equal(0, rig.Value(Op.Seek, rig.Block((ulong)r, 6)));
        Assert.Equal((12, "file"), rig.Read(r, 16));
        Assert.Equal((16, ""), rig.Read(r, 16));
        Assert.Equal(0, rig.Value(Op.Seek, rig.Block((ulong)r, 100)));
        Assert.Equal(0, rig.Value(Op.IsTty, rig.Block((ulong)r)));
        Assert.Equal(0, rig.Close(r));
    }

    [Fact]
    public void Modes_follow_fopen_truncate_append_and_update()
    {
        File.WriteAllText(HostPath("data.txt"), "0123456789");
        using var rig = Rooted();

        long append = rig.Open("data.txt", 8);
        Assert.Equal(0, rig.Write(append, "AB"));
        rig.Close(append);
        Assert.Equal("0123456789AB", File.ReadAllText(HostPath("data.txt")));

        long update = rig.Open("data.txt", 2);
        Assert.Equal(0, rig.Value(Op.Seek, rig.Block((ulong)update, 2)));
        Assert.Equal(0, rig.Write(update, "xy"));
        Assert.Equal(0, rig.Value(Op.Seek, rig.Block((ulong)update, 0)));
        Assert.Equal((0, "01xy"), rig.Read(update, 4));
        rig.Close(update);

        long appendRead = rig.Open("data.txt", 10);
        Assert.Equal((0, "01xy"), rig.Read(appendRead, 4));
        Assert.Equal(0, rig.Write(appendRead, "!"));
        rig.Close(appendRead);
        Assert.Equal("01xy456789AB!", File.ReadAllText(HostPath("data.txt")));

        long truncate = rig.Open("data.txt", 6);
        Assert.Equal(0, rig.Value(Op.FileLength, rig.Block((ulong)truncate)));
        rig.Close(truncate);
    }

    [Fact]
    public void Reading_a_write_only_file_transfers_nothing_with_ebadf()
    {
        using var rig = Rooted();
        long w = rig.Open("w.txt", 4);

        Assert.Equal((8, ""), rig.Read(w, 8));
        Assert.Equal(9, rig.Errno);
    }

    [Fact]
    public void Opening_a_missing_file_fails_with_enoent_and_a_bad_mode_with_einval()
    {
        using var rig = Rooted();

        Assert.Equal(-1, rig.Open("missing.txt", 0));
        Assert.Equal(2, rig.Errno);
        Assert.Equal(-1, rig.Open("x.txt", 12));
        Assert.Equal(22, rig.Errno);
        Assert.Equal(-1, rig.Open("", 0));
        Assert.Equal(2, rig.Errno);
    }

    [Fact]
    public void Closing_twice_or_using_an_unknown_handle_is_ebadf()
    {
        using var rig = Rooted();
        long h = rig.Open("c.txt", 4);

        Assert.Equal(0, rig.Close(h));
        Assert.Equal(-1, rig.Close(h));
        Assert.Equal(9, rig.Errno);
        Assert.Equal(-1, rig.Close(0));
        Assert.Equal(5, rig.Write(h, "lost!"));
        Assert.Equal(-1, rig.Value(Op.FileLength, rig.Block((ulong)h)));
        Assert.Equal(-1, rig.Value(Op.Seek, rig.Block(12345, 0)));
        Assert.Equal(9, rig.Errno);
    }

    [Fact]
    public void Remove_and_rename_change_host_files_and_report_missing_ones()
    {
        File.WriteAllText(HostPath("a.txt"), "A");
        File.WriteAllText(HostPath("b.txt"), "B");
        using var rig = Rooted();

        Assert.Equal(0, rig.Value(Op.Rename, rig.Block(rig.String("a.txt"), 5, rig.String("b.txt"), 5)));
        Assert.Equal("A", File.ReadAllText(HostPath("b.txt")));
        Assert.False(File.Exists(HostPath("a.txt")));
        Assert.Equal(0, rig.Value(Op.Remove, rig.Block(rig.String("b.txt"), 5)));
        Assert.False(File.Exists(HostPath("b.txt")));

        Assert.Equal(-1, rig.Value(Op.Remove, rig.Block(rig.String("b.txt"), 5)));
        Assert.Equal(2, rig.Errno);
        Assert.Equal(-1, rig.Value(Op.Rename, rig.Block(rig.String("nope"), 4, rig.String("b.txt"), 5)));
        Assert.Equal(2, rig.Errno);
    }

    [Fact]
    public void A_file_root_keeps_the_firmware_inside_it()
    {
        File.WriteAllText(HostPath("inside.txt"), "in");
        using var rig = Rooted();

        Assert.True(rig.Open("/inside.txt", 0) > 0);
        Assert.True(rig.Open("sub/../inside.txt", 0) > 0);
        Assert.Equal(-1, rig.Open("../outside.txt", 4));
        Assert.Equal(13, rig.Errno);
        Assert.Equal(-1, rig.Value(Op.Remove, rig.Block(rig.String("../../etc/passwd"), 16)));
        Assert.Equal(13, rig.Errno);
        Assert.False(File.Exists(Path.Combine(_root.Parent!.FullName, "outside.txt")));
    }

    [Fact]
    public void Without_a_root_names_are_host_paths_as_in_qemu()
    {
        using var rig = new SemihostingRig();
        string path = HostPath("absolute.txt");

        long h = rig.Open(path, 4);
        Assert.Equal(0, rig.Write(h, "abs"));
        rig.Close(h);

        Assert.Equal("abs", File.ReadAllText(path));
    }

    [Fact]
    public void Refusing_file_access_keeps_the_console_working()
    {
        using var rig = new SemihostingRig(o => o with { AllowFileAccess = false });

        Assert.Equal(-1, rig.Open(HostPath("x.txt"), 4));
        Assert.Equal(13, rig.Errno);
        Assert.Equal(-1, rig.Value(Op.Remove, rig.Block(rig.String("x"), 1)));
        Assert.False(File.Exists(HostPath("x.txt")));
        Assert.True(rig.Open(":tt", 4) > 0);
    }

    [Fact]
    public void TmpNam_writes_a_usable_name_or_fails_when_the_buffer_is_too_small()
    {
        using var rig = Rooted();
        uint buffer = rig.Buffer(64);

        Assert.Equal(0, rig.Value(Op.TempName, rig.Block(buffer, 7, 64)));
        string name = rig.ReadCString(buffer);
        long h = rig.Open(name, 4);
        Assert.True(h > 0);
        rig.Close(h);
        Assert.True(File.Exists(HostPath(name)));

        uint small = rig.Buffer(4);
        Assert.Equal(-1, rig.Value(Op.TempName, rig.Block(small, 7, 4)));
        Assert.Equal(new byte[] { 0xCC, 0xCC, 0xCC, 0xCC }, rig.Read(small, 4));
    }

    [Fact]
    public void A_large_transfer_moves_every_byte()
    {
        using var rig = Rooted();
        var content = Enumerable.Range(0, 40_000).Select(i => (byte)(i * 7)).ToArray();
        File.WriteAllBytes(HostPath("big.bin"), content);
        long r = rig.Open("big.bin", 1);
        uint buffer = rig.Buffer(40_000);

        Assert.Equal(0, rig.Value(Op.Read, rig.Block((ulong)r, buffer, 40_000)));
        Assert.Equal(content, rig.Read(buffer, 40_000));

        long w = rig.Open("copy.bin", 5);
        Assert.Equal(0, rig.Value(Op.Write, rig.Block((ulong)w, buffer, 40_000)));
        rig.Close(w);
        Assert.Equal(content, File.ReadAllBytes(HostPath("copy.bin")));
    }
}
