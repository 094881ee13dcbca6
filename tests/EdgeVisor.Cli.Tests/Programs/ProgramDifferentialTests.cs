namespace EdgeVisor.Cli.Tests.Programs;

/// <summary>
/// Every AArch64 test program in every build variant, under edgevisor exec and qemu-aarch64: stdout and exit code
/// must be byte-for-byte equal. The programs cover integer, scalar FP (rounding modes, flags), vectorised loops and
/// NEON intrinsics, glibc's SIMD string routines, files, threads, signals, fork/wait and the crypto extensions.
/// </summary>
public sealed class ProgramDifferentialTests
{
    public static TheoryData<string, string> Cases()
    {
        var data = new TheoryData<string, string>();
        foreach (string name in Aarch64Programs.Names())
        {
            foreach (string variant in Aarch64Programs.Variants)
            {
                data.Add(name, variant);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Runs_exactly_as_under_qemu(string program, string variant)
    {
        string path = await Aarch64Programs.PathOfAsync(program, variant);
        // hello reports its arguments and exits with the last one; the others ignore them.
        string[] arguments = program == "hello" ? ["first arg", "--flag", "42"] : [];
        await UserModeRun.AssertSameAsQemuAsync(path, arguments);
    }

    [Fact]
    public async Task A_forked_child_can_exec_an_aarch64_program_and_report_its_exit_code()
    {
        // qemu-aarch64 without binfmt_misc cannot exec an AArch64 file, so this is checked against Linux's semantics.
        string path = await Aarch64Programs.PathOfAsync("process", "static-O2");
        var run = await UserModeRun.EdgeVisorAsync(path, ["exec-test"]);
        string output = Testing.Processes.ProcessRunner.AsText(run.Stdout);
        Assert.True(run.ExitCode == 0, $"exit code {run.ExitCode}\n{output}\n{run.Stderr}");
        Assert.Contains("exec'd child says hi\n", output, StringComparison.Ordinal);
        Assert.Contains("exec child code=7\n", output, StringComparison.Ordinal);
    }
}
