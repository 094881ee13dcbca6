namespace EdgeVisor.Workloads.Containers.Images;

/// <summary>Entry names of untrusted tarballs (image layers, image archives) made relative to the tarball's root.</summary>
internal static class TarPaths
{
    /// <summary>
    /// The components of <paramref name="name"/> under the root, as tar means it: a leading '/' is the root itself,
    /// '.' and empty components vanish, '..' goes up. Null when '..' would leave the root. An empty array is the root.
    /// </summary>
    public static string[]? Components(string name)
    {
        var components = new List<string>();
        foreach (string part in name.Split('/'))
        {
            if (part is "" or ".")
            {
                continue;
            }

            if (part == "..")
            {
                if (components.Count == 0)
                {
                    return null;
                }

                components.RemoveAt(components.Count - 1);
                continue;
            }

            components.Add(part);
        }

        return [.. components];
    }

    /// <summary>The components joined with '/' (the form error messages and archive lookups use).</summary>
    public static string Join(IEnumerable<string> components) => string.Join('/', components);
}
