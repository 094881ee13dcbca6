namespace EdgeVisor.Emulation.Machines.Tests;

/// <summary>Finds the prebuilt sample firmware in the repository's firmware-images folder.</summary>
internal static class FirmwareImages
{
    public static readonly string[] Boards = ["mps2-an385", "mps2-an386"];

    public static string Root { get; } = FindRoot();

    public static string Path(string board, string image) => System.IO.Path.Combine(Root, board, image + ".elf");

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            string candidate = System.IO.Path.Combine(dir.FullName, "firmware-images");
            if (Directory.Exists(System.IO.Path.Combine(candidate, "mps2-an385")))
            {
                return candidate;
            }
        }

        throw new DirectoryNotFoundException($"firmware-images/ not found above {AppContext.BaseDirectory}");
    }
}
