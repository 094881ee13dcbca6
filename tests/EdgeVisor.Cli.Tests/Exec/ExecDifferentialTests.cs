using EdgeVisor.Testing.Processes;

namespace EdgeVisor.Cli.Tests.Exec;

/// <summary>
/// <c>edgevisor exec</c> against qemu-aarch64 on C programs built static, static-PIE and dynamic: the same standard
/// output byte for byte and the same exit code. The programs exercise what linux-core provides — start-up (argv,
/// environment, auxv), memory calls, system information and the ways a process ends — and print only values that do
/// not depend on where things were placed.
/// </summary>
public sealed class ExecDifferentialTests
{
    private const string Startup = """
        #include <stdio.h>
        #include <stdlib.h>
        #include <string.h>
        #include <stdint.h>
        #include <unistd.h>
        #include <sys/auxv.h>
        int main(int argc, char **argv, char **envp) {
            for (int i = 0; i < argc; i++) printf("argv[%d]=%s\n", i, argv[i]);
            printf("FOO=%s HOME set=%d\n", getenv("FOO") ? getenv("FOO") : "(unset)", getenv("HOME") != NULL);
            printf("pagesz=%lu clktck=%lu sysconf=%ld secure=%lu\n", getauxval(AT_PAGESZ), getauxval(AT_CLKTCK), sysconf(_SC_PAGESIZE), getauxval(AT_SECURE));
            printf("platform=%s execfn=%s\n", (char *)getauxval(AT_PLATFORM), (char *)getauxval(AT_EXECFN));
            unsigned char *r = (unsigned char *)getauxval(AT_RANDOM);
            int nonzero = 0; for (int i = 0; i < 16; i++) nonzero |= r[i];
            printf("random=%d uid=%d gid=%d\n", nonzero != 0, getauxval(AT_UID) == getuid(), getauxval(AT_GID) == getgid());
            printf("entry-ok=%d phdr-ok=%d\n", getauxval(AT_ENTRY) != 0, getauxval(AT_PHDR) != 0 && getauxval(AT_PHENT) == 56);
            printf("envp-is-environ=%d\n", envp == __environ);
            return argc + 40;
        }
        """;

    private const string MemoryCalls = """
        #define _GNU_SOURCE
        #include <errno.h>
        #include <fcntl.h>
        #include <stdio.h>
        #include <stdlib.h>
        #include <string.h>
        #include <unistd.h>
        #include <sys/mman.h>
        #define P 4096
        static void report(const char *what, long result) { printf("%s: %s\n", what, result < 0 || result == (long)MAP_FAILED ? strerror(errno) : "ok"); }
        int main(void) {
            char *small[64]; long sum = 0;
            for (int i = 0; i < 64; i++) { small[i] = malloc(i * 37 + 1); memset(small[i], i, i * 37 + 1); }
            for (int i = 0; i < 64; i++) { sum += small[i][i * 37]; free(small[i]); }
            printf("malloc sum %ld\n", sum);
            char *big = malloc(10 << 20); big[0] = 1; big[(10 << 20) - 1] = 2;
            big = realloc(big, 40 << 20); printf("realloc keeps %d %d\n", big[0], big[(10 << 20) - 1]); free(big);
            char *b0 = sbrk(0); report("sbrk grow", (long)sbrk(3 * P)); char *b1 = sbrk(0);
            b1[-1] = 7; printf("brk moved %ld, last byte %d\n", (long)(b1 - b0), b1[-1]); report("sbrk shrink", (long)sbrk(-3 * P));
            char *m = mmap(NULL, 4 * P, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
            report("mmap", (long)m); m[0] = 'a'; m[P] = 'b'; m[3 * P] = 'c';
            report("mprotect ro", mprotect(m + P, P, PROT_READ)); printf("still reads %c\n", m[P]);
            report("mprotect unaligned", mprotect(m + 1, P, PROT_READ));
            report("munmap middle", munmap(m + 2 * P, P));
            report("mprotect over hole", mprotect(m, 4 * P, PROT_READ | PROT_WRITE));
            unsigned char vec[4]; report("mincore over hole", mincore(m, 4 * P, vec));
            report("mincore first", mincore(m, 2 * P, vec)); printf("resident %d %d\n", vec[0] & 1, vec[1] & 1);
            /* MAP_FIXED_NOREPLACE is left to the unit tests: qemu 7.2 treats it as a hint and maps elsewhere. */
            report("fixed replace", (long)mmap(m + 3 * P, P, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0));
            printf("replaced page reads %d\n", m[3 * P]);
            m[0] = 'z'; report("madvise dontneed", madvise(m, P, MADV_DONTNEED)); printf("after dontneed %d\n", m[0]);
            report("mprotect back", mprotect(m + P, P, PROT_READ | PROT_WRITE));
            report("mremap into the hole", (long)mremap(m, 2 * P, 3 * P, 0));
            report("mremap blocked", (long)mremap(m, 3 * P, 5 * P, 0));
            char *moved = mremap(m, 3 * P, 16 * P, MREMAP_MAYMOVE); report("mremap maymove", (long)moved);
            if (moved == MAP_FAILED) return 1;
            printf("moved keeps %c\n", moved[P]);
            report("mmap length 0", (long)mmap(NULL, 0, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0));
            report("mmap no type", (long)mmap(NULL, P, PROT_READ, MAP_ANONYMOUS, -1, 0));
            report("mmap bad fd", (long)mmap(NULL, P, PROT_READ, MAP_PRIVATE, 999, 0));
            report("munmap unaligned", munmap(moved + 1, P));
            char path[] = "/tmp/edgevisor-mmap-XXXXXX"; int fd = mkstemp(path);
            for (int i = 0; i < 5000; i++) { char c = 'A' + i % 26; write(fd, &c, 1); }
            char *shared = mmap(NULL, 5000, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0); report("mmap shared file", (long)shared);
            char *priv = mmap(NULL, 5000, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0); report("mmap private file", (long)priv);
            printf("file bytes %c %c %c tail %d\n", shared[0], shared[4999], priv[27], priv[4999 + 1]);
            shared[1] = '#'; priv[2] = '!'; report("msync", msync(shared, P, MS_SYNC));
            char back[4] = {0}; pread(fd, back, 3, 0); printf("file now %s, private sees %c\n", back, priv[1]);
            int ro = open(path, O_RDONLY);
            report("shared writable of read-only fd", (long)mmap(NULL, P, PROT_READ | PROT_WRITE, MAP_SHARED, ro, 0));
            char *rom = mmap(NULL, P, PROT_READ, MAP_SHARED, ro, 0); report("shared read-only", (long)rom);
            report("mprotect write on it", mprotect(rom, P, PROT_READ | PROT_WRITE));
            unlink(path);
            return 0;
        }
        """;

    private const string SystemCalls = """
        #define _GNU_SOURCE
        #include <sched.h>
        #include <stdio.h>
        #include <string.h>
        #include <time.h>
        #include <unistd.h>
        #include <sys/prctl.h>
        #include <sys/random.h>
        #include <sys/resource.h>
        #include <sys/syscall.h>
        #include <sys/stat.h>
        #include <sys/sysinfo.h>
        #include <sys/time.h>
        #include <sys/times.h>
        #include <sys/utsname.h>
        int main(void) {
            struct utsname u; uname(&u); printf("uname %s %s\n", u.sysname, u.machine);
            printf("pid is tid %d, ppid>0 %d\n", getpid() == syscall(SYS_gettid), getppid() > 0);
            struct timespec a, b, s = {0, 20000000}; clock_gettime(CLOCK_MONOTONIC, &a); nanosleep(&s, NULL); clock_gettime(CLOCK_MONOTONIC, &b);
            long ns = (b.tv_sec - a.tv_sec) * 1000000000L + (b.tv_nsec - a.tv_nsec); printf("slept enough %d\n", ns >= 20000000);
            struct timeval tv; gettimeofday(&tv, NULL); printf("gettimeofday near time() %d\n", tv.tv_sec - time(NULL) <= 1);
            struct timespec res; clock_getres(CLOCK_MONOTONIC, &res); printf("res ok %d\n", res.tv_sec == 0 && res.tv_nsec > 0);
            prctl(PR_SET_NAME, "worker-thread-name"); char name[16]; prctl(PR_GET_NAME, name); printf("name %s\n", name);
            cpu_set_t set; printf("affinity %d\n", sched_getaffinity(0, sizeof set, &set) == 0 && CPU_COUNT(&set) > 0);
            unsigned char buf[16]; printf("getrandom %zd\n", getrandom(buf, sizeof buf, 0));
            mode_t old = umask(027); printf("umask roundtrip %d\n", umask(old) == 027);
            struct tms t; printf("times %d\n", times(&t) != (clock_t)-1);
            struct rusage ru; printf("getrusage %d\n", getrusage(RUSAGE_SELF, &ru));
            struct sysinfo si; printf("sysinfo %d ram>0 %d\n", sysinfo(&si), si.totalram > 0);
            struct rlimit rl; printf("getrlimit %d\n", getrlimit(RLIMIT_NOFILE, &rl));
            printf("sched_yield %d\n", sched_yield());
            printf("cpu>=0 %d\n", sched_getcpu() >= 0);
            fflush(stdout);
            _exit(5);
        }
        """;

    private const string AtExit = """
        #include <stdio.h>
        #include <stdlib.h>
        static void bye(void) { printf("atexit ran\n"); exit(9); }
        int main(void) { atexit(bye); printf("main returns\n"); return 1; }
        """;

    public static TheoryData<string> LinkModes => new() { "-static", "-static-pie", "dynamic" };

    [Theory]
    [MemberData(nameof(LinkModes))]
    public Task Start_up_argv_environment_and_auxv_match_qemu(string link) =>
        Compare("startup", Startup, "-O2 " + Flags(link), ["one", "two words", ""], environment: ["-E", "FOO=bar", "-U", "HOME"]);

    [Theory]
    [InlineData("-static -O0")]
    [InlineData("-O2")]
    public Task Memory_calls_behave_like_qemu(string flags) => Compare("memory", MemoryCalls, flags, []);

    [Fact]
    public Task System_information_calls_behave_like_qemu() => Compare("system", SystemCalls, "-O2 -static", []);

    [Fact]
    public Task Exit_from_an_atexit_handler_gives_its_code() => Compare("atexit", AtExit, "-O1", []);

    [Fact]
    public async Task Strace_logs_each_system_call_with_its_result_on_stderr()
    {
        string program = ExecPrograms.Build("atexit", AtExit, "-O1 -static");

        var result = await ExecPrograms.EdgeVisorAsync(["--strace"], program, []);

        Assert.Equal(9, result.ExitCode);
        Assert.Contains("main returns\natexit ran\n", ProcessRunner.AsText(result.Stdout), StringComparison.Ordinal);
        Assert.Matches(@"(?m)^\d+ write\(1,0x[0-9a-f]+,24\) = 24$", result.Stderr);
        Assert.Matches(@"(?m)^\d+ exit_group\(9\) = \?$", result.Stderr);
    }

    private static string Flags(string link) => link == "dynamic" ? "" : link;

    private static async Task Compare(string name, string source, string flags, IReadOnlyList<string> arguments, IReadOnlyList<string>? environment = null)
    {
        string program = ExecPrograms.Build(name, source, flags);
        var options = new List<string> { "-L", ExecPrograms.Sysroot };
        options.AddRange(environment ?? []);

        var reference = await ProcessRunner.RunAsync("qemu-aarch64", [.. options, program, .. arguments], Path.GetDirectoryName(program)!, TimeSpan.FromSeconds(60));
        var ours = await ExecPrograms.EdgeVisorAsync(options, program, arguments);

        string context = $"\n{ours.CommandLine}\nstderr: {ours.Stderr}\n--- qemu ---\n{ProcessRunner.AsText(reference.Stdout)}--- edgevisor ---\n{ProcessRunner.AsText(ours.Stdout)}";
        Assert.True(reference.ExitCode == ours.ExitCode, $"exit code: qemu {reference.ExitCode}, edgevisor {ours.ExitCode}{context}");
        Assert.True(reference.Stdout.AsSpan().SequenceEqual(ours.Stdout), $"stdout differs{context}");
    }
}
