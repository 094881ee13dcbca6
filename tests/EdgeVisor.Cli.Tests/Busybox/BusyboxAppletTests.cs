using EdgeVisor.Cli.Tests.Programs;
using EdgeVisor.Testing.Processes;

namespace EdgeVisor.Cli.Tests.Busybox;

/// <summary>
/// Debian's busybox-static for arm64 under edgevisor exec against the host's busybox (same upstream version, built
/// for x86-64): shell scripts using pipelines, subshells and the common applets must print the same bytes and exit
/// with the same status. Each script runs in a fresh empty directory. "{bb}" in a script is the busybox binary of the
/// side running it: the host busybox resolves some applet names through PATH to GNU tools (gzip), so a script names
/// the applet explicitly where that would otherwise compare busybox with GNU.
/// </summary>
public sealed class BusyboxAppletTests
{
    private const string HostBusybox = "/bin/busybox";

    public static TheoryData<string, string> Scripts() => new()
    {
        { "arithmetic and echo", "echo hello; echo $((6*7)); printf '%05d|%s\\n' 42 x" },
        { "sort and uniq", "printf 'b\\na\\nc\\na\\n' | sort | uniq -c; printf '3\\n10\\n2\\n' | sort -n -r" },
        { "awk", "seq 1 200 | awk '{ s += $1; if ($1 % 50 == 0) print $1 * 2 } END { print s, NR }'" },
        { "sed and tr", "echo 'the quick brown fox' | sed -e 's/quick/slow/' -e 's/o/0/g' | tr a-z A-Z" },
        { "gzip round trip and checksums", "seq 1 5000 > numbers; {bb} gzip -c numbers > n.gz; {bb} gunzip -c n.gz | sha256sum; wc -c < n.gz; md5sum numbers; sha1sum numbers" },
        { "cut head tail wc", "seq 1 100 | tail -n 20 | head -n 5; printf 'x,1\\ny,2\\nz,3\\n' | cut -d, -f2 | wc -l" },
        { "files and directories", "mkdir -p d/e; touch d/b d/a; echo text > d/e/f; ls d; ls -R d | wc -l; cat d/e/f; rm -r d; ls" },
        { "subshell exit status", "sh -c 'exit 5'; echo $?; (exit 3); echo $?; false || echo recovered" },
        { "broken pipe ends the writer", "yes | head -n 3; echo done" },
        { "find and xargs", "mkdir -p t/u; touch t/1 t/u/2; find t -type f | sort | xargs echo; rm -r t" },
        { "expr test and loops", "i=0; while [ $i -lt 5 ]; do i=$((i+1)); done; expr $i \\* 7; test 3 -gt 2 && echo yes" },
        { "exit code of the script", "echo about to fail; exit 17" },
    };

    [Theory]
    [MemberData(nameof(Scripts))]
    public async Task Applets_match_the_host_busybox(string name, string script)
    {
        string busybox = Path.Combine(await DebianArm64Packages.RootAsync(), "bin", "busybox");
        Task<ProcessResult> hostRun = RunHostAsync(script.Replace("{bb}", HostBusybox, StringComparison.Ordinal));
        Task<ProcessResult> edgeVisorRun = UserModeRun.EdgeVisorAsync(busybox, ["sh", "-c", script.Replace("{bb}", busybox, StringComparison.Ordinal)], sysroot: null);
        ProcessResult host = await hostRun;
        ProcessResult edgeVisor = await edgeVisorRun;
        Assert.True(host.Stdout.Length > 0, $"{name}: the host busybox printed nothing: {host.Stderr}");
        string? difference = Firmware.OutputComparison.Explain(host, edgeVisor);
        Assert.True(difference is null, $"{name}: {difference}");
    }

    [Fact]
    public async Task A_dynamically_linked_debian_program_runs_with_the_arm64_libc_as_sysroot()
    {
        string hello = Path.Combine(await DebianArm64Packages.RootAsync(), "usr", "bin", "hello");
        await UserModeRun.AssertSameAsQemuAsync(hello, ["--greeting=edge"]);
        await UserModeRun.AssertSameAsQemuAsync(hello, ["--version"]);
    }

    private static Task<ProcessResult> RunHostAsync(string script) =>
        UserModeRun.InFreshDirectoryAsync(directory => ProcessRunner.RunAsync(HostBusybox, ["sh", "-c", script], directory, UserModeRun.Timeout));
}
