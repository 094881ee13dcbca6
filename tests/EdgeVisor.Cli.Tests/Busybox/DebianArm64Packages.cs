using EdgeVisor.Testing.Processes;

namespace EdgeVisor.Cli.Tests.Busybox;

/// <summary>
/// Real third-party AArch64 binaries: Debian's arm64 packages fetched with <c>apt-get download</c> (the arm64
/// architecture must be known to dpkg, as the Test target arranges) and unpacked with <c>dpkg-deb -x</c> into a folder
/// under the test output, once per test run.
/// </summary>
public static class DebianArm64Packages
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(3);
    private static readonly Lazy<Task<string>> Unpacked = new(FetchAsync);

    /// <summary>The packages the tests use.</summary>
    public static readonly IReadOnlyList<string> Packages = ["busybox-static:arm64", "hello:arm64"];

    /// <summary>Root of the unpacked packages (usr/bin/hello, bin/busybox …).</summary>
    public static Task<string> RootAsync() => Unpacked.Value;

    private static async Task<string> FetchAsync()
    {
        string cache = Path.Combine(AppContext.BaseDirectory, "arm64-packages");
        string root = Path.Combine(cache, "root");
        string done = Path.Combine(cache, "complete");
        if (File.Exists(done))
        {
            return root;
        }

        Directory.CreateDirectory(cache);
        ProcessResult download = await ProcessRunner.RunAsync("apt-get", ["download", .. Packages], cache, Timeout);
        if (download.ExitCode != 0)
        {
            throw new InvalidOperationException(
                $"apt-get download {string.Join(' ', Packages)} failed ({download.ExitCode}); the arm64 architecture must be " +
                $"enabled: sudo dpkg --add-architecture arm64 && sudo apt-get update ('dotnet cake --target=Test' does this)\n{download.Stderr}");
        }

        foreach (string deb in Directory.GetFiles(cache, "*.deb"))
        {
            ProcessResult unpack = await ProcessRunner.RunAsync("dpkg-deb", ["-x", deb, root], cache, Timeout);
            if (unpack.ExitCode != 0)
            {
                throw new InvalidOperationException($"dpkg-deb -x {deb} failed: {unpack.Stderr}");
            }
        }

        await File.WriteAllTextAsync(done, string.Join('\n', Packages));
        return root;
    }
}
