using System.CommandLine;
using System.Globalization;
using System.Text;
using EdgeVisor.Agent.Control;
using EdgeVisor.Protocol;

namespace EdgeVisor.Cli.Commands;

/// <summary>
/// <c>edgevisor ps [--json] [--socket PATH]</c>: the workloads of the agent on this device, as it sees them now —
/// state, since when, restarts, CPU time, memory against its limit, processes, artifact and reason. <c>--json</c>
/// prints the agent's reported-state record.
/// </summary>
internal static class PsCommand
{
    private static readonly string[] Header = ["NAME", "KIND", "STATE", "SINCE", "RESTARTS", "CPU", "MEM", "PIDS", "ARTIFACT", "REASON"];

    public static Command Create()
    {
        var socket = new AgentSocket();
        var json = new Option<bool>("--json") { Description = "Print the agent's reported-state record (JSON) instead of a table." };
        var command = new Command("ps", "List the workloads of the agent on this device (asks its control socket; root only).") { json, socket.Option };
        command.SetAction((parse, cancellation) => AgentSocket.Guard("ps", async () =>
        {
            using var client = await ControlClient.SendAsync(socket.PathFrom(parse), new ControlRequest { Command = ControlCommands.Ps }, cancellation);
            if (client.Reply is not { Status: ControlStatus.Ok, State: { } state })
            {
                return AgentSocket.Refused("ps", client.Reply);
            }

            Console.Write(parse.GetValue(json) ? Encoding.UTF8.GetString(ProtocolJson.Serialize(state)) + "\n" : Table(state, DateTimeOffset.UtcNow));
            return ExitCodes.Success;
        }));
        return command;
    }

    /// <summary>One line per workload under a header; a line saying so when there are none.</summary>
    internal static string Table(ReportedState state, DateTimeOffset now)
    {
        if (state.Workloads.Count == 0)
        {
            return $"no workloads on {state.DeviceId}{(state.Version is null ? " (no deployment received yet)" : "")}\n";
        }

        var rows = new List<string[]> { Header };
        foreach (var workload in state.Workloads)
        {
            var resources = workload.Resources;
            rows.Add(
            [
                workload.Name,
                workload.Kind,
                FleetDeploymentWatcher.Kebab(workload.State),
                Age(now - workload.Since),
                workload.Restarts.ToString(CultureInfo.InvariantCulture),
                resources is null ? "-" : Cpu(resources.CpuSeconds),
                resources is null ? "-" : Memory(resources),
                resources is null ? "-" : resources.Pids.ToString(CultureInfo.InvariantCulture),
                workload.ArtifactSha256 is { Length: >= 12 } digest ? "sha256:" + digest[..12] : "-",
                workload.Reason ?? "",
            ]);
        }

        var text = new StringBuilder();
        foreach (string line in TextTable.Lines(rows))
        {
            text.Append(line).Append('\n');
        }

        return text.ToString();
    }

    /// <summary>How long ago, in its two largest units: 42s, 12m5s, 3h12m, 2d4h.</summary>
    internal static string Age(TimeSpan age)
    {
        if (age < TimeSpan.Zero)
        {
            age = TimeSpan.Zero;
        }

        return age.TotalMinutes < 1 ? $"{age.Seconds}s"
            : age.TotalHours < 1 ? $"{age.Minutes}m{age.Seconds}s"
            : age.TotalDays < 1 ? $"{age.Hours}h{age.Minutes}m"
            : $"{(int)age.TotalDays}d{age.Hours}h";
    }

    /// <summary>CPU time used since start, user + system.</summary>
    internal static string Cpu(double seconds) => seconds < 10
        ? seconds.ToString("0.00", CultureInfo.InvariantCulture) + "s"
        : seconds.ToString("0.0", CultureInfo.InvariantCulture) + "s";

    /// <summary>Memory in use, and "/limit" when the workload has one; OOM kills when there were any.</summary>
    internal static string Memory(WorkloadResources resources)
    {
        string text = Bytes(resources.MemoryBytes);
        if (resources.MemoryLimitBytes is { } limit)
        {
            text += "/" + Bytes(limit);
        }

        return resources.OomKills > 0 ? $"{text} ({resources.OomKills.ToString(CultureInfo.InvariantCulture)} oom)" : text;
    }

    /// <summary>Binary units, three significant figures at most: 812KiB, 12.4MiB, 1.5GiB.</summary>
    internal static string Bytes(long bytes)
    {
        string[] units = ["B", "KiB", "MiB", "GiB", "TiB"];
        double value = bytes;
        int unit = 0;
        while (value >= 1024 && unit < units.Length - 1)
        {
            value /= 1024;
            unit++;
        }

        string number = unit == 0 || value >= 100 ? value.ToString("0", CultureInfo.InvariantCulture)
            : value >= 10 ? value.ToString("0.#", CultureInfo.InvariantCulture)
            : value.ToString("0.##", CultureInfo.InvariantCulture);
        return number + units[unit];
    }
}
