using System.Security.Cryptography.X509Certificates;
using EdgeVisor.Testing.Mqtt;
using EdgeVisor.Testing.Processes;

namespace EdgeVisor.Agent.Tests.Provisioning;

/// <summary>
/// provisioning/make-test-ca.sh, checked with openssl (the chain) and .NET's X509 reader (names, key type,
/// usages): what the broker and the agents will be handed.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class TestCaScriptTests
{
    [Fact]
    public void Every_certificate_chains_to_the_ca_with_the_right_name_key_and_usage()
    {
        using var ca = TestCa.Create("dev-a", "pi.kitchen_2");

        string[] leaves = [ca.BrokerCertificateFile, ca.ControllerCertificateFile, ca.DeviceCertificateFile("dev-a"), ca.DeviceCertificateFile("pi.kitchen_2")];
        ProcessResult verify = ProcessRunner.Run("openssl", ["verify", "-CAfile", ca.CaFile, .. leaves], ca.Directory, TimeSpan.FromSeconds(30));
        Assert.True(verify.ExitCode == 0, $"openssl verify failed:\n{ProcessRunner.AsText(verify.Stdout)}{verify.Stderr}");

        using X509Certificate2 root = X509CertificateLoader.LoadCertificateFromFile(ca.CaFile);
        Assert.True(root.Extensions.OfType<X509BasicConstraintsExtension>().Single().CertificateAuthority);

        using X509Certificate2 broker = X509CertificateLoader.LoadCertificateFromFile(ca.BrokerCertificateFile);
        Assert.Equal("localhost", broker.GetNameInfo(X509NameType.SimpleName, forIssuer: false));
        var san = broker.Extensions.OfType<X509SubjectAlternativeNameExtension>().Single();
        Assert.Contains("localhost", san.EnumerateDnsNames());
        Assert.Contains(System.Net.IPAddress.Loopback, san.EnumerateIPAddresses());
        Assert.Contains(broker.Extensions.OfType<X509EnhancedKeyUsageExtension>().Single().EnhancedKeyUsages.Cast<System.Security.Cryptography.Oid>(), oid => oid.Value == "1.3.6.1.5.5.7.3.1");

        foreach ((string file, string cn) in new[] { (ca.ControllerCertificateFile, "controller"), (ca.DeviceCertificateFile("dev-a"), "dev-a"), (ca.DeviceCertificateFile("pi.kitchen_2"), "pi.kitchen_2") })
        {
            using X509Certificate2 client = X509CertificateLoader.LoadCertificateFromFile(file);
            Assert.Equal(cn, client.GetNameInfo(X509NameType.SimpleName, forIssuer: false));
            Assert.Contains(client.Extensions.OfType<X509EnhancedKeyUsageExtension>().Single().EnhancedKeyUsages.Cast<System.Security.Cryptography.Oid>(), oid => oid.Value == "1.3.6.1.5.5.7.3.2");
            Assert.False(client.Extensions.OfType<X509BasicConstraintsExtension>().Single().CertificateAuthority, $"{cn} must not be a CA");
            using var key = client.GetECDsaPublicKey();
            Assert.True(key is not null, $"{cn}'s key is not EC");
            Assert.Equal(256, key.KeySize);
            Assert.Equal("1.2.840.10045.3.1.7", key.ExportParameters(false).Curve.Oid.Value); // P-256
            Assert.True(client.NotAfter - client.NotBefore <= TimeSpan.FromDays(31), $"{cn} is valid for {client.NotAfter - client.NotBefore}, not a short test validity");
        }

        // The private keys are readable by their owner only.
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(ca.DeviceKeyFile("dev-a")));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(ca.CaKeyFile));
    }

    [Fact]
    public void Running_it_again_keeps_existing_certificates_and_adds_new_devices()
    {
        using var ca = TestCa.Create("dev-a");
        string caBefore = File.ReadAllText(ca.CaFile);
        string deviceBefore = File.ReadAllText(ca.DeviceCertificateFile("dev-a"));

        ca.AddDevices("dev-a", "dev-b");

        Assert.Equal(caBefore, File.ReadAllText(ca.CaFile));
        Assert.Equal(deviceBefore, File.ReadAllText(ca.DeviceCertificateFile("dev-a")));
        ProcessResult verify = ProcessRunner.Run("openssl", ["verify", "-CAfile", ca.CaFile, ca.DeviceCertificateFile("dev-b")], ca.Directory, TimeSpan.FromSeconds(30));
        Assert.True(verify.ExitCode == 0, $"the added device's certificate does not chain to the same CA:\n{verify.Stderr}");
    }

    [Theory]
    [InlineData(new string[0], "usage:")]
    [InlineData(new[] { "{dir}", "bad/id" }, "device id 'bad/id' is not valid")]
    [InlineData(new[] { "{dir}", "-dash-first" }, "device id '-dash-first' is not valid")]
    [InlineData(new[] { "{dir}", "controller" }, "device id 'controller' is reserved")]
    [InlineData(new[] { "{dir}", "controller-ops" }, "device id 'controller-ops' is reserved")]
    public void Bad_arguments_get_a_usage_error_and_write_nothing(string[] arguments, string expected)
    {
        string directory = Path.Combine(Path.GetTempPath(), "edgevisor-ca-bad-" + Guid.NewGuid().ToString("N")[..8]);
        ProcessResult result = TestCa.RunScript([.. arguments.Select(a => a.Replace("{dir}", directory, StringComparison.Ordinal))]);

        Assert.Equal(64, result.ExitCode);
        Assert.Contains(expected, result.Stderr, StringComparison.Ordinal);
        Assert.Single(result.Stderr.Trim().Split('\n'));
        Assert.False(Directory.Exists(directory), "the script created its output directory although its arguments were bad");
    }

    [Fact]
    public void Extra_broker_names_from_the_environment_go_into_the_broker_certificate()
    {
        string directory = Path.Combine(Path.GetTempPath(), "edgevisor-ca-names-" + Guid.NewGuid().ToString("N")[..8]);
        try
        {
            ProcessResult result = TestCa.RunScript([directory], new Dictionary<string, string> { ["EDGEVISOR_BROKER_NAMES"] = "DNS:broker.lan,IP:10.0.0.5" });
            Assert.True(result.ExitCode == 0, result.Stderr);

            using X509Certificate2 broker = X509CertificateLoader.LoadCertificateFromFile(Path.Combine(directory, "broker.pem"));
            var san = broker.Extensions.OfType<X509SubjectAlternativeNameExtension>().Single();
            Assert.Equal(["localhost", "broker.lan"], san.EnumerateDnsNames());
            Assert.Equal([System.Net.IPAddress.Loopback, System.Net.IPAddress.Parse("10.0.0.5")], san.EnumerateIPAddresses());
        }
        finally
        {
            if (Directory.Exists(directory))
            {
                Directory.Delete(directory, recursive: true);
            }
        }
    }
}
