namespace EdgeVisor.Workloads.Containers.Bundles;

/// <summary>A volume's directory on the host, made once and then left to the workload.</summary>
internal static class VolumeDirectory
{
    /// <summary>
    /// Makes <paramref name="directory"/> unless it exists (then it holds the workload's data and is left as it is):
    /// <paramref name="make"/> creates and fills it under a temporary name, which is then renamed, so a crash never
    /// leaves a half-made volume that a later start would take for a whole one.
    /// </summary>
    public static void CreateOnce(string directory, Action<string> make)
    {
        if (Directory.Exists(directory))
        {
            return;
        }

        Directory.CreateDirectory(Path.GetDirectoryName(directory)!);
        string temporary = $"{directory}.new-{Guid.NewGuid():N}";
        try
        {
            make(temporary);
            Directory.Move(temporary, directory);
        }
        catch
        {
            if (Directory.Exists(temporary))
            {
                Directory.Delete(temporary, recursive: true);
            }

            throw;
        }
    }
}
