using System.CommandLine;
using EdgeVisor.Agent.Hosting;

namespace EdgeVisor.Cli.Commands;

/// <summary>
/// <c>edgevisor agent [--config FILE] [--Agent:Key=value …]</c>: runs the device agent in the foreground (what the
/// systemd unit starts). Every token this command does not know is passed to the configuration as a command-line
/// override, so any agent option can be set without a file.
/// </summary>
public static class AgentCommand
{
    public static Command Create()
    {
        var config = new Option<FileInfo?>("--config")
        {
            Description = $"Configuration file (JSON with an \"Agent\" section). Default {AgentHost.DefaultConfigFile}, skipped when missing; a file named here must exist.",
        };
        var command = new Command(
            "agent",
            "Run the device agent: take signed desired state over MQTT, run its workloads, report back. " +
            "Configuration comes from the file, then EDGEVISOR_* environment variables (EDGEVISOR_Agent__DeviceId=pi-01), then " +
            "overrides on this command line: --Agent:Key=value or --Agent:Key value, nested keys with ':', e.g. " +
            "--Agent:DeviceId=pi-01 --Agent:Broker:Host=broker.local --Agent:TrustedKeys:0=/etc/edgevisor/fleet.pub.pem. " +
            "Exit codes: 0 stopped, 75 restart requested (reboot-agent), 78 bad configuration, 70 could not run.")
        {
            config,
        };

        // Unknown tokens are configuration overrides, not errors (see the description).
        command.TreatUnmatchedTokensAsErrors = false;
        command.SetAction((parse, cancellation) => RunAsync([.. parse.UnmatchedTokens], parse.GetValue(config)?.FullName, cancellation));
        return command;
    }

    /// <summary>
    /// Runs the host on a foreground thread. System.CommandLine answers SIGTERM by cancelling and, two seconds later,
    /// completing the invocation with 143 so Main returns; the agent's graceful stop (workloads in order, then the
    /// offline status) may take longer. The foreground thread keeps the process alive until the host has stopped and
    /// then exits with the agent's own code.
    /// </summary>
    private static Task<int> RunAsync(string[] overrides, string? configFile, CancellationToken cancellation)
    {
        var done = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        var thread = new Thread(() =>
        {
            int code;
            try
            {
                code = AgentHost.RunAsync(overrides, configFile, Console.Error, CancellationToken.None).GetAwaiter().GetResult();
            }
            catch (Exception e)
            {
                // Nothing may escape a thread; the agent logged what it could, this says why it ended.
                Console.Error.WriteLine($"edgevisor agent: failed: {e}");
                code = AgentExitCodes.Software;
            }

            Console.Out.Flush();
            if (cancellation.IsCancellationRequested)
            {
                // Main may already have returned 143; the exit code is the agent's.
                Environment.Exit(code);
            }

            done.SetResult(code);
        })
        {
            IsBackground = false,
            Name = "edgevisor agent host",
        };
        thread.Start();
        return done.Task;
    }
}
