/*
 * Processes: fork and wait with exit codes and signal deaths, a pipe between parent and child, system().
 * "process exec-test" execs itself: qemu-aarch64 without binfmt_misc cannot do that (the host kernel refuses an
 * AArch64 ELF), so that part runs only when asked, against Linux's documented semantics instead of QEMU.
 */
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include "common.h"

int main(int argc, char **argv)
{
    if (argc > 1 && strcmp(argv[1], "child-exec") == 0) {
        printf("exec'd child says %s\n", argc > 2 ? argv[2] : "nothing");
        return 7;
    }
    fflush(stdout);

    for (int code = 0; code < 3; code++) {
        pid_t pid = fork();
        if (pid == 0)
            _exit(code * 10 + 1);
        int status;
        waitpid(pid, &status, 0);
        printf("child exited=%d code=%d\n", WIFEXITED(status), WEXITSTATUS(status));
    }

    pid_t victim = fork();
    if (victim == 0) {
        pause();
        _exit(0);
    }
    kill(victim, SIGKILL);
    int status;
    waitpid(victim, &status, 0);
    printf("killed child: signaled=%d signal=%d\n", WIFSIGNALED(status), WTERMSIG(status));

    int pipefd[2];
    pipe(pipefd);
    pid_t writer = fork();
    if (writer == 0) {
        close(pipefd[0]);
        const char *message = "hello through fork and pipe";
        write(pipefd[1], message, strlen(message));
        _exit(0);
    }
    close(pipefd[1]);
    char buffer[64] = { 0 };
    ssize_t total = 0, got;
    while ((got = read(pipefd[0], buffer + total, sizeof buffer - 1 - (size_t)total)) > 0)
        total += got;
    waitpid(writer, NULL, 0);
    printf("parent read %zd: %s\n", total, buffer);

    if (argc > 1 && strcmp(argv[1], "exec-test") == 0) {
        fflush(stdout);
        pid_t execer = fork();
        if (execer == 0) {
            char *args[] = { argv[0], "child-exec", "hi", NULL };
            execv(argv[0], args);
            _exit(99);
        }
        waitpid(execer, &status, 0);
        printf("exec child code=%d\n", WEXITSTATUS(status));
    }

    int system_status = system("exit 3");
    printf("system available=%d\n", system_status != -1);
    return 0;
}
