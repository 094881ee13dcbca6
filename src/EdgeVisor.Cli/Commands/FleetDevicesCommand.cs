using System.CommandLine;
using System.Globalization;
using System.Text;
using EdgeVisor.Fleet.Client;

namespace EdgeVisor.Cli.Commands;

/// <summary><c>edgevisor fleet devices</c>: every device the broker knows, online or offline, since when, agent version.</summary>
internal static class FleetDevicesCommand
{
    private static readonly string[] Header = ["DEVICE", "STATUS", "SINCE", "AGENT"];

    public static Command Create()
    {
        var connection = new FleetConnectionArguments();
        var command = new Command("devices", "List devices with online/offline status.");
        connection.AddTo(command);
        command.SetAction((parse, cancellation) => FleetErrors.Guard(async () =>
        {
            var options = connection.Read(parse, out string? usage);
            if (usage is not null)
            {
                return FleetErrors.Fail(ExitCodes.Usage, usage);
            }

            await using var fleet = await FleetClient.ConnectAsync(options, cancellation);
            Console.Write(Table(await fleet.ListDevicesAsync(cancellation)));
            return ExitCodes.Success;
        }));
        return command;
    }

    internal static string Table(IReadOnlyList<DeviceSummary> devices)
    {
        if (devices.Count == 0)
        {
            return "no devices have connected to this broker\n";
        }

        var rows = new List<string[]> { Header };
        rows.AddRange(devices.Select(device => new[]
        {
            device.DeviceId,
            device.Status?.State ?? "unknown",
            device.Status is { Since: var since } && since != default ? since.ToUniversalTime().ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture) : "-",
            device.Status?.AgentVersion is { Length: > 0 } version ? version : device.Reported?.AgentVersion is { Length: > 0 } reported ? reported : "-",
        }));
        int[] widths = Enumerable.Range(0, rows[0].Length).Select(column => rows.Max(row => row[column].Length)).ToArray();
        var text = new StringBuilder();
        foreach (var row in rows)
        {
            text.Append(string.Join("  ", row.Select((cell, column) => cell.PadRight(widths[column]))).TrimEnd()).Append('\n');
        }

        return text.ToString();
    }
}
