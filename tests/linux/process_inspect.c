/*
 * process_inspect.c - calls that look at other processes and threads:
 * kcmp (files, descriptor tables, address spaces, fs contexts, signal
 * handlers; ordering; EBADF/EINVAL/ESRCH/EPERM), pidfd_getfd (a working
 * close-on-exec copy; EBADF/EINVAL/ESRCH/EPERM), get_robust_list
 * (ESRCH/EPERM), rt_tgsigqueueinfo (value and code reach the thread;
 * EPERM for a kernel code to another process), sysfs(2) over
 * /proc/filesystems, another thread's and process's CPU-time clocks, and
 * /proc/sys/kernel/core_pattern and /proc/sys/fs/nr_open.
 */
#define _GNU_SOURCE
#include "check.h"

#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define KCMP_FILE 0
#define KCMP_VM 1
#define KCMP_FILES 2
#define KCMP_FS 3
#define KCMP_SIGHAND 4

#ifndef SYS_pidfd_open
#define SYS_pidfd_open 434
#endif
#ifndef SYS_pidfd_getfd
#define SYS_pidfd_getfd 438
#endif
#ifndef SYS_kcmp
#define SYS_kcmp 312
#endif

#define NO_SUCH_PID 0x3ffff0

static long kcmp(pid_t a, pid_t b, int type, long i1, long i2)
{
	return syscall(SYS_kcmp, a, b, type, i1, i2);
}

struct robust_head {
	void *next;
	long offset;
	void *pending;
};

static volatile pid_t handler_tid;
static volatile int handler_code;
static volatile long handler_value;

static void on_signal(int sig, siginfo_t *info, void *ctx)
{
	(void)sig;
	(void)ctx;
	handler_tid = (pid_t)syscall(SYS_gettid);
	handler_code = info->si_code;
	handler_value = (long)info->si_value.sival_ptr;
}

static long tgsigqueue(pid_t tgid, pid_t tid, int sig, int code, long value)
{
	siginfo_t si;
	memset(&si, 0, sizeof si);
	si.si_signo = sig;
	si.si_code = code;
	si.si_pid = getpid();
	si.si_uid = getuid();
	si.si_value.sival_ptr = (void *)value;
	return syscall(SYS_rt_tgsigqueueinfo, tgid, tid, sig, &si);
}

static volatile pid_t worker_tid;
static volatile int worker_stop;

static void *worker(void *arg)
{
	(void)arg;
	worker_tid = (pid_t)syscall(SYS_gettid);
	while (!worker_stop) {
		for (volatile int i = 0; i < 100000; i++)
			;
		usleep(1000);
	}
	return NULL;
}

/* A child that holds this process's descriptors until a byte arrives on
 * its own pipe (`release`, written to end it). */
static pid_t holder(int release[2])
{
	if (pipe(release) != 0)
		return -1;
	pid_t pid = fork();
	if (pid == 0) {
		char c;
		close(release[1]);
		read(release[0], &c, 1);
		_exit(0);
	}
	close(release[0]);
	return pid;
}

static int read_number(const char *path, long *value)
{
	char buf[256];
	int fd = open(path, O_RDONLY);
	if (fd < 0)
		return -1;
	ssize_t n = read(fd, buf, sizeof buf - 1);
	close(fd);
	if (n <= 0)
		return -1;
	buf[n] = 0;
	return sscanf(buf, "%ld", value) == 1 ? 0 : -1;
}

/* The unprivileged half: a bit per failed expectation. */
static int unprivileged(pid_t parent)
{
	int bad = 0;
	if (kcmp(parent, getpid(), KCMP_VM, 0, 0) != -1 || errno != EPERM)
		bad |= 1;
	int pidfd = (int)syscall(SYS_pidfd_open, parent, 0);
	if (pidfd < 0 || syscall(SYS_pidfd_getfd, pidfd, 0, 0) != -1 || errno != EPERM)
		bad |= 2;
	struct robust_head *head;
	size_t len;
	if (syscall(SYS_get_robust_list, parent, &head, &len) != -1 || errno != EPERM)
		bad |= 4;
	if (syscall(SYS_get_robust_list, 0, &head, &len) != 0)
		bad |= 8; /* its own is always readable */
	return bad;
}

int main(void)
{
	/* kcmp within one process and with a forked child. */
	int fds[2];
	CHECK_EQ(pipe(fds), 0, "pipe");
	int dupped = dup(fds[0]);
	int other = open("/dev/null", O_RDONLY);
	pid_t me = getpid();
	CHECK_EQ(kcmp(me, me, KCMP_VM, 0, 0), 0, "KCMP_VM of itself");
	CHECK_EQ(kcmp(me, me, KCMP_FILE, fds[0], dupped), 0, "a dup is the same file");
	long order = kcmp(me, me, KCMP_FILE, fds[0], other);
	CHECK(order == 1 || order == 2, "another open is not (%ld)", order);
	CHECK_EQ(kcmp(me, me, KCMP_FILE, other, fds[0]), 3 - order, "and the order reverses");
	int release[2];
	pid_t child = holder(release);
	CHECK_EQ(kcmp(me, child, KCMP_FILE, fds[1], fds[1]), 0, "a forked child shares the open file");
	order = kcmp(me, child, KCMP_VM, 0, 0);
	CHECK(order == 1 || order == 2, "but not the address space (%ld)", order);
	CHECK_EQ(kcmp(child, me, KCMP_VM, 0, 0), 3 - order, "ordered both ways");
	order = kcmp(me, child, KCMP_FILES, 0, 0);
	CHECK(order == 1 || order == 2, "nor the descriptor table (%ld)", order);
	order = kcmp(me, child, KCMP_FS, 0, 0);
	CHECK(order == 1 || order == 2, "nor the fs context (%ld)", order);
	order = kcmp(me, child, KCMP_SIGHAND, 0, 0);
	CHECK(order == 1 || order == 2, "nor the signal handlers (%ld)", order);
	CHECK_ERR(kcmp(me, child, KCMP_FILE, fds[1], 999), EBADF, "a descriptor the child lacks");
	CHECK_ERR(kcmp(me, child, 99, 0, 0), EINVAL, "an unknown type");
	CHECK_ERR(kcmp(me, NO_SUCH_PID, KCMP_VM, 0, 0), ESRCH, "no such process");

	/* pidfd_getfd: the child's write end, here. */
	int pidfd = (int)syscall(SYS_pidfd_open, child, 0);
	CHECK(pidfd >= 0, "pidfd_open of the child");
	int got = (int)syscall(SYS_pidfd_getfd, pidfd, fds[1], 0);
	CHECK(got >= 0, "pidfd_getfd of its write end");
	CHECK_EQ(fcntl(got, F_GETFD), FD_CLOEXEC, "the copy is close-on-exec");
	CHECK_EQ(kcmp(me, child, KCMP_FILE, got, fds[1]), 0, "and is the child's very file");
	CHECK_EQ(write(got, "x", 1), 1, "writing through it");
	char c = 0;
	CHECK(read(dupped, &c, 1) == 1 && c == 'x', "reaches the pipe");
	CHECK_ERR(syscall(SYS_pidfd_getfd, pidfd, 999, 0), EBADF, "a descriptor the child lacks");
	CHECK_ERR(syscall(SYS_pidfd_getfd, pidfd, fds[1], 1), EINVAL, "flags");
	CHECK_ERR(syscall(SYS_pidfd_getfd, other, 0, 0), EBADF, "not a pidfd");
	struct robust_head *head = NULL;
	size_t len = 0;
	CHECK_EQ(syscall(SYS_get_robust_list, child, &head, &len), 0, "get_robust_list of the child");
	CHECK_EQ(len, sizeof(struct robust_head), "its length");
	close(got);
	write(release[1], "q", 1);
	close(release[1]);
	CHECK_EQ(check_wait(child), 0, "the child ends");
	CHECK_ERR(syscall(SYS_pidfd_getfd, pidfd, 0, 0), ESRCH, "pidfd_getfd after it was reaped");
	close(pidfd);
	CHECK_ERR(kcmp(me, child, KCMP_VM, 0, 0), ESRCH, "kcmp after it was reaped");

	/* get_robust_list / set_robust_list of itself. */
	struct robust_head *old = NULL;
	size_t old_len = 0;
	CHECK_EQ(syscall(SYS_get_robust_list, 0, &old, &old_len), 0, "get_robust_list of itself");
	static struct robust_head mine = { &mine, 0, NULL };
	CHECK_EQ(syscall(SYS_set_robust_list, &mine, sizeof mine), 0, "set_robust_list");
	CHECK_ERR(syscall(SYS_set_robust_list, &mine, 8), EINVAL, "set_robust_list with a wrong length");
	CHECK(syscall(SYS_get_robust_list, 0, &head, &len) == 0 && head == &mine && len == sizeof mine, "reads back what was set");
	syscall(SYS_set_robust_list, old, sizeof mine);
	CHECK_ERR(syscall(SYS_get_robust_list, NO_SUCH_PID, &head, &len), ESRCH, "get_robust_list: no such process");
	CHECK_ERR(syscall(SYS_get_robust_list, 0, (void *)8, &len), EFAULT, "get_robust_list: bad pointer");

	/* rt_tgsigqueueinfo to a thread of its own. */
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_sigaction = on_signal;
	sa.sa_flags = SA_SIGINFO;
	sigaction(SIGRTMIN, &sa, NULL);
	pthread_t th;
	CHECK_EQ(pthread_create(&th, NULL, worker, NULL), 0, "a worker thread");
	while (!worker_tid)
		usleep(1000);
	sigset_t block;
	sigemptyset(&block);
	sigaddset(&block, SIGRTMIN);
	pthread_sigmask(SIG_BLOCK, &block, NULL); /* only the worker can take it */
	CHECK_EQ(tgsigqueue(me, worker_tid, SIGRTMIN, SI_QUEUE, 1234), 0, "rt_tgsigqueueinfo to the worker");
	for (int i = 0; i < 2000 && !handler_tid; i++)
		usleep(1000);
	CHECK(handler_tid == worker_tid && handler_code == SI_QUEUE && handler_value == 1234, "the worker's handler got it (tid %d code %d value %ld)", (int)handler_tid, handler_code, handler_value);
	struct timespec ts;
	clockid_t clock;
	CHECK_EQ(pthread_getcpuclockid(th, &clock), 0, "pthread_getcpuclockid");
	CHECK(clock_gettime(clock, &ts) == 0 && (ts.tv_sec > 0 || ts.tv_nsec > 0), "the worker's CPU clock (%ld.%09ld)", (long)ts.tv_sec, ts.tv_nsec);
	CHECK_EQ(clock_getres(clock, &ts), 0, "and its resolution");
	worker_stop = 1;
	pthread_join(th, NULL);
	pthread_sigmask(SIG_UNBLOCK, &block, NULL);
	handler_tid = 0;
	CHECK_EQ(tgsigqueue(me, me, SIGRTMIN, SI_USER, 5), 0, "a kernel code to its own process is allowed");
	CHECK(handler_tid == me, "and delivered");
	CHECK_ERR(tgsigqueue(0, me, SIGRTMIN, SI_QUEUE, 0), EINVAL, "tgid 0");
	CHECK_ERR(tgsigqueue(me, NO_SUCH_PID, SIGRTMIN, SI_QUEUE, 0), ESRCH, "no such thread");
	child = holder(release);
	CHECK_ERR(tgsigqueue(child, child, SIGRTMIN, SI_USER, 0), EPERM, "a kernel code to another process");
	clockid_t pclock;
	CHECK_EQ(clock_getcpuclockid(child, &pclock), 0, "clock_getcpuclockid of the child");
	CHECK_EQ(clock_gettime(pclock, &ts), 0, "its CPU clock");
	write(release[1], "q", 1);
	close(release[1]);
	check_wait(child);
	CHECK_ERR(clock_gettime(pclock, &ts), EINVAL, "a reaped process's CPU clock");

	/* sysfs(2): the file system types. */
	long count = syscall(SYS_sysfs, 3);
	CHECK(count > 0, "sysfs(3): %ld types", count);
	char name[256];
	int round_trips = 0, has_proc = 0;
	for (long i = 0; i < count; i++) {
		memset(name, 0, sizeof name);
		if (syscall(SYS_sysfs, 2, i, name) == 0 && syscall(SYS_sysfs, 1, name) == i)
			round_trips++;
		if (strcmp(name, "proc") == 0)
			has_proc = 1;
	}
	CHECK_EQ(round_trips, count, "every index names a type whose index it is");
	CHECK(has_proc, "proc is one");
	CHECK_ERR(syscall(SYS_sysfs, 1, "no-such-fs"), EINVAL, "an unknown name");
	CHECK_ERR(syscall(SYS_sysfs, 2, count, name), EINVAL, "an index past the end");
	CHECK_ERR(syscall(SYS_sysfs, 4), EINVAL, "option 4");
	CHECK_ERR(syscall(SYS_sysfs, 1, (char *)8), EFAULT, "a bad name pointer");

	/* /proc/sys files programs and LTP read. */
	char pattern[256] = { 0 };
	int fd = open("/proc/sys/kernel/core_pattern", O_RDONLY);
	ssize_t got_pattern = fd >= 0 ? read(fd, pattern, sizeof pattern - 1) : -1;
	pattern[strcspn(pattern, "\n")] = 0;
	CHECK(got_pattern > 0, "core_pattern is readable (%s)", pattern);
	if (fd >= 0)
		close(fd);
	long nr_open = 0;
	CHECK(read_number("/proc/sys/fs/nr_open", &nr_open) == 0 && nr_open >= 1024, "nr_open %ld", nr_open);

	/* An unprivileged child may not inspect root's process. */
	if (geteuid() == 0) {
		pid_t parent = getpid();
		child = fork();
		if (child == 0) {
			if (setgid(65534) != 0 || setuid(65534) != 0)
				_exit(100);
			_exit(unprivileged(parent));
		}
		CHECK_EQ(check_wait(child), 0, "unprivileged: EPERM for kcmp, pidfd_getfd, get_robust_list of root's process");
	}
	return check_done();
}
