using System.Globalization;
using EdgeVisor.Protocol;
using EdgeVisor.Workloads.Containers.Images;

namespace EdgeVisor.Workloads.Containers.Runtime;

/// <summary>
/// Which health check a container runs: the workload spec's <c>container.healthCheck</c> when it has one, else the
/// image's HEALTHCHECK turned into the same <see cref="HealthCheckSpec"/> (CMD runs its arguments, CMD-SHELL its
/// command through <c>/bin/sh -c</c>; NONE or nothing declared: no check).
/// </summary>
public static class ImageHealthCheck
{
    /// <summary>Docker's defaults for a duration of 0: 30 s between probes, 30 s per probe, no start period, 3 retries.</summary>
    private const double DefaultIntervalSeconds = 30;
    private const double DefaultTimeoutSeconds = 30;
    private const int DefaultRetries = 3;

    /// <summary>The check a container of <paramref name="image"/> runs under <paramref name="spec"/>; null for none.</summary>
    /// <exception cref="ImageConfigException">The image declares a malformed HEALTHCHECK (even when the spec's wins: the image is broken).</exception>
    public static HealthCheckSpec? Resolve(ContainerSpec spec, ImageConfig image, string imageName)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(image);
        var declared = FromImage(image.Config?.Healthcheck, imageName);
        return spec.HealthCheck ?? declared;
    }

    /// <summary>The image's own check as a <see cref="HealthCheckSpec"/>; null when it declares none (or NONE).</summary>
    /// <exception cref="ImageConfigException">A field is malformed; the message names the image and the field.</exception>
    public static HealthCheckSpec? FromImage(ImageHealthcheck? declared, string imageName)
    {
        if (declared?.Test is not { Count: > 0 } test)
        {
            return null; // an empty Test is Docker's "inherit", and a built image has nothing left to inherit
        }

        IReadOnlyList<string> command = test[0] switch
        {
            "NONE" when test.Count == 1 => [],
            "CMD" when test.Count > 1 && !string.IsNullOrEmpty(test[1]) => [.. test.Skip(1)],
            "CMD-SHELL" when test.Count == 2 && !string.IsNullOrWhiteSpace(test[1]) => ["/bin/sh", "-c", test[1]],
            _ => throw Malformed(imageName, "Test", $"[{string.Join(", ", test.Select(t => $"\"{t}\""))}] is not [\"CMD\", program, args…], [\"CMD-SHELL\", command] or [\"NONE\"]"),
        };
        if (command.Count == 0)
        {
            return null;
        }

        return new HealthCheckSpec
        {
            Exec = command,
            IntervalSeconds = Seconds(declared.Interval, DefaultIntervalSeconds, imageName, "Interval"),
            TimeoutSeconds = Seconds(declared.Timeout, DefaultTimeoutSeconds, imageName, "Timeout"),
            StartPeriodSeconds = Seconds(declared.StartPeriod, 0, imageName, "StartPeriod"),
            Retries = declared.Retries switch
            {
                0 => DefaultRetries,
                > 0 and var retries => retries,
                var retries => throw Malformed(imageName, "Retries", $"{retries} is negative"),
            },
        };
    }

    private static double Seconds(long nanoseconds, double fallback, string imageName, string field) => nanoseconds switch
    {
        0 => fallback,
        > 0 => nanoseconds / 1e9,
        _ => throw Malformed(imageName, field, $"{nanoseconds.ToString(CultureInfo.InvariantCulture)} ns is negative"),
    };

    private static ImageConfigException Malformed(string imageName, string field, string why) =>
        new($"image {imageName}: config.Healthcheck.{field}: {why}");
}

/// <summary>An image's configuration declares something malformed; the message names the image and the field.</summary>
public sealed class ImageConfigException : Exception
{
    public ImageConfigException()
    {
    }

    public ImageConfigException(string message)
        : base(message)
    {
    }

    public ImageConfigException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
