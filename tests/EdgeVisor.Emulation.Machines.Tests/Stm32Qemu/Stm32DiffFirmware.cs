using EdgeVisor.Testing.Processes;

namespace EdgeVisor.Emulation.Machines.Tests.Stm32Qemu;

/// <summary>
/// Builds the STM32F4 differential programs (firmware-images/stm32-diff) with the firmware Makefile, once per test run,
/// into the test output folder so a developer's own make cannot collide with it.
/// </summary>
internal static class Stm32DiffFirmware
{
    private static readonly string BuildDirectory = Path.Combine(AppContext.BaseDirectory, "stm32-diff-build");
    private static readonly Lazy<ProcessResult> Build = new(RunMake);

    /// <summary>The ELF of program <paramref name="name"/>, built from source on first use.</summary>
    public static string Image(string name)
    {
        var result = Build.Value;
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException(
                $"building firmware-images/stm32-diff {(result.TimedOut ? "timed out" : "failed")} (needs make and gcc-arm-none-eabi)\n" +
                ProcessRunner.AsText(result.Stdout) + result.Stderr);
        }

        return Path.Combine(BuildDirectory, "stm32-diff", name + ".elf");
    }

    private static ProcessResult RunMake()
    {
        string source = Path.Combine(FirmwareImages.Root);
        return ProcessRunner.Run("make", ["-C", source, $"BUILD={BuildDirectory}", "stm32-diff"], source, TimeSpan.FromMinutes(2));
    }
}
