using EdgeVisor.Workloads.Downloads;
using EdgeVisor.Agent.Artifacts;
using EdgeVisor.Protocol;

namespace EdgeVisor.Agent.Tests.Artifacts;

public sealed class ArtifactStoreTests : IDisposable
{
    private readonly ArtifactStoreFixture _f = new();

    public void Dispose() => _f.Dispose();

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task A_download_is_verified_and_stored_read_only_under_its_digest_and_fetched_only_once()
    {
        var (content, artifact) = ArtifactStoreFixture.Content(100_000, _f.Server.Url("/images/app.elf"));
        _f.Server.Serve("/images/app.elf", content);
        var progress = new List<long>();

        string path = await _f.Store.FetchAsync(artifact, new SyncProgress(progress), CancellationToken.None);

        Assert.Equal(_f.ContentPath(artifact.Sha256), path);
        Assert.Equal(content, await File.ReadAllBytesAsync(path));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.GroupRead | UnixFileMode.OtherRead, File.GetUnixFileMode(path));
        Assert.Equal(100_000, progress[^1]);
        Assert.False(File.Exists(_f.PartPath(artifact.Sha256)));

        // Present: no second request, also for a store opened afresh (the agent restarted).
        Assert.Equal(path, await _f.Create().FetchAsync(artifact, null, CancellationToken.None));
        Assert.True(_f.Create().TryGetPath(artifact.Sha256.ToUpperInvariant(), out string again));
        Assert.Equal(path, again);
        Assert.Single(_f.Server.Requests);
    }

    [Fact]
    public async Task After_a_dropped_connection_the_retry_resumes_and_downloads_only_the_rest()
    {
        var (content, artifact) = ArtifactStoreFixture.Content(300_000, _f.Server.Url("/big.bin"));
        var route = _f.Server.Serve("/big.bin", content);
        route.DropAfterBytes = 120_000;
        route.DropsLeft = 1;

        var first = await Assert.ThrowsAsync<ArtifactException>(() => _f.Store.FetchAsync(artifact, null, CancellationToken.None));
        Assert.False(first.Permanent, first.Message);
        Assert.StartsWith($"artifact {artifact.Url}: ", first.Message);
        long kept = new FileInfo(_f.PartPath(artifact.Sha256)).Length;
        Assert.Equal(120_000, kept);
        Assert.False(_f.Store.TryGetPath(artifact.Sha256, out _));
        Assert.False(Directory.Exists(Path.Combine(_f.ArtifactDirectory, "sha256")) && Directory.EnumerateFiles(Path.Combine(_f.ArtifactDirectory, "sha256")).Any());

        string path = await _f.Create().FetchAsync(artifact, null, CancellationToken.None);

        Assert.Equal(content, await File.ReadAllBytesAsync(path));
        var resume = _f.Server.Requests[^1];
        Assert.Equal("bytes=120000-", resume.Range);
        Assert.Equal(206, resume.Status);
        Assert.Equal(300_000 - 120_000, resume.BytesSent);
    }

    [Fact]
    public async Task A_server_that_ignores_ranges_makes_the_download_start_over_and_it_still_verifies()
    {
        var (content, artifact) = ArtifactStoreFixture.Content(50_000, _f.Server.Url("/plain.bin"));
        var route = _f.Server.Serve("/plain.bin", content);
        route.IgnoreRanges = true;
        Directory.CreateDirectory(Path.GetDirectoryName(_f.PartPath(artifact.Sha256))!);
        await File.WriteAllBytesAsync(_f.PartPath(artifact.Sha256), content[..20_000]);

        string path = await _f.Store.FetchAsync(artifact, null, CancellationToken.None);

        Assert.Equal(content, await File.ReadAllBytesAsync(path));
        Assert.Equal(("bytes=20000-", 200, 50_000L), (_f.Server.Requests[0].Range, _f.Server.Requests[0].Status, _f.Server.Requests[0].BytesSent));
    }

    [Fact]
    public async Task A_part_the_server_cannot_continue_416_is_dropped_and_downloaded_again()
    {
        var (content, artifact) = ArtifactStoreFixture.Content(10_000, _f.Server.Url("/small.bin"), declareSize: false);
        _f.Server.Serve("/small.bin", content);
        Directory.CreateDirectory(Path.GetDirectoryName(_f.PartPath(artifact.Sha256))!);
        // Longer than the content: left by a different, larger file with the same name on a misconfigured server.
        await File.WriteAllBytesAsync(_f.PartPath(artifact.Sha256), new byte[12_000]);

        string path = await _f.Store.FetchAsync(artifact, null, CancellationToken.None);

        Assert.Equal(content, await File.ReadAllBytesAsync(path));
        Assert.Equal([416, 200], _f.Server.Requests.Select(r => r.Status));
    }

    [Fact]
    public async Task A_resumed_part_with_wrong_bytes_gets_one_fresh_download()
    {
        var (content, artifact) = ArtifactStoreFixture.Content(40_000, _f.Server.Url("/torn.bin"));
        _f.Server.Serve("/torn.bin", content);
        Directory.CreateDirectory(Path.GetDirectoryName(_f.PartPath(artifact.Sha256))!);
        await File.WriteAllBytesAsync(_f.PartPath(artifact.Sha256), new byte[16_000]);   // zeros, as after a torn write

        string path = await _f.Store.FetchAsync(artifact, null, CancellationToken.None);

        Assert.Equal(content, await File.ReadAllBytesAsync(path));
        Assert.Equal([("bytes=16000-", 206), (null, 200)], _f.Server.Requests.Select(r => (r.Range, r.Status)));
    }

    [Fact]
    public async Task Content_that_does_not_match_its_digest_is_a_permanent_error_and_nothing_is_stored()
    {
        var (content, artifact) = ArtifactStoreFixture.Content(20_000, _f.Server.Url("/tampered.bin"));
        content[5_000] ^= 0xFF;
        _f.Server.Serve("/tampered.bin", content);

        var error = await Assert.ThrowsAsync<ArtifactException>(() => _f.Store.FetchAsync(artifact, null, CancellationToken.None));

        Assert.True(error.Permanent);
        Assert.Equal($"artifact {artifact.Url}: sha256 mismatch: the deployment says {artifact.Sha256}, the content is {ArtifactStoreFixture.Sha256(content)}", error.Message);
        Assert.False(File.Exists(_f.ContentPath(artifact.Sha256)));
        Assert.False(File.Exists(_f.ContentPath(ArtifactStoreFixture.Sha256(content))));
        Assert.False(File.Exists(_f.PartPath(artifact.Sha256)));
    }

    [Theory]
    [InlineData(404, true)]
    [InlineData(410, true)]
    [InlineData(500, false)]
    [InlineData(503, false)]
    [InlineData(429, false)]
    public async Task Http_errors_say_which_and_whether_a_retry_can_help(int status, bool permanent)
    {
        var (content, artifact) = ArtifactStoreFixture.Content(1_000, _f.Server.Url("/status.bin"));
        _f.Server.Serve("/status.bin", content).Status = status;

        var error = await Assert.ThrowsAsync<ArtifactException>(() => _f.Store.FetchAsync(artifact, null, CancellationToken.None));

        Assert.Equal(permanent, error.Permanent);
        Assert.StartsWith($"artifact {artifact.Url}: HTTP {status}", error.Message);
    }

    [Fact]
    public async Task A_server_nobody_listens_on_is_a_retryable_error()
    {
        var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        int port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        var artifact = new ArtifactRef { Url = $"http://127.0.0.1:{port}/gone.bin", Sha256 = new string('a', 64) };

        var error = await Assert.ThrowsAsync<ArtifactException>(() => _f.Store.FetchAsync(artifact, null, CancellationToken.None));

        Assert.False(error.Permanent);
        Assert.StartsWith($"artifact {artifact.Url}: ", error.Message);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Fact]
    public async Task A_size_that_differs_from_the_declared_one_is_refused_before_downloading()
    {
        var (content, artifact) = ArtifactStoreFixture.Content(5_000, _f.Server.Url("/sized.bin"));
        _f.Server.Serve("/sized.bin", content);

        var error = await Assert.ThrowsAsync<ArtifactException>(() => _f.Store.FetchAsync(artifact with { Size = 4_000 }, null, CancellationToken.None));

        Assert.True(error.Permanent);
        Assert.Contains("the server offers 5000 bytes, the deployment declares 4000", error.Message);
    }

    [Fact]
    public async Task Concurrent_fetches_of_one_digest_share_one_download()
    {
        var (content, artifact) = ArtifactStoreFixture.Content(64_000, _f.Server.Url("/shared.bin"));
        var route = _f.Server.Serve("/shared.bin", content);
        route.HoldBody = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        var fetches = Enumerable.Range(0, 5).Select(_ => _f.Store.FetchAsync(artifact, null, CancellationToken.None)).ToList();
        await WaitUntil(() => _f.Server.Arrived >= 1, TimeSpan.FromSeconds(20), "the download's request never reached the server");
        route.HoldBody.SetResult();
        string[] paths = await Task.WhenAll(fetches).WaitAsync(TimeSpan.FromSeconds(30));

        Assert.All(paths, p => Assert.Equal(_f.ContentPath(artifact.Sha256), p));
        Assert.Single(_f.Server.Requests);
    }

    [Fact]
    public async Task A_caller_that_gives_up_does_not_cancel_the_download_others_wait_for()
    {
        var (content, artifact) = ArtifactStoreFixture.Content(8_000, _f.Server.Url("/patient.bin"));
        var route = _f.Server.Serve("/patient.bin", content);
        route.HoldBody = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var impatient = new CancellationTokenSource();

        var gaveUp = _f.Store.FetchAsync(artifact, null, impatient.Token);
        var waits = _f.Store.FetchAsync(artifact, null, CancellationToken.None);
        await impatient.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => gaveUp);
        route.HoldBody.SetResult();

        Assert.Equal(_f.ContentPath(artifact.Sha256), await waits.WaitAsync(TimeSpan.FromSeconds(30)));
    }

    [Fact]
    public async Task A_download_that_stalls_past_the_timeout_is_retryable_and_keeps_its_part()
    {
        using var f = new ArtifactStoreFixture(new ArtifactOptions { MinFreeBytes = 0, DownloadTimeoutSeconds = 0.5 });
        var (content, artifact) = ArtifactStoreFixture.Content(8_000, f.Server.Url("/stall.bin"));
        f.Server.Serve("/stall.bin", content).HoldBody = new TaskCompletionSource();

        var error = await Assert.ThrowsAsync<ArtifactException>(() => f.Store.FetchAsync(artifact, null, CancellationToken.None)).WaitAsync(TimeSpan.FromSeconds(20));

        Assert.False(error.Permanent);
        Assert.Equal($"artifact {artifact.Url}: timed out after 0.5 s (0 bytes kept to resume)", error.Message);
    }

    [Fact]
    public async Task Too_little_free_space_is_refused_as_retryable_before_writing()
    {
        using var f = new ArtifactStoreFixture(new ArtifactOptions { MinFreeBytes = long.MaxValue / 2 });
        var (content, artifact) = ArtifactStoreFixture.Content(8_000, f.Server.Url("/full.bin"));
        f.Server.Serve("/full.bin", content);

        var error = await Assert.ThrowsAsync<ArtifactException>(() => f.Store.FetchAsync(artifact, null, CancellationToken.None));

        Assert.False(error.Permanent);
        Assert.Contains("not enough free space", error.Message);
        Assert.Equal(0, new FileInfo(f.PartPath(artifact.Sha256)).Length);
    }

    [Fact]
    public async Task A_local_file_is_copied_in_so_later_changes_to_it_do_not_change_what_runs()
    {
        string source = Path.Combine(_f.StateDirectory, "usb", "image.elf");
        Directory.CreateDirectory(Path.GetDirectoryName(source)!);
        var (content, reference) = ArtifactStoreFixture.Content(30_000, source);
        await File.WriteAllBytesAsync(source, content);

        string path = await _f.Store.FetchAsync(reference, null, CancellationToken.None);
        await File.WriteAllBytesAsync(source, new byte[30_000]);

        Assert.NotEqual(source, path);
        Assert.Equal(content, await File.ReadAllBytesAsync(path));

        // The same content by file:// URL is the same artifact.
        Assert.Equal(path, await _f.Store.FetchAsync(reference with { Url = new Uri(source).AbsoluteUri }, null, CancellationToken.None));
    }

    [Fact]
    public async Task Local_files_that_are_missing_changed_or_not_allowed_are_permanent_errors()
    {
        string source = Path.Combine(_f.StateDirectory, "image.elf");
        var (content, reference) = ArtifactStoreFixture.Content(1_000, source);

        var missing = await Assert.ThrowsAsync<ArtifactException>(() => _f.Store.FetchAsync(reference, null, CancellationToken.None));
        Assert.Equal((true, $"artifact {source}: no such file"), (missing.Permanent, missing.Message));

        content[0] ^= 1;
        await File.WriteAllBytesAsync(source, content);
        var changed = await Assert.ThrowsAsync<ArtifactException>(() => _f.Store.FetchAsync(reference, null, CancellationToken.None));
        Assert.True(changed.Permanent);
        Assert.Contains("sha256 mismatch", changed.Message);

        using var closed = new ArtifactStoreFixture(new ArtifactOptions { MinFreeBytes = 0, AllowLocalFiles = false });
        var refused = await Assert.ThrowsAsync<ArtifactException>(() => closed.Store.FetchAsync(reference with { Url = "file://" + source }, null, CancellationToken.None));
        Assert.True(refused.Permanent);
        Assert.Contains("local files are not allowed on this device (Agent:Artifacts:AllowLocalFiles is false)", refused.Message);
    }

    [Theory]
    [InlineData("ftp://example.test/image.elf", "not an http(s) URL, a file:/// URL or an absolute path")]
    [InlineData("relative/image.elf", "not an http(s) URL, a file:/// URL or an absolute path")]
    public async Task Urls_the_store_cannot_fetch_are_permanent_errors(string url, string problem)
    {
        var error = await Assert.ThrowsAsync<ArtifactException>(() =>
            _f.Store.FetchAsync(new ArtifactRef { Url = url, Sha256 = new string('b', 64) }, null, CancellationToken.None));

        Assert.Equal((true, $"artifact {url}: {problem}"), (error.Permanent, error.Message));
    }

    [Fact]
    public async Task A_digest_that_is_not_64_hex_digits_is_refused_without_touching_the_disk()
    {
        var error = await Assert.ThrowsAsync<ArtifactException>(() =>
            _f.Store.FetchAsync(new ArtifactRef { Url = _f.Server.Url("/x"), Sha256 = "../../etc/passwd" }, null, CancellationToken.None));

        Assert.True(error.Permanent);
        Assert.Empty(_f.Server.Requests);
        Assert.False(_f.Store.TryGetPath("../../etc/passwd", out _));
    }

    [Fact]
    public async Task Garbage_collection_keeps_referenced_artifacts_and_the_most_recently_used_within_the_limit()
    {
        using var f = new ArtifactStoreFixture(new ArtifactOptions { MinFreeBytes = 0, MaxUnreferencedBytes = 25_000 });
        var fetched = new List<ArtifactRef>();
        for (int i = 0; i < 4; i++)
        {
            var (content, artifact) = ArtifactStoreFixture.Content(10_000, f.Server.Url($"/v{i}.bin"));
            f.Server.Serve($"/v{i}.bin", content);
            await f.Store.FetchAsync(artifact, null, CancellationToken.None);
            fetched.Add(artifact);
            f.Time.Now += TimeSpan.FromHours(1);
        }

        // v0 is used again (a rollback looked it up): it is now more recent than v1 and v2.
        Assert.True(f.Store.TryGetPath(fetched[0].Sha256, out _));
        // Partial downloads: one of a referenced artifact (kept to resume), one of nothing referenced (dropped).
        Directory.CreateDirectory(Path.GetDirectoryName(f.PartPath(fetched[3].Sha256))!);
        string referencedPart = f.PartPath(new string('c', 64));
        string strayPart = f.PartPath(new string('d', 64));
        await File.WriteAllBytesAsync(referencedPart, new byte[10]);
        await File.WriteAllBytesAsync(strayPart, new byte[10]);

        f.Store.CollectGarbage(new HashSet<string> { fetched[3].Sha256, new string('c', 64) });

        // Unreferenced: v0 (used last), v2, v1 (oldest) = 30,000 bytes > 25,000: v1 goes, v2 and v0 stay.
        Assert.True(File.Exists(f.ContentPath(fetched[3].Sha256)));
        Assert.True(File.Exists(f.ContentPath(fetched[0].Sha256)));
        Assert.True(File.Exists(f.ContentPath(fetched[2].Sha256)));
        Assert.False(File.Exists(f.ContentPath(fetched[1].Sha256)));
        Assert.False(f.Store.TryGetPath(fetched[1].Sha256, out _));
        Assert.True(File.Exists(referencedPart));
        Assert.False(File.Exists(strayPart));

        // A tighter budget: nothing unreferenced may stay, the referenced one always does.
        f.Options.MaxUnreferencedBytes = 0;
        f.Store.CollectGarbage(new HashSet<string> { fetched[3].Sha256 });
        Assert.Equal([fetched[3].Sha256], Directory.EnumerateFiles(Path.Combine(f.ArtifactDirectory, "sha256")).Select(p => Path.GetFileName(p)));
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task A_stored_file_whose_size_changed_is_not_handed_out()
    {
        var (content, artifact) = ArtifactStoreFixture.Content(4_000, _f.Server.Url("/shrunk.bin"));
        _f.Server.Serve("/shrunk.bin", content);
        string path = await _f.Store.FetchAsync(artifact, null, CancellationToken.None);
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        await File.WriteAllBytesAsync(path, content[..100]);

        Assert.False(_f.Store.TryGetPath(artifact.Sha256, out _));
        Assert.False(File.Exists(path));
        Assert.Equal(content, await File.ReadAllBytesAsync(await _f.Store.FetchAsync(artifact, null, CancellationToken.None)));
    }

    private static async Task WaitUntil(Func<bool> condition, TimeSpan timeout, string failure)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, failure);
            await Task.Delay(20);
        }
    }

    /// <summary>Records progress synchronously (Progress&lt;T&gt; posts to the thread pool and may report late).</summary>
    private sealed class SyncProgress(List<long> values) : IProgress<long>
    {
        public void Report(long value)
        {
            lock (values)
            {
                values.Add(value);
            }
        }
    }
}
