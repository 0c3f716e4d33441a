/*
 * bench.c - the micro-benchmarks `cargo xtask bench` runs inside Linux and
 * inside Helctic (the same static binary, built with musl-gcc -static).
 *
 * usage: bench [SCALE [NAME...]]
 *   SCALE   divides every iteration count (1 = full run, 1000 = smoke test;
 *           each benchmark still runs at least once)
 *   NAME    run only these benchmarks (default: all, in table order,
 *           except the parallel ones, which run only when named)
 *
 * Each benchmark prints one line (see bench.h). Times come from
 * clock_gettime(CLOCK_MONOTONIC) around the whole loop, divided by the
 * iteration count; one untimed warm-up round runs first.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bench.h"

#ifndef EXEC_TARGET /* -DEXEC_TARGET=\"/path\" to run it on the host */
#define EXEC_TARGET "/bench/true"
#endif
static const char *exec_target = EXEC_TARGET;
static const char *ramfs_file = "/tmp/bench-file";

/* getppid through syscall(): the kernel entry/exit path and nothing else. */
static int b_null_syscall(const char *m)
{
	long n = iters(1000000);
	for (long i = 0; i < n / 10 + 1; i++)
		syscall(SYS_getppid);
	uint64_t t = now_ns();
	for (long i = 0; i < n; i++)
		syscall(SYS_getppid);
	report(m, (double)(now_ns() - t) / n, "ns");
	return 0;
}

/* One byte to a child through one pipe, one byte back through another. */
static int b_pipe_rtt(const char *m)
{
	long n = iters(20000);
	int ab[2], ba[2];
	if (pipe(ab) || pipe(ba))
		return fail(m, "pipe");
	pid_t pid = fork();
	if (pid < 0)
		return fail(m, "fork");
	if (pid == 0) {
		char c;
		close(ab[1]);
		close(ba[0]);
		while (read(ab[0], &c, 1) == 1)
			if (write(ba[1], &c, 1) != 1)
				_exit(1);
		_exit(0);
	}
	close(ab[0]);
	close(ba[1]);
	char c = 'x';
	uint64_t t = 0;
	for (long i = -(n / 10 + 1); i < n; i++) {
		if (i == 0)
			t = now_ns();
		if (write(ab[1], &c, 1) != 1 || read(ba[0], &c, 1) != 1)
			return fail(m, "write/read");
	}
	uint64_t dt = now_ns() - t;
	close(ab[1]);
	int st;
	waitpid(pid, &st, 0);
	close(ba[0]);
	report(m, (double)dt / n, "ns");
	return 0;
}

/* The same round trip over a Unix stream socket pair. */
static int b_unix_rtt(const char *m)
{
	long n = iters(20000);
	int sv[2];
	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv))
		return fail(m, "socketpair");
	pid_t pid = fork();
	if (pid < 0)
		return fail(m, "fork");
	if (pid == 0) {
		char c;
		close(sv[0]);
		while (read(sv[1], &c, 1) == 1)
			if (write(sv[1], &c, 1) != 1)
				_exit(1);
		_exit(0);
	}
	close(sv[1]);
	char c = 'x';
	uint64_t t = 0;
	for (long i = -(n / 10 + 1); i < n; i++) {
		if (i == 0)
			t = now_ns();
		if (write(sv[0], &c, 1) != 1 || read(sv[0], &c, 1) != 1)
			return fail(m, "write/read");
	}
	uint64_t dt = now_ns() - t;
	close(sv[0]);
	int st;
	waitpid(pid, &st, 0);
	report(m, (double)dt / n, "ns");
	return 0;
}

static int b_fork_exit(const char *m)
{
	long n = iters(2000);
	uint64_t t = 0;
	for (long i = -(n / 10 + 1); i < n; i++) {
		if (i == 0)
			t = now_ns();
		pid_t pid = fork();
		if (pid < 0)
			return fail(m, "fork");
		if (pid == 0)
			_exit(0);
		int st;
		if (waitpid(pid, &st, 0) != pid || !WIFEXITED(st))
			return fail(m, "waitpid");
	}
	report(m, (double)(now_ns() - t) / n / 1000.0, "us");
	return 0;
}

static int b_fork_exec(const char *m)
{
	long n = iters(500);
	uint64_t t = 0;
	for (long i = -(n / 10 + 1); i < n; i++) {
		if (i == 0)
			t = now_ns();
		pid_t pid = fork();
		if (pid < 0)
			return fail(m, "fork");
		if (pid == 0) {
			char *argv[] = {(char *)exec_target, NULL};
			char *envp[] = {NULL};
			execve(exec_target, argv, envp);
			_exit(127);
		}
		int st;
		if (waitpid(pid, &st, 0) != pid || !WIFEXITED(st) || WEXITSTATUS(st) != 0) {
			errno = ENOEXEC;
			return fail(m, "exec of " EXEC_TARGET);
		}
	}
	report(m, (double)(now_ns() - t) / n / 1000.0, "us");
	return 0;
}

/* Two threads hand a token back and forth through one futex word:
 * each hand-over is a wake plus a sleep, i.e. one context switch. */
/* <linux/futex.h> is not in musl's headers */
#define FUTEX_WAIT_PRIVATE 128 /* FUTEX_WAIT | FUTEX_PRIVATE_FLAG */
#define FUTEX_WAKE_PRIVATE 129 /* FUTEX_WAKE | FUTEX_PRIVATE_FLAG */

static _Atomic int token;
static long futex_rounds;

static long futex(void *addr, int op, int val)
{
	return syscall(SYS_futex, addr, op, val, NULL, NULL, 0);
}

static void pass_token(int mine, int theirs)
{
	/* wait until it is our turn, then give the turn away */
	while (atomic_load(&token) != mine)
		futex(&token, FUTEX_WAIT_PRIVATE, theirs);
	atomic_store(&token, theirs);
	futex(&token, FUTEX_WAKE_PRIVATE, 1);
}

static void *ponger(void *arg)
{
	(void)arg;
	for (long i = 0; i < futex_rounds; i++)
		pass_token(1, 0);
	return NULL;
}

static int b_futex_switch(const char *m)
{
	long n = iters(20000);
	long warm = n / 10 + 1;
	futex_rounds = n + warm;
	atomic_store(&token, 0);
	pthread_t th;
	if ((errno = pthread_create(&th, NULL, ponger, NULL)))
		return fail(m, "pthread_create");
	uint64_t t = 0;
	for (long i = -warm; i < n; i++) {
		if (i == 0)
			t = now_ns();
		pass_token(0, 1);
	}
	/* the last hand-back */
	while (atomic_load(&token) != 0)
		futex(&token, FUTEX_WAIT_PRIVATE, 1);
	uint64_t dt = now_ns() - t;
	pthread_join(th, NULL);
	/* one round = two switches */
	report(m, (double)dt / n / 2.0, "ns");
	return 0;
}

static int b_mmap_touch(const char *m)
{
	long n = iters(100);
	size_t len = 4u << 20;
	long page = sysconf(_SC_PAGESIZE);
	uint64_t t = 0;
	for (long i = -(n / 10 + 1); i < n; i++) {
		if (i == 0)
			t = now_ns();
		volatile char *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (p == MAP_FAILED)
			return fail(m, "mmap");
		for (size_t off = 0; off < len; off += page)
			p[off] = 1;
		if (munmap((void *)p, len))
			return fail(m, "munmap");
	}
	report(m, (double)(now_ns() - t) / n / 1000.0, "us");
	return 0;
}

static int make_file(const char *m)
{
	char buf[4096];
	memset(buf, 'b', sizeof buf);
	int fd = open(ramfs_file, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd < 0)
		return fail(m, "create /tmp/bench-file");
	if (write(fd, buf, sizeof buf) != (ssize_t)sizeof buf)
		return fail(m, "write /tmp/bench-file");
	close(fd);
	return 0;
}

static int b_open_read_close(const char *m)
{
	if (make_file(m))
		return 1;
	long n = iters(20000);
	char buf[4096];
	uint64_t t = 0;
	for (long i = -(n / 10 + 1); i < n; i++) {
		if (i == 0)
			t = now_ns();
		int fd = open(ramfs_file, O_RDONLY);
		if (fd < 0)
			return fail(m, "open");
		if (read(fd, buf, sizeof buf) != (ssize_t)sizeof buf)
			return fail(m, "read");
		close(fd);
	}
	report(m, (double)(now_ns() - t) / n / 1000.0, "us");
	return 0;
}

static int b_stat(const char *m)
{
	if (make_file(m))
		return 1;
	long n = iters(100000);
	struct stat st;
	uint64_t t = 0;
	for (long i = -(n / 10 + 1); i < n; i++) {
		if (i == 0)
			t = now_ns();
		if (stat(ramfs_file, &st))
			return fail(m, "stat");
	}
	report(m, (double)(now_ns() - t) / n, "ns");
	return 0;
}

/* 64 MiB from a child to the parent in 64 KiB writes; the clock runs from
 * the first write to the parent's last read. */
static int b_pipe_bandwidth(const char *m)
{
	size_t total = (64u << 20) / (scale > 64 ? 64 : scale);
	size_t chunk = 64u << 10;
	static char buf[64 << 10];
	int p[2];
	if (pipe(p))
		return fail(m, "pipe");
	uint64_t t = now_ns();
	pid_t pid = fork();
	if (pid < 0)
		return fail(m, "fork");
	if (pid == 0) {
		close(p[0]);
		memset(buf, 'p', sizeof buf);
		for (size_t done = 0; done < total;) {
			size_t want = total - done < chunk ? total - done : chunk;
			ssize_t w = write(p[1], buf, want);
			if (w <= 0)
				_exit(1);
			done += (size_t)w;
		}
		_exit(0);
	}
	close(p[1]);
	size_t got = 0;
	for (;;) {
		ssize_t r = read(p[0], buf, chunk);
		if (r < 0)
			return fail(m, "read");
		if (r == 0)
			break;
		got += (size_t)r;
	}
	uint64_t dt = now_ns() - t;
	close(p[0]);
	int st;
	waitpid(pid, &st, 0);
	if (got != total) {
		errno = EIO;
		return fail(m, "short transfer");
	}
	report(m, (double)total / 1e6 / ((double)dt / 1e9), "MB/s");
	return 0;
}

/* One count to a child through one eventfd, one back through another:
 * the eventfd counterpart of pipe_rtt. */
static int b_eventfd_rtt(const char *m)
{
	long n = iters(20000);
	int ab = eventfd(0, 0), ba = eventfd(0, 0);
	if (ab < 0 || ba < 0)
		return fail(m, "eventfd");
	pid_t pid = fork();
	if (pid < 0)
		return fail(m, "fork");
	uint64_t one = 1, got;
	if (pid == 0) {
		for (;;) {
			if (read(ab, &got, 8) != 8)
				_exit(1);
			if (got == 2) /* the parent's "stop" */
				_exit(0);
			if (write(ba, &one, 8) != 8)
				_exit(1);
		}
	}
	uint64_t t = 0;
	for (long i = -(n / 10 + 1); i < n; i++) {
		if (i == 0)
			t = now_ns();
		if (write(ab, &one, 8) != 8 || read(ba, &got, 8) != 8)
			return fail(m, "write/read");
	}
	uint64_t dt = now_ns() - t;
	uint64_t stop = 2;
	if (write(ab, &stop, 8) != 8)
		return fail(m, "write");
	int st;
	waitpid(pid, &st, 0);
	close(ab);
	close(ba);
	report(m, (double)dt / n, "ns");
	return 0;
}

/* epoll_wait on a set watching 1000 pipes (level-triggered), one of which
 * holds a byte: the call's cost with many idle watched descriptors. */
static int b_epoll_wait_1000(const char *m)
{
	enum { NP = 1000 };
	long n = iters(5000);
	struct rlimit r;
	if (getrlimit(RLIMIT_NOFILE, &r) == 0 && r.rlim_cur < 2 * NP + 16) {
		r.rlim_cur = r.rlim_max < 2 * NP + 16 ? r.rlim_max : 2 * NP + 16;
		setrlimit(RLIMIT_NOFILE, &r);
	}
	static int p[NP][2];
	int ep = epoll_create1(0);
	if (ep < 0)
		return fail(m, "epoll_create1");
	for (int i = 0; i < NP; i++) {
		struct epoll_event e = { .events = EPOLLIN, .data.u32 = i };
		if (pipe(p[i]))
			return fail(m, "pipe");
		if (epoll_ctl(ep, EPOLL_CTL_ADD, p[i][0], &e))
			return fail(m, "epoll_ctl");
	}
	char c = 'e';
	if (write(p[NP / 2][1], &c, 1) != 1)
		return fail(m, "write");
	struct epoll_event ev[8];
	uint64_t t = 0;
	for (long i = -(n / 10 + 1); i < n; i++) {
		if (i == 0)
			t = now_ns();
		if (epoll_wait(ep, ev, 8, 0) != 1 || ev[0].data.u32 != NP / 2) {
			errno = EIO;
			return fail(m, "epoll_wait");
		}
	}
	uint64_t dt = now_ns() - t;
	for (int i = 0; i < NP; i++) {
		close(p[i][0]);
		close(p[i][1]);
	}
	close(ep);
	report(m, (double)dt / n, "ns");
	return 0;
}

/* 16 MiB moved file -> pipe -> file by splice in 64 KiB steps, both files
 * in /tmp, data never crossing into user space. */
static int b_splice_bandwidth(const char *m)
{
	size_t chunk = 64u << 10;
	size_t total = (16u << 20) / (scale > 16 ? 16 : scale) / chunk * chunk;
	static char buf[64 << 10];
	memset(buf, 's', sizeof buf);
	int in = open("/tmp/bench-splice-in", O_CREAT | O_TRUNC | O_RDWR, 0644);
	int out = open("/tmp/bench-splice-out", O_CREAT | O_TRUNC | O_WRONLY, 0644);
	int p[2];
	if (in < 0 || out < 0 || pipe(p))
		return fail(m, "open/pipe");
	for (size_t done = 0; done < total; done += chunk)
		if (write(in, buf, chunk) != (ssize_t)chunk)
			return fail(m, "write");
	uint64_t t = now_ns();
	loff_t off_in = 0;
	size_t moved = 0;
	while (moved < total) {
		size_t want = total - moved < chunk ? total - moved : chunk;
		ssize_t a = splice(in, &off_in, p[1], NULL, want, 0);
		if (a <= 0)
			return fail(m, "splice file->pipe");
		for (ssize_t left = a; left > 0;) {
			ssize_t b = splice(p[0], NULL, out, NULL, (size_t)left, 0);
			if (b <= 0)
				return fail(m, "splice pipe->file");
			left -= b;
		}
		moved += (size_t)a;
	}
	uint64_t dt = now_ns() - t;
	struct stat st;
	int ok = fstat(out, &st) == 0 && st.st_size == (off_t)total;
	close(in);
	close(out);
	close(p[0]);
	close(p[1]);
	unlink("/tmp/bench-splice-in");
	unlink("/tmp/bench-splice-out");
	if (!ok) {
		errno = EIO;
		return fail(m, "short copy");
	}
	report(m, (double)total / 1e6 / ((double)dt / 1e9), "MB/s");
	return 0;
}

/* The parallel rows: NPAR processes run the same loop at once, for the
 * 4-vCPU section of the report (the same rows also run on 1 vCPU there,
 * for the speed-up). Not run unless named. */
#define NPAR 4

/* Forks NPAR processes that each run body(per) at once: each first runs an
 * untimed warm-up, body(per / 10 + 1), and says it is ready; then all are
 * released together (the "go" pipe closes). Returns the wall time in ns
 * from the release to the last one's exit, or 0 after BENCH-FAIL. */
static uint64_t parallel(const char *m, int (*body)(long), long per)
{
	int ready[2], go[2];
	if (pipe(ready) || pipe(go)) {
		fail(m, "pipe");
		return 0;
	}
	pid_t pids[NPAR];
	int started = 0, problem = 0;
	for (; started < NPAR; started++) {
		pid_t pid = fork();
		if (pid < 0) {
			fail(m, "fork");
			problem = 1;
			break;
		}
		if (pid == 0) {
			char c = 'r';
			close(ready[0]);
			close(go[1]);
			if (body(per / 10 + 1))
				_exit(2);
			if (write(ready[1], &c, 1) != 1)
				_exit(3);
			/* so that the parent sees end of file, not a hang, if
			 * another process dies in its warm-up */
			close(ready[1]);
			/* end of file: released */
			if (read(go[0], &c, 1) != 0)
				_exit(4);
			_exit(body(per) ? 1 : 0);
		}
		pids[started] = pid;
	}
	close(ready[1]);
	close(go[0]);
	for (int i = 0; i < started && !problem; i++) {
		char c;
		if (read(ready[0], &c, 1) != 1) {
			wrong(m, "a process ended before its warm-up did");
			problem = 1;
		}
	}
	uint64_t t = now_ns();
	close(go[1]);
	int bad = 0;
	for (int i = 0; i < started; i++) {
		int st = 0;
		if (waitpid(pids[i], &st, 0) != pids[i])
			bad = -1;
		else if (!WIFEXITED(st) || WEXITSTATUS(st) != 0)
			bad = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
	}
	uint64_t dt = now_ns() - t;
	close(ready[0]);
	if (problem)
		return 0;
	if (bad) {
		char what[96];
		snprintf(what, sizeof what, "a process's loop failed (status %d)", bad);
		wrong(m, what);
		return 0;
	}
	return dt ? dt : 1;
}

static int null_loop(long n)
{
	for (long i = 0; i < n; i++)
		syscall(SYS_getppid);
	return 0;
}

/* NPAR processes, each 500,000 null system calls. The time per call per
 * process is the wall time divided by one process's count; the aggregate
 * rate is all NPAR processes' calls over the wall time. */
static int b_parallel_null_syscall(const char *m)
{
	long per = iters(500000);
	uint64_t dt = parallel(m, null_loop, per);
	if (!dt)
		return 1;
	report(m, (double)dt / per, "ns");
	/* calls per microsecond = millions of calls per second */
	report("parallel_null_syscall_rate", (double)NPAR * per / ((double)dt / 1e3), "Mcalls/s");
	return 0;
}

static int fork_loop(long n)
{
	for (long i = 0; i < n; i++) {
		pid_t pid = fork();
		if (pid < 0)
			return 1;
		if (pid == 0)
			_exit(0);
		int st;
		if (waitpid(pid, &st, 0) != pid || !WIFEXITED(st))
			return 1;
	}
	return 0;
}

/* NPAR processes, each 1,000 fork + _exit + wait; as above. */
static int b_parallel_fork_exit(const char *m)
{
	long per = iters(1000);
	uint64_t dt = parallel(m, fork_loop, per);
	if (!dt)
		return 1;
	report(m, (double)dt / per / 1000.0, "us");
	/* per millisecond = thousands per second */
	report("parallel_fork_exit_rate", (double)NPAR * per / ((double)dt / 1e6), "k/s");
	return 0;
}

static const struct {
	const char *name;
	int (*run)(const char *);
	int named_only; /* run only when named on the command line */
} benches[] = {
	{"null_syscall", b_null_syscall, 0},
	{"pipe_rtt", b_pipe_rtt, 0},
	{"unix_rtt", b_unix_rtt, 0},
	{"fork_exit", b_fork_exit, 0},
	{"fork_exec", b_fork_exec, 0},
	{"futex_switch", b_futex_switch, 0},
	{"mmap_touch_4m", b_mmap_touch, 0},
	{"open_read_close", b_open_read_close, 0},
	{"stat", b_stat, 0},
	{"pipe_bandwidth", b_pipe_bandwidth, 0},
	{"eventfd_rtt", b_eventfd_rtt, 0},
	{"splice_bandwidth", b_splice_bandwidth, 0},
	{"epoll_wait_1000", b_epoll_wait_1000, 0},
	{"parallel_null_syscall", b_parallel_null_syscall, 1},
	{"parallel_fork_exit", b_parallel_fork_exit, 1},
};

int main(int argc, char **argv)
{
	if (argc > 1)
		scale = atol(argv[1]) > 0 ? atol(argv[1]) : 1;
	int failed = 0;
	for (size_t i = 0; i < sizeof benches / sizeof benches[0]; i++) {
		int wanted = argc <= 2 && !benches[i].named_only;
		for (int a = 2; a < argc; a++)
			wanted |= strcmp(argv[a], benches[i].name) == 0;
		if (wanted)
			failed += benches[i].run(benches[i].name);
	}
	return failed ? 1 : 0;
}
