using System.CommandLine;
using System.Globalization;
using System.Text;
using EdgeVisor.Fleet.Client;
using EdgeVisor.Protocol;

namespace EdgeVisor.Cli.Commands;

/// <summary>
/// <c>edgevisor fleet status [--device ID] [--json]</c>: what devices report — online or offline, deployment,
/// version, converged, and each workload's state with its reason. <c>--json</c> prints the reported records as sent.
/// </summary>
internal static class FleetStatusCommand
{
    private static readonly string[] Header = ["DEVICE", "STATUS", "DEPLOYMENT", "VERSION", "CONVERGED"];

    public static Command Create()
    {
        var connection = new FleetConnectionArguments();
        var device = new Option<string?>("--device", "-d") { Description = "Only this device." };
        var json = new Option<bool>("--json") { Description = "Print the raw reported-state records (JSON) instead of a table." };
        var command = new Command("status", "Show the reported state of devices.") { device, json };
        connection.AddTo(command);
        command.SetAction((parse, cancellation) => FleetErrors.Guard(async () =>
        {
            var options = connection.Read(parse, out string? usage);
            if (usage is not null)
            {
                return FleetErrors.Fail(ExitCodes.Usage, usage);
            }

            string? only = parse.GetValue(device);
            await using var fleet = await FleetClient.ConnectAsync(options, cancellation);
            var devices = (await fleet.ListDevicesAsync(cancellation)).Where(d => only is null || d.DeviceId == only).ToList();
            if (only is not null && devices.Count == 0)
            {
                return FleetErrors.Fail(ExitCodes.Failed, $"device {only} has never connected to the broker at {fleet.Endpoint}");
            }

            if (parse.GetValue(json))
            {
                PrintJson(devices, only is not null);
            }
            else
            {
                Console.Write(Table(devices));
            }

            return ExitCodes.Success;
        }));
        return command;
    }

    /// <summary>One line per device and one indented line per workload.</summary>
    internal static string Table(IReadOnlyList<DeviceSummary> devices)
    {
        if (devices.Count == 0)
        {
            return "no devices have connected to this broker\n";
        }

        var rows = new List<string[]> { Header };
        foreach (var device in devices)
        {
            var reported = device.Reported;
            rows.Add(
            [
                device.DeviceId,
                device.Status?.State ?? "unknown",
                reported?.DeploymentId ?? "-",
                reported?.Version?.ToString(CultureInfo.InvariantCulture) ?? "-",
                reported is null ? "-" : reported.Converged ? "yes" : "no",
            ]);
        }

        var lines = TextTable.Lines(rows);
        var text = new StringBuilder();
        for (int i = 0; i < rows.Count; i++)
        {
            text.Append(lines[i]).Append('\n');
            if (i == 0)
            {
                continue;
            }

            var reported = devices[i - 1].Reported;
            foreach (var workload in reported?.Workloads ?? [])
            {
                text.Append("    ").Append(workload.Name).Append("  ").Append(FleetDeploymentWatcher.Kebab(workload.State));
                if (workload.Restarts > 0)
                {
                    text.Append(CultureInfo.InvariantCulture, $"  restarts {workload.Restarts}");
                }

                if (workload.Reason is { } reason)
                {
                    text.Append("  ").Append(reason);
                }

                text.Append('\n');
            }

            if (reported?.LastRejection is { } rejection)
            {
                text.Append(CultureInfo.InvariantCulture, $"    last rejected: version {rejection.Version?.ToString(CultureInfo.InvariantCulture) ?? "?"}: {FleetDeploymentWatcher.Kebab(rejection.Reason)}: {rejection.Message}\n");
            }
        }

        return text.ToString();
    }

    private static void PrintJson(List<DeviceSummary> devices, bool single)
    {
        var reports = devices.Where(d => d.Reported is not null).Select(d => d.Reported!).ToList();
        byte[] bytes = single
            ? (reports.Count == 0 ? "null"u8.ToArray() : ProtocolJson.Serialize(reports[0]))
            : ProtocolJson.Serialize(reports);
        Console.WriteLine(Encoding.UTF8.GetString(bytes));
    }
}
