using EdgeVisor.Protocol;

namespace EdgeVisor.Workloads.Containers.Networking;

/// <summary>
/// Container addresses handed out as files <c>&lt;directory&gt;/leases/&lt;ip&gt;</c> holding the container id.
/// A lease is taken by creating its file with <see cref="FileMode.CreateNew"/>, which the file system makes atomic:
/// two attaches (even from two processes) never get the same address.
/// </summary>
internal sealed class AddressLeases(string directory)
{
    private readonly string _root = Path.Combine(directory, "leases");

    /// <summary>Takes <paramref name="address"/> for <paramref name="containerId"/>; false when someone holds it.</summary>
    public bool TryTake(uint address, string containerId)
    {
        Directory.CreateDirectory(_root);
        try
        {
            using var file = new FileStream(PathOf(address), FileMode.CreateNew, FileAccess.Write);
            file.Write(System.Text.Encoding.UTF8.GetBytes(containerId));
            file.Flush(flushToDisk: true);
            return true;
        }
        catch (IOException) when (File.Exists(PathOf(address)))
        {
            return false;
        }
    }

    /// <summary>
    /// The lowest free host address of <paramref name="subnet"/> taken for <paramref name="containerId"/>, never the
    /// network, the first host (the bridge's own address) or the broadcast address; null when all are taken.
    /// </summary>
    public uint? TakeFree(Ipv4Subnet subnet, string containerId)
    {
        for (uint candidate = subnet.Gateway + 1; candidate < subnet.Broadcast; candidate++)
        {
            if (TryTake(candidate, containerId))
            {
                return candidate;
            }
        }

        return null;
    }

    /// <summary>The container holding <paramref name="address"/>, or null when it is free.</summary>
    public string? Holder(uint address)
    {
        try
        {
            return File.ReadAllText(PathOf(address));
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
    }

    /// <summary>Releases every lease <paramref name="containerId"/> holds (there is at most one; scanning also finds a lease whose state was never written).</summary>
    public void ReleaseAll(string containerId)
    {
        foreach ((string path, string holder) in All())
        {
            if (holder == containerId)
            {
                File.Delete(path);
            }
        }
    }

    /// <summary>Ids of the containers holding a lease.</summary>
    public IEnumerable<string> Holders() => All().Select(lease => lease.Holder).Distinct();

    private IEnumerable<(string Path, string Holder)> All()
    {
        if (!Directory.Exists(_root))
        {
            yield break;
        }

        foreach (string path in Directory.GetFiles(_root))
        {
            string holder;
            try
            {
                holder = File.ReadAllText(path);
            }
            catch (FileNotFoundException)
            {
                continue; // released meanwhile
            }

            yield return (path, holder);
        }
    }

    private string PathOf(uint address) => Path.Combine(_root, Ipv4Text.Format(address));
}
