namespace EdgeVisor.Testing.Mqtt;

/// <summary>
/// Where the shipped provisioning material lives in the source tree (found by walking up from the test output to
/// the directory holding EdgeVisor.sln), so tests run the real script and broker configuration, not copies.
/// </summary>
public static class ProvisioningFiles
{
    private static readonly Lazy<string> Root = new(FindRepositoryRoot);

    /// <summary>The repository's root directory.</summary>
    public static string RepositoryRoot => Root.Value;

    /// <summary>provisioning/ in the repository.</summary>
    public static string Directory => Path.Combine(RepositoryRoot, "provisioning");

    /// <summary>provisioning/make-test-ca.sh.</summary>
    public static string MakeTestCaScript => Path.Combine(Directory, "make-test-ca.sh");

    /// <summary>provisioning/mosquitto/edgevisor.conf: the broker configuration the tests start mosquitto from.</summary>
    public static string MosquittoConfig => Path.Combine(Directory, "mosquitto", "edgevisor.conf");

    /// <summary>provisioning/mosquitto/edgevisor.acl: the per-device ACL.</summary>
    public static string MosquittoAcl => Path.Combine(Directory, "mosquitto", "edgevisor.acl");

    private static string FindRepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "EdgeVisor.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"no EdgeVisor.sln in any directory above {AppContext.BaseDirectory}");
    }
}
