using System.Reflection;

namespace EdgeVisor.Cli.Commands;

/// <summary>
/// The demo's workload, bundled into the edgevisor assembly (so <c>edgevisor demo</c> works from any directory):
/// firmware-images/stm32f4-discovery/sensor-monitor.elf and its wiring file (a simulated TMP102 on i2c1).
/// </summary>
internal static class DemoFirmware
{
    public const string Image = "sensor-monitor.elf";
    public const string Wiring = "sensor-monitor.wiring.json";
    public const string Board = "stm32f4-discovery";

    /// <summary>Writes the image, the wiring and a deployment manifest for them into <paramref name="directory"/>; returns the manifest's path.</summary>
    public static string Extract(string directory)
    {
        Directory.CreateDirectory(directory);
        foreach (string name in new[] { Image, Wiring })
        {
            using var resource = Assembly.GetExecutingAssembly().GetManifestResourceStream("demo/" + name)
                ?? throw new InvalidOperationException($"the demo firmware resource demo/{name} is missing from this build of edgevisor");
            using var file = File.Create(Path.Combine(directory, name));
            resource.CopyTo(file);
        }

        string manifest = Path.Combine(directory, "demo.json");
        File.WriteAllText(manifest, $$"""
            {
              "deploymentId": "demo",
              "workloads": [
                {
                  "name": "{{DemoCommand.WorkloadName}}",
                  "kind": "firmware",
                  "artifact": "{{Image}}",
                  "restart": { "mode": "on-failure", "maxRestarts": 3 },
                  "firmware": { "board": "{{Board}}", "wiring": "{{Wiring}}", "realtime": true }
                }
              ]
            }
            """);
        return manifest;
    }
}
