using System.Collections.Concurrent;

namespace EdgeVisor.Emulation.Tests.Reference;

/// <summary>
/// Builds the test firmware in Firmware/ with arm-none-eabi-gcc (newlib rdimon, Cortex-M3, mps2-an385
/// memory map). Each distinct build happens once per test run.
/// </summary>
internal static class ArmToolchain
{
    private static readonly ConcurrentDictionary<string, Lazy<string>> Builds = new();
    private static readonly Lazy<string> WorkDirectory = new(() =>
    {
        var dir = Directory.CreateTempSubdirectory("edgevisor-emulation-tests-").FullName;
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            try
            {
                Directory.Delete(dir, recursive: true);
            }
            catch (IOException)
            {
            }
        };
        return dir;
    });

    public static string SourceDirectory => Path.Combine(AppContext.BaseDirectory, "Firmware");

    /// <summary>Scratch directory shared by the reference tests of this run.</summary>
    public static string Scratch => WorkDirectory.Value;

    /// <summary>Builds Firmware/<paramref name="source"/> with the given -D defines and returns the ELF's path.</summary>
    public static string Build(string source, params string[] defines)
    {
        string key = source + "|" + string.Join("|", defines);
        return Builds.GetOrAdd(key, _ => new Lazy<string>(() => Compile(source, defines))).Value;
    }

    /// <summary>Runs an arm-none-eabi binutils program (objcopy, nm, addr2line, readelf).</summary>
    public static ExternalTool.Result Binutil(string tool, params string[] arguments)
    {
        var result = ExternalTool.Run("arm-none-eabi-" + tool, arguments);
        Assert.True(result.ExitCode == 0, $"arm-none-eabi-{tool} failed: {result.Stderr}");
        return result;
    }

    private static string Compile(string source, string[] defines)
    {
        string output = Path.Combine(Scratch, $"{Path.GetFileNameWithoutExtension(source)}-{Guid.NewGuid():N}.elf");
        var arguments = new List<string>
        {
            "-mcpu=cortex-m3", "-mthumb", "--specs=rdimon.specs", "-O1", "-g",
            "-T", Path.Combine(SourceDirectory, "mps2.ld"),
            Path.Combine(SourceDirectory, "startup.c"),
            Path.Combine(SourceDirectory, source),
            "-o", output,
        };
        arguments.AddRange(defines.Select(d => "-D" + d));
        var result = ExternalTool.Run("arm-none-eabi-gcc", arguments);
        Assert.True(result.ExitCode == 0, $"arm-none-eabi-gcc {source} failed:\n{result.Stderr}");
        return output;
    }
}
