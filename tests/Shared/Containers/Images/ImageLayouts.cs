using System.Formats.Tar;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using EdgeVisor.Workloads.Containers.Images;

namespace EdgeVisor.Tests.Containers.Images;

/// <summary>
/// Writes built images the way other tools hand them over: an OCI image layout (directory or oci-archive tar)
/// and the <c>docker save</c> format, both from their specs. Files are collected as (path, bytes) pairs first,
/// so the directory and the tarball always hold the same thing.
/// </summary>
public static class ImageLayouts
{
    /// <summary>The annotation an OCI layout's index.json names an image by.</summary>
    public const string RefNameAnnotation = "org.opencontainers.image.ref.name";

    public static void WriteOciLayout(string directory, Descriptor root, IEnumerable<KeyValuePair<string, byte[]>> blobs, string? refName)
    {
        foreach ((string path, byte[] content) in OciLayoutFiles(root, blobs, refName))
        {
            string file = Path.Combine(directory, path);
            Directory.CreateDirectory(Path.GetDirectoryName(file)!);
            File.WriteAllBytes(file, content);
        }
    }

    public static void WriteOciArchive(string path, Descriptor root, IEnumerable<KeyValuePair<string, byte[]>> blobs, string? refName) =>
        WriteTar(path, OciLayoutFiles(root, blobs, refName));

    public static void WriteDockerSave(string path, BuiltImage image, string repoTag)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(repoTag);
        string configFile = Digests.Hex(image.ConfigDigest) + ".json";
        string[] layerFiles = [.. image.Layers.Select(layer => Digests.Hex(layer.DiffId) + "/layer.tar")];
        var manifest = new JsonArray(new JsonObject
        {
            ["Config"] = configFile,
            ["RepoTags"] = new JsonArray(repoTag),
            ["Layers"] = new JsonArray([.. layerFiles.Select(file => (JsonNode)file)]),
        });

        int colon = repoTag.LastIndexOf(':');
        bool tagged = colon > repoTag.LastIndexOf('/');
        var repositories = new JsonObject
        {
            [tagged ? repoTag[..colon] : repoTag] = new JsonObject
            {
                [tagged ? repoTag[(colon + 1)..] : "latest"] = Digests.Hex(image.Layers.Count > 0 ? image.Layers[^1].DiffId : image.ConfigDigest),
            },
        };

        var files = new List<(string, byte[])>
        {
            ("manifest.json", Encoding.UTF8.GetBytes(manifest.ToJsonString())),
            (configFile, image.ConfigBytes),
            ("repositories", Encoding.UTF8.GetBytes(repositories.ToJsonString())),
        };
        for (int i = 0; i < image.Layers.Count; i++)
        {
            files.Add((layerFiles[i], image.Layers[i].Tar));
        }

        WriteTar(path, files.DistinctBy(file => file.Item1));
    }

    private static IEnumerable<(string Path, byte[] Content)> OciLayoutFiles(Descriptor root, IEnumerable<KeyValuePair<string, byte[]>> blobs, string? refName)
    {
        Descriptor named = refName is null ? root : root with { Annotations = new Dictionary<string, string> { [RefNameAnnotation] = refName } };
        var index = new ImageIndex { MediaType = MediaTypes.OciIndex, Manifests = [named] };
        yield return ("oci-layout", """{"imageLayoutVersion":"1.0.0"}"""u8.ToArray());
        yield return ("index.json", JsonSerializer.SerializeToUtf8Bytes(index, OciJson.Options));
        foreach ((string digest, byte[] content) in blobs.DistinctBy(blob => blob.Key))
        {
            yield return ("blobs/sha256/" + Digests.Hex(digest), content);
        }
    }

    private static void WriteTar(string path, IEnumerable<(string Path, byte[] Content)> files)
    {
        using var output = File.Create(path);
        using var writer = new TarWriter(output, TarEntryFormat.Pax);
        var directories = new HashSet<string>(StringComparer.Ordinal);
        foreach ((string name, byte[] content) in files)
        {
            // Parent directories first, as tar tools write them.
            for (int slash = name.IndexOf('/', StringComparison.Ordinal); slash > 0; slash = name.IndexOf('/', slash + 1))
            {
                string directory = name[..(slash + 1)];
                if (directories.Add(directory))
                {
                    writer.WriteEntry(new PaxTarEntry(TarEntryType.Directory, directory) { Mode = (UnixFileMode)TestLayer.Octal(755), ModificationTime = TestLayer.Timestamp });
                }
            }

            writer.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, name)
            {
                Mode = (UnixFileMode)TestLayer.Octal(644),
                ModificationTime = TestLayer.Timestamp,
                DataStream = new MemoryStream(content, writable: false),
            });
        }
    }
}
