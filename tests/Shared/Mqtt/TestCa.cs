using EdgeVisor.Testing.Processes;

namespace EdgeVisor.Testing.Mqtt;

/// <summary>
/// A throw-away PKI made by the shipped provisioning/make-test-ca.sh in a temporary directory: CA, broker
/// certificate (CN=localhost, SAN localhost and 127.0.0.1), controller certificate (CN=controller) and one client
/// certificate per device (CN=device id). Dispose deletes the directory.
/// </summary>
public sealed class TestCa : IDisposable
{
    private TestCa(string directory) => Directory = directory;

    /// <summary>The directory the script wrote into.</summary>
    public string Directory { get; }

    /// <summary>The CA certificate (what clients trust the broker by, and the broker trusts clients by).</summary>
    public string CaFile => Path.Combine(Directory, "ca.pem");

    public string CaKeyFile => Path.Combine(Directory, "ca.key");

    public string BrokerCertificateFile => Path.Combine(Directory, "broker.pem");

    public string BrokerKeyFile => Path.Combine(Directory, "broker.key");

    public string ControllerCertificateFile => Path.Combine(Directory, "controller.pem");

    public string ControllerKeyFile => Path.Combine(Directory, "controller.key");

    /// <summary>The client certificate with CN=<paramref name="deviceId"/> (issued if it was named at creation or by <see cref="AddDevices"/>).</summary>
    public string DeviceCertificateFile(string deviceId) => Path.Combine(Directory, "devices", deviceId + ".pem");

    public string DeviceKeyFile(string deviceId) => Path.Combine(Directory, "devices", deviceId + ".key");

    /// <summary>Runs make-test-ca.sh into a new temporary directory for <paramref name="deviceIds"/>.</summary>
    public static TestCa Create(params string[] deviceIds)
    {
        string directory = Path.Combine(Path.GetTempPath(), "edgevisor-ca-" + Guid.NewGuid().ToString("N")[..12]);
        var ca = new TestCa(directory);
        try
        {
            ca.AddDevices(deviceIds);
            return ca;
        }
        catch
        {
            ca.Dispose();
            throw;
        }
    }

    /// <summary>Runs the script again for more devices; existing certificates are kept (the script is idempotent).</summary>
    public void AddDevices(params string[] deviceIds)
    {
        ProcessResult result = RunScript([Directory, .. deviceIds]);
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException(
                $"{result.CommandLine} exited with {result.ExitCode?.ToString() ?? "a timeout"}:\n{result.Stderr}{ProcessRunner.AsText(result.Stdout)}");
        }
    }

    /// <summary>Runs make-test-ca.sh with exactly these arguments (for tests of its own error handling).</summary>
    public static ProcessResult RunScript(IReadOnlyList<string> arguments, IReadOnlyDictionary<string, string>? environment = null)
    {
        if (environment is null || environment.Count == 0)
        {
            return ProcessRunner.Run(ProvisioningFiles.MakeTestCaScript, arguments, Path.GetTempPath(), TimeSpan.FromSeconds(60));
        }

        // ProcessRunner has no environment parameter; `env` sets it for the child only.
        string[] withEnvironment = [.. environment.Select(pair => $"{pair.Key}={pair.Value}"), ProvisioningFiles.MakeTestCaScript, .. arguments];
        return ProcessRunner.Run("env", withEnvironment, Path.GetTempPath(), TimeSpan.FromSeconds(60));
    }

    public void Dispose()
    {
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
            // never created: the script failed before writing anything
        }
    }
}
