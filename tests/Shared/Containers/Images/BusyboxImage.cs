using EdgeVisor.Testing.Processes;
using EdgeVisor.Workloads.Containers.Images;

namespace EdgeVisor.Tests.Containers.Images;

/// <summary>
/// A small runnable image: a static busybox with the applets tests use as symlinks, /etc/passwd and /etc/group
/// with root and <c>app</c> (uid/gid 1000), /tmp 1777. <see cref="Create"/> uses this machine's
/// /bin/busybox (Debian's busybox-static); <see cref="Arm64Async"/> the arm64 build of the same package, for index
/// tests. The base layer is built once per process and shared.
/// </summary>
public static class BusyboxImage
{
    /// <summary>The host's static busybox (package busybox-static).</summary>
    public const string HostBusybox = "/bin/busybox";

    /// <summary>The applets linked into /bin (all of them are in Debian's busybox-static).</summary>
    public static readonly IReadOnlyList<string> Applets =
    [
        "sh", "ash", "sleep", "echo", "cat", "ls", "touch", "id", "hostname", "nc", "wget", "dd", "head", "tail",
        "true", "false", "ps", "kill", "mkdir", "rm", "env", "grep", "sed", "awk", "stat", "wc", "test", "[",
        "printf", "pwd", "date", "whoami", "seq", "sort", "uname", "df", "cp", "mv", "ln", "chmod", "chown",
        "mount", "umount", "ip", "ifconfig", "route", "nslookup", "ping", "httpd", "tr", "timeout", "mkfifo",
        "readlink", "find", "du", "free", "nproc", "md5sum", "sha256sum", "xargs", "tee", "cut", "od", "yes",
        "usleep", "watch", "top", "which", "hexdump", "netstat", "setsid", "cmp", "diff",
    ];

    private static readonly Lazy<BuiltLayer> HostBase = new(() => BaseLayer(File.ReadAllBytes(RequireHostBusybox())).Build());
    private static readonly Lazy<Task<BuiltLayer>> Arm64Base = new(async () => BaseLayer(await File.ReadAllBytesAsync(await Arm64BusyboxAsync())).Build());

    /// <summary>The default run configuration: <c>sh</c> with PATH set; vary it with <c>with</c> through <paramref name="configure"/>.</summary>
    public static TestImage Template { get; } = new()
    {
        Cmd = ["/bin/sh"],
        Env = ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"],
    };

    /// <summary>The busybox image for this machine, with <paramref name="extraLayers"/> on top and the run configuration <paramref name="configure"/> makes of <see cref="Template"/>.</summary>
    public static BuiltImage Create(IEnumerable<TestLayer>? extraLayers = null, Func<TestImage, TestImage>? configure = null)
    {
        TestImage image = configure is null ? Template : configure(Template);
        return image.Build([HostBase.Value, .. (extraLayers ?? []).Select(layer => layer.Build())]);
    }

    /// <summary>The same image for linux/arm64 (Debian's busybox-static:arm64, fetched with apt-get download once per test run).</summary>
    public static async Task<BuiltImage> Arm64Async(IEnumerable<TestLayer>? extraLayers = null, Func<TestImage, TestImage>? configure = null)
    {
        TestImage image = (configure is null ? Template : configure(Template)) with { Platform = new Platform { Os = "linux", Architecture = "arm64" } };
        return image.Build([await Arm64Base.Value, .. (extraLayers ?? []).Select(layer => layer.Build())]);
    }

    /// <summary>The root file system layer around a busybox binary.</summary>
    public static TestLayer BaseLayer(byte[] busybox)
    {
        var layer = new TestLayer()
            .Directory("bin")
            .File("bin/busybox", busybox, mode: 755);
        foreach (string applet in Applets)
        {
            layer.Symlink("bin/" + applet, "busybox");
        }

        return layer
            .Directory("dev")
            .Directory("proc")
            .Directory("sys")
            .Directory("etc")
            .File("etc/passwd", "root:x:0:0:root:/root:/bin/sh\napp:x:1000:1000:app:/home/app:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n")
            .File("etc/group", "root:x:0:\napp:x:1000:\nnogroup:x:65534:\n")
            .Directory("root", mode: 700)
            .Directory("home")
            .Directory("home/app", mode: 755, uid: 1000, gid: 1000)
            .Directory("tmp", mode: 1777)
            .Directory("usr")
            .Directory("usr/bin")
            .Symlink("usr/bin/env", "/bin/busybox")
            .Directory("var")
            .Directory("var/log")
            .Directory("run");
    }

    private static string RequireHostBusybox() =>
        File.Exists(HostBusybox)
            ? HostBusybox
            : throw new InvalidOperationException($"{HostBusybox} is missing: install the busybox-static package (apt-get install busybox-static)");

    private static async Task<string> Arm64BusyboxAsync()
    {
        string cache = Path.Combine(AppContext.BaseDirectory, "arm64-busybox-image");
        string busybox = Path.Combine(cache, "root", "bin", "busybox");
        if (File.Exists(busybox))
        {
            return busybox;
        }

        // A fresh folder per attempt: parallel test processes never see a half-unpacked package.
        string work = Path.Combine(cache, "work-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(work);
        try
        {
            TimeSpan timeout = TimeSpan.FromMinutes(3);
            ProcessResult download = await ProcessRunner.RunAsync("apt-get", ["download", "busybox-static:arm64"], work, timeout);
            string? deb = Directory.GetFiles(work, "*.deb").FirstOrDefault();
            if (download.ExitCode != 0 || deb is null)
            {
                throw new InvalidOperationException(
                    $"apt-get download busybox-static:arm64 failed ({download.ExitCode}); the arm64 architecture must be enabled: " +
                    $"dpkg --add-architecture arm64 && apt-get update ('dotnet cake --target=Test' does this)\n{download.Stderr}");
            }

            ProcessResult unpack = await ProcessRunner.RunAsync("dpkg-deb", ["-x", deb, Path.Combine(work, "root")], work, timeout);
            if (unpack.ExitCode != 0)
            {
                throw new InvalidOperationException($"dpkg-deb -x {deb} failed: {unpack.Stderr}");
            }

            try
            {
                Directory.Move(Path.Combine(work, "root"), Path.Combine(cache, "root"));
            }
            catch (IOException) when (File.Exists(busybox))
            {
                // another test process got there first
            }

            return busybox;
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }
}
