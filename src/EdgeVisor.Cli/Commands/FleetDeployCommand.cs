using System.CommandLine;
using EdgeVisor.Fleet.Client;
using EdgeVisor.Fleet.Manifests;
using EdgeVisor.Fleet.Signing;
using EdgeVisor.Protocol;

namespace EdgeVisor.Cli.Commands;

/// <summary>
/// <c>edgevisor fleet deploy --device ID MANIFEST --key key.pem [--version N] [--wait [--timeout 60s]]</c>:
/// turns a manifest into a desired state (container images given by tag pinned to the digest the tag names now),
/// signs it and publishes it retained; with <c>--wait</c>, follows the
/// device's reports until that version converged (exit 0) or was rejected or failed (exit 1 with the reason).
/// </summary>
internal static class FleetDeployCommand
{
    public static Command Create()
    {
        var connection = new FleetConnectionArguments();
        var device = new Option<string>("--device", "-d") { Description = "The device to deploy to.", Required = true };
        var key = new Option<FileInfo>("--key") { Description = "PEM private key to sign with ('fleet keygen').", Required = true };
        var version = new Option<long?>("--version") { Description = "Version of the deployment (default: the manifest's, else one more than the device's current)." };
        var wait = new Option<bool>("--wait") { Description = "Wait until the device reports this version converged, rejected or failed." };
        var timeout = new Option<string>("--timeout") { Description = "With --wait: give up after this long (exit 124).", DefaultValueFactory = _ => "60s" };
        var manifest = new Argument<FileInfo>("manifest") { Description = "Deployment manifest (JSON): deploymentId?, version?, workloads." };
        var command = new Command("deploy", "Sign and publish a deployment to a device.") { device, key, version, wait, timeout, manifest };
        connection.AddTo(command);
        command.SetAction((parse, cancellation) => FleetErrors.Guard(async () =>
        {
            string deviceId = parse.GetValue(device)!;
            if (!Names.IsValid(deviceId))
            {
                return FleetErrors.Fail(ExitCodes.Usage, $"--device: '{deviceId}' is not a valid device id");
            }

            if (!DurationParser.TryParse(parse.GetValue(timeout)!, out var waitLimit))
            {
                return FleetErrors.Fail(ExitCodes.Usage, $"--timeout: '{parse.GetValue(timeout)}' is not a duration (use 60s, 2m)");
            }

            var options = connection.Read(parse, out string? usage);
            if (usage is not null)
            {
                return FleetErrors.Fail(ExitCodes.Usage, usage);
            }

            // Everything local is checked before the broker is contacted: a bad key or manifest publishes nothing.
            using var signingKey = SigningKeys.LoadPrivate(parse.GetValue(key)!.FullName);
            using var tags = new ImageTagLookup();
            var loaded = DeploymentManifest.Load(parse.GetValue(manifest)!.ToString(), tags.Pin);
            await using var fleet = await FleetClient.ConnectAsync(options, cancellation);
            long current = (await fleet.ReadDesiredAsync(deviceId, cancellation))?.Version ?? 0;
            long? asked = parse.GetValue(version) ?? loaded.Version;
            if (asked is { } explicitVersion && explicitVersion <= current)
            {
                return FleetErrors.Fail(ExitCodes.BadConfiguration, $"device {deviceId} already has version {current}; deploy a higher version");
            }

            long next = asked ?? current + 1;
            var state = loaded.ToDesiredState(deviceId, next, DateTimeOffset.UtcNow);
            var watcher = parse.GetValue(wait) ? await FleetDeploymentWatcher.StartAsync(fleet, deviceId, next, cancellation) : null;
            await using (watcher)
            {
                var signed = await fleet.DeployAsync(deviceId, state, signingKey, cancellation);
                watcher?.MarkPublished();
                Console.WriteLine($"deployed {state.DeploymentId} version {next} to {deviceId}: {state.Workloads.Count} workload(s), signed with key {signed.KeyId}");
                if (watcher is null)
                {
                    return ExitCodes.Success;
                }

                return await watcher.WaitAsync(waitLimit, cancellation);
            }
        }));
        return command;
    }
}
