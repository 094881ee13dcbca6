using System.CommandLine;
using System.Net;
using System.Runtime.InteropServices;
using EdgeVisor.Fleet.Broker;
using EdgeVisor.Protocol;
using Microsoft.Extensions.Logging;

namespace EdgeVisor.Cli.Commands;

/// <summary>
/// <c>edgevisor fleet broker</c>: runs the embedded MQTT broker (per-device ACL, optional TLS with client
/// certificates, retained messages kept in --data-dir) until Ctrl-C or SIGTERM, logging connects and refusals.
/// </summary>
internal static class FleetBrokerCommand
{
    public static Command Create()
    {
        var port = new Option<int>("--port") { Description = "TCP port (default 1883, or 8883 with TLS; 0 picks a free one and prints it).", DefaultValueFactory = _ => -1 };
        var bind = new Option<string>("--bind") { Description = "Address to listen on (default 127.0.0.1; 0.0.0.0 for every interface — use TLS then).", DefaultValueFactory = _ => "127.0.0.1" };
        var dataDir = new Option<DirectoryInfo?>("--data-dir") { Description = "Keep retained messages (desired, reported, status) here across restarts." };
        var tlsCert = new Option<FileInfo?>("--tls-cert") { Description = "PEM server certificate: serve TLS only." };
        var tlsKey = new Option<FileInfo?>("--tls-key") { Description = "PEM key of --tls-cert." };
        var clientCa = new Option<FileInfo?>("--client-ca") { Description = "PEM CA for client certificates: every client must present one; its CN is the identity." };
        var passwordFile = new Option<FileInfo?>("--controller-password-file") { Description = "Controllers without a client certificate must present this password." };
        var command = new Command("broker", "Run the embedded MQTT broker with the per-device ACL.")
        {
            port, bind, dataDir, tlsCert, tlsKey, clientCa, passwordFile,
        };
        command.SetAction((parse, cancellation) => FleetErrors.Guard(async () =>
        {
            if (!IPAddress.TryParse(parse.GetValue(bind), out var address))
            {
                return FleetErrors.Fail(ExitCodes.Usage, $"--bind: '{parse.GetValue(bind)}' is not an IP address");
            }

            var options = new EmbeddedBrokerOptions
            {
                BindAddress = address,
                DataDirectory = parse.GetValue(dataDir)?.FullName,
                TlsCertificateFile = parse.GetValue(tlsCert)?.FullName,
                TlsKeyFile = parse.GetValue(tlsKey)?.FullName,
                ClientCaFile = parse.GetValue(clientCa)?.FullName,
            };
            int chosenPort = parse.GetValue(port);
            options.Port = chosenPort >= 0 ? chosenPort : BrokerPorts.Default(options.UsesTls);
            if (parse.GetValue(passwordFile) is { } file)
            {
                if (!file.Exists)
                {
                    return FleetErrors.Fail(ExitCodes.BadConfiguration, $"--controller-password-file: {file.FullName}: no such file");
                }

                options.ControllerPassword = File.ReadAllText(file.FullName).TrimEnd('\r', '\n');
                if (options.ControllerPassword.Length == 0)
                {
                    return FleetErrors.Fail(ExitCodes.BadConfiguration, $"--controller-password-file: {file.FullName}: empty");
                }
            }

            return await RunAsync(options, cancellation);
        }));
        return command;
    }

    private static async Task<int> RunAsync(EmbeddedBrokerOptions options, CancellationToken cancellation)
    {
        using var loggers = LoggerFactory.Create(logging => logging.AddSimpleConsole(console =>
        {
            console.SingleLine = true;
            console.TimestampFormat = "HH:mm:ss ";
        }));
        var logger = loggers.CreateLogger("edgevisor.broker");
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        // SIGINT/SIGTERM stop the broker instead of ending the process, so retained messages are written out.
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, signal =>
        {
            signal.Cancel = true;
            stop.Cancel();
        });
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, signal =>
        {
            signal.Cancel = true;
            stop.Cancel();
        });

        await using var broker = await EmbeddedBroker.StartAsync(options, logger, stop.Token);
        if (!IPAddress.IsLoopback(options.BindAddress) && !options.UsesTls && options.ControllerPassword is null)
        {
            logger.LogWarning("listening beyond loopback without TLS or a controller password: anybody who reaches {Endpoint} can act as a controller", broker.Endpoint);
        }

        // One machine-readable line first, for scripts and tests that started the broker on --port 0.
        Console.WriteLine($"edgevisor fleet broker: listening on {broker.Endpoint}");
        try
        {
            await Task.Delay(Timeout.Infinite, stop.Token);
        }
        catch (OperationCanceledException)
        {
            // Ctrl-C or SIGTERM: the normal way to stop.
        }

        await broker.StopAsync();
        return ExitCodes.Success;
    }
}
