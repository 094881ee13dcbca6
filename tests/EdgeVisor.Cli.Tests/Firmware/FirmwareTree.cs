namespace EdgeVisor.Cli.Tests.Firmware;

/// <summary>
/// Where the firmware sources, the committed sample images and the test build of the differential
/// programs live. The repository root is found by walking up from the test assembly to the folder
/// that holds <c>firmware-images/Makefile</c>.
/// </summary>
public static class FirmwareTree
{
    /// <summary>The boards every differential case runs on (the names of QEMU's machines and of EdgeVisor's boards).</summary>
    public static readonly IReadOnlyList<string> Boards = ["mps2-an385", "mps2-an386"];

    private static readonly Lazy<string> RootDirectory = new(FindRoot);

    /// <summary>The repository's top folder.</summary>
    public static string RepositoryRoot => RootDirectory.Value;

    /// <summary>The repository's <c>firmware-images</c> folder.</summary>
    public static string SourceDirectory => Path.Combine(RootDirectory.Value, "firmware-images");

    /// <summary>
    /// Where the tests build the firmware: under the test output folder rather than firmware-images/build,
    /// so that a developer's make or another test project cannot write the same files at the same time.
    /// </summary>
    public static string BuildDirectory => Path.Combine(AppContext.BaseDirectory, "firmware-build");

    /// <summary>Names of the differential programs: one per <c>firmware-images/diff/*.c</c>.</summary>
    public static IReadOnlyList<string> DifferentialPrograms() =>
        [.. Directory.GetFiles(Path.Combine(SourceDirectory, "diff"), "*.c")
            .Select(path => Path.GetFileNameWithoutExtension(path))
            .Order(StringComparer.Ordinal)];

    /// <summary>The ELF of a differential program as <see cref="FirmwareBuild"/> produces it.</summary>
    public static string DifferentialImage(string board, string program) =>
        Path.Combine(BuildDirectory, board, "diff", program + ".elf");

    /// <summary>A committed sample image, e.g. <c>firmware-images/mps2-an385/hello.elf</c>.</summary>
    public static string SampleImage(string board, string image) => Path.Combine(SourceDirectory, board, image + ".elf");

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "firmware-images", "Makefile")))
            {
                return directory.FullName;
            }
        }

        throw new DirectoryNotFoundException($"no firmware-images/Makefile above {AppContext.BaseDirectory}");
    }
}
