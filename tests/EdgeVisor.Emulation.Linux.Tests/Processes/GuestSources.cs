namespace EdgeVisor.Emulation.Linux.Tests.Processes;

/// <summary>C sources of the guest programs the process, thread and signal tests build.</summary>
internal static class GuestSources
{
    public const string Threads = """
        #include <pthread.h>
        #include <stdio.h>
        #include <unistd.h>
        #include <sys/syscall.h>

        #define THREADS 8
        #define ROUNDS 20000
        static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
        static pthread_cond_t cond = PTHREAD_COND_INITIALIZER;
        static long counter;
        static int queue[16], head, tail, done;
        static __thread int tls_value;

        static void *adder(void *arg) {
            tls_value = (int)(long)arg;
            for (int i = 0; i < ROUNDS; i++) {
                pthread_mutex_lock(&lock);
                counter++;
                pthread_mutex_unlock(&lock);
            }
            return (void *)(long)(tls_value * 10);
        }

        static void *producer(void *arg) {
            (void)arg;
            for (int i = 1; i <= 1000; i++) {
                pthread_mutex_lock(&lock);
                while ((tail + 1) % 16 == head) pthread_cond_wait(&cond, &lock);
                queue[tail] = i; tail = (tail + 1) % 16;
                pthread_cond_broadcast(&cond);
                pthread_mutex_unlock(&lock);
            }
            pthread_mutex_lock(&lock); done = 1; pthread_cond_broadcast(&cond); pthread_mutex_unlock(&lock);
            return NULL;
        }

        int main(void) {
            pthread_t t[THREADS];
            for (long i = 0; i < THREADS; i++) pthread_create(&t[i], NULL, adder, (void *)i);
            long sum = 0;
            for (int i = 0; i < THREADS; i++) { void *r; pthread_join(t[i], &r); sum += (long)r; }
            printf("counter %ld sum %ld\n", counter, sum);

            pthread_t p; pthread_create(&p, NULL, producer, NULL);
            long total = 0;
            pthread_mutex_lock(&lock);
            for (;;) {
                while (head == tail && !done) pthread_cond_wait(&cond, &lock);
                if (head == tail && done) break;
                total += queue[head]; head = (head + 1) % 16;
                pthread_cond_broadcast(&cond);
            }
            pthread_mutex_unlock(&lock);
            pthread_join(p, NULL);
            printf("total %ld\n", total);

            pthread_t d; pthread_attr_t attr; pthread_attr_init(&attr); pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
            pthread_create(&d, &attr, adder, (void *)3);
            pthread_rwlock_t rw = PTHREAD_RWLOCK_INITIALIZER; pthread_rwlock_rdlock(&rw); pthread_rwlock_unlock(&rw);
            printf("main tid is pid %d\n", (int)(syscall(SYS_gettid) == getpid()));
            return 0;
        }
        """;

    public const string Signals = """
        #define _GNU_SOURCE
        #include <signal.h>
        #include <setjmp.h>
        #include <stdio.h>
        #include <stdlib.h>
        #include <string.h>
        #include <unistd.h>
        #include <sys/time.h>

        static volatile sig_atomic_t got, code, onalt;
        static sigjmp_buf env;
        static char altstack[1 << 16];

        static void info_handler(int sig, siginfo_t *si, void *uc) {
            (void)uc;
            got = sig; code = si->si_code;
            int local; onalt = ((char *)&local >= altstack && (char *)&local < altstack + sizeof altstack);
        }
        static void segv_handler(int sig, siginfo_t *si, void *uc) {
            (void)uc;
            int local; onalt = ((char *)&local >= altstack && (char *)&local < altstack + sizeof altstack);
            printf("segv sig %d addr %p code %d onalt %d\n", sig, si->si_addr, si->si_code, (int)onalt);
            siglongjmp(env, 1);
        }
        static void plain(int sig) { got = sig; }
        static volatile int depth;
        static void nested(int sig) { depth++; if (depth == 1) raise(SIGUSR2); printf("nested %d depth %d\n", sig, depth); }

        int main(void) {
            setvbuf(stdout, NULL, _IONBF, 0);
            struct sigaction sa; memset(&sa, 0, sizeof sa);
            sa.sa_sigaction = info_handler; sa.sa_flags = SA_SIGINFO;
            sigaction(SIGUSR1, &sa, NULL);
            raise(SIGUSR1);
            printf("raise: got %d code %d\n", (int)got, (int)code);

            union sigval v = { .sival_int = 42 };
            got = 0; sigqueue(getpid(), SIGUSR1, v);
            printf("sigqueue: got %d code %d\n", (int)got, (int)code);

            /* blocked then pending then delivered on unblock */
            sigset_t set, old, pend; sigemptyset(&set); sigaddset(&set, SIGUSR1);
            sigprocmask(SIG_BLOCK, &set, &old);
            got = 0; kill(getpid(), SIGUSR1);
            sigpending(&pend);
            printf("pending %d got %d\n", sigismember(&pend, SIGUSR1), (int)got);
            sigprocmask(SIG_SETMASK, &old, NULL);
            printf("after unblock got %d\n", (int)got);

            /* SIGSEGV on the alternate stack, back with siglongjmp */
            stack_t ss = { .ss_sp = altstack, .ss_size = sizeof altstack, .ss_flags = 0 };
            sigaltstack(&ss, NULL);
            sa.sa_sigaction = segv_handler; sa.sa_flags = SA_SIGINFO | SA_ONSTACK;
            sigaction(SIGSEGV, &sa, NULL);
            if (sigsetjmp(env, 1) == 0) { *(volatile int *)0x10 = 1; printf("not reached\n"); }
            printf("back from segv\n");
            if (sigsetjmp(env, 1) == 0) { *(volatile int *)0x20 = 1; }
            printf("second segv ok\n");

            /* alarm and pause */
            signal(SIGALRM, plain);
            got = 0; alarm(1); pause();
            printf("alarm got %d\n", (int)got);
            struct itimerval it = { .it_value = { .tv_usec = 20000 } };
            got = 0; setitimer(ITIMER_REAL, &it, NULL);
            sigset_t empty; sigemptyset(&empty);
            while (!got) sigsuspend(&empty);
            printf("itimer got %d\n", (int)got);

            /* SA_RESETHAND, nested signals, sigwait */
            sa.sa_handler = plain; sa.sa_flags = SA_RESETHAND; sigemptyset(&sa.sa_mask);
            sigaction(SIGHUP, &sa, NULL);
            raise(SIGHUP);
            struct sigaction now; sigaction(SIGHUP, NULL, &now);
            printf("resethand default %d\n", now.sa_handler == SIG_DFL);
            signal(SIGUSR2, nested); signal(SIGINT, nested);
            raise(SIGINT);
            sigemptyset(&set); sigaddset(&set, SIGTERM); sigprocmask(SIG_BLOCK, &set, NULL);
            kill(getpid(), SIGTERM);
            int which = 0; sigwait(&set, &which);
            printf("sigwait %d\n", which);
            signal(SIGPIPE, SIG_IGN); raise(SIGPIPE);
            printf("ignored sigpipe\n");
            return 7;
        }
        """;

    public const string Abort = """
        #include <stdio.h>
        #include <stdlib.h>
        int main(void) { printf("before abort\n"); fflush(stdout); abort(); }
        """;

    public const string Segv = """
        #include <stdio.h>
        int main(void) { printf("before the fault\n"); fflush(stdout); *(volatile int *)8 = 1; return 0; }
        """;

    public const string Fork = """
        #define _GNU_SOURCE
        #include <signal.h>
        #include <spawn.h>
        #include <stdio.h>
        #include <stdlib.h>
        #include <string.h>
        #include <unistd.h>
        #include <sys/wait.h>
        extern char **environ;
        static int global = 5;

        int main(int argc, char **argv) {
            if (argc > 1 && strcmp(argv[1], "child") == 0) { printf("exec'd child argv2=%s\n", argv[2]); return 9; }
            setvbuf(stdout, NULL, _IONBF, 0);
            int status;
            pid_t pid = fork();
            if (pid == 0) { global = 6; printf("child sees global %d\n", global); _exit(3); }
            waitpid(pid, &status, 0);
            printf("exit: exited %d code %d global %d\n", WIFEXITED(status), WEXITSTATUS(status), global);

            pid = fork();
            if (pid == 0) { raise(SIGUSR1); _exit(0); }
            waitpid(pid, &status, 0);
            printf("signal: signaled %d sig %d\n", WIFSIGNALED(status), WTERMSIG(status));

            int fds[2]; pipe(fds);
            pid = fork();
            if (pid == 0) { close(fds[0]); const char msg[] = "through the pipe"; write(fds[1], msg, sizeof msg); _exit(0); }
            close(fds[1]);
            char buf[64] = {0}; read(fds[0], buf, sizeof buf);
            waitpid(pid, &status, 0);
            printf("pipe: %s\n", buf);

            pid = fork();
            if (pid == 0) { execl(argv[0], argv[0], "child", "hello", (char *)NULL); _exit(127); }
            waitpid(pid, &status, 0);
            printf("execve: code %d\n", WEXITSTATUS(status));

            char *args[] = { argv[0], "child", "spawned", NULL };
            if (posix_spawn(&pid, argv[0], NULL, NULL, args, environ) == 0) { waitpid(pid, &status, 0); printf("spawn: code %d\n", WEXITSTATUS(status)); }

            pid = vfork();
            if (pid == 0) _exit(4);
            waitpid(pid, &status, 0);
            printf("vfork: code %d\n", WEXITSTATUS(status));
            printf("wnohang: %d\n", (int)waitpid(-1, &status, WNOHANG));

            pid = fork();
            if (pid == 0) { printf("host program: "); execl("/bin/echo", "echo", "hi from the host", (char *)NULL); _exit(127); }
            waitpid(pid, &status, 0);
            printf("\n");
            return 0;
        }
        """;
}
