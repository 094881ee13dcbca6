using System.Security.Cryptography;
using EdgeVisor.Testing.Mqtt;
using EdgeVisor.Testing.Processes;

namespace EdgeVisor.Agent.Tests.Provisioning;

/// <summary>
/// Runs provisioning/install-agent.sh into a temporary staging root (<c>--root</c>), with a stand-in package: an
/// <c>edgevisor</c> shell script and a dll-named file (a real linux-arm64 publish takes minutes and cannot run
/// here; the script only copies the package). Certificates come from make-test-ca.sh, the signing key from .NET.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class StagingInstall : IDisposable
{
    /// <param name="ca">Certificates for dev-a and dev-b (shared by a test class; not disposed here).</param>
    public StagingInstall(TestCa ca)
    {
        Ca = ca;
        Directory.CreateDirectory(Package);
        File.WriteAllText(Path.Combine(Package, "edgevisor"), "#!/bin/sh\necho stand-in edgevisor \"$@\"\n");
        File.SetUnixFileMode(Path.Combine(Package, "edgevisor"), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute);
        File.WriteAllText(Path.Combine(Package, "edgevisor.dll"), "version 1");
        using var signing = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        File.WriteAllText(TrustedKey, signing.ExportSubjectPublicKeyInfoPem());
    }

    public TestCa Ca { get; }

    public string Work { get; } = Path.Combine(Path.GetTempPath(), "edgevisor-install-" + Guid.NewGuid().ToString("N")[..12]);

    public string Package => Path.Combine(Work, "package");

    public string Root => Path.Combine(Work, "root");

    public string TrustedKey => Path.Combine(Work, "signing.pub.pem");

    public static string Script => Path.Combine(ProvisioningFiles.Directory, "install-agent.sh");

    /// <summary>The arguments of a correct install of dev-a into <see cref="Root"/>, without systemctl.</summary>
    public List<string> Arguments(string deviceId = "dev-a", string certificateOf = "dev-a") =>
    [
        "--package", Package, "--device-id", deviceId, "--broker", "broker.lan:8884",
        "--ca", Ca.CaFile, "--cert", Ca.DeviceCertificateFile(certificateOf), "--key", Ca.DeviceKeyFile(certificateOf),
        "--trusted-key", TrustedKey, "--root", Root, "--no-systemctl",
    ];

    public ProcessResult Run(IReadOnlyList<string> arguments) =>
        ProcessRunner.Run(Script, arguments, Work, TimeSpan.FromSeconds(60));

    /// <summary>A path inside the staging root, given as on the device (<c>/etc/edgevisor/agent.json</c>).</summary>
    public string InRoot(string devicePath) => Path.Combine(Root, devicePath.TrimStart('/'));

    public void Dispose()
    {
        if (Directory.Exists(Work))
        {
            Directory.Delete(Work, recursive: true);
        }
    }
}

/// <summary>The certificates (dev-a, dev-b) an install test class shares: one CA run instead of one per test.</summary>
public sealed class DeviceCertificatesFixture : IDisposable
{
    public TestCa Ca { get; } = TestCa.Create("dev-a", "dev-b");

    public void Dispose() => Ca.Dispose();
}
