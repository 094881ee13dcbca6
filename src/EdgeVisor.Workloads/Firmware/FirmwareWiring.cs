using EdgeVisor.Emulation.Machines.Wiring;
using EdgeVisor.Hardware;
using EdgeVisor.Protocol;

namespace EdgeVisor.Workloads.Firmware;

/// <summary>
/// The wiring of a firmware workload: read from the staged (content-addressed, so extension-less) file, as YAML when
/// the artifact's URL says .yaml/.yml, and checked against the workload's host access. A deployment arrives over the
/// network, so host hardware is closed by default: a wiring that reaches real lines or buses needs the spec's
/// <c>hostAccess</c> setting, and only the kinds of host hardware it lists (lines and/or I2C buses) may be used.
/// The simulated host backend touches nothing real and needs no permission.
/// </summary>
internal static class FirmwareWiring
{
    /// <summary>Reads the wiring file at <paramref name="path"/>; errors name <paramref name="reference"/>'s URL. Throws <see cref="WorkloadStartException"/>.</summary>
    public static WiringDocument Load(string path, ArtifactRef reference)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new WorkloadStartException($"wiring: cannot read the staged file for {reference.Url}: {e.Message}", e);
        }

        try
        {
            string source = reference.Url;
            return WiringFile.IsYaml(UrlPath(reference.Url)) ? WiringFile.ParseYaml(text, source) : WiringFile.Parse(text, source);
        }
        catch (WiringException e)
        {
            throw new WorkloadStartException($"wiring: {e.Message}", e);
        }
    }

    /// <summary>
    /// How the wiring may reach the host. Throws <see cref="WorkloadStartException"/> when the wiring asks for host
    /// lines or buses the workload's <c>hostAccess</c> does not grant.
    /// </summary>
    public static HostWiringOptions HostOptions(WiringDocument wiring, FirmwareSettings settings)
    {
        if (wiring.Host is not { } host || host.Backend == HostHardware.SimulatedBackend)
        {
            return new HostWiringOptions { Policy = settings.CreatePolicy() };
        }

        var policy = settings.CreatePolicy();
        string key = $"configuration.{FirmwareSettings.HostAccessKey}";
        if (policy is null)
        {
            throw new WorkloadStartException(
                $"wiring: {wiring.Origin.Source} passes pins or buses through to host hardware ({host.Backend}), but the workload has no {key} (e.g. \"gpiochip0:2-27,i2c-1\")");
        }

        // An allow-list that names no lines would otherwise allow every line (and likewise for buses).
        if (host.Gpio.Count > 0 && !policy.RestrictsLines)
        {
            throw new WorkloadStartException($"wiring: {wiring.Origin.Source} passes GPIO pins through to host lines, but {key} \"{settings.HostAccess}\" grants no GPIO lines");
        }

        if (host.I2c.Count > 0 && !policy.RestrictsI2c)
        {
            throw new WorkloadStartException($"wiring: {wiring.Origin.Source} passes I2C addresses through to host buses, but {key} \"{settings.HostAccess}\" grants no I2C bus");
        }

        // Host lines must go back to inputs even if the agent dies.
        return new HostWiringOptions { Policy = policy, HookProcessShutdown = true };
    }

    private static string UrlPath(string url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) ? uri.AbsolutePath : url;
}
