using EdgeVisor.Testing.Processes;

namespace EdgeVisor.Emulation.Linux.Tests.Processes;

/// <summary>
/// A real third-party shell: Debian's busybox-static for arm64 runs pipelines (fork, pipes, execve of itself, wait)
/// under edgevisor, compared with the host's busybox running the same script. The package is fetched once with
/// apt-get download into a cache directory (the arm64 architecture is added to dpkg on this machine and in CI).
/// </summary>
public sealed class BusyboxShellTests
{
    private static readonly string CacheDirectory = Path.Combine(Path.GetTempPath(), "edgevisor-busybox-arm64");
    private static readonly Lock FetchLock = new();

    private static string GuestBusybox()
    {
        string busybox = Path.Combine(CacheDirectory, "bin", "busybox");
        lock (FetchLock)
        {
            if (File.Exists(busybox))
            {
                return busybox;
            }

            Directory.CreateDirectory(CacheDirectory);
            var download = ProcessRunner.Run("apt-get", ["download", "busybox-static:arm64"], CacheDirectory, TimeSpan.FromMinutes(2));
            Assert.True(download.ExitCode == 0, $"{download.CommandLine} failed: {download.Stderr}");
            string package = Directory.GetFiles(CacheDirectory, "busybox-static_*_arm64.deb").Single();
            var extract = ProcessRunner.Run("dpkg-deb", ["-x", package, CacheDirectory], CacheDirectory, TimeSpan.FromMinutes(1));
            Assert.True(extract.ExitCode == 0, $"{extract.CommandLine} failed: {extract.Stderr}");
            return busybox;
        }
    }

    private static string Script(string busybox) =>
        $"echo hello world | {busybox} tr a-z A-Z | {busybox} wc -c; {busybox} seq 1 5 | {busybox} sort -r | {busybox} head -n 2; " +
        $"x=$(echo sub | {busybox} tr a-z A-Z); echo \"$x\"; ( exit 4 ); echo status $?; exit 3";

    [Fact]
    public async Task Busybox_sh_pipelines_and_subshells_match_the_host_busybox()
    {
        string busybox = GuestBusybox();
        var host = await ProcessRunner.RunAsync("busybox", ["sh", "-c", Script("busybox")], CacheDirectory, TimeSpan.FromSeconds(30));
        var ours = await EdgeVisorRunner.EdgeVisorAsync(busybox, ["sh", "-c", Script(busybox)]);
        Assert.False(ours.TimedOut, $"{ours.CommandLine} timed out; stderr: {ours.Stderr}");
        Assert.True(host.Stdout.AsSpan().SequenceEqual(ours.Stdout),
            $"--- host busybox ---\n{EdgeVisorRunner.Text(host)}--- edgevisor ---\n{EdgeVisorRunner.Text(ours)}--- stderr ---\n{ours.Stderr}");
        Assert.Equal(host.ExitCode, ours.ExitCode);
    }
}
