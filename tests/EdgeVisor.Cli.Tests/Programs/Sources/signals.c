/* Signals: handlers with siginfo, masks and pending signals, an alternate stack, recovery from SIGSEGV. */
#include <setjmp.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "common.h"

static volatile sig_atomic_t usr1_count, last_code;
static sigjmp_buf recover;
static char alt_stack[65536];
static volatile void *fault_address;

static void on_usr1(int signo, siginfo_t *info, void *context)
{
    (void)context;
    usr1_count++;
    last_code = info->si_code;
    (void)signo;
}

static void on_segv(int signo, siginfo_t *info, void *context)
{
    (void)signo; (void)context;
    fault_address = info->si_addr;
    stack_t current;
    sigaltstack(NULL, &current);
    last_code = (current.ss_flags & SS_ONSTACK) ? 100 + info->si_code : info->si_code;
    siglongjmp(recover, 1);
}

static void on_alarm(int signo) { (void)signo; usr1_count += 1000; }

int main(void)
{
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_sigaction = on_usr1;
    action.sa_flags = SA_SIGINFO;
    sigaction(SIGUSR1, &action, NULL);
    raise(SIGUSR1);
    printf("after raise: count=%d si_code=%d (SI_TKILL=%d)\n", usr1_count, last_code, SI_TKILL);
    kill(getpid(), SIGUSR1);
    printf("after kill: count=%d si_code=%d (SI_USER=%d)\n", usr1_count, last_code, SI_USER);

    sigset_t block, pending;
    sigemptyset(&block);
    sigaddset(&block, SIGUSR1);
    sigprocmask(SIG_BLOCK, &block, NULL);
    raise(SIGUSR1);
    sigpending(&pending);
    printf("blocked: count=%d pending=%d\n", usr1_count, sigismember(&pending, SIGUSR1));
    sigprocmask(SIG_UNBLOCK, &block, NULL);
    printf("unblocked: count=%d\n", usr1_count);

    stack_t stack = { .ss_sp = alt_stack, .ss_size = sizeof alt_stack, .ss_flags = 0 };
    sigaltstack(&stack, NULL);
    action.sa_sigaction = on_segv;
    action.sa_flags = SA_SIGINFO | SA_ONSTACK;
    sigaction(SIGSEGV, &action, NULL);
    volatile int *bad = (volatile int *)0x10;
    if (sigsetjmp(recover, 1) == 0) {
        *bad = 1;
        printf("not reached\n");
    }
    printf("recovered from SIGSEGV at %p code=%d\n", (void *)fault_address, last_code);

    signal(SIGALRM, on_alarm);
    alarm(1);
    pause();
    printf("alarm: count=%d\n", usr1_count);

    signal(SIGUSR2, SIG_IGN);
    raise(SIGUSR2);
    printf("ignored SIGUSR2\n");
    fflush(stdout);
    signal(SIGTERM, SIG_DFL);
    raise(SIGTERM);
    printf("not reached either\n");
    return 0;
}
