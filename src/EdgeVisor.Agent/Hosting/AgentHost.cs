using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace EdgeVisor.Agent.Hosting;

/// <summary>
/// The agent as a service: the generic host with systemd integration (<c>UseSystemd</c>: Type=notify readiness,
/// journal log format, SIGTERM), configuration from a JSON file, <c>EDGEVISOR_</c> environment variables and the
/// command line (later wins), <see cref="AgentOptions"/> validated at start, and one <see cref="AgentService"/>.
/// </summary>
public static class AgentHost
{
    /// <summary>Where the configuration lives on a device; skipped when missing (and not asked for explicitly).</summary>
    public const string DefaultConfigFile = "/etc/edgevisor/agent.json";

    /// <summary>Environment variables with this prefix are configuration: <c>EDGEVISOR_Agent__DeviceId=pi-01</c>.</summary>
    public const string EnvironmentPrefix = "EDGEVISOR_";

    /// <summary>
    /// The host builder. <paramref name="configFile"/> is required to exist unless it is <see cref="DefaultConfigFile"/>;
    /// <paramref name="args"/> are configuration overrides (<c>--Agent:DeviceId=pi-01</c> or <c>--Agent:DeviceId pi-01</c>).
    /// </summary>
    public static HostApplicationBuilder Create(string[] args, string configFile)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(configFile);
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            DisableDefaults = true,
            ContentRootPath = AppContext.BaseDirectory,
        });
        bool optional = configFile == DefaultConfigFile;
        builder.Configuration.AddJsonFile(Path.GetFullPath(configFile), optional, reloadOnChange: false);
        builder.Configuration.AddEnvironmentVariables(EnvironmentPrefix);
        builder.Configuration.AddCommandLine(args);

        builder.Logging.ClearProviders();
        builder.Logging.SetMinimumLevel(LogLevel.Information);
        builder.Logging.AddFilter("Microsoft", LogLevel.Warning);
        builder.Logging.AddFilter("Microsoft.Hosting.Lifetime", LogLevel.Information);

        // A failed start is reported by RunAsync in one line per problem; the host's own stack trace adds nothing.
        builder.Logging.AddFilter("Microsoft.Extensions.Hosting.Internal.Host", LogLevel.Critical);
        builder.Logging.AddConfiguration(builder.Configuration.GetSection("Logging"));
        builder.Logging.AddSimpleConsole(console =>
        {
            console.SingleLine = true;
            console.TimestampFormat = "HH:mm:ss ";
        });

        // Under systemd: journal-format console lines, READY=1 after start, STOPPING=1, SIGTERM handling.
        builder.Services.AddSystemd();
        builder.Services.AddSingleton<IValidateOptions<AgentOptions>, AgentOptionsValidator>();
        builder.Services.AddOptions<AgentOptions>()
            .Bind(builder.Configuration.GetSection(AgentOptions.Section), binder => binder.ErrorOnUnknownConfiguration = true)
            .ValidateOnStart();
        double shutdownSeconds = builder.Configuration.GetValue($"{AgentOptions.Section}:ShutdownTimeoutSeconds", 30.0);
        builder.Services.Configure<HostOptions>(host => host.ShutdownTimeout = TimeSpan.FromSeconds(shutdownSeconds > 0 ? shutdownSeconds : 30));
        builder.Services.AddSingleton<AgentExit>();
        builder.Services.AddHostedService<AgentService>();
        return builder;
    }

    /// <summary>Runs the agent until SIGTERM/Ctrl-C (or <paramref name="ct"/>); <c>--config FILE</c> in <paramref name="args"/> picks the file.</summary>
    public static Task<int> RunAsync(string[] args, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(args);
        var rest = new List<string>();
        string? configFile = null;
        for (int i = 0; i < args.Length; i++)
        {
            if (args[i] == "--config" && i + 1 < args.Length)
            {
                configFile = args[++i];
            }
            else if (args[i].StartsWith("--config=", StringComparison.Ordinal))
            {
                configFile = args[i]["--config=".Length..];
            }
            else
            {
                rest.Add(args[i]);
            }
        }

        return RunAsync([.. rest], configFile, Console.Error, ct);
    }

    /// <summary>
    /// Runs the agent; returns its exit code (<see cref="AgentExitCodes"/>). Configuration problems go to
    /// <paramref name="error"/>, one per line, with exit code 78 and nothing created.
    /// </summary>
    public static async Task<int> RunAsync(string[] args, string? configFile, TextWriter error, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(error);
        IHost host;
        try
        {
            host = Create(args, configFile ?? DefaultConfigFile).Build();
        }
        catch (FileNotFoundException)
        {
            await error.WriteLineAsync($"edgevisor agent: configuration: {configFile} does not exist").ConfigureAwait(false);
            return AgentExitCodes.BadConfiguration;
        }
        catch (Exception e) when (e is InvalidDataException or FormatException or InvalidOperationException)
        {
            await error.WriteLineAsync($"edgevisor agent: configuration: {ConfigurationProblem(e)}").ConfigureAwait(false);
            return AgentExitCodes.BadConfiguration;
        }

        using (host)
        {
            // RunAsync disposes the host's services when it returns: take the exit holder first.
            var exit = host.Services.GetRequiredService<AgentExit>();
            try
            {
                await host.RunAsync(ct).ConfigureAwait(false);
            }
            catch (OptionsValidationException e)
            {
                foreach (string failure in e.Failures)
                {
                    await error.WriteLineAsync($"edgevisor agent: {failure}").ConfigureAwait(false);
                }

                return AgentExitCodes.BadConfiguration;
            }
            catch (InvalidOperationException e) when (IsBindingProblem(e))
            {
                await error.WriteLineAsync($"edgevisor agent: configuration: {ConfigurationProblem(e)}").ConfigureAwait(false);
                return AgentExitCodes.BadConfiguration;
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return AgentExitCodes.Success;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or LiteDB.LiteException or InvalidOperationException)
            {
                await error.WriteLineAsync($"edgevisor agent: cannot run: {e.Message.Split('\n')[0]}").ConfigureAwait(false);
                return AgentExitCodes.Software;
            }

            return exit.Code;
        }
    }

    private static bool IsBindingProblem(InvalidOperationException e) =>
        e.Message.Contains("configuration value", StringComparison.Ordinal) || e.Message.Contains("ErrorOnUnknownConfiguration", StringComparison.Ordinal);

    private static string ConfigurationProblem(Exception e)
    {
        // The binder names unknown keys by property and .NET type; say it in configuration keys instead.
        const string Marker = "were not found on the instance of ";
        int at = e.Message.IndexOf(Marker, StringComparison.Ordinal);
        if (at >= 0)
        {
            string rest = e.Message[(at + Marker.Length)..];
            int colon = rest.IndexOf(':', StringComparison.Ordinal);
            string section = SectionOf(rest[..colon].Trim());
            var keys = rest[(colon + 1)..].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(k => $"{section}:{k.Trim('\'')}").ToList();
            return $"unknown key{(keys.Count > 1 ? "s" : "")} {string.Join(", ", keys)} (check {(keys.Count > 1 ? "their" : "its")} spelling)";
        }

        return (e.InnerException is { } inner ? $"{e.Message} ({inner.Message})" : e.Message).Split('\n')[0];
    }

    private static string SectionOf(string typeName) => typeName switch
    {
        _ when typeName.EndsWith(nameof(BrokerOptions), StringComparison.Ordinal) => $"{AgentOptions.Section}:Broker",
        _ when typeName.EndsWith(nameof(ReconcileOptions), StringComparison.Ordinal) => $"{AgentOptions.Section}:Reconcile",
        _ when typeName.EndsWith(nameof(ArtifactOptions), StringComparison.Ordinal) => $"{AgentOptions.Section}:Artifacts",
        _ => AgentOptions.Section,
    };
}
