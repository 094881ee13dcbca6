using System.Security.Cryptography;
using EdgeVisor.Agent.Artifacts;
using EdgeVisor.Agent.State;
using EdgeVisor.Protocol;
using Microsoft.Extensions.Logging.Abstractions;

namespace EdgeVisor.Agent.Tests.Artifacts;

/// <summary>A temporary state directory with an AgentStore, an artifact store over it, and an HTTP server to fetch from.</summary>
internal sealed class ArtifactStoreFixture : IDisposable
{
    private readonly HttpClient _http = new();

    public ArtifactStoreFixture(ArtifactOptions? options = null)
    {
        StateDirectory = Directory.CreateTempSubdirectory("edgevisor-artifacts-tests-").FullName;
        Database = AgentStore.Open(StateDirectory);
        Options = options ?? new ArtifactOptions { MinFreeBytes = 0 };
        Store = Create();
    }

    public string StateDirectory { get; }

    public AgentStore Database { get; }

    public ArtifactOptions Options { get; }

    public ManualTime Time { get; } = new();

    public ArtifactStore Store { get; }

    public RangeHttpServer Server { get; } = new();

    public string ArtifactDirectory => Path.Combine(StateDirectory, "artifacts");

    /// <summary>Random content of <paramref name="size"/> bytes and a reference to it at <paramref name="url"/>.</summary>
    public static (byte[] Content, ArtifactRef Ref) Content(int size, string url, bool declareSize = true)
    {
        byte[] content = RandomNumberGenerator.GetBytes(size);
        return (content, new ArtifactRef { Url = url, Sha256 = Sha256(content), Size = declareSize ? size : null });
    }

    public static string Sha256(byte[] content) => Convert.ToHexStringLower(SHA256.HashData(content));

    public string PartPath(string sha256) => Path.Combine(ArtifactDirectory, "partial", sha256 + ".part");

    public string ContentPath(string sha256) => Path.Combine(ArtifactDirectory, "sha256", sha256);

    /// <summary>Another store over the same directory and database, as after an agent restart.</summary>
    public ArtifactStore Create() =>
        new(ArtifactDirectory, Database, Options, _http, NullLogger<ArtifactStore>.Instance) { Time = Time };

    public void Dispose()
    {
        Server.Dispose();
        _http.Dispose();
        Database.Dispose();
        Directory.Delete(StateDirectory, recursive: true);
    }

    /// <summary>A clock the test moves by hand.</summary>
    internal sealed class ManualTime : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

        public override DateTimeOffset GetUtcNow() => Now;
    }
}
