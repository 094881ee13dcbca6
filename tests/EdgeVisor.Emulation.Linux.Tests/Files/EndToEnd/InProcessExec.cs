using EdgeVisor.Emulation.Arm64;
using EdgeVisor.Emulation.Arm64.Memory;
using EdgeVisor.Emulation.Linux.Files;
using EdgeVisor.Emulation.Linux.Kernel;
using EdgeVisor.Emulation.Linux.Loading;
using EdgeVisor.Testing.Processes;

namespace EdgeVisor.Emulation.Linux.Tests.Files.EndToEnd;

/// <summary>The outcome of one guest program run: exit code as a shell sees it (128 + signal) and its output.</summary>
internal sealed record GuestRun(int ShellCode, string Stdout, string Stderr);

/// <summary>
/// Runs an AArch64 program inside the test process, as `edgevisor exec` does, with the guest's standard streams on
/// host files of its own (the descriptor table's <see cref="FileDescriptorTable.Restore"/>), so its output can be
/// compared with qemu-aarch64's without touching the test runner's streams.
/// </summary>
internal static class InProcessExec
{
    public const string Sysroot = "/usr/aarch64-linux-gnu";

    private static readonly string[] Environment = ["PATH=/usr/bin:/bin", "LC_ALL=C"];

    public static GuestRun Run(string program, IReadOnlyList<string> arguments, string? sysroot)
    {
        string scratch = Directory.CreateTempSubdirectory("edgevisor-e2e-").FullName;
        try
        {
            string stdout = Path.Combine(scratch, "out"), stderr = Path.Combine(scratch, "err");
            using var memory = new GuestMemory();
            var process = new LinuxProcess(memory, SyscallTable.CreateDefault()) { Sysroot = sysroot, Diagnostics = TextWriter.Null };
            process.Files.Restore([
                new FileDescriptorEntry(0, Adopt("/dev/null", FileMode.Open, FileAccess.Read), false, FileKind.File),
                new FileDescriptorEntry(1, Adopt(stdout, FileMode.Create, FileAccess.Write), false, FileKind.File),
                new FileDescriptorEntry(2, Adopt(stderr, FileMode.Create, FileAccess.Write), false, FileKind.File),
            ]);
            var loaded = ProgramLoader.Load(process, program, [program, .. arguments], Environment, program);
            var cpu = new Arm64Cpu(memory, process.Blocks);
            ProgramLoader.Start(cpu, loaded);
            var status = process.RunMainThread(cpu);
            process.Files.CloseRange(0, uint.MaxValue, markCloseOnExec: false);
            return new GuestRun(status.ShellCode, File.ReadAllText(stdout), File.ReadAllText(stderr));
        }
        finally
        {
            Directory.Delete(scratch, recursive: true);
        }
    }

    /// <summary>The reference: the same program under qemu-aarch64 with the same environment.</summary>
    public static GuestRun Qemu(string program, IReadOnlyList<string> arguments, string? sysroot)
    {
        var qemuArguments = new List<string>();
        if (sysroot is not null)
        {
            qemuArguments.AddRange(["-L", sysroot]);
        }

        foreach (string variable in Environment)
        {
            qemuArguments.AddRange(["-E", variable]);
        }

        var result = ProcessRunner.Run("env", ["-i", "qemu-aarch64", .. qemuArguments, program, .. arguments], Path.GetTempPath(), TimeSpan.FromSeconds(60));
        Assert.False(result.TimedOut, $"{result.CommandLine} timed out");
        return new GuestRun(result.ExitCode!.Value, ProcessRunner.AsText(result.Stdout), result.Stderr);
    }

    // A host descriptor the guest table takes over: the SafeFileHandle lets go of it.
    private static int Adopt(string path, FileMode mode, FileAccess access)
    {
        var handle = File.OpenHandle(path, mode, access);
        int fd = (int)handle.DangerousGetHandle();
        handle.SetHandleAsInvalid();
        return fd;
    }
}
