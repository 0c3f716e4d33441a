/*
 * signals.c - signal delivery.
 *
 * sigaction handlers with SA_SIGINFO (signo, si_code, si_pid/si_uid for
 * kill from this process and from a child, sigqueue values), SA_RESETHAND,
 * SA_NODEFER and sa_mask, sigprocmask with pending signals (sigpending,
 * delivery on unblock, standard signals coalesce, realtime ones queue in
 * order), sigsuspend, sigwaitinfo/sigtimedwait, raise/kill/tgkill, SIGCHLD
 * with CLD_EXITED, SIGSEGV from a NULL write escaped with siglongjmp,
 * SIGFPE from integer division by zero, sigaltstack with SA_ONSTACK
 * (including a stack overflow), EINTR from a blocking read without
 * SA_RESTART and transparent restart with it, alarm(), signal() with
 * SIG_DFL/SIG_IGN, invalid signal numbers, and rt_sigreturn restoring
 * general-purpose and SSE registers and a long FP/integer computation.
 *
 * Default actions that terminate are only ever exercised in children,
 * since inside Helctic this program may be PID 1.
 */
#define _GNU_SOURCE
#include "check.h"

#include <fcntl.h>
#include <limits.h>
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static volatile sig_atomic_t h_count, h_signo, h_code, h_blocked_self, h_usr2_blocked;
static volatile pid_t h_pid;
static volatile uid_t h_uid;
static volatile int h_value;
static volatile int h_status;

static void reset_h(void)
{
	h_count = 0;
	h_signo = 0;
	h_code = 0;
	h_pid = 0;
	h_uid = (uid_t)-1;
	h_value = 0;
	h_status = -1;
	h_blocked_self = -1;
	h_usr2_blocked = -1;
}

static void info_handler(int sig, siginfo_t *si, void *uc)
{
	(void)uc;
	h_count++;
	h_signo = sig;
	h_code = si->si_code;
	h_pid = si->si_pid;
	h_uid = si->si_uid;
	h_value = si->si_value.sival_int;
	if (sig == SIGCHLD)
		h_status = si->si_status;
	sigset_t cur;
	sigprocmask(SIG_BLOCK, NULL, &cur);
	h_blocked_self = sigismember(&cur, sig);
	h_usr2_blocked = sigismember(&cur, SIGUSR2);
}

static volatile int rt_sig[16], rt_val[16];
static volatile sig_atomic_t n_rt;
static void rt_handler(int sig, siginfo_t *si, void *uc)
{
	(void)uc;
	if (n_rt < 16) {
		rt_sig[n_rt] = sig;
		rt_val[n_rt] = si->si_value.sival_int;
	}
	n_rt++;
}

static void install(int sig, int flags, void (*fn)(int, siginfo_t *, void *))
{
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_sigaction = fn;
	sa.sa_flags = SA_SIGINFO | flags;
	sigemptyset(&sa.sa_mask);
	sigaction(sig, &sa, NULL);
}


static void test_siginfo(void)
{
	install(SIGUSR1, 0, info_handler);
	reset_h();
	CHECK_EQ(kill(getpid(), SIGUSR1), 0, "kill(getpid(), SIGUSR1)");
	CHECK_EQ(h_count, 1, "handler ran once before kill returned");
	CHECK_EQ(h_signo, SIGUSR1, "handler got SIGUSR1");
	CHECK_EQ(h_code, SI_USER, "si_code is SI_USER for kill");
	CHECK_EQ(h_pid, getpid(), "si_pid is the sender (ourselves)");
	CHECK_EQ(h_uid, getuid(), "si_uid is the sender's uid");
	CHECK_EQ(h_blocked_self, 1, "signal is blocked inside its own handler");

	reset_h();
	CHECK_EQ(raise(SIGUSR1), 0, "raise");
	CHECK(h_count == 1 && h_signo == SIGUSR1, "raise delivers synchronously");
	CHECK_EQ(h_code, SI_TKILL, "si_code is SI_TKILL for raise");

	install(SIGUSR2, 0, info_handler);
	reset_h();
	CHECK_EQ(syscall(SYS_tgkill, getpid(), gettid(), SIGUSR2), 0, "tgkill");
	CHECK(h_count == 1 && h_signo == SIGUSR2 && h_code == SI_TKILL, "tgkill delivers SIGUSR2 with SI_TKILL");
	CHECK_EQ(syscall(SYS_tgkill, getpid(), gettid(), 0), 0, "tgkill with signal 0 probes the thread");
	CHECK_ERR(syscall(SYS_tgkill, getpid() + 1000000, gettid(), SIGUSR2), ESRCH, "tgkill with wrong tgid is ESRCH");

	reset_h();
	union sigval v;
	v.sival_int = 4242;
	CHECK_EQ(sigqueue(getpid(), SIGUSR1, v), 0, "sigqueue");
	CHECK_EQ(h_code, SI_QUEUE, "si_code is SI_QUEUE");
	CHECK_EQ(h_value, 4242, "si_value carried by sigqueue");

	/* kill from a child: si_pid is the child */
	sigset_t block, old;
	sigemptyset(&block);
	sigaddset(&block, SIGUSR1);
	sigprocmask(SIG_BLOCK, &block, &old);
	reset_h();
	pid_t pid = fork();
	if (pid == 0) {
		kill(getppid(), SIGUSR1);
		_exit(0);
	}
	check_wait(pid);
	sigsuspend(&old);
	sigprocmask(SIG_SETMASK, &old, NULL);
	CHECK(h_count == 1 && h_signo == SIGUSR1, "signal from a child delivered");
	CHECK_EQ(h_pid, pid, "si_pid is the child's pid");
	CHECK_EQ(h_code, SI_USER, "si_code SI_USER from child");
}

static void test_flags(void)
{
	struct sigaction sa, q;

	/* SA_RESETHAND: one-shot */
	install(SIGUSR1, SA_RESETHAND, info_handler);
	reset_h();
	raise(SIGUSR1);
	CHECK_EQ(h_count, 1, "SA_RESETHAND handler ran");
	sigaction(SIGUSR1, NULL, &q);
	CHECK(q.sa_handler == SIG_DFL, "SA_RESETHAND reset the disposition to SIG_DFL");
	CHECK((q.sa_flags & (SA_SIGINFO | SA_RESETHAND)) == (SA_SIGINFO | SA_RESETHAND), "and only the handler: SA_SIGINFO and SA_RESETHAND stay set");

	/* SA_NODEFER: not blocked during handler */
	install(SIGUSR1, SA_NODEFER, info_handler);
	reset_h();
	raise(SIGUSR1);
	CHECK_EQ(h_blocked_self, 0, "SA_NODEFER: signal not blocked in its handler");

	/* sa_mask: SIGUSR2 blocked while handling SIGUSR1 */
	memset(&sa, 0, sizeof sa);
	sa.sa_sigaction = info_handler;
	sa.sa_flags = SA_SIGINFO;
	sigemptyset(&sa.sa_mask);
	sigaddset(&sa.sa_mask, SIGUSR2);
	CHECK_EQ(sigaction(SIGUSR1, &sa, NULL), 0, "sigaction with sa_mask");
	reset_h();
	raise(SIGUSR1);
	CHECK_EQ(h_usr2_blocked, 1, "sa_mask signal blocked during the handler");
	sigset_t cur;
	sigprocmask(SIG_BLOCK, NULL, &cur);
	CHECK(!sigismember(&cur, SIGUSR1) && !sigismember(&cur, SIGUSR2), "mask restored after the handler");

	/* sigaction reports the old action */
	struct sigaction old;
	sa.sa_handler = SIG_IGN;
	sa.sa_flags = 0;
	CHECK_EQ(sigaction(SIGUSR1, &sa, &old), 0, "sigaction returns old action");
	CHECK(old.sa_sigaction == info_handler && (old.sa_flags & SA_SIGINFO), "old action is the SA_SIGINFO handler");
	CHECK(sigismember(&old.sa_mask, SIGUSR2), "old action's sa_mask preserved");

	/* invalid requests */
	sa.sa_handler = SIG_IGN;
	CHECK_ERR(sigaction(SIGKILL, &sa, NULL), EINVAL, "cannot change SIGKILL");
	CHECK_ERR(sigaction(SIGSTOP, &sa, NULL), EINVAL, "cannot change SIGSTOP");
	CHECK_ERR(syscall(SYS_rt_sigaction, 0, NULL, &q, 8), EINVAL, "rt_sigaction signal 0 is EINVAL");
	CHECK_ERR(syscall(SYS_rt_sigaction, 65, NULL, &q, 8), EINVAL, "rt_sigaction signal 65 is EINVAL");
	CHECK_ERR(kill(getpid(), 1000), EINVAL, "kill with signal 1000 is EINVAL");
	CHECK_EQ(kill(getpid(), 0), 0, "kill(self, 0) probes");
	signal(SIGUSR1, SIG_DFL);
}

static void test_masks(void)
{
	install(SIGUSR1, 0, info_handler);
	sigset_t block, old, pend;
	sigemptyset(&block);
	sigaddset(&block, SIGUSR1);
	CHECK_EQ(sigprocmask(SIG_BLOCK, &block, &old), 0, "sigprocmask SIG_BLOCK");
	reset_h();
	raise(SIGUSR1);
	raise(SIGUSR1);
	CHECK_EQ(h_count, 0, "blocked signal not delivered");
	sigemptyset(&pend);
	CHECK_EQ(sigpending(&pend), 0, "sigpending");
	CHECK(sigismember(&pend, SIGUSR1), "blocked signal is pending");
	CHECK(!sigismember(&pend, SIGUSR2), "other signals are not pending");

	/* pending signals are not inherited by a child; the mask is */
	pid_t pid = fork();
	if (pid == 0) {
		sigset_t p, m;
		sigpending(&p);
		sigprocmask(SIG_BLOCK, NULL, &m);
		_exit((sigismember(&p, SIGUSR1) ? 1 : 0) | (sigismember(&m, SIGUSR1) ? 0 : 2));
	}
	CHECK_EQ(check_wait(pid), 0, "fork: child inherits mask, not pending signals");

	CHECK_EQ(sigprocmask(SIG_UNBLOCK, &block, NULL), 0, "sigprocmask SIG_UNBLOCK");
	CHECK_EQ(h_count, 1, "two blocked standard signals delivered once on unblock");
	sigpending(&pend);
	CHECK(!sigismember(&pend, SIGUSR1), "nothing pending afterwards");

	/* realtime signals queue: every instance arrives, FIFO per signal */
	int rt1 = SIGRTMIN + 1, rt2 = SIGRTMIN + 2;
	install(rt1, 0, rt_handler);
	install(rt2, 0, rt_handler);
	n_rt = 0;
	sigemptyset(&block);
	sigaddset(&block, rt1);
	sigaddset(&block, rt2);
	sigprocmask(SIG_BLOCK, &block, NULL);
	reset_h();
	union sigval v;
	for (int i = 0; i < 3; i++) {
		v.sival_int = 10 + i;
		sigqueue(getpid(), rt2, v);
		v.sival_int = 20 + i;
		sigqueue(getpid(), rt1, v);
	}
	sigpending(&pend);
	CHECK(sigismember(&pend, rt1) && sigismember(&pend, rt2), "both realtime signals pending");
	sigprocmask(SIG_UNBLOCK, &block, NULL);
	CHECK_EQ(n_rt, 6, "all 6 queued realtime signals are delivered");
	int next1 = 20, next2 = 10, fifo = 1;
	for (int i = 0; i < n_rt && i < 16; i++) {
		if (rt_sig[i] == rt1)
			fifo &= rt_val[i] == next1++;
		else if (rt_sig[i] == rt2)
			fifo &= rt_val[i] == next2++;
		else
			fifo = 0;
	}
	CHECK(fifo, "each realtime signal's instances arrive in the order sent, with their values");

	/* SIGKILL/SIGSTOP cannot be blocked */
	sigset_t all, now;
	sigfillset(&all);
	sigprocmask(SIG_SETMASK, &all, &old);
	sigprocmask(SIG_SETMASK, NULL, &now);
	CHECK(!sigismember(&now, SIGKILL) && !sigismember(&now, SIGSTOP), "SIGKILL and SIGSTOP cannot be blocked");
	CHECK(sigismember(&now, SIGUSR1) && sigismember(&now, SIGTERM), "other signals can be");
	sigemptyset(&old);
	sigprocmask(SIG_SETMASK, &old, NULL);
	CHECK_ERR(sigprocmask(12345, &block, NULL), EINVAL, "sigprocmask bad how is EINVAL");
}

static void test_wait_for_signals(void)
{
	install(SIGUSR1, 0, info_handler);
	sigset_t block, old;
	sigemptyset(&block);
	sigaddset(&block, SIGUSR1);
	sigprocmask(SIG_BLOCK, &block, &old);

	/* sigsuspend wakes for a signal sent by a child */
	reset_h();
	pid_t pid = fork();
	if (pid == 0) {
		usleep(20000);
		kill(getppid(), SIGUSR1);
		_exit(0);
	}
	sigset_t waitmask = old;
	sigdelset(&waitmask, SIGUSR1);
	int r = sigsuspend(&waitmask);
	CHECK(r == -1 && errno == EINTR, "sigsuspend returns -1/EINTR after a handler");
	CHECK_EQ(h_count, 1, "sigsuspend: handler ran");
	sigset_t cur;
	sigprocmask(SIG_BLOCK, NULL, &cur);
	CHECK(sigismember(&cur, SIGUSR1), "sigsuspend restored the blocking mask");
	check_wait(pid);

	/* sigwaitinfo takes a pending blocked signal without running the handler */
	reset_h();
	raise(SIGUSR1);
	siginfo_t si;
	memset(&si, 0, sizeof si);
	CHECK_EQ(sigwaitinfo(&block, &si), SIGUSR1, "sigwaitinfo returns the pending signal");
	/* glibc's sigwaitinfo rewrites SI_TKILL to SI_USER (raise is "kill") */
	CHECK(si.si_signo == SIGUSR1 && (si.si_code == SI_TKILL || si.si_code == SI_USER) && si.si_pid == getpid(),
	      "sigwaitinfo fills siginfo (signo %d code %d pid %d)", si.si_signo, si.si_code, (int)si.si_pid);
	CHECK_EQ(h_count, 0, "sigwaitinfo does not run the handler");
	struct timespec zero = {0, 0};
	CHECK_ERR(sigtimedwait(&block, &si, &zero), EAGAIN, "sigtimedwait with nothing pending is EAGAIN");
	struct timespec t0, t1, ten = {0, 10000000};
	clock_gettime(CLOCK_MONOTONIC, &t0);
	CHECK_ERR(sigtimedwait(&block, &si, &ten), EAGAIN, "sigtimedwait 10 ms times out");
	clock_gettime(CLOCK_MONOTONIC, &t1);
	long ns = (t1.tv_sec - t0.tv_sec) * 1000000000L + (t1.tv_nsec - t0.tv_nsec);
	CHECK(ns >= 10000000, "sigtimedwait waited at least 10 ms (%ld ns)", ns);

	sigprocmask(SIG_SETMASK, &old, NULL);

	/* SIGCHLD on child exit */
	install(SIGCHLD, 0, info_handler);
	sigemptyset(&block);
	sigaddset(&block, SIGCHLD);
	sigprocmask(SIG_BLOCK, &block, &old);
	reset_h();
	pid = fork();
	if (pid == 0)
		_exit(37);
	while (h_count == 0)
		sigsuspend(&old);
	sigprocmask(SIG_SETMASK, &old, NULL);
	CHECK_EQ(h_signo, SIGCHLD, "SIGCHLD delivered when a child exits");
	CHECK_EQ(h_pid, pid, "SIGCHLD si_pid is the child");
	CHECK_EQ(h_code, CLD_EXITED, "SIGCHLD si_code is CLD_EXITED");
	CHECK_EQ(h_status, 37, "SIGCHLD si_status is the exit code");
	CHECK_EQ(check_wait(pid), 37, "child still waitable after SIGCHLD");
	signal(SIGCHLD, SIG_DFL);
}

/* ---- synchronous faults ---- */
static sigjmp_buf jb;
static volatile sig_atomic_t f_signo, f_code;
static void *volatile f_addr;

static void fault_handler(int sig, siginfo_t *si, void *uc)
{
	(void)uc;
	f_signo = sig;
	f_code = si->si_code;
	f_addr = si->si_addr;
	siglongjmp(jb, 1);
}

static int *volatile null_ptr;
static int *volatile low_ptr = (int *)64;
static volatile int zero_divisor;
static volatile int int_min = INT_MIN, minus_one = -1;

static void test_faults(void)
{
	install(SIGSEGV, 0, fault_handler);
	install(SIGFPE, 0, fault_handler);

	f_signo = 0;
	if (sigsetjmp(jb, 1) == 0) {
		*null_ptr = 1;
		CHECK(0, "NULL write should have faulted");
	} else {
		CHECK_EQ(f_signo, SIGSEGV, "NULL write raises SIGSEGV, handler siglongjmps out");
		CHECK_EQ(f_code, SEGV_MAPERR, "si_code SEGV_MAPERR");
		CHECK(f_addr == NULL, "si_addr is the faulting address NULL (%p)", f_addr);
	}
	f_signo = 0;
	if (sigsetjmp(jb, 1) == 0) {
		volatile int sink = *low_ptr;
		(void)sink;
		CHECK(0, "read of address 64 should have faulted");
	} else {
		CHECK_EQ(f_signo, SIGSEGV, "second fault after siglongjmp still caught (mask restored)");
		CHECK(f_addr == (void *)64, "si_addr is 64 (%p)", f_addr);
	}
	sigset_t cur;
	sigprocmask(SIG_BLOCK, NULL, &cur);
	CHECK(!sigismember(&cur, SIGSEGV), "siglongjmp(savemask=1) restored the mask");

	f_signo = 0;
	if (sigsetjmp(jb, 1) == 0) {
		volatile int q = 7 / zero_divisor;
		(void)q;
		CHECK(0, "division by zero should have trapped");
	} else {
		CHECK_EQ(f_signo, SIGFPE, "integer division by zero raises SIGFPE");
		CHECK_EQ(f_code, FPE_INTDIV, "si_code FPE_INTDIV");
	}
	f_signo = 0;
	if (sigsetjmp(jb, 1) == 0) {
		volatile int q = int_min / minus_one;
		(void)q;
		CHECK(0, "INT_MIN / -1 should have trapped");
	} else {
		CHECK_EQ(f_signo, SIGFPE, "INT_MIN / -1 raises SIGFPE");
	}
	signal(SIGSEGV, SIG_DFL);
	signal(SIGFPE, SIG_DFL);

	/* with the default action a NULL write kills a child with SIGSEGV */
	pid_t pid = fork();
	if (pid == 0) {
		*null_ptr = 2;
		_exit(0);
	}
	CHECK_EQ(check_wait(pid), 1000 + SIGSEGV, "unhandled NULL write kills with SIGSEGV");
}

/* ---- alternate stack ---- */
static char *alt_base;
static size_t alt_size;
static volatile sig_atomic_t on_alt, ss_onstack_flag;

static void alt_handler(int sig, siginfo_t *si, void *uc)
{
	(void)sig;
	(void)si;
	(void)uc;
	char local;
	on_alt = (&local >= alt_base && &local < alt_base + alt_size);
	stack_t cur;
	sigaltstack(NULL, &cur);
	ss_onstack_flag = (cur.ss_flags & SS_ONSTACK) != 0;
}

static volatile int recursion_sink;
static volatile int recursion_limit = INT_MAX;
static int recurse(int n)
{
	volatile char pad[1024];
	if (n >= recursion_limit)
		return 0;
	pad[0] = (char)n;
	recursion_sink += pad[0];
	return recurse(n + 1) + pad[0];
}

static void overflow_handler(int sig)
{
	(void)sig;
	_exit(0);
}

static void test_altstack(void)
{
	alt_size = 64 * 1024;
	alt_base = malloc(alt_size);
	stack_t ss = {.ss_sp = alt_base, .ss_size = alt_size, .ss_flags = 0}, old;
	CHECK_EQ(sigaltstack(&ss, &old), 0, "sigaltstack install");
	CHECK(old.ss_flags & SS_DISABLE, "no alternate stack before");
	stack_t q;
	sigaltstack(NULL, &q);
	CHECK(q.ss_sp == alt_base && q.ss_size == alt_size && q.ss_flags == 0, "sigaltstack query returns it");

	install(SIGUSR1, SA_ONSTACK, alt_handler);
	on_alt = 0;
	raise(SIGUSR1);
	CHECK_EQ(on_alt, 1, "SA_ONSTACK handler runs on the alternate stack");
	CHECK_EQ(ss_onstack_flag, 1, "sigaltstack reports SS_ONSTACK inside the handler");
	install(SIGUSR1, 0, alt_handler);
	on_alt = 1;
	raise(SIGUSR1);
	CHECK_EQ(on_alt, 0, "handler without SA_ONSTACK runs on the normal stack");
	stack_t tiny = {.ss_sp = alt_base, .ss_size = 16, .ss_flags = 0};
	CHECK_ERR(sigaltstack(&tiny, NULL), ENOMEM, "sigaltstack smaller than MINSIGSTKSZ is ENOMEM");

	/* stack overflow is survivable only with an alternate stack */
	pid_t pid = fork();
	if (pid == 0) {
		struct sigaction sa;
		memset(&sa, 0, sizeof sa);
		sa.sa_handler = overflow_handler;
		sa.sa_flags = SA_ONSTACK;
		sigaction(SIGSEGV, &sa, NULL);
		recurse(0);
		_exit(1);
	}
	CHECK_EQ(check_wait(pid), 0, "stack overflow SIGSEGV handled on the alternate stack");

	ss.ss_flags = SS_DISABLE;
	CHECK_EQ(sigaltstack(&ss, NULL), 0, "sigaltstack disable");
	sigaltstack(NULL, &q);
	CHECK(q.ss_flags & SS_DISABLE, "alternate stack disabled");
	signal(SIGUSR1, SIG_DFL);
	free(alt_base);
}

/* ---- EINTR and SA_RESTART ---- */
static volatile sig_atomic_t tick_count;
static void tick(int sig)
{
	(void)sig;
	tick_count++;
}

static void test_eintr_restart(void)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = tick;
	sigemptyset(&sa.sa_mask);

	/* without SA_RESTART: a child keeps signalling until read gives up */
	int p[2];
	pipe(p);
	sa.sa_flags = 0;
	sigaction(SIGUSR1, &sa, NULL);
	tick_count = 0;
	pid_t parent = getpid();
	pid_t pid = fork();
	if (pid == 0) {
		close(p[1]);
		for (int i = 0; i < 2000; i++) {
			usleep(5000);
			if (kill(parent, SIGUSR1) < 0)
				break;
		}
		_exit(0);
	}
	char c;
	ssize_t r = read(p[0], &c, 1);
	int e = errno;
	kill(pid, SIGKILL);
	check_wait(pid);
	CHECK(r == -1 && e == EINTR, "blocking read interrupted without SA_RESTART fails with EINTR");
	CHECK(tick_count >= 1, "the interrupting handler ran");

	/* with SA_RESTART: signals arrive during the read, which still returns data */
	sa.sa_flags = SA_RESTART;
	sigaction(SIGUSR1, &sa, NULL);
	tick_count = 0;
	pid = fork();
	if (pid == 0) {
		for (int i = 0; i < 5; i++) {
			usleep(10000);
			kill(parent, SIGUSR1);
		}
		usleep(10000);
		write(p[1], "z", 1);
		_exit(0);
	}
	c = 0;
	r = read(p[0], &c, 1);
	CHECK(r == 1 && c == 'z', "blocking read with SA_RESTART handler restarts and returns data");
	check_wait(pid);
	/* not "== 5": standard signals sent while one is pending coalesce */
	CHECK(tick_count >= 1, "the SA_RESTART handler ran (%d times)", (int)tick_count);
	close(p[0]);
	close(p[1]);

	/* alarm(): SIGALRM after ~1 s interrupts pause() */
	sa.sa_flags = 0;
	sigaction(SIGALRM, &sa, NULL);
	CHECK_EQ(alarm(5), 0, "alarm(5) with no previous alarm returns 0");
	unsigned left = alarm(0);
	CHECK(left == 4 || left == 5, "alarm(0) returns the remaining seconds (%u)", left);
	tick_count = 0;
	struct timespec t0, t1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	sigset_t block, old;
	sigemptyset(&block);
	sigaddset(&block, SIGALRM);
	sigprocmask(SIG_BLOCK, &block, &old);
	alarm(1);
	while (tick_count == 0)
		sigsuspend(&old);
	sigprocmask(SIG_SETMASK, &old, NULL);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	long ms = (t1.tv_sec - t0.tv_sec) * 1000 + (t1.tv_nsec - t0.tv_nsec) / 1000000;
	CHECK(tick_count == 1 && ms >= 990, "alarm(1) delivered SIGALRM after at least 1 s (%ld ms)", ms);

	/* setitimer: interval timer fires repeatedly */
	tick_count = 0;
	struct itimerval it = {{0, 2000}, {0, 2000}}, off = {{0, 0}, {0, 0}};
	sigprocmask(SIG_BLOCK, &block, &old);
	CHECK_EQ(setitimer(ITIMER_REAL, &it, NULL), 0, "setitimer ITIMER_REAL 2 ms interval");
	while (tick_count < 3)
		sigsuspend(&old);
	setitimer(ITIMER_REAL, &off, NULL);
	sigprocmask(SIG_SETMASK, &old, NULL);
	CHECK(tick_count >= 3, "interval timer fired at least 3 times");
	signal(SIGALRM, SIG_DFL);
	signal(SIGUSR1, SIG_DFL);
}

static void test_signal_fn(void)
{
	void (*prev)(int) = signal(SIGUSR2, SIG_IGN);
	CHECK(prev != SIG_ERR, "signal(SIGUSR2, SIG_IGN)");
	CHECK_EQ(raise(SIGUSR2), 0, "raise of an ignored signal is harmless");
	sigset_t pend;
	sigpending(&pend);
	CHECK(!sigismember(&pend, SIGUSR2), "ignored signal is discarded, not pending");
	prev = signal(SIGUSR2, tick);
	CHECK(prev == SIG_IGN, "signal returns the previous disposition SIG_IGN");
	tick_count = 0;
	raise(SIGUSR2);
	CHECK_EQ(tick_count, 1, "handler installed with signal() runs");
	raise(SIGUSR2);
	CHECK_EQ(tick_count, 2, "signal() handlers stay installed (BSD semantics)");
	prev = signal(SIGUSR2, SIG_DFL);
	CHECK(prev == tick, "signal returns the previous handler");
	CHECK(signal(SIGKILL, SIG_IGN) == SIG_ERR && errno == EINVAL, "signal(SIGKILL) fails with EINVAL");

	/* default action of SIGUSR2 terminates; of SIGCHLD/SIGURG/SIGWINCH ignores */
	pid_t pid = fork();
	if (pid == 0) {
		raise(SIGCHLD);
		raise(SIGURG);
		raise(SIGWINCH);
		raise(SIGUSR2);
		_exit(0);
	}
	CHECK_EQ(check_wait(pid), 1000 + SIGUSR2, "default actions: SIGCHLD/SIGURG/SIGWINCH ignored, SIGUSR2 kills");
	pid = fork();
	if (pid == 0) {
		signal(SIGTERM, SIG_IGN);
		raise(SIGTERM);
		_exit(44);
	}
	CHECK_EQ(check_wait(pid), 44, "ignored SIGTERM does not kill");
}

/* ---- rt_sigreturn restores the interrupted context ---- */
static volatile sig_atomic_t clobber_count;
static volatile double clobber_sink;
static void clobber_handler(int sig)
{
	(void)sig;
	/* use lots of integer and SSE registers */
	double d[8];
	long l[8];
	for (int i = 0; i < 8; i++) {
		d[i] = (double)i * 3.25 + clobber_count;
		l[i] = (long)i * 0x0101010101010101L;
	}
	double s = 0;
	long t = 0;
	for (int i = 0; i < 8; i++) {
		s += d[i] * d[(i + 3) & 7];
		t ^= l[i] * l[(i + 5) & 7];
	}
	clobber_sink = s + (double)t;
	char buf[256];
	memset(buf, 0x5a, sizeof buf);
	clobber_sink += buf[100];
	clobber_count++;
}

static void test_sigreturn_regs(void)
{
	signal(SIGUSR1, clobber_handler);
	clobber_count = 0;
	unsigned long out[10];
	long nr = SYS_tgkill, pid = getpid(), tid = gettid(), sig = SIGUSR1;
	__asm__ volatile(
		"movabsq $0x1111111111111111, %%r8\n\t"
		"movabsq $0x2222222222222222, %%r9\n\t"
		"movabsq $0x3333333333333333, %%r10\n\t"
		"movabsq $0x4444444444444444, %%r12\n\t"
		"movabsq $0x5555555555555555, %%r13\n\t"
		"movabsq $0x6666666666666666, %%r14\n\t"
		"movabsq $0x7777777777777777, %%r15\n\t"
		"movabsq $0x8888888888888888, %%rbx\n\t"
		"movq %%r8, %%xmm0\n\t"
		"movq %%r9, %%xmm7\n\t"
		"syscall\n\t"
		"movq %%r8, 0(%[o])\n\t"
		"movq %%r9, 8(%[o])\n\t"
		"movq %%r10, 16(%[o])\n\t"
		"movq %%r12, 24(%[o])\n\t"
		"movq %%r13, 32(%[o])\n\t"
		"movq %%r14, 40(%[o])\n\t"
		"movq %%r15, 48(%[o])\n\t"
		"movq %%rbx, 56(%[o])\n\t"
		"movq %%xmm0, 64(%[o])\n\t"
		"movq %%xmm7, 72(%[o])\n\t"
		: "+a"(nr)
		: "D"(pid), "S"(tid), "d"(sig), [o] "r"(out)
		: "rcx", "r11", "r8", "r9", "r10", "r12", "r13", "r14", "r15", "rbx",
		  "xmm0", "xmm7", "memory");
	CHECK_EQ(nr, 0, "tgkill from inline asm returned 0");
	CHECK_EQ(clobber_count, 1, "handler ran on return from the syscall");
	static const unsigned long want[10] = {
		0x1111111111111111UL, 0x2222222222222222UL, 0x3333333333333333UL,
		0x4444444444444444UL, 0x5555555555555555UL, 0x6666666666666666UL,
		0x7777777777777777UL, 0x8888888888888888UL, 0x1111111111111111UL,
		0x2222222222222222UL};
	static const char *names[10] = {"r8", "r9", "r10", "r12", "r13", "r14", "r15", "rbx", "xmm0", "xmm7"};
	int bad = 0;
	for (int i = 0; i < 10; i++)
		if (out[i] != want[i]) {
			DIAG("%s is %#lx, want %#lx", names[i], out[i], want[i]);
			bad++;
		}
	CHECK_EQ(bad, 0, "rt_sigreturn restored r8-r10, r12-r15, rbx, xmm0, xmm7");

	/* a long computation interrupted by many timer signals gives the exact result */
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = clobber_handler;
	sa.sa_flags = SA_RESTART;
	sigaction(SIGALRM, &sa, NULL);
	clobber_count = 0;
	struct itimerval it = {{0, 1000}, {0, 1000}}, off = {{0, 0}, {0, 0}};
	setitimer(ITIMER_REAL, &it, NULL);
	double x = 1.0;
	uint64_t h = 1469598103934665603ULL;
	long iters = 0;
	while (clobber_count < 20 || iters < 1000000) {
		x = x * 1.0000001 + 0.5 / (double)(iters + 1);
		h = (h ^ (uint64_t)iters) * 1099511628211ULL;
		iters++;
		if (iters > 2000000000L)
			break;
	}
	setitimer(ITIMER_REAL, &off, NULL);
	signal(SIGALRM, SIG_DFL);
	double x2 = 1.0;
	uint64_t h2 = 1469598103934665603ULL;
	for (long i = 0; i < iters; i++) {
		x2 = x2 * 1.0000001 + 0.5 / (double)(i + 1);
		h2 = (h2 ^ (uint64_t)i) * 1099511628211ULL;
	}
	CHECK(clobber_count >= 20, "computation was interrupted at least 20 times (%d)", (int)clobber_count);
	CHECK(x == x2 && h == h2, "interrupted FP/integer computation matches the uninterrupted one (%ld iterations)", iters);
	signal(SIGUSR1, SIG_DFL);
}

int main(void)
{
	test_siginfo();
	test_flags();
	test_masks();
	test_wait_for_signals();
	test_faults();
	test_altstack();
	test_eintr_restart();
	test_signal_fn();
	test_sigreturn_regs();
	return check_done();
}
