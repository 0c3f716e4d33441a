/*
 * startup_calls.c - calls that Debian's dynamically linked programs (glibc's
 * loader, Go's runtime, python, bash) make as they start:
 *
 * eventfd/eventfd2 (counter and semaphore reads, EFD_NONBLOCK, EFD_CLOEXEC,
 * 8-byte buffers, the 0xfffffffffffffffe ceiling, a read blocked at 0 and
 * woken by a writer or interrupted by a signal, poll and epoll readiness,
 * the /proc/self/fd link), clone3 (struct sizes, E2BIG/EINVAL rules, a
 * thread on a clone3 stack with CLONE_SETTLS-free flags, parent and child
 * tid addresses, exit_signal, CLONE_CLEAR_SIGHAND), membarrier, prctl (names, parent-death
 * signal, dumpable, no_new_privs, seccomp, subreaper, capability bounding
 * set, timer slack, PR_SET_VMA, PR_SET_MM, unknown options), getrusage
 * (RUSAGE_SELF/THREAD/CHILDREN: faults, peak RSS, context switches, wait4's
 * rusage), getcpu and sched_getaffinity.
 */
#define _GNU_SOURCE
#include "check.h"

#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>

#ifndef SYS_clone3
#define SYS_clone3 435
#endif
#ifndef SYS_membarrier
#define SYS_membarrier 324
#endif
#ifndef SYS_getcpu
#define SYS_getcpu 309
#endif
#define K_CLONE_CLEAR_SIGHAND 0x100000000ULL
#define K_CLONE_PIDFD 0x1000

struct k_clone_args {
	uint64_t flags, pidfd, child_tid, parent_tid, exit_signal, stack, stack_size, tls, set_tid, set_tid_size, cgroup;
};

static long k_clone3(struct k_clone_args *a, size_t size)
{
	return syscall(SYS_clone3, a, size);
}

static void on_alarm(int sig)
{
	(void)sig;
}

/* ---- eventfd ---- */

static void test_eventfd(void)
{
	uint64_t v = 0;
	int fd = eventfd(3, 0);
	CHECK(fd >= 0, "eventfd(3, 0)");
	CHECK_EQ(read(fd, &v, 8), 8, "read takes 8 bytes");
	CHECK_EQ(v, 3, "read returns the whole count");
	v = 5;
	CHECK_EQ(write(fd, &v, 8), 8, "write adds");
	v = 7;
	CHECK_EQ(write(fd, &v, 8), 8, "write adds again");
	v = 0;
	CHECK_EQ(read(fd, &v, 8), 8, "read");
	CHECK_EQ(v, 12, "writes sum up");
	char small[4];
	CHECK_ERR(read(fd, small, 4), EINVAL, "read with a 4-byte buffer");
	CHECK_ERR(read(fd, small, 0), EINVAL, "read of 0 bytes");
	CHECK_ERR(write(fd, small, 4), EINVAL, "write of 4 bytes");
	v = UINT64_MAX;
	CHECK_ERR(write(fd, &v, 8), EINVAL, "write of 0xffffffffffffffff");
	uint64_t big[2] = {1, 99};
	CHECK_ERR(write(fd, big, 16), EINVAL, "a write must be exactly 8 bytes (Linux 6.6 on)");
	CHECK_EQ(write(fd, big, 8), 8, "write 1");
	uint64_t got[2] = {0, 0};
	CHECK_EQ(read(fd, got, 16), 8, "a 16-byte read gives 8");
	CHECK_EQ(got[0], 1, "the value written");
	CHECK_EQ(fcntl(fd, F_GETFD) & FD_CLOEXEC, 0, "no close-on-exec without EFD_CLOEXEC");
	char link[64] = {0}, path[64];
	snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
	CHECK(readlink(path, link, sizeof link - 1) > 0, "readlink of the eventfd");
	CHECK_STR(link, "anon_inode:[eventfd]", "eventfd's /proc/self/fd link");
	CHECK_ERR(open(path, O_RDONLY), ENXIO, "opening an eventfd through /proc is ENXIO");

	/* Blocking read at 0, interrupted by a signal. */
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_alarm;
	sigaction(SIGALRM, &sa, NULL);
	alarm(1);
	errno = 0;
	long r = read(fd, &v, 8);
	CHECK(r == -1 && errno == EINTR, "a read at 0 blocks until a signal interrupts it (EINTR)");
	alarm(0);

	/* A read blocked at 0 is woken by a writer in another process. */
	pid_t pid = fork();
	if (pid == 0) {
		struct timespec ts = {0, 50 * 1000 * 1000};
		nanosleep(&ts, NULL);
		uint64_t one = 42;
		_exit(write(fd, &one, 8) == 8 ? 0 : 1);
	}
	v = 0;
	CHECK_EQ(read(fd, &v, 8), 8, "a blocked read wakes when another process writes");
	CHECK_EQ(v, 42, "and gets its value");
	CHECK_EQ(check_wait(pid), 0, "writer child");
	close(fd);

	/* Non-blocking, semaphore, close-on-exec. */
	fd = eventfd(2, EFD_SEMAPHORE | EFD_NONBLOCK | EFD_CLOEXEC);
	CHECK(fd >= 0, "eventfd with EFD_SEMAPHORE | EFD_NONBLOCK | EFD_CLOEXEC");
	CHECK(fcntl(fd, F_GETFD) & FD_CLOEXEC, "EFD_CLOEXEC sets close-on-exec");
	CHECK(fcntl(fd, F_GETFL) & O_NONBLOCK, "EFD_NONBLOCK sets O_NONBLOCK");
	v = 0;
	CHECK_EQ(read(fd, &v, 8), 8, "semaphore read");
	CHECK_EQ(v, 1, "semaphore read takes 1");
	CHECK_EQ(read(fd, &v, 8), 8, "semaphore read again");
	CHECK_EQ(v, 1, "takes 1 again");
	CHECK_ERR(read(fd, &v, 8), EAGAIN, "non-blocking read at 0 is EAGAIN");
	struct pollfd p = {fd, POLLIN | POLLOUT, 0};
	CHECK_EQ(poll(&p, 1, 0), 1, "poll: ready");
	CHECK_EQ(p.revents, POLLOUT, "at 0: writable, not readable");
	v = 0xfffffffffffffffeULL;
	CHECK_EQ(write(fd, &v, 8), 8, "write up to the ceiling");
	p.revents = 0;
	CHECK_EQ(poll(&p, 1, 0), 1, "poll at the ceiling");
	CHECK_EQ(p.revents, POLLIN, "at the ceiling: readable, not writable");
	v = 1;
	CHECK_ERR(write(fd, &v, 8), EAGAIN, "a write past the ceiling would block: EAGAIN");
	int ep = epoll_create1(0);
	struct epoll_event ev = {.events = EPOLLIN, .data.u64 = 77}, out;
	CHECK_EQ(epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev), 0, "epoll_ctl ADD an eventfd");
	CHECK_EQ(epoll_wait(ep, &out, 1, 0), 1, "epoll sees it readable");
	CHECK_EQ(out.data.u64, 77, "with its data");
	close(fd);
	fd = eventfd(0, EFD_NONBLOCK);
	ev.events = EPOLLIN;
	CHECK_EQ(epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev), 0, "epoll_ctl ADD an empty eventfd");
	CHECK_EQ(epoll_wait(ep, &out, 1, 0), 0, "an empty eventfd is not readable");
	close(fd);
	close(ep);
	CHECK_ERR(eventfd(0, 0x2), EINVAL, "eventfd2 with an unknown flag");
	CHECK_ERR(syscall(SYS_eventfd2, 0, O_CREAT), EINVAL, "eventfd2 with O_CREAT");
	fd = syscall(SYS_eventfd, 9);
	CHECK(fd >= 0, "the old eventfd call");
	v = 0;
	CHECK_EQ(read(fd, &v, 8), 8, "read from the old call's counter");
	CHECK_EQ(v, 9, "its initial value");
	close(fd);
}

/* ---- clone3 ---- */

static char clone_stack[64 * 1024] __attribute__((aligned(16)));
volatile uintptr_t child_sp;

/* clone3 whose child, on the new stack, records its stack pointer and
 * exits at once in assembly: it has no C frame to return to there. */
static long clone3_on_stack(struct k_clone_args *a)
{
	long ret;
	__asm__ volatile("syscall\n\t"
			 "test %%rax, %%rax\n\t"
			 "jnz 1f\n\t"
			 "mov %%rsp, child_sp(%%rip)\n\t"
			 "mov $60, %%eax\n\t"
			 "xor %%edi, %%edi\n\t"
			 "syscall\n\t"
			 "1:"
			 : "=a"(ret)
			 : "a"((long)SYS_clone3), "D"(a), "S"(sizeof *a)
			 : "rcx", "r11", "memory");
	if (ret < 0) {
		errno = (int)-ret;
		return -1;
	}
	return ret;
}

static void test_clone3(void)
{
	struct k_clone_args a;
	memset(&a, 0, sizeof a);
	a.exit_signal = SIGCHLD;
	pid_t pid = k_clone3(&a, 64);
	if (pid == 0)
		_exit(7);
	CHECK(pid > 0, "clone3 with the 64-byte struct forks");
	CHECK_EQ(check_wait(pid), 7, "the child ran and exited 7");

	pid = k_clone3(&a, 88);
	if (pid == 0)
		_exit(8);
	CHECK(pid > 0, "clone3 with the 88-byte struct");
	CHECK_EQ(check_wait(pid), 8, "that child too");

	char big[256];
	memset(big, 0, sizeof big);
	memcpy(big, &a, sizeof a);
	pid = k_clone3((struct k_clone_args *)big, sizeof big);
	if (pid == 0)
		_exit(9);
	CHECK(pid > 0, "a bigger struct with a zero tail is accepted");
	CHECK_EQ(check_wait(pid), 9, "that child too");
	big[200] = 1;
	CHECK_ERR(k_clone3((struct k_clone_args *)big, sizeof big), E2BIG, "a non-zero tail is E2BIG");
	CHECK_ERR(k_clone3(&a, 63), EINVAL, "a struct smaller than 64 bytes");
	CHECK_ERR(k_clone3(&a, 8192), E2BIG, "a struct larger than a page");

	struct k_clone_args b = a;
	b.flags = SIGCHLD;
	CHECK_ERR(k_clone3(&b, 88), EINVAL, "the exit signal in the flags' low byte");
	b = a;
	b.exit_signal = 0x100;
	CHECK_ERR(k_clone3(&b, 88), EINVAL, "an exit signal past CSIGNAL");
	b = a;
	b.stack = (uint64_t)(uintptr_t)clone_stack;
	CHECK_ERR(k_clone3(&b, 88), EINVAL, "a stack without a size");
	b = a;
	b.stack_size = sizeof clone_stack;
	CHECK_ERR(k_clone3(&b, 88), EINVAL, "a stack size without a stack");
	b = a;
	b.set_tid_size = 1;
	CHECK_ERR(k_clone3(&b, 88), EINVAL, "set_tid_size without set_tid");
	b = a;
	b.flags = CLONE_VM | CLONE_SIGHAND | K_CLONE_CLEAR_SIGHAND;
	b.exit_signal = 0;
	CHECK_ERR(k_clone3(&b, 88), EINVAL, "CLONE_SIGHAND with CLONE_CLEAR_SIGHAND");
	b = a;
	b.flags = CLONE_THREAD | CLONE_SIGHAND | CLONE_VM;
	CHECK_ERR(k_clone3(&b, 88), EINVAL, "a thread with an exit signal");

	/* A child on its own stack (stack pointer = stack + size), sharing
	 * memory like a vfork, reporting its tid at both addresses. */
	static volatile pid_t parent_tid_word, child_tid_word;
	memset(&b, 0, sizeof b);
	b.flags = CLONE_VM | CLONE_VFORK | CLONE_PARENT_SETTID | CLONE_CHILD_SETTID;
	b.exit_signal = SIGCHLD;
	b.parent_tid = (uint64_t)(uintptr_t)&parent_tid_word;
	b.child_tid = (uint64_t)(uintptr_t)&child_tid_word;
	b.stack = (uint64_t)(uintptr_t)clone_stack;
	b.stack_size = sizeof clone_stack;
	child_sp = 0;
	pid = clone3_on_stack(&b);
	CHECK(pid > 0, "clone3 with a stack, CLONE_VM | CLONE_VFORK");
	CHECK(child_sp == (uintptr_t)clone_stack + sizeof clone_stack, "the child started with sp = stack + stack_size");
	CHECK_EQ(parent_tid_word, pid, "CLONE_PARENT_SETTID stored the id");
	CHECK_EQ(child_tid_word, pid, "CLONE_CHILD_SETTID stored the id (shared memory)");
	CHECK_EQ(check_wait(pid), 0, "the stack child exited 0");

	/* CLONE_CLEAR_SIGHAND: a caught signal is back to its default. */
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_alarm;
	sigaction(SIGUSR1, &sa, NULL);
	memset(&b, 0, sizeof b);
	b.flags = K_CLONE_CLEAR_SIGHAND;
	b.exit_signal = SIGCHLD;
	pid = k_clone3(&b, 88);
	if (pid == 0) {
		struct sigaction now;
		sigaction(SIGUSR1, NULL, &now);
		_exit(now.sa_handler == SIG_DFL ? 0 : 1);
	}
	CHECK(pid > 0, "clone3 with CLONE_CLEAR_SIGHAND");
	CHECK_EQ(check_wait(pid), 0, "the child's SIGUSR1 handler is SIG_DFL");
	signal(SIGUSR1, SIG_DFL);

	/* exit_signal 0: the parent gets no SIGCHLD, but __WALL still reaps. */
	memset(&b, 0, sizeof b);
	pid = k_clone3(&b, 88);
	if (pid == 0)
		_exit(3);
	int st = 0;
	CHECK_EQ(waitpid(pid, &st, __WALL), pid, "a child with exit_signal 0 is reaped with __WALL");
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 3, "with its status");
}

/* ---- membarrier ---- */

static void test_membarrier(void)
{
	long q = syscall(SYS_membarrier, 0, 0);
	CHECK(q > 0, "MEMBARRIER_CMD_QUERY");
	CHECK_EQ(q & 0x1f, 0x1f, "GLOBAL, GLOBAL_EXPEDITED, PRIVATE_EXPEDITED and their REGISTERs offered");
	CHECK_ERR(syscall(SYS_membarrier, 8, 0), EPERM, "PRIVATE_EXPEDITED before registering");
	CHECK_EQ(syscall(SYS_membarrier, 16, 0), 0, "REGISTER_PRIVATE_EXPEDITED");
	CHECK_EQ(syscall(SYS_membarrier, 8, 0), 0, "PRIVATE_EXPEDITED once registered");
	CHECK_EQ(syscall(SYS_membarrier, 1, 0), 0, "GLOBAL");
	CHECK_ERR(syscall(SYS_membarrier, 8, 5), EINVAL, "non-zero flags");
	CHECK_ERR(syscall(SYS_membarrier, 3, 0), EINVAL, "two commands at once");
}

/* ---- prctl ---- */

static void test_prctl(void)
{
	int sig = -1;
	CHECK_EQ(prctl(PR_GET_PDEATHSIG, &sig), 0, "PR_GET_PDEATHSIG");
	CHECK_EQ(sig, 0, "no parent-death signal by default");
	CHECK_EQ(prctl(PR_SET_PDEATHSIG, SIGUSR2), 0, "PR_SET_PDEATHSIG");
	CHECK_EQ(prctl(PR_GET_PDEATHSIG, &sig), 0, "PR_GET_PDEATHSIG again");
	CHECK_EQ(sig, SIGUSR2, "reads back");
	CHECK_ERR(prctl(PR_SET_PDEATHSIG, 65), EINVAL, "not a signal");
	prctl(PR_SET_PDEATHSIG, 0);

	/* The signal arrives when the creating parent ends: a middle process
	 * forks a grandchild that asks for SIGUSR1, then exits. */
	int pfd[2];
	CHECK_BAIL(pipe(pfd) == 0, "pipe");
	pid_t middle = fork();
	if (middle == 0) {
		pid_t g = fork();
		if (g == 0) {
			sigset_t set;
			sigemptyset(&set);
			sigaddset(&set, SIGUSR1);
			sigprocmask(SIG_BLOCK, &set, NULL);
			int inherited = -1;
			prctl(PR_GET_PDEATHSIG, &inherited);
			prctl(PR_SET_PDEATHSIG, SIGUSR1);
			char ready = inherited == 0 ? 'r' : 'x';
			if (write(pfd[1], &ready, 1) != 1)
				_exit(1);
			struct timespec ts = {5, 0};
			siginfo_t info;
			int got = sigtimedwait(&set, &info, &ts);
			char c = got == SIGUSR1 ? 'y' : 'n';
			if (write(pfd[1], &c, 1) != 1)
				_exit(1);
			_exit(0);
		}
		char ready;
		if (read(pfd[0], &ready, 1) != 1)
			_exit(1);
		_exit(ready == 'r' ? 0 : 2);
	}
	close(pfd[1]);
	CHECK_EQ(check_wait(middle), 0, "the middle process saw the grandchild ready (no inherited signal)");
	char c = 0;
	CHECK_EQ(read(pfd[0], &c, 1), 1, "the grandchild reports");
	CHECK_EQ(c, 'y', "the grandchild got SIGUSR1 when its parent ended");
	close(pfd[0]);

	CHECK_EQ(prctl(PR_GET_DUMPABLE), 1, "dumpable by default");
	CHECK_EQ(prctl(PR_SET_DUMPABLE, 0), 0, "PR_SET_DUMPABLE 0");
	CHECK_EQ(prctl(PR_GET_DUMPABLE), 0, "reads back 0");
	CHECK_ERR(prctl(PR_SET_DUMPABLE, 2), EINVAL, "PR_SET_DUMPABLE 2");
	CHECK_EQ(prctl(PR_SET_DUMPABLE, 1), 0, "PR_SET_DUMPABLE 1");
	CHECK_EQ(prctl(PR_GET_SECCOMP), 0, "PR_GET_SECCOMP: no filter");
	CHECK_EQ(prctl(PR_CAPBSET_READ, 0), 1, "PR_CAPBSET_READ CAP_CHOWN");
	int last = 0;
	while (prctl(PR_CAPBSET_READ, last + 1) >= 0)
		last++;
	CHECK(last >= 40, "every capability up to at least 40 is valid (last %d)", last);
	CHECK_ERR(prctl(PR_CAPBSET_READ, last + 1), EINVAL, "PR_CAPBSET_READ past the last capability");
	long slack = prctl(PR_GET_TIMERSLACK);
	CHECK(slack > 0, "PR_GET_TIMERSLACK (%ld ns)", slack);
	CHECK_EQ(prctl(PR_SET_TIMERSLACK, 123456), 0, "PR_SET_TIMERSLACK");
	CHECK_EQ(prctl(PR_GET_TIMERSLACK), 123456, "reads back");
	CHECK_EQ(prctl(PR_SET_TIMERSLACK, 0), 0, "PR_SET_TIMERSLACK 0");
	CHECK_EQ(prctl(PR_GET_TIMERSLACK), slack, "0 restores the default");
	CHECK_EQ(prctl(PR_SET_MM, 1, 0, 0, 0), -1, "PR_SET_MM refused");
	CHECK(errno == EPERM || errno == EINVAL, "with EPERM (or EINVAL without CONFIG_CHECKPOINT_RESTORE)");
	CHECK_ERR(prctl(1234567, 0, 0, 0, 0), EINVAL, "an unknown option");

	/* no_new_privs: inherited by children, never cleared. */
	CHECK_EQ(prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0), 0, "no_new_privs off by default");
	CHECK_ERR(prctl(PR_SET_NO_NEW_PRIVS, 1, 1, 0, 0), EINVAL, "PR_SET_NO_NEW_PRIVS with a stray argument");
	pid_t pid = fork();
	if (pid == 0) {
		if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0)
			_exit(1);
		pid_t g = fork();
		if (g == 0)
			_exit(prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0) == 1 ? 0 : 1);
		_exit(check_wait(g) == 0 && prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0) == 1 ? 0 : 2);
	}
	CHECK_EQ(check_wait(pid), 0, "no_new_privs is set and inherited");

	/* A subreaper adopts its orphaned grandchildren. */
	int sub = -1;
	CHECK_EQ(prctl(PR_GET_CHILD_SUBREAPER, &sub), 0, "PR_GET_CHILD_SUBREAPER");
	CHECK_EQ(sub, 0, "not a subreaper by default");
	pid = fork();
	if (pid == 0) {
		if (prctl(PR_SET_CHILD_SUBREAPER, 1) != 0)
			_exit(1);
		int me = -1;
		prctl(PR_GET_CHILD_SUBREAPER, &me);
		if (me != 1)
			_exit(2);
		int q[2];
		if (pipe(q) != 0)
			_exit(3);
		pid_t m = fork();
		if (m == 0) {
			pid_t g = fork();
			if (g == 0) {
				char x;
				close(q[1]);
				/* Wait until the middle process is gone. */
				if (read(q[0], &x, 1) != 0)
					_exit(4);
				_exit(getppid() == getpid() ? 5 : 33);
			}
			_exit(0);
		}
		close(q[0]);
		if (check_wait(m) != 0)
			_exit(6);
		close(q[1]);
		/* The orphaned grandchild is now our child. */
		int st;
		pid_t r = wait(&st);
		_exit(r > 0 && WIFEXITED(st) && WEXITSTATUS(st) == 33 ? 0 : 7);
	}
	CHECK_EQ(check_wait(pid), 0, "a subreaper reaps its orphaned grandchild");
}

/* ---- getrusage, getcpu, affinity ---- */

static void test_rusage(void)
{
	struct rusage before, after, thr;
	CHECK_EQ(getrusage(RUSAGE_SELF, &before), 0, "getrusage RUSAGE_SELF");
	CHECK(before.ru_maxrss > 0, "ru_maxrss is known (%ld KiB)", before.ru_maxrss);
	CHECK(before.ru_minflt > 0, "ru_minflt counts this program's faults (%ld)", before.ru_minflt);
	size_t len = 8 << 20;
	char *m = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	CHECK_BAIL(m != MAP_FAILED, "mmap 8 MiB");
	for (size_t i = 0; i < len; i += 4096)
		m[i] = 1;
	munmap(m, len);
	CHECK_EQ(getrusage(RUSAGE_SELF, &after), 0, "getrusage after touching 8 MiB");
	CHECK(after.ru_minflt - before.ru_minflt >= 2048, "at least one fault per page touched (%ld)", after.ru_minflt - before.ru_minflt);
	/* Linux's resident counts are per-CPU approximations: allow slack. */
	CHECK(after.ru_maxrss >= 6 * 1024 && after.ru_maxrss >= before.ru_maxrss, "the peak includes the 8 MiB, though unmapped (%ld -> %ld KiB)", before.ru_maxrss, after.ru_maxrss);
	/* Sleeping gives up the CPU: a voluntary switch. */
	struct timespec ts = {0, 5 * 1000 * 1000};
	nanosleep(&ts, NULL);
	CHECK_EQ(getrusage(RUSAGE_THREAD, &thr), 0, "getrusage RUSAGE_THREAD");
	CHECK(thr.ru_nvcsw >= 1, "a sleep counts as a voluntary switch (%ld)", thr.ru_nvcsw);
	CHECK(thr.ru_minflt > 0 && thr.ru_minflt <= after.ru_minflt + 100, "the thread's faults are within the process's");
	CHECK_ERR(getrusage(2, &thr), EINVAL, "getrusage of an unknown target");

	struct rusage ch0, ch1, w;
	CHECK_EQ(getrusage(RUSAGE_CHILDREN, &ch0), 0, "getrusage RUSAGE_CHILDREN");
	pid_t pid = fork();
	if (pid == 0) {
		size_t n = 16 << 20;
		char *c = mmap(NULL, n, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		for (size_t i = 0; c != MAP_FAILED && i < n; i += 4096)
			c[i] = 1;
		volatile unsigned long x = 0;
		for (unsigned long i = 0; i < 30000000UL; i++)
			x += i;
		_exit(0);
	}
	int st;
	memset(&w, 0, sizeof w);
	CHECK_EQ(wait4(pid, &st, 0, &w), pid, "wait4 with rusage");
	CHECK(w.ru_maxrss >= 16 * 1024, "wait4's ru_maxrss covers the child's 16 MiB (%ld KiB)", w.ru_maxrss);
	CHECK(w.ru_minflt >= 4096, "wait4's ru_minflt counts the child's faults (%ld)", w.ru_minflt);
	CHECK(w.ru_utime.tv_sec > 0 || w.ru_utime.tv_usec > 0 || w.ru_stime.tv_usec > 0, "wait4 reports the child's CPU time");
	CHECK_EQ(getrusage(RUSAGE_CHILDREN, &ch1), 0, "RUSAGE_CHILDREN after the reap");
	CHECK(ch1.ru_maxrss >= 16 * 1024, "RUSAGE_CHILDREN's ru_maxrss is the largest child's (%ld KiB)", ch1.ru_maxrss);
	CHECK(ch1.ru_minflt - ch0.ru_minflt >= 4096, "RUSAGE_CHILDREN added the child's faults");

	unsigned cpu = 999, node = 999;
	CHECK_EQ(syscall(SYS_getcpu, &cpu, &node, NULL), 0, "getcpu");
	cpu_set_t set;
	CPU_ZERO(&set);
	CHECK_EQ(sched_getaffinity(0, sizeof set, &set), 0, "sched_getaffinity");
	CHECK(CPU_ISSET(cpu, &set), "getcpu's CPU (%u) is in the affinity mask", cpu);
	CHECK_EQ(node, 0, "node 0");
	long bytes = syscall(SYS_sched_getaffinity, 0, sizeof set, &set);
	CHECK(bytes >= 8 && bytes % 8 == 0 && bytes <= (long)sizeof set, "the raw call returns the mask's size (%ld)", bytes);
	CHECK_ERR(syscall(SYS_sched_getaffinity, 0, 4, &set), EINVAL, "a 4-byte mask is too small");
}

int main(void)
{
	test_eventfd();
	test_clone3();
	test_membarrier();
	test_prctl();
	test_rusage();
	return check_done();
}
