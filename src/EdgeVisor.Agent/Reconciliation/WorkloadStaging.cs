using System.Globalization;
using EdgeVisor.Protocol;

namespace EdgeVisor.Agent.Reconciliation;

/// <summary>
/// The per-workload directories under &lt;state&gt;/workloads/&lt;name&gt;/: one directory per generation
/// (&lt;number&gt;/, holding copies of the verified artifact and wiring and the spec, so a generation can start
/// again without the network and whatever the artifact store collects), <c>data/</c> (kept across updates) and
/// <c>logs/</c> (the console). A generation of a driver that prepares its own artifacts (a container image in the
/// image store) holds only its spec: the driver keeps the prepared image as long as the reconciler says a spec
/// needs it.
/// </summary>
internal sealed class WorkloadStaging(string stateDirectory)
{
    private const string ImageName = "image";
    private const string WiringName = "wiring";

    public string Root(string workload) => Path.Combine(stateDirectory, "workloads", SafeName(workload));

    public string GenerationDirectory(string workload, int generation) => Path.Combine(Root(workload), generation.ToString(CultureInfo.InvariantCulture));

    public string DataDirectory(string workload) => Path.Combine(Root(workload), "data");

    public string LogDirectory(string workload) => Path.Combine(Root(workload), "logs");

    /// <summary>
    /// Stages a generation from verified store files (<paramref name="artifactPath"/> null: the driver prepared the
    /// artifact itself, only the spec is written). Idempotent: files are copied to a temporary name and renamed, so
    /// a crash leaves either the old or the complete file, and a redo overwrites.
    /// </summary>
    public StagedGeneration Stage(string workload, int generation, WorkloadSpec spec, string? artifactPath, string? wiringPath)
    {
        string directory = GenerationDirectory(workload, generation);
        Directory.CreateDirectory(directory);
        Directory.CreateDirectory(DataDirectory(workload));
        Directory.CreateDirectory(LogDirectory(workload));
        var staged = PathsOf(workload, generation, spec, copiesArtifact: artifactPath is not null);
        if (artifactPath is not null && staged.ArtifactPath is not null)
        {
            CopyAtomically(artifactPath, staged.ArtifactPath);
        }

        if (wiringPath is not null && staged.WiringPath is not null)
        {
            CopyAtomically(wiringPath, staged.WiringPath);
        }

        string specPath = Path.Combine(directory, "spec.json");
        File.WriteAllBytes(specPath + ".tmp", ProtocolJson.Serialize(spec));
        File.Move(specPath + ".tmp", specPath, overwrite: true);
        return staged;
    }

    /// <summary>
    /// The staged files of a generation, or null when they are not (all) there. <paramref name="copiesArtifact"/>
    /// false: a driver-prepared generation, complete when its spec was written (the last thing staging does).
    /// </summary>
    public StagedGeneration? Find(string workload, int generation, WorkloadSpec spec, bool copiesArtifact = true)
    {
        var staged = PathsOf(workload, generation, spec, copiesArtifact);
        bool complete = staged.ArtifactPath is null
            ? File.Exists(Path.Combine(staged.Directory, "spec.json"))
            : File.Exists(staged.ArtifactPath) && (staged.WiringPath is null || File.Exists(staged.WiringPath));
        return complete ? staged : null;
    }

    /// <summary>Deletes generation directories other than <paramref name="keep"/> (data and logs stay).</summary>
    public void DeleteGenerationsExcept(string workload, IReadOnlySet<int> keep)
    {
        string root = Root(workload);
        if (!Directory.Exists(root))
        {
            return;
        }

        foreach (string directory in Directory.EnumerateDirectories(root))
        {
            if (int.TryParse(Path.GetFileName(directory), NumberStyles.None, CultureInfo.InvariantCulture, out int number) && !keep.Contains(number))
            {
                Directory.Delete(directory, recursive: true);
            }
        }
    }

    private StagedGeneration PathsOf(string workload, int generation, WorkloadSpec spec, bool copiesArtifact)
    {
        string directory = GenerationDirectory(workload, generation);
        string? artifact = copiesArtifact ? Path.Combine(directory, ImageName + ExtensionOf(spec.Artifact.Url, ".bin")) : null;
        string? wiring = spec.Firmware?.Wiring is { } wiringRef ? Path.Combine(directory, WiringName + ExtensionOf(wiringRef.Url, ".json")) : null;
        return new StagedGeneration(directory, artifact, wiring, DataDirectory(workload), LogDirectory(workload));
    }

    // Images are recognised by content, but wiring files by extension (.yaml/.yml are YAML): keep the URL's.
    private static string ExtensionOf(string url, string fallback)
    {
        string path = Uri.TryCreate(url, UriKind.Absolute, out var uri) ? uri.AbsolutePath : url;
        string extension = Path.GetExtension(path).ToLowerInvariant();
        return extension.Length is > 1 and <= 8 && extension.Skip(1).All(char.IsAsciiLetterOrDigit) ? extension : fallback;
    }

    private static void CopyAtomically(string source, string destination)
    {
        string temporary = destination + ".tmp";
        File.Copy(source, temporary, overwrite: true);
        File.Move(temporary, destination, overwrite: true);
    }

    // Names are checked by the protocol (Names); this keeps a bad one from ever leaving the workloads directory.
    private static string SafeName(string workload) =>
        workload.Length == 0 || workload.Contains('/', StringComparison.Ordinal) || workload.Contains('\\', StringComparison.Ordinal) || workload is "." or ".."
            ? throw new ArgumentException($"workload name '{workload}' cannot name a directory", nameof(workload))
            : workload;
}

/// <summary>Where one staged generation's files are.</summary>
/// <param name="ArtifactPath">The staged copy of the artifact; null when the workload's driver prepares its artifacts.</param>
internal sealed record StagedGeneration(string Directory, string? ArtifactPath, string? WiringPath, string DataDirectory, string LogDirectory);
