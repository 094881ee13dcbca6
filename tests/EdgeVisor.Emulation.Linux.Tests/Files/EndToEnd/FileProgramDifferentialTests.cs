using EdgeVisor.Emulation.Linux.Tests.Loading;

namespace EdgeVisor.Emulation.Linux.Tests.Files.EndToEnd;

/// <summary>
/// C programs exercising files, directories, pipes, polling and sockets, run in process under EdgeVisor and under
/// qemu-aarch64: standard output and exit status must match byte for byte. The programs change the working directory,
/// which is the test process's own, so they run alone.
/// </summary>
[Collection(nameof(WorkingDirectoryCollection))]
public sealed class FileProgramDifferentialTests : IDisposable
{
    private readonly string _saved = Environment.CurrentDirectory;

    public void Dispose() => Environment.CurrentDirectory = _saved;

    [Theory]
    [InlineData("-static -O2")]
    [InlineData("-static -O0")]
    [InlineData("-O2")]
    public void Files_and_directories_behave_as_under_qemu(string flags) => Compare("files", FilesProgram, flags);

    [Theory]
    [InlineData("-static -O2")]
    [InlineData("-O2")]
    public void Pipes_polling_epoll_eventfd_and_loopback_sockets_behave_as_under_qemu(string flags) => Compare("channels", ChannelsProgram, flags);

    [Fact]
    public void Writing_to_a_pipe_nobody_reads_ends_the_program_with_SIGPIPE()
    {
        // The reference is Linux itself: qemu under the test runner inherits .NET's ignored SIGPIPE, so it cannot be asked.
        string program = GuestPrograms.Build("sigpipe", SigpipeProgram, "-static -O2");
        var run = InProcessExec.Run(program, [], sysroot: null);
        Assert.Equal("before\n", run.Stdout);
        Assert.Equal(128 + 13, run.ShellCode);
    }

    private static void Compare(string name, string source, string flags)
    {
        string program = GuestPrograms.Build(name, source, flags);
        string? sysroot = flags.Contains("-static", StringComparison.Ordinal) ? null : InProcessExec.Sysroot;
        var expected = InProcessExec.Qemu(program, [], sysroot);
        var actual = InProcessExec.Run(program, [], sysroot);
        Assert.Equal(expected.Stdout, actual.Stdout);
        Assert.Equal(expected.ShellCode, actual.ShellCode);
    }

    private const string FilesProgram = """
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <unistd.h>
#include <dirent.h>
#include <errno.h>
#include <sys/stat.h>
int main(void) {
    char dir[] = "/tmp/lf-e2e-XXXXXX";
    if (!mkdtemp(dir)) { perror("mkdtemp"); return 1; }
    char path[256];
    snprintf(path, sizeof path, "%s/a.txt", dir);
    FILE *f = fopen(path, "w");
    for (int i = 0; i < 100; i++) fprintf(f, "line %d\n", i);
    fclose(f);
    struct stat st;
    stat(path, &st);
    printf("size %ld mode %o nlink %lu isreg %d\n", (long)st.st_size, st.st_mode & 0777, (unsigned long)st.st_nlink, S_ISREG(st.st_mode));
    f = fopen(path, "r");
    char buf[64]; int n = 0;
    while (fgets(buf, sizeof buf, f)) n++;
    fclose(f);
    printf("lines %d\n", n);
    int fd = open(path, O_RDONLY | O_DIRECTORY);
    printf("O_DIRECTORY on file: %d %s\n", fd, strerror(errno));
    chdir(dir);
    mkdir("sub", 0755);
    symlink("a.txt", "link");
    char target[64]; ssize_t l = readlink("link", target, sizeof target);
    printf("readlink %.*s\n", (int)l, target);
    DIR *d = opendir(".");
    struct dirent *e; int count = 0;
    while ((e = readdir(d))) count++;
    closedir(d);
    printf("entries %d\n", count);
    char cwd[256]; getcwd(cwd, sizeof cwd);
    printf("cwd ok %d\n", strcmp(cwd, dir) == 0);
    rename("a.txt", "b.txt");
    printf("access a %d b %d\n", access("a.txt", F_OK), access("b.txt", R_OK));
    unlink("b.txt"); unlink("link"); rmdir("sub"); chdir("/"); rmdir(dir);
    int p[2]; pipe(p);
    write(p[1], "pipe!", 5); close(p[1]);
    n = read(p[0], buf, sizeof buf); buf[n] = 0;
    printf("pipe %s eof %zd\n", buf, read(p[0], buf, 1));
    return 3;
}
""";

    private const string SigpipeProgram = """
        #include <stdio.h>
        #include <unistd.h>
        int main(void) {
            int p[2];
            pipe(p);
            close(p[0]);
            puts("before");
            fflush(stdout);
            write(p[1], "x", 1);
            puts("after");
            return 0;
        }
        """;

    private const string ChannelsProgram = """
#define _GNU_SOURCE
#include <stdio.h>
#include <string.h>
#include <signal.h>
#include <unistd.h>
#include <fcntl.h>
#include <poll.h>
#include <errno.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/select.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <netinet/in.h>
#include <arpa/inet.h>

static int check(const char *what, long r) { printf("%s = %ld%s%s\n", what, r, r < 0 ? " " : "", r < 0 ? strerror(errno) : ""); return (int)r; }

int main(void) {
    setvbuf(stdout, NULL, _IOLBF, 0);
    int p[2]; check("pipe2", pipe2(p, O_CLOEXEC | O_NONBLOCK));
    printf("flags %x cloexec %d\n", fcntl(p[0], F_GETFL) & ~0x20000, fcntl(p[0], F_GETFD));
    char buf[64];
    check("read empty", read(p[0], buf, sizeof buf));
    struct pollfd pf[2] = {{p[0], POLLIN, 0}, {p[1], POLLOUT, 0}};
    check("poll", poll(pf, 2, 0)); printf("revents %x %x\n", pf[0].revents, pf[1].revents);
    check("write", write(p[1], "abc", 3));
    check("poll", poll(pf, 2, 100)); printf("revents %x %x\n", pf[0].revents, pf[1].revents);

    int ep = epoll_create1(EPOLL_CLOEXEC); printf("epoll fd %d\n", ep);
    struct epoll_event ev = {.events = EPOLLIN, .data.u64 = 0x1234567890abcdefULL};
    check("epoll_ctl", epoll_ctl(ep, EPOLL_CTL_ADD, p[0], &ev));
    struct epoll_event out[4]; memset(out, 0, sizeof out);
    int n = check("epoll_wait", epoll_wait(ep, out, 4, 100));
    for (int i = 0; i < n; i++) printf("event %x data %llx\n", out[i].events, (unsigned long long)out[i].data.u64);

    int efd = eventfd(5, EFD_NONBLOCK);
    unsigned long long v = 0; check("eventfd read", read(efd, &v, 8)); printf("value %llu\n", v);
    check("eventfd read again", read(efd, &v, 8));

    fd_set rs; FD_ZERO(&rs); FD_SET(p[0], &rs); FD_SET(efd, &rs);
    struct timeval tv = {0, 1000};
    check("select", select(efd > p[0] ? efd + 1 : p[0] + 1, &rs, NULL, NULL, &tv));
    printf("isset pipe %d efd %d\n", FD_ISSET(p[0], &rs) != 0, FD_ISSET(efd, &rs) != 0);

    int d = dup(p[0]); printf("dup %d\n", d);
    check("dup3 onto 10", dup3(p[0], 10, O_CLOEXEC)); printf("fd10 cloexec %d\n", fcntl(10, F_GETFD));
    check("read via dup", read(10, buf, sizeof buf));
    check("close 10", close(10)); check("close again", close(10));


    int sv[2]; check("socketpair", socketpair(AF_UNIX, SOCK_STREAM, 0, sv));
    struct iovec iov[2] = {{"hello ", 6}, {"world", 5}};
    check("writev", writev(sv[0], iov, 2));
    check("recv", recv(sv[1], buf, sizeof buf, 0)); printf("got %.11s\n", buf);

    int ls = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    check("bind", bind(ls, (void *)&a, sizeof a)); check("listen", listen(ls, 1));
    socklen_t len = sizeof a; getsockname(ls, (void *)&a, &len);
    int c = socket(AF_INET, SOCK_STREAM, 0);
    check("connect", connect(c, (void *)&a, sizeof a));
    int s = accept(ls, NULL, NULL); printf("accepted %d\n", s);
    check("send", send(c, "tcp!", 4, 0));
    check("read tcp", read(s, buf, sizeof buf));
    check("shutdown", shutdown(c, SHUT_WR));
    check("read eof", read(s, buf, sizeof buf));
    int one = 1; len = sizeof one;
    check("getsockopt", getsockopt(c, SOL_SOCKET, SO_TYPE, &one, &len)); printf("type %d len %u\n", one, len);
    check("isatty(socket)", isatty(c));
    close(p[0]); close(d);
    signal(SIGPIPE, SIG_IGN);
    check("write to a pipe without reader, SIGPIPE ignored", write(p[1], "x", 1));
    return 0;
}
""";
}
