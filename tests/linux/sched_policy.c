/*
 * sched_policy.c - scheduling policies and priorities (sched_setscheduler,
 * sched_setparam, sched_getscheduler/getparam, priority ranges,
 * sched_rr_get_interval, sched_setattr/getattr with their sizes and
 * SCHED_DEADLINE), kept per thread, inherited over fork and pthread_create,
 * SCHED_RESET_ON_FORK; /proc/<pid>/stat's priority, rt_priority and policy;
 * CPU affinity (kept, inherited, EINVAL/ESRCH/EFAULT); I/O priorities
 * (ioprio_get/ioprio_set); the errnos of each, and EPERM for an
 * unprivileged child (setuid 65534) within RLIMIT_RTPRIO.
 */
#define _GNU_SOURCE
#include "check.h"

#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <stdint.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#ifndef SCHED_RESET_ON_FORK
#define SCHED_RESET_ON_FORK 0x40000000
#endif
#ifndef SCHED_DEADLINE
#define SCHED_DEADLINE 6
#endif
#define SCHED_FLAG_RESET_ON_FORK 0x01

#define NO_SUCH_PID 0x3ffff0

/* struct sched_attr as of SCHED_ATTR_SIZE_VER1 (56 bytes). */
struct attr {
	uint32_t size;
	uint32_t sched_policy;
	uint64_t sched_flags;
	int32_t sched_nice;
	uint32_t sched_priority;
	uint64_t sched_runtime;
	uint64_t sched_deadline;
	uint64_t sched_period;
	uint32_t sched_util_min;
	uint32_t sched_util_max;
};

static long setscheduler(pid_t pid, int policy, int prio)
{
	struct sched_param p = { .sched_priority = prio };
	return syscall(SYS_sched_setscheduler, pid, policy, &p);
}

/* musl leaves these out of its library (ENOSYS): the raw calls. */
static int getscheduler(pid_t pid)
{
	return (int)syscall(SYS_sched_getscheduler, pid);
}

static long setparam(pid_t pid, struct sched_param *p)
{
	return syscall(SYS_sched_setparam, pid, p);
}

static long getparam(pid_t pid)
{
	struct sched_param p = { .sched_priority = -1 };
	if (syscall(SYS_sched_getparam, pid, &p) != 0)
		return -1000;
	return p.sched_priority;
}

static long setattr(pid_t pid, struct attr *a, unsigned flags)
{
	return syscall(SYS_sched_setattr, pid, a, flags);
}

static long getattr(pid_t pid, struct attr *a, unsigned size, unsigned flags)
{
	return syscall(SYS_sched_getattr, pid, a, size, flags);
}

/* Fields 18 (priority), 40 (rt_priority) and 41 (policy) of stat. */
static int stat_sched(pid_t pid, long *prio, long *rt, long *policy)
{
	char path[64], buf[1024];
	snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
	int fd = open(path, O_RDONLY);
	if (fd < 0)
		return -1;
	ssize_t n = read(fd, buf, sizeof buf - 1);
	close(fd);
	if (n <= 0)
		return -1;
	buf[n] = 0;
	char *p = strrchr(buf, ')');
	if (!p)
		return -1;
	p += 2; /* field 3 */
	for (int field = 3; field < 41; field++) {
		if (field == 18 && sscanf(p, "%ld", prio) != 1)
			return -1;
		if (field == 40 && sscanf(p, "%ld", rt) != 1)
			return -1;
		p = strchr(p, ' ');
		if (!p)
			return -1;
		p++;
	}
	return sscanf(p, "%ld", policy) == 1 ? 0 : -1;
}

static int ioprio_get(int which, int who)
{
	return (int)syscall(SYS_ioprio_get, which, who);
}

static long ioprio_set(int which, int who, int prio)
{
	return syscall(SYS_ioprio_set, which, who, prio);
}

#define IOPRIO(class, level) (((class) << 13) | (level))
#define IOPRIO_WHO_PROCESS 1
#define IOPRIO_WHO_PGRP 2

static volatile long thread_tid;
static volatile int thread_policy, thread_prio;
static volatile int thread_go;

static void *thread_main(void *arg)
{
	(void)arg;
	thread_policy = getscheduler(0);
	thread_prio = (int)getparam(0);
	thread_tid = syscall(SYS_gettid);
	/* Changed here, for this thread only. */
	setscheduler(0, SCHED_RR, 7);
	while (!thread_go)
		usleep(1000);
	return NULL;
}

/* The unprivileged half: returns a bit per failed expectation. */
static int unprivileged(pid_t parent)
{
	int bad = 0;
	if (setscheduler(0, SCHED_FIFO, 1) != -1 || errno != EPERM)
		bad |= 1; /* RLIMIT_RTPRIO is 0 (the hard limit may be raised only with privilege) */
	if (setscheduler(parent, SCHED_OTHER, 0) != -1 || errno != EPERM)
		bad |= 2; /* another user's process */
	cpu_set_t set;
	CPU_ZERO(&set);
	CPU_SET(0, &set);
	if (sched_setaffinity(parent, sizeof set, &set) != -1 || errno != EPERM)
		bad |= 4;
	if (ioprio_set(IOPRIO_WHO_PROCESS, 0, IOPRIO(1, 0)) != -1 || errno != EPERM)
		bad |= 8; /* the real-time I/O class */
	if (ioprio_set(IOPRIO_WHO_PROCESS, 0, IOPRIO(2, 6)) != 0)
		bad |= 16;
	struct attr a = { .size = sizeof a, .sched_policy = SCHED_DEADLINE, .sched_runtime = 10000000, .sched_deadline = 30000000, .sched_period = 30000000 };
	if (setattr(0, &a, 0) != -1 || errno != EPERM)
		bad |= 32;
	if (setscheduler(0, SCHED_OTHER | SCHED_RESET_ON_FORK, 0) != 0)
		bad |= 64; /* taking reset-on-fork is allowed */
	if (setscheduler(0, SCHED_BATCH, 0) != -1 || errno != EPERM)
		bad |= 128; /* dropping it is not */
	if (getscheduler(0) != (SCHED_OTHER | SCHED_RESET_ON_FORK))
		bad |= 256;
	return bad;
}

int main(void)
{
	/* Priority ranges. */
	CHECK_EQ(sched_get_priority_max(SCHED_FIFO), 99, "FIFO max");
	CHECK_EQ(sched_get_priority_min(SCHED_FIFO), 1, "FIFO min");
	CHECK_EQ(sched_get_priority_max(SCHED_RR), 99, "RR max");
	CHECK_EQ(sched_get_priority_min(SCHED_RR), 1, "RR min");
	CHECK_EQ(sched_get_priority_max(SCHED_OTHER), 0, "OTHER max");
	CHECK_EQ(sched_get_priority_min(SCHED_BATCH), 0, "BATCH min");
	CHECK_EQ(sched_get_priority_max(SCHED_IDLE), 0, "IDLE max");
	CHECK_EQ(syscall(SYS_sched_get_priority_max, SCHED_DEADLINE), 0, "DEADLINE max");
	CHECK_ERR(sched_get_priority_max(42), EINVAL, "max of an unknown policy");
	CHECK_ERR(sched_get_priority_min(-1), EINVAL, "min of policy -1");

	if (geteuid() != 0) {
		DIAG("not root: the privileged checks need root");
		return check_done();
	}

	/* The start: SCHED_OTHER, priority 0. */
	CHECK_EQ(getscheduler(0), SCHED_OTHER, "starts with SCHED_OTHER");
	CHECK_EQ(getparam(0), 0, "and priority 0");
	long prio = 99, rt = 99, pol = 99;
	CHECK(stat_sched(getpid(), &prio, &rt, &pol) == 0 && rt == 0 && pol == 0, "/proc/self/stat rt_priority %ld policy %ld", rt, pol);

	/* Errors, in Linux's order. */
	struct sched_param sp = { .sched_priority = 0 };
	CHECK_ERR(syscall(SYS_sched_setscheduler, NO_SUCH_PID, SCHED_OTHER, &sp), ESRCH, "setscheduler: no such process");
	CHECK_ERR(syscall(SYS_sched_setscheduler, -1, SCHED_OTHER, &sp), EINVAL, "setscheduler: negative pid");
	CHECK_ERR(syscall(SYS_sched_setscheduler, 0, 42, &sp), EINVAL, "setscheduler: unknown policy");
	CHECK_ERR(syscall(SYS_sched_setscheduler, 0, SCHED_FIFO, NULL), EINVAL, "setscheduler: NULL param");
	CHECK_ERR(syscall(SYS_sched_setscheduler, 0, SCHED_FIFO, (void *)8), EFAULT, "setscheduler: bad param");
	CHECK_ERR(setscheduler(0, SCHED_FIFO, 0), EINVAL, "FIFO priority 0");
	CHECK_ERR(setscheduler(0, SCHED_FIFO, 100), EINVAL, "FIFO priority 100");
	CHECK_ERR(setscheduler(0, SCHED_OTHER, 5), EINVAL, "OTHER priority 5");
	CHECK_ERR(getscheduler(NO_SUCH_PID), ESRCH, "getscheduler: no such process");
	CHECK_ERR(getscheduler(-1), EINVAL, "getscheduler: negative pid");
	CHECK_ERR(syscall(SYS_sched_getparam, 0, NULL), EINVAL, "getparam: NULL");
	CHECK_ERR(syscall(SYS_sched_getparam, NO_SUCH_PID, &sp), ESRCH, "getparam: no such process");
	CHECK_ERR(setparam(NO_SUCH_PID, &sp), ESRCH, "setparam: no such process");

	/* A real-time policy, kept and shown. */
	CHECK_EQ(setscheduler(0, SCHED_FIFO, 10), 0, "setscheduler FIFO 10");
	CHECK_EQ(getscheduler(0), SCHED_FIFO, "getscheduler sees FIFO");
	CHECK_EQ(getparam(0), 10, "getparam sees 10");
	CHECK(stat_sched(getpid(), &prio, &rt, &pol) == 0 && prio == -11 && rt == 10 && pol == 1, "/proc/self/stat priority %ld rt_priority %ld policy %ld", prio, rt, pol);
	sp.sched_priority = 20;
	CHECK_EQ(setparam(0, &sp), 0, "setparam 20 keeps the policy");
	CHECK_EQ(getparam(0), 20, "priority 20");
	CHECK_EQ(getscheduler(0), SCHED_FIFO, "still FIFO");
	struct timespec ts = { 5, 5 };
	CHECK(sched_rr_get_interval(0, &ts) == 0 && ts.tv_sec == 0 && ts.tv_nsec == 0, "FIFO has no time slice (%ld.%09ld)", (long)ts.tv_sec, ts.tv_nsec);

	/* fork and pthread_create inherit it; the thread's own change stays its own. */
	pid_t pid = fork();
	if (pid == 0)
		_exit(getscheduler(0) == SCHED_FIFO && getparam(0) == 20 ? 0 : 1);
	CHECK_EQ(check_wait(pid), 0, "fork inherits FIFO 20");
	pthread_t th;
	CHECK_EQ(pthread_create(&th, NULL, thread_main, NULL), 0, "pthread_create");
	while (!thread_tid)
		usleep(1000);
	while (getscheduler(thread_tid) != SCHED_RR && getscheduler(thread_tid) != -1)
		usleep(1000);
	CHECK(thread_policy == SCHED_FIFO && thread_prio == 20, "a new thread inherits FIFO 20 (%d %d)", thread_policy, thread_prio);
	CHECK_EQ(getscheduler(thread_tid), SCHED_RR, "the thread's own RR, seen by its tid");
	CHECK_EQ(getparam(thread_tid), 7, "and its priority 7");
	CHECK_EQ(getscheduler(0), SCHED_FIFO, "the main thread keeps FIFO");
	thread_go = 1;
	pthread_join(th, NULL);

	/* SCHED_RR and its slice; SCHED_RESET_ON_FORK. */
	CHECK_EQ(setscheduler(0, SCHED_RR | SCHED_RESET_ON_FORK, 5), 0, "RR 5 with reset-on-fork");
	CHECK_EQ(getscheduler(0), SCHED_RR | SCHED_RESET_ON_FORK, "getscheduler shows the flag");
	CHECK(sched_rr_get_interval(0, &ts) == 0 && ts.tv_sec == 0 && ts.tv_nsec == 100000000, "RR slice is 100 ms (%ld.%09ld)", (long)ts.tv_sec, ts.tv_nsec);
	CHECK_ERR(sched_rr_get_interval(-1, &ts), EINVAL, "rr_get_interval: negative pid");
	CHECK_ERR(sched_rr_get_interval(NO_SUCH_PID, &ts), ESRCH, "rr_get_interval: no such process");
	pid = fork();
	if (pid == 0)
		_exit(getscheduler(0) == SCHED_OTHER && getparam(0) == 0 ? 0 : 1);
	CHECK_EQ(check_wait(pid), 0, "the child starts over with SCHED_OTHER");

	/* sched_getattr / sched_setattr. */
	struct attr a;
	memset(&a, 0xaa, sizeof a);
	CHECK_EQ(getattr(0, &a, sizeof a, 0), 0, "getattr");
	CHECK(a.size == 56 && a.sched_policy == SCHED_RR && a.sched_priority == 5 && (a.sched_flags & SCHED_FLAG_RESET_ON_FORK), "getattr: size %u policy %u priority %u flags %#llx", a.size, a.sched_policy, a.sched_priority, (unsigned long long)a.sched_flags);
	CHECK_ERR(getattr(0, &a, 47, 0), EINVAL, "getattr: size below VER0");
	CHECK_ERR(getattr(0, &a, sizeof a, 1), EINVAL, "getattr: flags");
	CHECK_ERR(getattr(0, NULL, sizeof a, 0), EINVAL, "getattr: NULL");
	CHECK_ERR(getattr(NO_SUCH_PID, &a, sizeof a, 0), ESRCH, "getattr: no such process");
	memset(&a, 0, sizeof a);
	a.size = 40;
	CHECK_ERR(setattr(0, &a, 0), E2BIG, "setattr: size 40");
	CHECK_EQ(a.size, 56, "E2BIG writes back the size the kernel knows");
	unsigned char big[80] = { 0 };
	struct attr *b = (struct attr *)big;
	b->size = sizeof big;
	b->sched_policy = SCHED_OTHER;
	b->sched_nice = 3;
	big[70] = 1;
	CHECK_ERR(setattr(0, b, 0), E2BIG, "setattr: a larger structure with a non-zero tail");
	big[70] = 0;
	b->size = sizeof big;
	CHECK_EQ(setattr(0, b, 0), 0, "setattr: a larger structure with a zero tail (OTHER, nice 3)");
	errno = 0;
	CHECK(getpriority(PRIO_PROCESS, 0) == 3 && errno == 0, "sched_nice set the nice value");
	CHECK_EQ(getscheduler(0), SCHED_OTHER, "back to SCHED_OTHER (root may drop reset-on-fork)");
	CHECK_ERR(setattr(0, b, 1), EINVAL, "setattr: flags");
	CHECK_ERR(setattr(-1, b, 0), EINVAL, "setattr: negative pid");
	CHECK_ERR(setattr(NO_SUCH_PID, b, 0), ESRCH, "setattr: no such process");
	b->sched_policy = 9;
	CHECK_ERR(setattr(0, b, 0), EINVAL, "setattr: unknown policy");
	b->sched_policy = SCHED_OTHER;
	b->sched_nice = 0;
	setattr(0, b, 0);

	/* SCHED_DEADLINE: a budget checked, kept and reported. */
	memset(&a, 0, sizeof a);
	a.size = sizeof a;
	a.sched_policy = SCHED_DEADLINE;
	a.sched_runtime = 40000000;
	a.sched_deadline = 30000000;
	a.sched_period = 30000000;
	CHECK_ERR(setattr(0, &a, 0), EINVAL, "deadline: runtime beyond the deadline");
	a.sched_runtime = 10000000;
	a.sched_priority = 1;
	CHECK_ERR(setattr(0, &a, 0), EINVAL, "deadline: a real-time priority");
	a.sched_priority = 0;
	CHECK_EQ(setattr(0, &a, 0), 0, "deadline 10/30/30 ms");
	memset(&a, 0, sizeof a);
	CHECK_EQ(getattr(0, &a, sizeof a, 0), 0, "getattr of a deadline thread");
	CHECK(a.sched_policy == SCHED_DEADLINE && a.sched_runtime == 10000000 && a.sched_deadline == 30000000 && a.sched_period == 30000000, "policy %u runtime %llu deadline %llu period %llu", a.sched_policy, (unsigned long long)a.sched_runtime, (unsigned long long)a.sched_deadline, (unsigned long long)a.sched_period);
	CHECK_EQ(getscheduler(0), SCHED_DEADLINE, "getscheduler sees DEADLINE");
	pid = fork();
	if (pid == 0)
		_exit(0);
	CHECK(pid == -1 && errno == EAGAIN, "a deadline thread may not fork (%d)", (int)pid);
	if (pid > 0)
		check_wait(pid);
	CHECK_EQ(setscheduler(0, SCHED_OTHER, 0), 0, "and leaves it");

	/* CPU affinity. */
	cpu_set_t orig, set;
	CPU_ZERO(&orig);
	CHECK_EQ(sched_getaffinity(0, sizeof orig, &orig), 0, "getaffinity");
	CHECK(CPU_COUNT(&orig) > 0, "at least one CPU (%d)", CPU_COUNT(&orig));
	long raw = syscall(SYS_sched_getaffinity, 0, sizeof orig, &orig);
	CHECK(raw >= 8 && raw % 8 == 0, "the raw call returns the mask size (%ld)", raw);
	int first = 0;
	while (!CPU_ISSET(first, &orig))
		first++;
	CPU_ZERO(&set);
	CPU_SET(first, &set);
	CHECK_EQ(sched_setaffinity(0, sizeof set, &set), 0, "setaffinity to CPU %d", first);
	CPU_ZERO(&set);
	sched_getaffinity(0, sizeof set, &set);
	CHECK(CPU_COUNT(&set) == 1 && CPU_ISSET(first, &set), "getaffinity reports it");
	pid = fork();
	if (pid == 0) {
		cpu_set_t c;
		CPU_ZERO(&c);
		sched_getaffinity(0, sizeof c, &c);
		_exit(CPU_COUNT(&c) == 1 && CPU_ISSET(first, &c) ? 0 : 1);
	}
	CHECK_EQ(check_wait(pid), 0, "fork inherits the mask");
	CPU_ZERO(&set);
	CPU_SET(CPU_SETSIZE - 1, &set);
	CHECK_ERR(sched_setaffinity(0, sizeof set, &set), EINVAL, "a mask with no online CPU");
	CHECK_ERR(sched_setaffinity(NO_SUCH_PID, sizeof orig, &orig), ESRCH, "setaffinity: no such process");
	CHECK_ERR(syscall(SYS_sched_setaffinity, 0, sizeof orig, (void *)8), EFAULT, "setaffinity: bad mask");
	CHECK_ERR(syscall(SYS_sched_getaffinity, 0, 4, &set), EINVAL, "getaffinity: size not a multiple of long");
	CHECK_ERR(syscall(SYS_sched_getaffinity, 0, 0, &set), EINVAL, "getaffinity: size 0");
	CHECK_ERR(sched_getaffinity(NO_SUCH_PID, sizeof set, &set), ESRCH, "getaffinity: no such process");
	CHECK_ERR(syscall(SYS_sched_getaffinity, 0, sizeof set, (void *)8), EFAULT, "getaffinity: bad mask");
	CHECK_EQ(sched_setaffinity(0, sizeof orig, &orig), 0, "the original mask back");

	/* I/O priorities. */
	CHECK_EQ(ioprio_set(IOPRIO_WHO_PROCESS, 0, IOPRIO(2, 3)), 0, "ioprio_set best-effort 3");
	CHECK_EQ(ioprio_get(IOPRIO_WHO_PROCESS, 0), IOPRIO(2, 3), "ioprio_get reads it back");
	CHECK_EQ(ioprio_get(IOPRIO_WHO_PROCESS, getpid()), IOPRIO(2, 3), "by pid");
	pid = fork();
	if (pid == 0)
		_exit(ioprio_get(IOPRIO_WHO_PROCESS, 0) == IOPRIO(2, 3) ? 0 : 1);
	CHECK_EQ(check_wait(pid), 0, "fork inherits it");
	CHECK_EQ(ioprio_set(IOPRIO_WHO_PROCESS, 0, IOPRIO(1, 0)), 0, "root may take the real-time class");
	CHECK_EQ(ioprio_get(IOPRIO_WHO_PROCESS, 0), IOPRIO(1, 0), "real-time 0");
	CHECK_EQ(ioprio_set(IOPRIO_WHO_PROCESS, 0, IOPRIO(3, 0)), 0, "idle");
	CHECK_EQ(ioprio_set(IOPRIO_WHO_PROCESS, 0, IOPRIO(0, 0)), 0, "none");
	CHECK_EQ(ioprio_get(IOPRIO_WHO_PROCESS, 0), IOPRIO(0, 0), "none reads back as none");
	CHECK_ERR(ioprio_set(IOPRIO_WHO_PROCESS, 0, IOPRIO(7, 0)), EINVAL, "class 7");
	CHECK_ERR(ioprio_set(IOPRIO_WHO_PROCESS, 0, IOPRIO(0, 4)), EINVAL, "none with a level");
	CHECK_ERR(ioprio_set(IOPRIO_WHO_PROCESS, 0, IOPRIO(5, 0)), EINVAL, "class 5");
	CHECK_ERR(ioprio_set(4, 0, IOPRIO(2, 0)), EINVAL, "which 4");
	CHECK_ERR(ioprio_get(4, 0), EINVAL, "ioprio_get: which 4");
	CHECK_ERR(ioprio_get(IOPRIO_WHO_PROCESS, NO_SUCH_PID), ESRCH, "ioprio_get: no such process");
	CHECK_ERR(ioprio_set(IOPRIO_WHO_PROCESS, NO_SUCH_PID, IOPRIO(2, 0)), ESRCH, "ioprio_set: no such process");
	pid = fork();
	if (pid == 0) {
		setpgid(0, 0);
		if (ioprio_set(IOPRIO_WHO_PGRP, 0, IOPRIO(2, 2)) != 0)
			_exit(1);
		_exit(ioprio_get(IOPRIO_WHO_PROCESS, 0) == IOPRIO(2, 2) && ioprio_get(IOPRIO_WHO_PGRP, 0) == IOPRIO(2, 2) ? 0 : 2);
	}
	CHECK_EQ(check_wait(pid), 0, "a process group's I/O priority");

	/* An unprivileged child. */
	pid_t parent = getpid();
	pid = fork();
	if (pid == 0) {
		struct rlimit none = { 0, 0 };
		setrlimit(RLIMIT_RTPRIO, &none);
		if (setgid(65534) != 0 || setuid(65534) != 0)
			_exit(100);
		_exit(unprivileged(parent));
	}
	CHECK_EQ(check_wait(pid), 0, "unprivileged: EPERM for real-time, another user's process, deadline, RT I/O, dropping reset-on-fork");
	return check_done();
}
