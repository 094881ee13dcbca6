using System.Diagnostics;

namespace EdgeVisor.Emulation.Machines.Tests;

/// <summary>Runs a firmware image under qemu-system-arm 7.2 with semihosting, as the reference for output and exit code.</summary>
internal static class QemuReference
{
    public static (byte[] Output, int ExitCode) Run(string board, string elf, IReadOnlyList<string> semihostingArgs)
    {
        string config = "enable=on,target=native" + string.Concat(semihostingArgs.Select(a => ",arg=" + a));
        var psi = new ProcessStartInfo("qemu-system-arm", ["-M", board, "-nographic", "-monitor", "none", "-serial", "stdio", "-semihosting-config", config, "-kernel", elf])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
        };
        using var qemu = Process.Start(psi) ?? throw new InvalidOperationException("could not start qemu-system-arm");
        qemu.StandardInput.Close();
        var stderr = qemu.StandardError.ReadToEndAsync();
        using var output = new MemoryStream();
        qemu.StandardOutput.BaseStream.CopyTo(output);
        if (!qemu.WaitForExit(30_000))
        {
            qemu.Kill(entireProcessTree: true);
            throw new TimeoutException($"qemu-system-arm did not finish {elf} within 30 s");
        }

        _ = stderr.Result;
        return (output.ToArray(), qemu.ExitCode);
    }
}
