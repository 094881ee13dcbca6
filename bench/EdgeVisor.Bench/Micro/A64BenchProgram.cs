using System.Diagnostics;

namespace EdgeVisor.Bench.Micro;

/// <summary>Builds an A64 benchmark program from C with the cross compiler the tests use.</summary>
internal static class A64BenchProgram
{
    public const string Compiler = "aarch64-linux-gnu-gcc";

    /// <summary>Compiles <paramref name="source"/> (its folder on the include path) to a static -O2 executable.</summary>
    public static void Compile(string source, string output)
    {
        var start = new ProcessStartInfo(Compiler)
        {
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string argument in new[] { "-O2", "-static", "-I", Path.GetDirectoryName(source)!, "-o", output, source })
        {
            start.ArgumentList.Add(argument);
        }

        using var compiler = Process.Start(start) ?? throw new InvalidOperationException($"A64 benchmark: cannot start {Compiler}");
        string errors = compiler.StandardError.ReadToEnd();
        compiler.WaitForExit();
        if (compiler.ExitCode != 0)
        {
            throw new InvalidOperationException($"A64 benchmark: {Compiler} failed on {source}: {errors.Trim()}");
        }
    }
}
