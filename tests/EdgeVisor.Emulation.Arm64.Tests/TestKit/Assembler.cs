using System.Collections.Concurrent;
using System.Diagnostics;

namespace EdgeVisor.Emulation.Arm64.Tests.TestKit;

/// <summary>
/// Assembles A64 source with Debian's aarch64-linux-gnu-as (package binutils-aarch64-linux-gnu, pulled in by
/// gcc-aarch64-linux-gnu) into instruction words, so tests can be written in assembly instead of hex. Results are
/// cached per source text for the test run.
/// </summary>
internal static class Assembler
{
    private static readonly ConcurrentDictionary<string, uint[]> Cache = new();

    public static uint[] Assemble(string source) => Cache.GetOrAdd(source, Run);

    private static uint[] Run(string source)
    {
        string dir = Path.Combine(Path.GetTempPath(), "edgevisor-as-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        try
        {
            string asm = Path.Combine(dir, "t.s");
            string obj = Path.Combine(dir, "t.o");
            string bin = Path.Combine(dir, "t.bin");
            File.WriteAllText(asm, ".text\n.arch armv8.2-a+crypto+crc+lse+rcpc+sha3\n" + source + "\n");
            Exec("aarch64-linux-gnu-as", $"-o {obj} {asm}");
            Exec("aarch64-linux-gnu-objcopy", $"-O binary -j .text {obj} {bin}");
            var bytes = File.ReadAllBytes(bin);
            var words = new uint[bytes.Length / 4];
            Buffer.BlockCopy(bytes, 0, words, 0, words.Length * 4);
            return words;
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    private static void Exec(string tool, string arguments)
    {
        var start = new ProcessStartInfo(tool, arguments) { RedirectStandardError = true, RedirectStandardOutput = true };
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"cannot start {tool}");
        string errors = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{tool} {arguments} failed: {errors}");
        }
    }
}
