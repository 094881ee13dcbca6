using EdgeVisor.Agent.Hosting;
using EdgeVisor.Testing.Processes;
using EdgeVisor.Tests.Containers.Images;
using EdgeVisor.Tests.Containers.Registry;
using EdgeVisor.Workloads.Containers;
using EdgeVisor.Workloads.Containers.Images;
using EdgeVisor.Workloads.Containers.Registry;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace EdgeVisor.Agent.Tests.Hosting;

/// <summary>
/// <c>Agent:Containers</c> checks at start: each problem one line naming its key; a missing runtime binary is not
/// one (the agent still runs firmware; the container driver refuses container workloads naming the runtime).
/// </summary>
public sealed class ContainerOptionsTests
{
    private const string K = "Agent:Containers";

    public static TheoryData<string, string> BrokenCases => new()
    {
        { "runtime empty", $"{K}:Runtime is required" },
        { "runtime relative path", $"{K}:Runtime: 'bin/runc' is neither a name looked up on PATH nor an absolute path" },
        { "runtime root relative", $"{K}:RuntimeRoot: 'run/runc' is not an absolute path" },
        { "directory relative", $"{K}:Directory: 'containers' is not an absolute path" },
        { "cgroup parent escapes", $"{K}:CgroupParent: '../system.slice' is not a relative cgroup path" },
        { "cgroup parent absolute", $"{K}:CgroupParent: '/edgevisor' is not a relative cgroup path" },
        { "reserve negative", $"{K}:ReserveBytes: -1 must not be negative" },
        { "bridge too long", $"{K}:Network:BridgeName: 'edgevisor-bridge0' is not a network interface name" },
        { "bridge with slash", $"{K}:Network:BridgeName: 'ev/0' is not a network interface name" },
        { "subnet not CIDR", $"{K}:Network:Subnet: '10.89.0.0' is not an IPv4 network with a prefix length" },
        { "subnet IPv6", $"{K}:Network:Subnet: 'fd00::/64' is not an IPv4 network" },
        { "subnet too small", $"{K}:Network:Subnet: /30 does not fit: use a prefix from /8 to /28" },
        { "subnet host bits", $"{K}:Network:Subnet: '10.89.0.1/24' has host bits set (the network of that address is 10.89.0.0/24)" },
        { "nft table name", $"{K}:Network:NftTable: 'edge visor' is not an nftables table name" },
        { "nameserver", $"{K}:Network:Nameservers: 'dns.example' is not an IP address" },
        { "credential without registry", $"{K}:Registries:Credentials:0:Registry is required" },
        { "credential registry with path", $"{K}:Registries:Credentials:0:Registry: 'registry.example/team' is not a registry host (host or host:port)" },
        { "credential registry bad port", $"{K}:Registries:Credentials:0:Registry: 'registry.example:70000' is not a registry host" },
        { "credential registry twice", $"{K}:Registries:Credentials:1:Registry: 'Registry.Example:5000' already has a credential (entry 0)" },
        { "credential without user", $"{K}:Registries:Credentials:0:Username is required" },
        { "credential without password", $"{K}:Registries:Credentials:0: set either Password or PasswordFile" },
        { "credential with both", $"{K}:Registries:Credentials:0: set either Password or PasswordFile, not both" },
        { "credential password file missing", $"{K}:Registries:Credentials:0:PasswordFile: /nonexistent/registry.pass does not exist" },
        { "insecure with scheme", $"{K}:Registries:Insecure: 'https://registry.lan' is not a registry host" },
        { "ca file missing", $"{K}:Registries:CaFile: /nonexistent/registry-ca.pem does not exist" },
        { "request timeout", $"{K}:Registries:RequestTimeoutSeconds: 0 must be a positive number" },
    };

    [Theory]
    [MemberData(nameof(BrokenCases))]
    public void A_bad_container_option_is_one_line_naming_its_key(string @case, string line)
    {
        var options = Valid();
        Break(options.Containers, @case);

        var result = new AgentOptionsValidator().Validate(null, options);

        Assert.True(result.Failed, $"{@case} passed");
        string failure = Assert.Single(result.Failures!);
        Assert.StartsWith(line, failure, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', failure);
    }

    [Fact]
    public void The_defaults_and_a_full_valid_section_pass_and_a_missing_runtime_binary_is_not_a_start_problem()
    {
        Assert.True(new AgentOptionsValidator().Validate(null, Valid()).Succeeded);

        string passwordFile = Path.GetTempFileName();
        try
        {
            var options = Valid();
            options.Containers = new ContainerOptions
            {
                Runtime = "/nonexistent/crun",
                RuntimeRoot = "/run/edgevisor-test/runc",
                Directory = "/var/lib/edgevisor-test/containers",
                CgroupParent = "edgevisor.slice/test",
                Network = new NetworkOptions { BridgeName = "ev-test.0", Subnet = "172.30.16.0/20", NftTable = "edgevisor_test-1", Nameservers = ["192.0.2.53", "2001:db8::53"] },
                Registries = new RegistryOptions
                {
                    Credentials =
                    [
                        new RegistryCredential { Registry = "registry.example", Username = "pi", Password = "secret" },
                        new RegistryCredential { Registry = "registry.example:5000", Username = "pi", Password = "other" },
                        new RegistryCredential { Registry = "[fd00::1]:5000", Username = "pi", PasswordFile = passwordFile },
                    ],
                    Insecure = ["build.local:5000", "lab.local", "192.0.2.7"],
                },
            };

            var result = new AgentOptionsValidator().Validate(null, options);

            Assert.True(result.Succeeded, result.FailureMessage);
        }
        finally
        {
            File.Delete(passwordFile);
        }
    }

    [Fact]
    public async Task A_host_port_credential_in_agent_json_binds_and_wins_over_the_host_entry_in_a_pull_from_that_port()
    {
        await using DockerRegistry registry = await DockerRegistry.StartWithBasicAuthAsync("alice", "s3cret");
        BuiltImage image = BusyboxImage.Create();
        await registry.PushAsync("private/app", "1", image);
        string work = Directory.CreateTempSubdirectory("edgevisor-registry-options-").FullName;
        try
        {
            string key = Path.Combine(work, "trusted.pem");
            await File.WriteAllTextAsync(key, TrustedKeyPem);
            string config = Path.Combine(work, "agent.json");
            string host = RegistryHost.HostOf(registry.Host);
            await File.WriteAllTextAsync(config, $$"""
                { "Agent": { "DeviceId": "pi-01", "StateDirectory": "{{work}}/state", "TrustedKeys": [ "{{key}}" ],
                  "Containers": { "Registries": { "Credentials": [
                    { "Registry": "{{host}}", "Username": "alice", "Password": "for-every-other-port" },
                    { "Registry": "{{registry.Host}}", "Username": "alice", "Password": "s3cret" } ] } } } }
                """);
            using IHost agent = AgentHost.Create([], config).Build();
            RegistryOptions registries = agent.Services.GetRequiredService<IOptions<AgentOptions>>().Value.Containers.Registries;
            var client = new RegistryClient(RegistryClient.CreateHttpClient(registries), registries, NullLogger<RegistryClient>.Instance);

            string digest = await client.PullAsync(ImageReference.Parse(registry.Reference("private/app", "1")), image.ManifestDigest, Platform.Host,
                new BlobStore(Path.Combine(work, "blobs"), reserveBytes: 0), null, default);

            Assert.Equal([host, registry.Host], registries.Credentials.Select(c => c.Registry));
            Assert.Equal(image.ManifestDigest, digest);
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    [Fact]
    public async Task The_agent_command_refuses_bad_container_options_with_exit_78_one_line_each()
    {
        string state = Path.Combine(Path.GetTempPath(), "edgevisor-never-" + Guid.NewGuid().ToString("N")[..8], "state");
        string key = Path.GetTempFileName();
        await File.WriteAllTextAsync(key, TrustedKeyPem);
        ProcessResult result;
        try
        {
            result = await ProcessRunner.RunAsync(
                "dotnet",
                [Path.Combine(AppContext.BaseDirectory, "edgevisor.dll"), "agent", "--Agent:DeviceId=pi-01", $"--Agent:StateDirectory={state}", $"--Agent:TrustedKeys:0={key}",
                    "--Agent:Containers:Network:Subnet=10.89.0.0/31", "--Agent:Containers:Network:BridgeName=much-too-long-name"],
                Path.GetTempPath(),
                TimeSpan.FromSeconds(60));
        }
        finally
        {
            File.Delete(key);
        }

        Assert.Equal(78, result.ExitCode);
        string[] lines = result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, lines.Length);
        Assert.Contains(lines, l => l.StartsWith($"edgevisor agent: {K}:Network:Subnet: /31 does not fit", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith($"edgevisor agent: {K}:Network:BridgeName: 'much-too-long-name'", StringComparison.Ordinal));
        Assert.False(Directory.Exists(Path.GetDirectoryName(state)), "the state directory's parent was created");
    }

    private static readonly string TrustedKeyPem = SigningKey().ExportSubjectPublicKeyInfoPem();

    private static AgentOptions Valid() => new()
    {
        DeviceId = "pi-01",
        StateDirectory = Path.Combine(Path.GetTempPath(), "edgevisor-options-" + Guid.NewGuid().ToString("N")),
        TrustedKeys = [TrustedKeyPem],
    };

    private static System.Security.Cryptography.ECDsa SigningKey() => System.Security.Cryptography.ECDsa.Create(System.Security.Cryptography.ECCurve.NamedCurves.nistP256);

    private static RegistryCredential Credential(string registry) => new() { Registry = registry, Username = "pi", Password = "secret" };

    private static void Break(ContainerOptions options, string @case)
    {
        switch (@case)
        {
            case "runtime empty": options.Runtime = " "; break;
            case "runtime relative path": options.Runtime = "bin/runc"; break;
            case "runtime root relative": options.RuntimeRoot = "run/runc"; break;
            case "directory relative": options.Directory = "containers"; break;
            case "cgroup parent escapes": options.CgroupParent = "../system.slice"; break;
            case "cgroup parent absolute": options.CgroupParent = "/edgevisor"; break;
            case "reserve negative": options.ReserveBytes = -1; break;
            case "bridge too long": options.Network.BridgeName = "edgevisor-bridge0"; break;
            case "bridge with slash": options.Network.BridgeName = "ev/0"; break;
            case "subnet not CIDR": options.Network.Subnet = "10.89.0.0"; break;
            case "subnet IPv6": options.Network.Subnet = "fd00::/64"; break;
            case "subnet too small": options.Network.Subnet = "10.89.0.0/30"; break;
            case "subnet host bits": options.Network.Subnet = "10.89.0.1/24"; break;
            case "nft table name": options.Network.NftTable = "edge visor"; break;
            case "nameserver": options.Network.Nameservers = ["dns.example"]; break;
            case "credential without registry": options.Registries.Credentials = [new RegistryCredential { Username = "pi", Password = "secret" }]; break;
            case "credential registry with path": options.Registries.Credentials = [Credential("registry.example/team")]; break;
            case "credential registry bad port": options.Registries.Credentials = [Credential("registry.example:70000")]; break;
            case "credential registry twice": options.Registries.Credentials = [Credential("registry.example:5000"), Credential("Registry.Example:5000"), Credential("registry.example")]; break;
            case "credential without user": options.Registries.Credentials = [new RegistryCredential { Registry = "registry.example", Password = "secret" }]; break;
            case "credential without password": options.Registries.Credentials = [new RegistryCredential { Registry = "registry.example", Username = "pi" }]; break;
            case "credential with both": options.Registries.Credentials = [new RegistryCredential { Registry = "registry.example", Username = "pi", Password = "secret", PasswordFile = "/etc/hostname" }]; break;
            case "credential password file missing": options.Registries.Credentials = [new RegistryCredential { Registry = "registry.example", Username = "pi", PasswordFile = "/nonexistent/registry.pass" }]; break;
            case "insecure with scheme": options.Registries.Insecure = ["https://registry.lan"]; break;
            case "ca file missing": options.Registries.CaFile = "/nonexistent/registry-ca.pem"; break;
            case "request timeout": options.Registries.RequestTimeoutSeconds = 0; break;
            default: throw new ArgumentOutOfRangeException(nameof(@case), @case, "no such case");
        }
    }
}
