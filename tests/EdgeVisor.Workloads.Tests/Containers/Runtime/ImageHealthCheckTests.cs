using EdgeVisor.Protocol;
using EdgeVisor.Workloads.Containers.Images;
using EdgeVisor.Workloads.Containers.Runtime;

namespace EdgeVisor.Workloads.Tests.Containers.Runtime;

/// <summary>An image's HEALTHCHECK as the driver resolves it: the spec's check wins, Docker's defaults, strict fields.</summary>
public sealed class ImageHealthCheckTests
{
    private const string Image = "oci://registry.local/app:1";

    [Fact]
    public void Cmd_shell_runs_through_bin_sh_with_the_images_durations()
    {
        var check = ImageHealthCheck.FromImage(new ImageHealthcheck
        {
            Test = ["CMD-SHELL", "wget -q -O- http://127.0.0.1/ || exit 1"],
            Interval = 5_000_000_000,
            Timeout = 1_500_000_000,
            StartPeriod = 20_000_000_000,
            Retries = 5,
        }, Image);

        Assert.NotNull(check);
        Assert.Equal(["/bin/sh", "-c", "wget -q -O- http://127.0.0.1/ || exit 1"], check.Exec);
        Assert.Null(check.TcpPort);
        Assert.Equal((5, 1.5, 20, 5), (check.IntervalSeconds, check.TimeoutSeconds, check.StartPeriodSeconds, check.Retries));
    }

    [Fact]
    public void Cmd_runs_its_arguments_and_zero_durations_take_dockers_defaults()
    {
        var check = ImageHealthCheck.FromImage(new ImageHealthcheck { Test = ["CMD", "/bin/check", "--quick"] }, Image);

        Assert.NotNull(check);
        Assert.Equal(["/bin/check", "--quick"], check.Exec);
        Assert.Equal((30, 30, 0, 3), (check.IntervalSeconds, check.TimeoutSeconds, check.StartPeriodSeconds, check.Retries));
    }

    [Fact]
    public void None_an_empty_test_or_no_healthcheck_mean_no_check()
    {
        Assert.Null(ImageHealthCheck.FromImage(new ImageHealthcheck { Test = ["NONE"] }, Image));
        Assert.Null(ImageHealthCheck.FromImage(new ImageHealthcheck { Test = [] }, Image));
        Assert.Null(ImageHealthCheck.FromImage(null, Image));
    }

    [Fact]
    public void The_specs_check_wins_over_the_images()
    {
        var own = new HealthCheckSpec { TcpPort = 8080 };
        var image = ConfigWith(new ImageHealthcheck { Test = ["CMD", "true"] });

        Assert.Same(own, ImageHealthCheck.Resolve(new ContainerSpec { HealthCheck = own }, image, Image));
        Assert.Equal(["true"], ImageHealthCheck.Resolve(new ContainerSpec(), image, Image)?.Exec);
        Assert.Null(ImageHealthCheck.Resolve(new ContainerSpec(), ConfigWith(null), Image));
    }

    [Theory]
    [InlineData("Test", new[] { "SHELL", "true" }, 0L, 0)]
    [InlineData("Test", new[] { "CMD" }, 0L, 0)]
    [InlineData("Test", new[] { "CMD-SHELL" }, 0L, 0)]
    [InlineData("Test", new[] { "CMD-SHELL", "a", "b" }, 0L, 0)]
    [InlineData("Test", new[] { "NONE", "true" }, 0L, 0)]
    [InlineData("Interval", new[] { "CMD", "true" }, -1L, 0)]
    [InlineData("Retries", new[] { "CMD", "true" }, 0L, -2)]
    public void A_malformed_field_is_refused_naming_the_image_and_the_field(string field, string[] test, long interval, int retries)
    {
        var declared = new ImageHealthcheck { Test = test, Interval = interval, Retries = retries };

        var error = Assert.Throws<ImageConfigException>(() => ImageHealthCheck.Resolve(new ContainerSpec(), ConfigWith(declared), Image));

        Assert.StartsWith($"image {Image}: config.Healthcheck.{field}: ", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error.Message);
    }

    private static ImageConfig ConfigWith(ImageHealthcheck? healthcheck) => new()
    {
        Config = new ImageRunConfig { Healthcheck = healthcheck },
        Rootfs = new ImageRootfs { DiffIds = [] },
    };
}
