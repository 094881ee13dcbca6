using Microsoft.Extensions.Logging;

namespace EdgeVisor.Workloads.Containers.Images;

/// <summary>The image store's log events (ids 6300-6319; next free: 6305).</summary>
internal static partial class ImageStoreLog
{
    [LoggerMessage(6300, LogLevel.Information, "Unpacked layer {Layer} ({Bytes} bytes compressed)")]
    public static partial void LayerUnpacked(ILogger logger, string layer, long bytes);

    [LoggerMessage(6301, LogLevel.Warning, "Layer {Layer}: dropped {Count} device node(s); the runtime gives containers their /dev")]
    public static partial void DevicesDropped(ILogger logger, string layer, int count);

    [LoggerMessage(6302, LogLevel.Warning, "Layer {Layer}: cleared the setuid/setgid bit of {Count} file(s)")]
    public static partial void SetIdStripped(ILogger logger, string layer, int count);

    [LoggerMessage(6303, LogLevel.Warning, "Layer {Layer} could not be unpacked: {Message}")]
    public static partial void LayerFailed(ILogger logger, string layer, string message);

    [LoggerMessage(6304, LogLevel.Information, "Image store garbage collection freed {Bytes} bytes ({Blobs} blobs, {Snapshots} snapshots)")]
    public static partial void Collected(ILogger logger, long bytes, int blobs, int snapshots);
}
