/*
 * An alternate signal stack whose end lies past the top of the address
 * space (ss_sp + ss_size wraps around): Linux accepts it, and a signal
 * delivered on it cannot be given a frame, so the process dies of
 * SIGSEGV. Helctic's kernel panicked on the addition (found by the fuzz
 * campaign, `cargo xtask fuzz`): checking "is the thread on its alternate
 * stack" and placing the frame both added base and size.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include "check.h"

static void handler(int sig) { (void)sig; }

/* In a child: install the wrapping stack, then (with `deliver`) take a
 * signal on it. Exit status 0: the calls behaved; 1: they did not. */
static void child(int deliver) {
    stack_t ss = { .ss_sp = (void *)(uintptr_t)-4096, .ss_size = 1 << 20, .ss_flags = 0 };
    if (sigaltstack(&ss, NULL) != 0) _exit(1);
    stack_t now;
    if (sigaltstack(NULL, &now) != 0 || now.ss_sp != ss.ss_sp || now.ss_size != ss.ss_size || now.ss_flags != 0) _exit(1);
    if (deliver) {
        struct sigaction sa = { .sa_handler = handler, .sa_flags = SA_ONSTACK };
        sigaction(SIGUSR1, &sa, NULL);
        raise(SIGUSR1);
        _exit(2); /* not reached: there is no room for the frame */
    }
    _exit(0);
}

int main(void) {
    pid_t p = fork();
    if (p == 0) child(0);
    CHECK_EQ(check_wait(p), 0, "a stack that wraps past the top of memory is accepted and read back");
    p = fork();
    if (p == 0) child(1);
    CHECK_EQ(check_wait(p), 1000 + SIGSEGV, "a signal delivered on it kills the process with SIGSEGV");
    return check_done();
}
