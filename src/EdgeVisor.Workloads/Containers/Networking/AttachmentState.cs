using System.Text.Json;
using EdgeVisor.Protocol;

namespace EdgeVisor.Workloads.Containers.Networking;

/// <summary>
/// What an attachment made on the host, written before the first host change and deleted after the last undo, so
/// an agent killed half-way through either can remove exactly what is there.
/// </summary>
/// <param name="ContainerId">The container the objects belong to.</param>
/// <param name="Mode">The <see cref="NetworkModes"/> value.</param>
/// <param name="Namespace">The named network namespace (null for <c>host</c>).</param>
/// <param name="HostVeth">The host end of the veth pair (null for <c>host</c> and <c>none</c>).</param>
/// <param name="Address">The container's address without prefix, once leased.</param>
/// <param name="Ports">Host ports forwarded to the container (<c>nat</c>).</param>
internal sealed record AttachmentState(
    string ContainerId,
    string Mode,
    string? Namespace,
    string? HostVeth,
    string? Address,
    IReadOnlyList<PortForward> Ports);

/// <summary>The per-container directories under <c>&lt;directory&gt;/containers</c>: state file, resolv.conf and hosts.</summary>
internal sealed class AttachmentStore(string directory)
{
    private const string StateFileName = "attachment.json";

    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    private readonly string _root = Path.Combine(directory, "containers");

    public string DirectoryOf(string containerId) => Path.Combine(_root, containerId);

    /// <summary>Writes the state durably (temporary file, flush, rename) so a crash leaves the old or the new one.</summary>
    public void Write(AttachmentState state)
    {
        string containerDirectory = DirectoryOf(state.ContainerId);
        Directory.CreateDirectory(containerDirectory);
        string path = Path.Combine(containerDirectory, StateFileName);
        string temporary = path + ".tmp";
        using (var file = new FileStream(temporary, FileMode.Create, FileAccess.Write))
        {
            JsonSerializer.Serialize(file, state, JsonOptions);
            file.Flush(flushToDisk: true);
        }

        File.Move(temporary, path, overwrite: true);
    }

    /// <summary>The container's state, or null when it has none (never attached, or fully detached).</summary>
    public AttachmentState? Read(string containerId)
    {
        string path = Path.Combine(DirectoryOf(containerId), StateFileName);
        try
        {
            return JsonSerializer.Deserialize<AttachmentState>(File.ReadAllText(path), JsonOptions);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
        catch (JsonException e)
        {
            // Never torn by a crash (Write renames a complete file), so this is damage an operator must look at.
            throw new IOException($"network state {path} is unreadable: {e.Message}", e);
        }
    }

    /// <summary>Ids of every container with a directory here (with or without a readable state file).</summary>
    public IReadOnlyList<string> ContainerIds() =>
        Directory.Exists(_root) ? Directory.GetDirectories(_root).Select(Path.GetFileName).OfType<string>().ToList() : [];

    /// <summary>Every readable state but <paramref name="exceptContainerId"/>'s.</summary>
    public IEnumerable<AttachmentState> Others(string exceptContainerId) =>
        ContainerIds().Where(id => id != exceptContainerId).Select(Read).OfType<AttachmentState>();

    /// <summary>Removes the container's directory (state, resolv.conf, hosts): the last step of a detach.</summary>
    public void Delete(string containerId)
    {
        string containerDirectory = DirectoryOf(containerId);
        if (Directory.Exists(containerDirectory))
        {
            Directory.Delete(containerDirectory, recursive: true);
        }
    }
}
