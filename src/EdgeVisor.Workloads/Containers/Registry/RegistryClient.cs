using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using EdgeVisor.Workloads.Containers.Images;
using EdgeVisor.Workloads.Downloads;
using Microsoft.Extensions.Logging;

namespace EdgeVisor.Workloads.Containers.Registry;

/// <summary>
/// Pulls images from OCI distribution registries (Docker Hub, GHCR, Harbor, Debian's docker-registry): anonymous,
/// basic and bearer-token authentication, indexes resolved to the device's platform, blobs downloaded resumably
/// into a <see cref="BlobStore"/> and verified against their digests.
/// </summary>
public sealed partial class RegistryClient
{
    /// <summary>Blobs downloaded at the same time (a Pi's link is the limit, not the registry).</summary>
    public const int ConcurrentBlobs = 3;

    private readonly HttpClient _http;
    private readonly HttpClient? _unverified;
    private readonly RegistryOptions _options;
    private readonly RegistryAuthenticator _auth;
    private readonly ILogger<RegistryClient> _logger;

    /// <summary>
    /// Uses <paramref name="http"/> (made by <see cref="CreateHttpClient(RegistryOptions)"/>) for every request, except those to the
    /// registries listed in <see cref="RegistryOptions.Insecure"/>: they get a client of their own that does not
    /// verify certificates.
    /// </summary>
    public RegistryClient(HttpClient http, RegistryOptions options, ILogger<RegistryClient> logger)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(options);
        _http = http;
        _unverified = options.Insecure.Count > 0 ? CreateHttpClient(options, verify: false) : null;
        _options = options;
        _auth = new RegistryAuthenticator(_http, options);
        _logger = logger;
    }

    /// <summary>
    /// An HttpClient for registries: no overall timeout (the client applies one per request and a stall timeout
    /// per blob), no automatic redirects (the client follows them without credentials), and the system's CAs plus
    /// <see cref="RegistryOptions.CaFile"/>'s.
    /// </summary>
    public static HttpClient CreateHttpClient(RegistryOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return CreateHttpClient(options, verify: true);
    }

    /// <summary>
    /// Pulls <paramref name="reference"/>, trusting only <paramref name="pinnedDigest"/> (the digest of the manifest
    /// or of the index the reference names); from an index, the manifest for <paramref name="platform"/>. Stores the
    /// index (if any), the manifest, the config and every layer in <paramref name="blobs"/>; returns the manifest's
    /// digest. Throws <see cref="Downloads.ArtifactException"/> (permanent: not found, unauthorized, digest mismatch,
    /// no manifest for the platform; transient: connection lost, 5xx, disk full).
    /// </summary>
    /// <remarks>
    /// The index and manifest are stored last, after every blob they name: a manifest in the store means the
    /// image is complete. <paramref name="progress"/> reports the bytes of the missing blobs received so far.
    /// </remarks>
    public async Task<string> PullAsync(ImageReference reference, string pinnedDigest, Platform platform, BlobStore blobs, IProgress<long>? progress, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(reference);
        ArgumentNullException.ThrowIfNull(platform);
        ArgumentNullException.ThrowIfNull(blobs);
        string pinned = Pinned(reference, pinnedDigest);
        var session = new RegistrySession(_http, _unverified, _auth, _options, reference, _logger);
        Log.Pulling(_logger, reference.ToString(), pinned, platform.ToString());

        byte[] top = await ManifestAsync(session, blobs, pinned, ct).ConfigureAwait(false);
        var documents = new List<(string Digest, byte[] Bytes)> { (pinned, top) };
        string manifestDigest = pinned;
        byte[] manifestBytes = top;
        if (IsIndex(top, $"{reference} ({pinned})"))
        {
            ImageIndex index = OciJson.Parse<ImageIndex>(top, $"index {pinned} of {reference}");
            Descriptor chosen = PlatformSelector.Choose(index, platform)
                ?? throw new ArtifactException($"image {reference} ({pinned}) has no manifest for {platform} (on offer: {PlatformSelector.Offered(index)})", permanent: true);
            manifestDigest = CheckDescriptor(chosen, $"index {pinned} of {reference}");
            Log.PlatformChosen(_logger, reference.ToString(), manifestDigest, chosen.Platform?.ToString() ?? platform.ToString());
            manifestBytes = await ManifestAsync(session, blobs, manifestDigest, ct).ConfigureAwait(false);
            if (IsIndex(manifestBytes, $"{reference} ({manifestDigest})"))
            {
                throw new ArtifactException($"image {reference}: index {pinned} names another index {manifestDigest} for {platform}; nested indexes are not supported", permanent: true);
            }

            documents.Insert(0, (manifestDigest, manifestBytes));
        }

        string source = $"manifest {manifestDigest} of {reference}";
        ImageManifest manifest = OciJson.Parse<ImageManifest>(manifestBytes, source);
        foreach (Descriptor descriptor in manifest.Layers.Prepend(manifest.Config))
        {
            CheckDescriptor(descriptor, source);
        }

        await FetchBlobsAsync(session, manifest, platform, blobs, progress, ct).ConfigureAwait(false);

        // The manifest (and index) last: their presence in the store says the image is complete.
        foreach ((string digest, byte[] bytes) in documents)
        {
            using var stream = new MemoryStream(bytes, writable: false);
            await blobs.AddAsync(stream, digest, $"{reference}@{digest}", ct).ConfigureAwait(false);
        }

        Log.Pulled(_logger, reference.ToString(), manifestDigest);
        return manifestDigest;
    }

    /// <summary>The config first (its platform is checked before layers are fetched), then the missing layers, a few at a time.</summary>
    private async Task FetchBlobsAsync(RegistrySession session, ImageManifest manifest, Platform platform, BlobStore blobs, IProgress<long>? progress, CancellationToken ct)
    {
        Descriptor[] missing = [.. manifest.Layers.Prepend(manifest.Config).DistinctBy(d => d.Digest).Where(d => !blobs.Contains(d.Digest))];
        blobs.EnsureSpace(missing.Sum(d => d.Size));
        long[] received = new long[missing.Length];
        void Report(int i, long bytes)
        {
            Interlocked.Exchange(ref received[i], bytes);
            progress?.Report(received.Sum());
        }

        int configIndex = Array.FindIndex(missing, d => d.Digest == manifest.Config.Digest);
        if (configIndex >= 0)
        {
            await FetchBlobAsync(session, missing[configIndex], blobs, bytes => Report(configIndex, bytes), ct).ConfigureAwait(false);
        }

        CheckConfigPlatform(session, manifest.Config.Digest, platform, blobs);
        var options = new ParallelOptions { MaxDegreeOfParallelism = ConcurrentBlobs, CancellationToken = ct };
        await Parallel.ForEachAsync(Enumerable.Range(0, missing.Length).Where(i => i != configIndex), options,
            (i, token) => new ValueTask(FetchBlobAsync(session, missing[i], blobs, bytes => Report(i, bytes), token))).ConfigureAwait(false);
    }

    /// <summary>
    /// Downloads one blob into its part (resuming what an earlier attempt left) and commits it; a resumed part
    /// whose digest turns out wrong is started over once. Lost connections and stalls are transient; the part stays.
    /// </summary>
    private async Task FetchBlobAsync(RegistrySession session, Descriptor blob, BlobStore blobs, Action<long> progress, CancellationToken ct)
    {
        string what = $"blob {blob.Digest} of {session.Repository}";
        using var writer = await blobs.LockAsync(blob.Digest, ct).ConfigureAwait(false);
        if (blobs.Contains(blob.Digest))
        {
            progress(blob.Size); // another pull stored it while this one waited
            return;
        }

        for (int attempt = 0; ; attempt++)
        {
            await using PartialFile part = await blobs.OpenPartialAsync(blob.Digest, ct).ConfigureAwait(false);
            long resumedFrom = part.Length;
            if (resumedFrom > 0)
            {
                Log.Resuming(_logger, session.Registry, blob.Digest, resumedFrom, blob.Size);
            }

            using (var stall = CancellationTokenSource.CreateLinkedTokenSource(ct))
            {
                stall.CancelAfter(session.StallTimeout);
                var download = new HttpDownload(_http, blobs.EnsureSpace) { Send = (request, token) => session.SendAsync(request, what, token) };
                var reporter = new SynchronousProgress(bytes =>
                {
                    stall.CancelAfter(session.StallTimeout);
                    progress(bytes);
                });
                try
                {
                    await download.RunAsync(session.BlobUri(blob.Digest), part, blob.Size, reporter, stall.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (!ct.IsCancellationRequested)
                {
                    throw new ArtifactException($"registry {session.Registry}: {what}: no data for {session.StallTimeout.TotalSeconds:0.#} s after {part.Length} of {blob.Size} bytes", permanent: false);
                }
                catch (Exception e) when (e is HttpRequestException or IOException)
                {
                    throw new ArtifactException($"registry {session.Registry}: {what}: connection lost after {part.Length} of {blob.Size} bytes: {e.Message}", permanent: false, e);
                }
            }

            try
            {
                blobs.Commit(part, blob.Digest, $"registry {session.Registry}: {what}");
                Log.BlobStored(_logger, session.Registry, blob.Digest, blob.Size);
                return;
            }
            catch (ArtifactException) when (resumedFrom > 0 && attempt == 0)
            {
                Log.ResumedPartWrong(_logger, session.Registry, blob.Digest); // Commit deleted the part: start over
            }
        }
    }

    /// <summary>A manifest already in the store was verified when it was stored; otherwise it comes from the registry.</summary>
    private static async Task<byte[]> ManifestAsync(RegistrySession session, BlobStore blobs, string digest, CancellationToken ct) =>
        blobs.Contains(digest) ? blobs.Read(digest) : await session.GetManifestAsync(digest, ct).ConfigureAwait(false);

    /// <summary>A single-platform image for another machine would only fail at start with "exec format error": refuse it here.</summary>
    private static void CheckConfigPlatform(RegistrySession session, string configDigest, Platform platform, BlobStore blobs)
    {
        ImageConfig config = OciJson.Parse<ImageConfig>(blobs.Read(configDigest), $"config {configDigest} of {session.Repository}");
        bool differs = (config.Os is { } os && !os.Equals(platform.Os, StringComparison.OrdinalIgnoreCase))
            || (config.Architecture is { } architecture && !architecture.Equals(platform.Architecture, StringComparison.OrdinalIgnoreCase));
        if (differs)
        {
            var image = new Platform { Os = config.Os ?? "?", Architecture = config.Architecture ?? "?", Variant = config.Variant };
            throw new ArtifactException($"registry {session.Registry}: image {session.Repository} ({configDigest}) is for {image}, not {platform}", permanent: true);
        }
    }

    private static string Pinned(ImageReference reference, string pinnedDigest)
    {
        string pinned = pinnedDigest is { Length: 64 } ? Digests.FromHex(pinnedDigest) : pinnedDigest;
        if (!Digests.IsValid(pinned))
        {
            throw new ArtifactException($"image {reference}: pinned digest '{pinnedDigest}' is not sha256:<64 lowercase hex>", permanent: true);
        }

        return reference.Digest is not null && reference.Digest != pinned
            ? throw new ArtifactException($"image {reference}: the reference names {reference.Digest}, the deployment pins {pinned}", permanent: true)
            : pinned;
    }

    private static string CheckDescriptor(Descriptor descriptor, string source) =>
        Digests.IsValid(descriptor.Digest) && descriptor.Size >= 0
            ? descriptor.Digest
            : throw new ArtifactException($"{source}: descriptor '{descriptor.Digest}' ({descriptor.Size} bytes) is not a sha256 digest with a size", permanent: true);

    /// <summary>An index has <c>manifests</c>; a manifest has <c>config</c> and <c>layers</c>; schema 1 is refused.</summary>
    private static bool IsIndex(byte[] document, string source)
    {
        try
        {
            using var json = JsonDocument.Parse(document);
            JsonElement root = json.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new ArtifactException($"image {source}: the manifest is not a JSON object", permanent: true);
            }

            if (root.TryGetProperty("schemaVersion", out JsonElement version) && version.ValueKind == JsonValueKind.Number && version.GetInt32() == 1)
            {
                throw new ArtifactException($"image {source}: Docker schema 1 manifests are not supported (push the image again with a current client)", permanent: true);
            }

            return root.TryGetProperty("manifests", out JsonElement manifests) && manifests.ValueKind == JsonValueKind.Array;
        }
        catch (JsonException e)
        {
            throw new ArtifactException($"image {source}: the manifest is not JSON: {e.Message}", permanent: true, e);
        }
    }

    /// <summary>Without <paramref name="verify"/>: any certificate is accepted (Docker's meaning of an insecure registry).</summary>
    private static HttpClient CreateHttpClient(RegistryOptions options, bool verify)
    {
        var handler = new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            ConnectTimeout = TimeSpan.FromSeconds(options.RequestTimeoutSeconds),
            PooledConnectionIdleTimeout = TimeSpan.FromSeconds(60),
            AutomaticDecompression = System.Net.DecompressionMethods.None,
        };
        if (!verify)
        {
#pragma warning disable CA5359 // Only for registries the operator listed as insecure.
            handler.SslOptions.RemoteCertificateValidationCallback = (_, _, _, _) => true;
#pragma warning restore CA5359
        }
        else if (options.CaFile is { } caFile)
        {
            handler.SslOptions.CertificateChainPolicy = SystemAndFileRoots(caFile);
        }

        return new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan };
    }

    /// <summary>
    /// Trust in the system's CAs and those of <paramref name="caFile"/>, as a chain policy rather than a callback:
    /// a refused certificate then fails with .NET's reason (untrusted root, name mismatch), which the error names.
    /// </summary>
    private static X509ChainPolicy SystemAndFileRoots(string caFile)
    {
        var policy = new X509ChainPolicy { TrustMode = X509ChainTrustMode.CustomRootTrust, RevocationMode = X509RevocationMode.NoCheck };
        policy.CustomTrustStore.ImportFromPemFile(caFile);
        using var system = new X509Store(StoreName.Root, StoreLocation.LocalMachine);
        system.Open(OpenFlags.ReadOnly);
        policy.CustomTrustStore.AddRange(system.Certificates);
        return policy;
    }

    /// <summary>Reports on the caller's thread (<see cref="Progress{T}"/> would post, and the stall timer must move now).</summary>
    private sealed class SynchronousProgress(Action<long> report) : IProgress<long>
    {
        public void Report(long value) => report(value);
    }

    private static partial class Log
    {
        [LoggerMessage(6100, LogLevel.Information, "pulling {Reference} pinned to {Digest} for {Platform}")]
        public static partial void Pulling(ILogger logger, string reference, string digest, string platform);

        [LoggerMessage(6101, LogLevel.Information, "{Reference}: the index offers {Manifest} for {Platform}")]
        public static partial void PlatformChosen(ILogger logger, string reference, string manifest, string platform);

        [LoggerMessage(6102, LogLevel.Information, "registry {Registry}: resuming blob {Digest} after {Bytes} of {Size} bytes")]
        public static partial void Resuming(ILogger logger, string registry, string digest, long bytes, long size);

        [LoggerMessage(6103, LogLevel.Debug, "registry {Registry}: blob {Digest} stored ({Size} bytes)")]
        public static partial void BlobStored(ILogger logger, string registry, string digest, long size);

        [LoggerMessage(6104, LogLevel.Warning, "registry {Registry}: the resumed blob {Digest} did not match its digest; downloading it again from the start")]
        public static partial void ResumedPartWrong(ILogger logger, string registry, string digest);

        [LoggerMessage(6105, LogLevel.Information, "pulled {Reference}: manifest {Manifest}")]
        public static partial void Pulled(ILogger logger, string reference, string manifest);
    }
}
