using EdgeVisor.Cli.Tests.Firmware;
using EdgeVisor.Testing.Processes;

namespace EdgeVisor.Cli.Tests.Stm32;

/// <summary>
/// The committed stm32f4-discovery images are exactly what the sources build: `make stm32` (apps-stm32/,
/// lib-stm32/) into a scratch folder, stripped of debug info as `make prebuilt` does, gives the same bytes.
/// A source change without `make prebuilt` fails here instead of testing stale firmware.
/// </summary>
public sealed class Stm32ImageBuildTests
{
    private static readonly string[] Samples = ["blink", "button", "i2c-sensors", "uart-console", "hal-init"];
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(3);

    [Fact]
    public async Task The_committed_images_are_what_make_stm32_builds_from_the_sources()
    {
        string build = Path.Combine(AppContext.BaseDirectory, "firmware-build-stm32");
        var make = await ProcessRunner.RunAsync(
            "make", ["-C", FirmwareTree.SourceDirectory, $"BUILD={build}", "stm32"], FirmwareTree.SourceDirectory, Timeout);
        Assert.True(make.ExitCode == 0, $"$ {make.CommandLine}\n{ProcessRunner.AsText(make.Stdout)}{make.Stderr}");

        foreach (string sample in Samples)
        {
            string built = Path.Combine(build, "stm32f4-discovery", sample + ".elf");
            string stripped = built + ".stripped";
            var strip = await ProcessRunner.RunAsync("arm-none-eabi-strip", ["--strip-debug", "-o", stripped, built], build, Timeout);
            Assert.True(strip.ExitCode == 0, strip.Stderr);

            byte[] committed = await File.ReadAllBytesAsync(FirmwareTree.SampleImage("stm32f4-discovery", sample));
            byte[] fresh = await File.ReadAllBytesAsync(stripped);
            Assert.True(
                committed.AsSpan().SequenceEqual(fresh),
                $"firmware-images/stm32f4-discovery/{sample}.elf is not what its sources build; run make -C firmware-images prebuilt");
        }
    }
}
