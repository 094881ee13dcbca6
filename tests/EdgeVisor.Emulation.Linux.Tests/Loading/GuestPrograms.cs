using System.Security.Cryptography;
using System.Text;
using EdgeVisor.Testing.Processes;

namespace EdgeVisor.Emulation.Linux.Tests.Loading;

/// <summary>
/// Builds small AArch64 Linux programs from C or assembly text with the cross toolchain (aarch64-linux-gnu-gcc), once
/// per content and flags, into a cache directory shared by the test run.
/// </summary>
internal static class GuestPrograms
{
    /// <summary>The AArch64 sysroot Debian's cross toolchain installs (the dynamic linker and libc for -L).</summary>
    public const string Sysroot = "/usr/aarch64-linux-gnu";

    private static readonly string CacheDirectory = Path.Combine(Path.GetTempPath(), "edgevisor-guest-programs");
    private static readonly Lock BuildLock = new();

    /// <summary>Compiles <paramref name="source"/> (C, or assembly when <paramref name="language"/> is "assembler") with <paramref name="flags"/>; returns the executable's path.</summary>
    public static string Build(string name, string source, string flags, string language = "c")
    {
        string key = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes($"{language}\n{flags}\n{source}")))[..16];
        string directory = Path.Combine(CacheDirectory, key);
        string output = Path.Combine(directory, name);
        lock (BuildLock)
        {
            if (File.Exists(output))
            {
                return output;
            }

            Directory.CreateDirectory(directory);
            string sourcePath = Path.Combine(directory, name + (language == "c" ? ".c" : ".s"));
            File.WriteAllText(sourcePath, source);
            var arguments = new List<string> { "-x", language };
            arguments.AddRange(flags.Split(' ', StringSplitOptions.RemoveEmptyEntries));
            arguments.AddRange(["-o", output + ".tmp", sourcePath]);
            var result = ProcessRunner.Run("aarch64-linux-gnu-gcc", arguments, directory, TimeSpan.FromMinutes(2));
            if (result.ExitCode != 0)
            {
                throw new InvalidOperationException($"{result.CommandLine} failed ({result.ExitCode}):\n{result.Stderr}");
            }

            File.Move(output + ".tmp", output);
            return output;
        }
    }

    /// <summary>A static program of raw assembly (no libc): _start writes "hello\n" with write(1) and exits with exit_group(7).</summary>
    public static string StaticAssemblyHello() => Build("hello-asm", """
        .global _start
        .text
        _start:
            mov x0, #1
            adr x1, message
            mov x2, #6
            mov x8, #64
            svc #0
            mov x0, #7
            mov x8, #94
            svc #0
        message:
            .ascii "hello\n"
        .bss
        .balign 16
        zeros:
            .space 8192
        """, "-nostdlib -static", "assembler");

    /// <summary>A C program printing its arguments, built with <paramref name="flags"/> (-static, -static-pie, or dynamic).</summary>
    public static string PrintArguments(string flags) => Build("print-args", """
        #include <stdio.h>
        int main(int argc, char **argv) {
            for (int i = 0; i < argc; i++) printf("%d:%s\n", i, argv[i]);
            return argc;
        }
        """, "-O2 " + flags);
}
