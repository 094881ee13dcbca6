using System.Globalization;
using EdgeVisor.Protocol;
using EdgeVisor.Testing.Processes;
using EdgeVisor.Workloads.Containers.Bundles;

namespace EdgeVisor.Workloads.Tests.Containers.Bundles;

/// <summary>
/// Which image VOLUMEs a container gets (<see cref="ImageVolumes.Plan"/>) and how a new one is filled from the image
/// (<see cref="ImageVolumes.Populate"/>), on a root file system made in a temp directory.
/// </summary>
public sealed class ImageVolumesTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "ev-imagevol-" + Guid.NewGuid().ToString("N")[..8]);

    public ImageVolumesTests()
    {
        Directory.CreateDirectory(Rootfs);
    }

    private string Rootfs => Path.Combine(_directory, "rootfs");

    private string Volumes => Path.Combine(_directory, "volumes");

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void Paths_that_are_relative_climb_pass_a_link_or_a_file_or_meet_another_mount_get_no_volume_and_say_why()
    {
        Directory.CreateDirectory(Path.Combine(Rootfs, "srv"));
        File.CreateSymbolicLink(Path.Combine(Rootfs, "link"), "/etc");
        File.WriteAllText(Path.Combine(Rootfs, "srv", "file"), "x");
        var spec = new ContainerSpec { Volumes = [new VolumeSpec { Name = "cfg", Path = "/cfg" }], Tmpfs = ["/scratch/tmp"] };

        var (volumes, ignored) = ImageVolumes.Plan(
            ["srv/data", "/srv/../etc", "/", "/cfg/sub", "/scratch", "/proc/x", "/etc/hosts", "/link/data", "/srv/file", "/srv/new", "/srv/new/"],
            ContainerMounts.Taken(spec), Rootfs, Volumes);

        Assert.Equal(
        [
            "image volume 'srv/data' ignored: not an absolute path",
            "image volume '/srv/../etc' ignored: '.' or '..' in the path could lead out of the container's root",
            "image volume '/' ignored: the root itself cannot be a volume",
            "image volume '/cfg/sub' ignored: the spec's volume 'cfg' is mounted at /cfg",
            "image volume '/scratch' ignored: it would hide the spec's tmpfs at /scratch/tmp",
            "image volume '/proc/x' ignored: the runtime's proc is mounted at /proc",
            "image volume '/etc/hosts' ignored: the network's hosts file is mounted at /etc/hosts",
            "image volume '/link/data' ignored: /link is a symbolic link in the image (it could point anywhere)",
            "image volume '/srv/file' ignored: /srv/file is a file in the image, not a directory",
        ], ignored);
        var volume = Assert.Single(volumes);
        Assert.Equal("/srv/new", volume.Path);
        Assert.Equal(Path.Combine(Volumes, ImageVolumes.Subdirectory, ImageVolumes.NameOf("/srv/new")), volume.Directory);
    }

    [Fact]
    public void Names_come_from_the_path_and_differ_where_the_paths_do()
    {
        Assert.StartsWith("var-lib-app_data-", ImageVolumes.NameOf("/var/lib/app data"), StringComparison.Ordinal);
        Assert.StartsWith("a-b-", ImageVolumes.NameOf("/a/b"), StringComparison.Ordinal);
        Assert.NotEqual(ImageVolumes.NameOf("/a-b"), ImageVolumes.NameOf("/a/b"));
        Assert.Equal(ImageVolumes.NameOf("/a/b"), ImageVolumes.NameOf("/a/b"));
    }

    [Fact]
    public void A_new_volume_is_a_copy_of_the_images_content_with_owners_modes_and_links_and_an_existing_one_is_left_alone()
    {
        string data = Path.Combine(Rootfs, "data");
        Directory.CreateDirectory(Path.Combine(data, "sub"));
        File.WriteAllText(Path.Combine(data, "sub", "seed"), "seed");
        File.CreateSymbolicLink(Path.Combine(data, "passwd"), "/etc/passwd");
        Own(Path.Combine(data, "sub", "seed"), "1000:1001", "440");
        Own(data, "1000:1000", "700");
        var (volumes, _) = ImageVolumes.Plan(["/data", "/empty"], [], Rootfs, Volumes);
        var user = new ContainerUser(1234, 1235, [], null);

        foreach (var volume in volumes)
        {
            ImageVolumes.Populate(volume, Rootfs, user);
        }

        string copy = volumes.Single(v => v.Path == "/data").Directory;
        Assert.Equal("seed", File.ReadAllText(Path.Combine(copy, "sub", "seed")));
        Assert.Equal((1000u, 1001u, "440"), Owner(Path.Combine(copy, "sub", "seed")));
        Assert.Equal((1000u, 1000u, "700"), Owner(copy));
        Assert.Equal("/etc/passwd", new FileInfo(Path.Combine(copy, "passwd")).LinkTarget);
        Assert.Equal((1234u, 1235u, "755"), Owner(volumes.Single(v => v.Path == "/empty").Directory));

        File.WriteAllText(Path.Combine(copy, "sub", "seed"), "the workload's own");
        File.WriteAllText(Path.Combine(data, "sub", "seed"), "a newer image");
        ImageVolumes.Populate(volumes.Single(v => v.Path == "/data"), Rootfs, user);

        Assert.Equal("the workload's own", File.ReadAllText(Path.Combine(copy, "sub", "seed")));
        Assert.Equal(2, Directory.GetDirectories(Path.Combine(Volumes, ImageVolumes.Subdirectory)).Length); // no temporary left
    }

    private static void Own(string path, string owner, string mode)
    {
        Assert.Equal(0, ProcessRunner.Run("chown", [owner, path], "/", TimeSpan.FromSeconds(10)).ExitCode);
        Assert.Equal(0, ProcessRunner.Run("chmod", [mode, path], "/", TimeSpan.FromSeconds(10)).ExitCode);
    }

    private static (uint Uid, uint Gid, string Mode) Owner(string path)
    {
        var result = ProcessRunner.Run("stat", ["-c", "%u %g %a", path], "/", TimeSpan.FromSeconds(10));
        string[] parts = ProcessRunner.AsText(result.Stdout).Trim().Split(' ');
        return (uint.Parse(parts[0], CultureInfo.InvariantCulture), uint.Parse(parts[1], CultureInfo.InvariantCulture), parts[2]);
    }
}
