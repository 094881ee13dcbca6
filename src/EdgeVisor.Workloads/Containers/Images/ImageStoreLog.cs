using Microsoft.Extensions.Logging;

namespace EdgeVisor.Workloads.Containers.Images;

/// <summary>The image store's log events (ids 6200-6219; next free: 6205).</summary>
internal static partial class ImageStoreLog
{
    [LoggerMessage(6200, LogLevel.Information, "Unpacked layer {Layer} ({Bytes} bytes compressed)")]
    public static partial void LayerUnpacked(ILogger logger, string layer, long bytes);

    [LoggerMessage(6201, LogLevel.Warning, "Layer {Layer}: dropped {Count} device node(s); the runtime gives containers their /dev")]
    public static partial void DevicesDropped(ILogger logger, string layer, int count);

    [LoggerMessage(6202, LogLevel.Warning, "Layer {Layer}: cleared the setuid/setgid bit of {Count} file(s)")]
    public static partial void SetIdStripped(ILogger logger, string layer, int count);

    [LoggerMessage(6203, LogLevel.Warning, "Layer {Layer} could not be unpacked: {Message}")]
    public static partial void LayerFailed(ILogger logger, string layer, string message);

    [LoggerMessage(6204, LogLevel.Information, "Image store garbage collection freed {Bytes} bytes ({Blobs} blobs, {Snapshots} snapshots)")]
    public static partial void Collected(ILogger logger, long bytes, int blobs, int snapshots);
}
