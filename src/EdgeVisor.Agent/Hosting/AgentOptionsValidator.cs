using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using EdgeVisor.Agent.Reconciliation;
using EdgeVisor.Protocol;
using Microsoft.Extensions.Options;

namespace EdgeVisor.Agent.Hosting;

/// <summary>
/// Checks <see cref="AgentOptions"/> at start (ValidateOnStart), before anything is created: every problem is one
/// line naming the configuration key (<c>Agent:Broker:Port: 70000 is not a port (1-65535, 0 for the default)</c>).
/// </summary>
public sealed class AgentOptionsValidator : IValidateOptions<AgentOptions>
{
    private const string S = AgentOptions.Section;

    public ValidateOptionsResult Validate(string? name, AgentOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var problems = new List<string>();
        CheckIdentity(options, problems);
        CheckBroker(options.Broker, problems);
        CheckNumbers(options, problems);
        ContainerOptionsCheck.Check(options.Containers, $"{S}:Containers", problems);
        problems.AddRange(TrustedKeys.Check(options.TrustedKeys, out var anchors));
        anchors.Dispose();
        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }

    private static void CheckIdentity(AgentOptions options, List<string> problems)
    {
        if (string.IsNullOrEmpty(options.DeviceId))
        {
            problems.Add($"{S}:DeviceId is required (this device's id: 1-64 letters, digits, '.', '_' or '-')");
        }
        else if (!Names.IsValid(options.DeviceId))
        {
            problems.Add($"{S}:DeviceId: '{options.DeviceId}' is not valid: use 1-64 letters, digits, '.', '_' or '-', not starting with '.' or '-'");
        }

        if (string.IsNullOrWhiteSpace(options.StateDirectory))
        {
            problems.Add($"{S}:StateDirectory is required");
        }
        else if (WritableProblem(options.StateDirectory) is { } problem)
        {
            problems.Add($"{S}:StateDirectory: {problem}");
        }

        if (options.KillAt is { } killAt && !FaultPoints.All.Contains(killAt))
        {
            problems.Add($"{S}:KillAt: '{killAt}' is not a fault point ({string.Join(", ", FaultPoints.All)})");
        }
    }

    private static void CheckBroker(BrokerOptions broker, List<string> problems)
    {
        const string B = S + ":Broker";
        if (string.IsNullOrWhiteSpace(broker.Host))
        {
            problems.Add($"{B}:Host is required");
        }

        if (broker.Port is < 0 or > 65535)
        {
            problems.Add($"{B}:Port: {broker.Port} is not a port (1-65535, or 0 for 8883 with TLS and 1883 without)");
        }

        if (broker.KeepAliveSeconds is < 1 or > 65535)
        {
            problems.Add($"{B}:KeepAliveSeconds: {broker.KeepAliveSeconds} must be 1 to 65535");
        }

        Positive(broker.ReconnectInitialSeconds, $"{B}:ReconnectInitialSeconds", problems);
        Positive(broker.ConnectTimeoutSeconds, $"{B}:ConnectTimeoutSeconds", problems);
        if (broker.ReconnectMaxSeconds < broker.ReconnectInitialSeconds)
        {
            problems.Add($"{B}:ReconnectMaxSeconds: {broker.ReconnectMaxSeconds} is less than ReconnectInitialSeconds ({broker.ReconnectInitialSeconds})");
        }

        if (!string.IsNullOrEmpty(broker.Password) && string.IsNullOrEmpty(broker.Username))
        {
            problems.Add($"{B}:Password is set without {B}:Username");
        }

        if (!broker.UseTls)
        {
            foreach (var (key, value) in new[] { ("CaFile", broker.CaFile), ("CertificateFile", broker.CertificateFile), ("KeyFile", broker.KeyFile) })
            {
                if (!string.IsNullOrEmpty(value))
                {
                    problems.Add($"{B}:{key} is set but {B}:UseTls is false (set UseTls to true, or remove {key})");
                }
            }

            return;
        }

        if (!string.IsNullOrEmpty(broker.CaFile))
        {
            CheckCa(broker.CaFile, $"{B}:CaFile", problems);
        }

        if (string.IsNullOrEmpty(broker.CertificateFile) != string.IsNullOrEmpty(broker.KeyFile))
        {
            problems.Add($"{B}:CertificateFile and {B}:KeyFile go together (mutual TLS needs both)");
        }
        else if (!string.IsNullOrEmpty(broker.CertificateFile))
        {
            CheckClientCertificate(broker.CertificateFile, broker.KeyFile!, $"{B}:CertificateFile", problems);
        }
    }

    internal static void CheckCa(string file, string key, List<string> problems)
    {
        if (!File.Exists(file))
        {
            problems.Add($"{key}: {file} does not exist");
            return;
        }

        try
        {
            var roots = new X509Certificate2Collection();
            roots.ImportFromPemFile(file);
            if (roots.Count == 0)
            {
                problems.Add($"{key}: {file} holds no PEM certificate");
            }

            foreach (var root in roots)
            {
                root.Dispose();
            }
        }
        catch (Exception e) when (e is CryptographicException or IOException or UnauthorizedAccessException)
        {
            problems.Add($"{key}: {file} is not a PEM certificate bundle ({FirstLine(e)})");
        }
    }

    private static void CheckClientCertificate(string certificateFile, string keyFile, string key, List<string> problems)
    {
        foreach (var (name, file) in new[] { (key, certificateFile), (key.Replace("CertificateFile", "KeyFile", StringComparison.Ordinal), keyFile) })
        {
            if (!File.Exists(file))
            {
                problems.Add($"{name}: {file} does not exist");
                return;
            }
        }

        try
        {
            using var certificate = X509Certificate2.CreateFromPemFile(certificateFile, keyFile);
            if (!certificate.HasPrivateKey)
            {
                problems.Add($"{key}: {certificateFile} has no matching private key in {keyFile}");
            }
        }
        catch (Exception e) when (e is CryptographicException or IOException or UnauthorizedAccessException or ArgumentException)
        {
            problems.Add($"{key}: {certificateFile} with {keyFile} is not a PEM certificate and its private key ({FirstLine(e)})");
        }
    }

    private static void CheckNumbers(AgentOptions options, List<string> problems)
    {
        Positive(options.MaxDocumentBytes, $"{S}:MaxDocumentBytes", problems);
        Positive(options.TelemetrySeconds, $"{S}:TelemetrySeconds", problems);
        Positive(options.ShutdownTimeoutSeconds, $"{S}:ShutdownTimeoutSeconds", problems);
        if (options.OutboxMaxEntries < 100)
        {
            problems.Add($"{S}:OutboxMaxEntries: {options.OutboxMaxEntries} is too small (at least 100)");
        }

        var reconcile = options.Reconcile;
        if (reconcile.HealthCheckSeconds < 0)
        {
            problems.Add($"{S}:Reconcile:HealthCheckSeconds: {reconcile.HealthCheckSeconds} must not be negative");
        }

        Positive(reconcile.RetryInitialSeconds, $"{S}:Reconcile:RetryInitialSeconds", problems);
        Positive(reconcile.StopGraceSeconds, $"{S}:Reconcile:StopGraceSeconds", problems);
        if (reconcile.RetryMaxSeconds < reconcile.RetryInitialSeconds)
        {
            problems.Add($"{S}:Reconcile:RetryMaxSeconds: {reconcile.RetryMaxSeconds} is less than RetryInitialSeconds ({reconcile.RetryInitialSeconds})");
        }

        var artifacts = options.Artifacts;
        Positive(artifacts.DownloadTimeoutSeconds, $"{S}:Artifacts:DownloadTimeoutSeconds", problems);
        if (artifacts.MaxUnreferencedBytes < 0)
        {
            problems.Add($"{S}:Artifacts:MaxUnreferencedBytes: {artifacts.MaxUnreferencedBytes} must not be negative");
        }

        if (artifacts.MinFreeBytes < 0)
        {
            problems.Add($"{S}:Artifacts:MinFreeBytes: {artifacts.MinFreeBytes} must not be negative");
        }
    }

    internal static void Positive(double value, string key, List<string> problems)
    {
        if (!(value > 0) || double.IsInfinity(value))
        {
            problems.Add($"{key}: {value} must be a positive number");
        }
    }

    /// <summary>Whether the agent could create its files there, checked without leaving anything behind.</summary>
    private static string? WritableProblem(string directory)
    {
        if (File.Exists(directory))
        {
            return $"{directory} is a file, not a directory";
        }

        // The directory is created at start if missing: then its nearest existing ancestor must be writable.
        string? probe = Path.GetFullPath(directory);
        while (probe is not null && !Directory.Exists(probe))
        {
            probe = Path.GetDirectoryName(probe);
        }

        if (probe is null)
        {
            return $"{directory}: no existing parent directory";
        }

        try
        {
            using (new FileStream(Path.Combine(probe, $".edgevisor-write-test-{Environment.ProcessId}"), FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.DeleteOnClose))
            {
            }

            return null;
        }
        catch (Exception e) when (e is UnauthorizedAccessException or IOException)
        {
            return $"{directory} is not writable by this user ({FirstLine(e)} in {probe})";
        }
    }

    internal static string FirstLine(Exception e) => e.Message.Split('\n')[0].TrimEnd('.');
}
