using System.CommandLine;
using System.Globalization;
using EdgeVisor.Fleet.Client;

namespace EdgeVisor.Cli.Commands;

/// <summary>
/// The broker options every <c>edgevisor fleet</c> command shares (one definition, added to each command):
/// <c>--broker host:port</c>, TLS (<c>--tls</c>, <c>--ca</c>, <c>--cert</c>, <c>--key</c>), <c>--user</c> and
/// <c>--password-file</c> for the controller identity.
/// </summary>
internal sealed class FleetConnectionArguments
{
    public const string DefaultBroker = "localhost:1883";

    private readonly Option<string> _broker = new("--broker")
    {
        Description = "Broker address host:port (default localhost:1883; port 8883 when TLS is on and none is given).",
        DefaultValueFactory = _ => DefaultBroker,
    };

    private readonly Option<bool> _tls = new("--tls") { Description = "Connect with TLS (implied by --ca and --cert)." };

    private readonly Option<FileInfo?> _ca = new("--ca") { Description = "PEM CA that signed the broker's certificate (default: the system store)." };

    private readonly Option<FileInfo?> _cert = new("--cert") { Description = "PEM client certificate of this controller (CN controller or controller-NAME)." };

    private readonly Option<FileInfo?> _key = new("--key") { Description = "PEM private key of --cert." };

    private readonly Option<string> _user = new("--user")
    {
        Description = "Controller identity presented as MQTT user name (brokers without TLS use it).",
        DefaultValueFactory = _ => "controller",
    };

    private readonly Option<FileInfo?> _passwordFile = new("--password-file") { Description = "File holding the controller password ('fleet broker --controller-password-file')." };

    public void AddTo(Command command)
    {
        command.Options.Add(_broker);
        command.Options.Add(_tls);
        command.Options.Add(_ca);
        command.Options.Add(_cert);
        command.Options.Add(_key);
        command.Options.Add(_user);
        command.Options.Add(_passwordFile);
    }

    /// <summary>The connection options, or a one-line usage error naming the option.</summary>
    public FleetConnectionOptions Read(ParseResult parse, out string? error)
    {
        error = null;
        var options = new FleetConnectionOptions { UserName = parse.GetValue(_user) ?? "controller" };
        string broker = parse.GetValue(_broker) ?? DefaultBroker;
        if (!TryParseEndpoint(broker, out string host, out int port))
        {
            error = $"--broker: '{broker}' is not host:port";
            return options;
        }

        options.Host = host;
        options.Port = port;
        options.CaFile = parse.GetValue(_ca)?.FullName;
        options.CertificateFile = parse.GetValue(_cert)?.FullName;
        options.KeyFile = parse.GetValue(_key)?.FullName;
        options.UseTls = parse.GetValue(_tls) || options.CaFile is not null || options.CertificateFile is not null;
        foreach (var (name, file) in new[] { ("--ca", options.CaFile), ("--cert", options.CertificateFile), ("--key", options.KeyFile) })
        {
            if (file is not null && !File.Exists(file))
            {
                error = $"{name}: {file}: no such file";
                return options;
            }
        }

        if (parse.GetValue(_passwordFile) is { } passwordFile)
        {
            if (!passwordFile.Exists)
            {
                error = $"--password-file: {passwordFile.FullName}: no such file";
                return options;
            }

            options.Password = File.ReadAllText(passwordFile.FullName).TrimEnd('\r', '\n');
        }

        return options;
    }

    /// <summary><c>host</c>, <c>host:port</c> or <c>[v6address]:port</c>; port 0 means "the default for the transport".</summary>
    public static bool TryParseEndpoint(string text, out string host, out int port)
    {
        host = text;
        port = 0;
        if (text.Length == 0)
        {
            return false;
        }

        string portText = "";
        if (text.StartsWith('['))
        {
            int close = text.IndexOf(']', StringComparison.Ordinal);
            if (close < 0)
            {
                return false;
            }

            host = text[1..close];
            portText = text[(close + 1)..].TrimStart(':');
        }
        else if (text.LastIndexOf(':') is int colon and >= 0)
        {
            host = text[..colon];
            portText = text[(colon + 1)..];
        }

        if (host.Length == 0)
        {
            return false;
        }

        return portText.Length == 0
            || (int.TryParse(portText, NumberStyles.None, CultureInfo.InvariantCulture, out port) && port is > 0 and < 65536);
    }
}
