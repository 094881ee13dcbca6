using EdgeVisor.Cli.Commands;
using EdgeVisor.Cli.Tests.Firmware;
using EdgeVisor.Testing.Processes;

namespace EdgeVisor.Cli.Tests.Exec;

/// <summary>
/// <c>edgevisor exec</c> as a user meets it when something is wrong before the guest runs: each problem has its own
/// exit code (66 missing file, 65 not an AArch64 executable, 2 usage) and one line on stderr naming what and where.
/// </summary>
public sealed class ExecCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("edgevisor-exec-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task A_missing_program_exits_66_naming_it()
    {
        var result = await EdgeVisorCommand.RunRawAsync(["exec", Path.Combine(_dir, "absent")]);

        Assert.Equal(ExitCodes.NoInput, result.ExitCode);
        AssertOneLineError(result, "absent");
    }

    [Fact]
    public async Task A_file_that_is_not_elf_exits_65()
    {
        string path = Path.Combine(_dir, "script.txt");
        await File.WriteAllTextAsync(path, "echo hello\n");

        var result = await EdgeVisorCommand.RunRawAsync(["exec", path]);

        Assert.Equal(ExitCodes.BadImage, result.ExitCode);
        AssertOneLineError(result, "script.txt");
    }

    [Fact]
    public async Task An_executable_for_the_host_architecture_exits_65_saying_what_it_is()
    {
        var result = await EdgeVisorCommand.RunRawAsync(["exec", "/bin/true"]);

        Assert.Equal(ExitCodes.BadImage, result.ExitCode);
        AssertOneLineError(result, "x86-64");
        Assert.Contains("AArch64", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_dynamic_program_without_a_sysroot_says_how_to_give_one()
    {
        string program = ExecPrograms.Build("dyn", "int main(void) { return 3; }", "-O1");

        var result = await EdgeVisorCommand.RunRawAsync(["exec", program]);

        Assert.Equal(ExitCodes.NoInput, result.ExitCode);
        AssertOneLineError(result, "ld-linux-aarch64.so.1");
        Assert.Contains("-L", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_sysroot_that_is_not_a_directory_exits_66()
    {
        var result = await EdgeVisorCommand.RunRawAsync(["exec", "-L", Path.Combine(_dir, "nowhere"), "/bin/true"]);

        Assert.Equal(ExitCodes.NoInput, result.ExitCode);
        AssertOneLineError(result, "nowhere");
    }

    [Fact]
    public async Task No_program_is_a_usage_error()
    {
        var result = await EdgeVisorCommand.RunRawAsync(["exec"]);

        Assert.Equal(ExitCodes.Usage, result.ExitCode);
        AssertOneLineError(result, "PROGRAM");
    }

    [Fact]
    public async Task A_malformed_environment_setting_is_a_usage_error()
    {
        var result = await EdgeVisorCommand.RunRawAsync(["exec", "-E", "NOEQUALS", "/bin/true"]);

        Assert.Equal(ExitCodes.Usage, result.ExitCode);
        AssertOneLineError(result, "NOEQUALS");
    }

    [Theory]
    [InlineData("exec prog -L x", "exec -- prog -L x")]
    [InlineData("exec -L /sr --strace prog --help", "exec -L /sr --strace -- prog --help")]
    [InlineData("exec -E A=1 -U B prog", "exec -E A=1 -U B -- prog")]
    [InlineData("exec -- prog -x", "exec -- prog -x")]
    [InlineData("run -b x fw.elf", "run -b x fw.elf")]
    public void Everything_from_the_program_on_belongs_to_the_guest(string given, string expected)
    {
        Assert.Equal(expected, string.Join(' ', ExecCommand.SeparateGuestArguments(given.Split(' '))));
    }

    private static void AssertOneLineError(ProcessResult result, string mustMention)
    {
        string stderr = result.Stderr.TrimEnd('\n');
        Assert.DoesNotContain('\n', stderr);
        Assert.StartsWith("edgevisor: ", stderr, StringComparison.Ordinal);
        Assert.Contains(mustMention, stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", stderr, StringComparison.Ordinal);
    }
}
