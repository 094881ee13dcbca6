using System.Diagnostics;
using EdgeVisor.Bench.Agents;
using EdgeVisor.Testing.Processes;
using EdgeVisor.Tests.Containers.Images;
using EdgeVisor.Workloads.Containers.Bundles;
using EdgeVisor.Workloads.Containers.Images;
using EdgeVisor.Workloads.Containers.Networking;
using Microsoft.Extensions.Logging.Abstractions;

namespace EdgeVisor.Bench.Containers;

/// <summary>
/// The baseline: one bundle made the way the agent makes it (the image imported into an <see cref="ImageStore"/>,
/// mounted with <see cref="RootfsMount"/>, config.json from <see cref="BundleBuilder"/>, no network), started N times
/// by hand with <c>runc run -d</c> and N times with <c>runc create</c> + <c>runc start</c>, each timed from the runtime's
/// invocation to the container's first output line, then deleted. Nothing of the agent runs.
/// </summary>
internal static class ByHandRuns
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    public static async Task<(LatencySummary Run, LatencySummary CreateStart)> RunAsync(BenchWorkload workload, BuiltImage image, string directory, int runs, CancellationToken ct)
    {
        var store = new ImageStore(Path.Combine(directory, "images"), reserveBytes: 0, NullLogger<ImageStore>.Instance);
        string archive = Path.Combine(directory, "busybox.oci.tar");
        image.WriteOciArchive(archive);
        string manifest = await ImageArchive.ImportAsync(archive, Platform.Host, name: null, store.Blobs, ct);
        var local = await store.UnpackAsync(manifest, ct);

        var options = workload.Options(directory, registryHost: "none");
        var networks = new ContainerNetworks(options.Network, Path.Combine(directory, "network"), NullLogger<ContainerNetworks>.Instance);
        string bundle = Path.Combine(directory, "bundle");
        string id = $"bench-{workload.Suffix}";
        var runtime = new RuntimeCli(workload.Runtime, options.RuntimeRoot);
        using var rootfs = RootfsMount.Mount(local, bundle);
        try
        {
            var spec = BenchWorkload.Spec("by-hand");
            var attachment = await networks.AttachAsync(id, id, spec.Network, ct);
            BundleBuilder.Write(bundle, new BundleInput
            {
                ContainerId = id,
                WorkloadName = "bench",
                Container = spec,
                Image = local.Config,
                RootfsPath = rootfs.Path,
                VolumesDirectory = Path.Combine(directory, "volumes"),
                Network = attachment,
                CgroupsPath = $"{options.CgroupParent}/{id}",
            });

            // One unmeasured start: the first touches cold page caches (runc's binary, busybox's) that later ones do not.
            await runtime.TimeToFirstLineAsync(id, bundle, createThenStart: false, ct);
            var run = new List<TimeSpan>();
            var createStart = new List<TimeSpan>();
            for (int i = 0; i < runs; i++)
            {
                run.Add(await runtime.TimeToFirstLineAsync(id, bundle, createThenStart: false, ct));
                createStart.Add(await runtime.TimeToFirstLineAsync(id, bundle, createThenStart: true, ct));
            }

            return (new LatencySummary(run), new LatencySummary(createStart));
        }
        finally
        {
            await runtime.DeleteAsync(id);
            await networks.DetachAsync(id, CancellationToken.None);
        }
    }

    /// <summary>The runtime's CLI with this run's <c>--root</c>.</summary>
    private sealed class RuntimeCli(string runtime, string root)
    {
        /// <summary>
        /// Starts the bundle as <paramref name="id"/> with the runtime's stdout as the container's (a pipe this process
        /// reads), returns the time from the first runtime invocation to the container's first line, and deletes it.
        /// </summary>
        public async Task<TimeSpan> TimeToFirstLineAsync(string id, string bundle, bool createThenStart, CancellationToken ct)
        {
            var start = new ProcessStartInfo(runtime)
            {
                RedirectStandardInput = true,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            foreach (string argument in (string[])["--root", root, createThenStart ? "create" : "run", .. createThenStart ? Array.Empty<string>() : ["-d"], "--bundle", bundle, id])
            {
                start.ArgumentList.Add(argument);
            }

            var clock = Stopwatch.StartNew();
            using var process = Process.Start(start) ?? throw new InvalidOperationException($"{runtime} did not start");
            process.StandardInput.Close();
            var stderr = process.StandardError.ReadToEndAsync(ct);
            try
            {
                if (createThenStart)
                {
                    // The created container holds the runtime's stderr too (terminal false: runc hands its stdio on), so
                    // that pipe only ends with the container: read it only when create failed and nothing holds it.
                    await process.WaitForExitAsync(ct);
                    if (process.ExitCode != 0)
                    {
                        Check(process.ExitCode, await stderr, "create");
                    }

                    var started = await ProcessRunner.RunAsync(runtime, ["--root", root, "start", id], bundle, Timeout);
                    Check(started.ExitCode, started.Stderr, "start");
                }

                // A read of a pipe does not honour cancellation: bound the wait itself, so a container that never
                // starts (left `created`) fails this run instead of hanging it.
                string? line;
                try
                {
                    line = await process.StandardOutput.ReadLineAsync(ct).AsTask().WaitAsync(Timeout, ct);
                }
                catch (TimeoutException)
                {
                    var state = await ProcessRunner.RunAsync(runtime, ["--root", root, "state", id], bundle, Timeout);
                    throw new TimeoutException($"{runtime} {(createThenStart ? "create/start" : "run -d")}: no output within {Timeout.TotalSeconds:0} s; exit code {(process.HasExited ? process.ExitCode : "(running)")}; state: {ProcessRunner.AsText(state.Stdout).ReplaceLineEndings(" ")}");
                }

                var elapsed = clock.Elapsed;
                if (line != BenchWorkload.ReadyLine("by-hand"))
                {
                    throw new InvalidOperationException($"{runtime} {(createThenStart ? "create/start" : "run")}: expected '{BenchWorkload.ReadyLine("by-hand")}', got '{line}'; stderr: {(process.HasExited ? await stderr : "")}");
                }

                return elapsed;
            }
            finally
            {
                await DeleteAsync(id);
            }
        }

        public async Task DeleteAsync(string id)
        {
            var deleted = await ProcessRunner.RunAsync(runtime, ["--root", root, "delete", "--force", id], Path.GetTempPath(), Timeout);
            if (deleted.ExitCode != 0 && !deleted.Stderr.Contains("does not exist", StringComparison.Ordinal))
            {
                Console.Error.WriteLine($"containers: {runtime} delete {id}: {deleted.Stderr.Trim()}");
            }
        }

        private void Check(int? exitCode, string stderr, string verb)
        {
            if (exitCode != 0)
            {
                throw new InvalidOperationException($"{runtime} {verb} failed ({exitCode}): {stderr.Trim()}");
            }
        }
    }
}
