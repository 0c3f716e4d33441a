/*
 * Run as init (pid 1) by the fuzz test group: init gets only the signals
 * it has a handler for, as on Linux, so no process can end the machine by
 * signalling it. The fuzz campaign's init died of a SIGBUS that a worker
 * sent it (F_SETOWN/F_SETSIG, a timer, kill as root). Only inside
 * Helctic: on the build machine this program is not pid 1.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include "../linux/check.h"

static volatile sig_atomic_t usr1;

static void on_usr1(int sig) { (void)sig; usr1 = 1; }

int main(void) {
    CHECK_EQ(getpid(), 1, "runs as init");
    static const int sigs[] = { SIGBUS, SIGTERM, SIGSEGV, SIGINT, SIGKILL, SIGSTOP, SIGALRM };
    pid_t child = fork();
    if (child == 0) {
        for (size_t i = 0; i < sizeof sigs / sizeof sigs[0]; i++)
            if (kill(1, sigs[i]) != 0) _exit(1);
        _exit(0);
    }
    CHECK_EQ(check_wait(child), 0, "a child (root) sends init SIGBUS, SIGTERM, SIGSEGV, SIGINT, SIGKILL, SIGSTOP, SIGALRM");
    CHECK_EQ(kill(1, SIGTERM), 0, "init signals itself");
    CHECK(1, "init is still running after signals with the default action");
    struct sigaction sa = { .sa_handler = on_usr1 };
    sigaction(SIGUSR1, &sa, NULL);
    child = fork();
    if (child == 0) _exit(kill(1, SIGUSR1) == 0 ? 0 : 1);
    CHECK_EQ(check_wait(child), 0, "a child sends SIGUSR1, which init handles");
    for (int i = 0; i < 100 && !usr1; i++) usleep(10000);
    CHECK(usr1, "a signal init has a handler for is delivered");

    /* A blocked signal is kept for init, as Linux keeps it, so sigwait
     * and friends work in pid 1 (a timer's blocked signal once vanished);
     * unblocked with the default action in place, it is dropped. */
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGRTMIN);
    sigprocmask(SIG_BLOCK, &set, NULL);
    child = fork();
    if (child == 0) _exit(kill(1, SIGTERM) == 0 ? 0 : 1);
    CHECK_EQ(check_wait(child), 0, "a child sends SIGTERM, which init blocks");
    sigset_t pending;
    sigpending(&pending);
    CHECK(sigismember(&pending, SIGTERM), "it is pending for init");
    struct timespec zero = { 0, 0 };
    siginfo_t info;
    CHECK_EQ(sigtimedwait(&set, &info, &zero), SIGTERM, "sigtimedwait takes it");
    CHECK_EQ(info.si_pid, child, "from the child");
    CHECK_EQ(kill(1, SIGRTMIN), 0, "init sends itself a blocked SIGRTMIN");
    sigpending(&pending);
    CHECK(sigismember(&pending, SIGRTMIN), "it is pending");
    sigprocmask(SIG_UNBLOCK, &set, NULL);
    sigpending(&pending);
    CHECK(!sigismember(&pending, SIGRTMIN), "unblocked with the default action, it is dropped");
    CHECK(1, "and init is still running");
    return check_done();
}
