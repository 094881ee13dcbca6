using System.Text;

namespace EdgeVisor.Workloads.Tests.Logs;

public sealed class WorkloadLogTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("edgevisor-log-tests-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void Lines_split_across_writes_are_whole_and_announced_once_each()
    {
        using var log = new WorkloadLog(_directory);
        var announced = new List<string>();
        log.LineWritten += announced.Add;

        log.Write("tick 1\r\ntick"u8);
        log.Write(" 2\nt=2"u8);
        // "°" is two bytes in UTF-8; a write may end between them.
        byte[] degrees = Encoding.UTF8.GetBytes("1.5 °C\n");
        log.Write(degrees.AsSpan(0, 5));
        log.Write(degrees.AsSpan(5));

        Assert.Equal(["tick 1", "tick 2", "t=21.5 °C"], announced);
        Assert.Equal(["tick 2", "t=21.5 °C"], log.Tail(2));
        Assert.Equal("tick 1\r\ntick 2\nt=21.5 °C\n", File.ReadAllText(log.CurrentFile));
    }

    [Fact]
    public void Files_rotate_at_their_size_limit_and_only_the_newest_are_kept()
    {
        using var log = new WorkloadLog(_directory, maxFileBytes: 100, filesKept: 3, tailLines: 5);
        for (int i = 0; i < 100; i++)
        {
            log.Write(Encoding.UTF8.GetBytes($"line {i:D3} of the console\n"));   // 25 bytes each
        }

        var files = Directory.GetFiles(_directory).Select(f => Path.GetFileName(f)).Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(["console.log", "console.log.1", "console.log.2"], files);
        Assert.All(files, f => Assert.True(new FileInfo(Path.Combine(_directory, f)).Length <= 100, $"{f} is larger than the limit"));

        // More lines than the memory tail holds come from the files, oldest first, ending with the newest line.
        var tail = log.Tail(8);
        Assert.Equal(Enumerable.Range(92, 8).Select(i => $"line {i:D3} of the console"), tail);
    }

    [Fact]
    public void A_restarted_agent_reads_the_lines_of_the_previous_run_from_the_files()
    {
        using (var first = new WorkloadLog(_directory))
        {
            first.Write("before the restart\n"u8);
        }

        using var second = new WorkloadLog(_directory);
        second.Write("after the restart\n"u8);

        Assert.Equal(["before the restart", "after the restart"], second.Tail(5));
    }
}
