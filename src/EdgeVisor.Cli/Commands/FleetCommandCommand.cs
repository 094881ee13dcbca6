using System.CommandLine;
using System.Text.Json;
using EdgeVisor.Fleet.Client;
using EdgeVisor.Protocol;

namespace EdgeVisor.Cli.Commands;

/// <summary>
/// <c>edgevisor fleet command --device ID NAME [--arg k=v]…</c>: sends one command (ping, restart-workload,
/// get-logs, reboot-agent) and prints the device's result as JSON; Ok=false is exit 1 with the device's error.
/// </summary>
internal static class FleetCommandCommand
{
    private static readonly JsonSerializerOptions Indented = new(ProtocolJson.Options) { WriteIndented = true };

    public static Command Create()
    {
        var connection = new FleetConnectionArguments();
        var device = new Option<string>("--device", "-d") { Description = "The device to ask.", Required = true };
        var arguments = new Option<string[]>("--arg") { Description = "A command argument as key=value (repeat for more), e.g. --arg workload=sensor." };
        var timeout = new Option<string>("--timeout") { Description = "How long to wait for the answer (exit 124 after).", DefaultValueFactory = _ => "10s" };
        var name = new Argument<string>("name") { Description = $"{CommandNames.Ping}, {CommandNames.RestartWorkload}, {CommandNames.GetLogs} or {CommandNames.RebootAgent}." };
        var command = new Command("command", "Send a command to a device and print its answer.") { device, arguments, timeout, name };
        connection.AddTo(command);
        command.SetAction((parse, cancellation) => FleetErrors.Guard(async () =>
        {
            string deviceId = parse.GetValue(device)!;
            string commandName = parse.GetValue(name)!;
            if (!Names.IsValid(deviceId))
            {
                return FleetErrors.Fail(ExitCodes.Usage, $"--device: '{deviceId}' is not a valid device id");
            }

            if (!Names.IsValid(commandName))
            {
                return FleetErrors.Fail(ExitCodes.Usage, $"'{commandName}' is not a valid command name");
            }

            if (!DurationParser.TryParse(parse.GetValue(timeout)!, out var limit))
            {
                return FleetErrors.Fail(ExitCodes.Usage, $"--timeout: '{parse.GetValue(timeout)}' is not a duration (use 10s, 1m)");
            }

            var values = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (string pair in parse.GetValue(arguments) ?? [])
            {
                int equals = pair.IndexOf('=', StringComparison.Ordinal);
                if (equals <= 0)
                {
                    return FleetErrors.Fail(ExitCodes.Usage, $"--arg: '{pair}' is not key=value");
                }

                values[pair[..equals]] = pair[(equals + 1)..];
            }

            var options = connection.Read(parse, out string? usage);
            if (usage is not null)
            {
                return FleetErrors.Fail(ExitCodes.Usage, usage);
            }

            await using var fleet = await FleetClient.ConnectAsync(options, cancellation);
            var response = await fleet.SendCommandAsync(deviceId, commandName, values, limit, cancellation);
            if (!response.Ok)
            {
                return FleetErrors.Fail(ExitCodes.Failed, $"{deviceId} {commandName}: {response.Error ?? "failed without a reason"}");
            }

            Console.WriteLine(response.Result is null ? "{}" : response.Result.ToJsonString(Indented));
            return ExitCodes.Success;
        }));
        return command;
    }
}
