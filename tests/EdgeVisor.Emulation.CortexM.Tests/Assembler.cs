using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using EdgeVisor.Testing.Processes;

namespace EdgeVisor.Emulation.CortexM.Tests;

/// <summary>A flat binary assembled from a snippet, and its symbols.</summary>
internal sealed record AssembledProgram(uint BaseAddress, byte[] Image, IReadOnlyDictionary<string, uint> Symbols)
{
    /// <summary>The address of <paramref name="label"/> (bit 0 clear).</summary>
    public uint this[string label] =>
        Symbols.TryGetValue(label, out uint address) ? address & ~1u : throw new KeyNotFoundException($"no symbol '{label}' in the assembled program");
}

/// <summary>
/// Assembles Thumb snippets with arm-none-eabi-as/ld at test time and returns a flat binary (objcopy -O binary)
/// plus the symbol table (nm). Results are cached per source and CPU, so a test class can assemble freely.
/// </summary>
internal static class Assembler
{
    private static readonly ConcurrentDictionary<string, AssembledProgram> Cache = new();
    /// <summary>A snippet assembles in milliseconds; a tool that takes this long has hung.</summary>
    private static readonly TimeSpan ToolTimeout = TimeSpan.FromSeconds(60);
    private static readonly string WorkDirectory = Path.Combine(Path.GetTempPath(), "edgevisor-asm", Environment.ProcessId.ToString(CultureInfo.InvariantCulture));

    /// <summary>
    /// Assembles <paramref name="source"/> (unified syntax, Thumb; the directives are prepended) for
    /// <paramref name="cpu"/> and links it at <paramref name="baseAddress"/>; <paramref name="fpu"/> is an
    /// -mfpu value such as "fpv4-sp-d16". Throws with the assembler's message on an error.
    /// </summary>
    public static AssembledProgram Assemble(string source, string cpu = "cortex-m3", uint baseAddress = 0, string? fpu = null)
    {
        string key = $"{cpu}|{fpu}|{baseAddress:X8}|{source}";
        return Cache.GetOrAdd(key, _ => Build(source, cpu, baseAddress, fpu));
    }

    private static AssembledProgram Build(string source, string cpu, uint baseAddress, string? fpu)
    {
        Directory.CreateDirectory(WorkDirectory);
        string name = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes($"{cpu}|{fpu}|{baseAddress}|{source}")))[..16];
        string asm = Path.Combine(WorkDirectory, name + ".s");
        string obj = Path.Combine(WorkDirectory, name + ".o");
        string elf = Path.Combine(WorkDirectory, name + ".elf");
        string bin = Path.Combine(WorkDirectory, name + ".bin");
        File.WriteAllText(asm, ".syntax unified\n.thumb\n.text\n" + source + "\n");

        var asArgs = new List<string> { "-mcpu=" + cpu, "-mthumb", "-o", obj, asm };
        if (fpu is not null)
        {
            asArgs.Insert(0, "-mfpu=" + fpu);
        }

        Tool("arm-none-eabi-as", asArgs);
        Tool("arm-none-eabi-ld", ["-Ttext=0x" + baseAddress.ToString("X8", CultureInfo.InvariantCulture), "-e", "0", "-o", elf, obj]);
        Tool("arm-none-eabi-objcopy", ["-O", "binary", "-j", ".text", elf, bin]);
        string nm = Tool("arm-none-eabi-nm", [elf]);

        var symbols = new Dictionary<string, uint>(StringComparer.Ordinal);
        foreach (string line in nm.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            string[] parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length == 3 && uint.TryParse(parts[0], NumberStyles.HexNumber, CultureInfo.InvariantCulture, out uint value))
            {
                symbols[parts[2]] = value;
            }
        }

        return new AssembledProgram(baseAddress, File.ReadAllBytes(bin), symbols);
    }

    private static string Tool(string program, IReadOnlyList<string> arguments)
    {
        ProcessResult result;
        try
        {
            result = ProcessRunner.Run(program, arguments, Environment.CurrentDirectory, ToolTimeout);
        }
        catch (InvalidOperationException e) when (e.InnerException is System.ComponentModel.Win32Exception missing)
        {
            throw new InvalidOperationException($"{program} is not installed ({missing.Message}); the tests need the Debian package binutils-arm-none-eabi (gcc-arm-none-eabi).", e);
        }

        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException($"{program} {(result.TimedOut ? "timed out" : "failed")}:\n{result.Stderr}");
        }

        return ProcessRunner.AsText(result.Stdout);
    }
}
