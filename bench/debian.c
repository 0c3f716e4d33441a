/*
 * debian.c - the benchmarks `cargo xtask bench` runs on the Debian 12 root
 * file system (target/rootfs/debian.img, from `cargo xtask rootfs`): the
 * cost of starting Debian's own dynamically linked programs, and of
 * reading the clock through the vDSO against the system call.
 *
 * usage: debian [SCALE [NAME...]]   (as bench.c)
 *
 * It runs with the Debian image as its root directory, the same static
 * binary on both kernels (glibc, `gcc -static`: glibc reads the clock
 * through the vDSO the kernel names in AT_SYSINFO_EHDR, static or not).
 * Under Helctic it is the Linux init itself (`root=/dev/vda
 * init=/bench/debian`), so as pid 1 it also prints `BENCH-DONE` and powers
 * the machine off; under Linux, bench/init.c mounts the image, runs this
 * program chrooted into it, and does both.
 *
 * The programs started get the same environment on both kernels (that of
 * `cargo xtask rootfs`'s native runs), the working directory /, and the
 * console as their standard files; each must exit with status 0.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdlib.h>
#include <sys/auxv.h>
#include <sys/reboot.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bench.h"

/* xtask/src/rootfs.rs NATIVE_ENV: what a program run in the tree sees. */
static char *const child_env[] = {
	"HOME=/root",
	"PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
	"TERM=dumb",
	"LANG=C.UTF-8",
	NULL,
};

/* fork, execve(argv[0]), waitpid; n timed runs after n/10+1 untimed ones.
 * Returns the mean time per run in ns, or 0 after printing BENCH-FAIL. */
static double spawn_loop(const char *m, char *const argv[], long n)
{
	uint64_t t = 0;
	for (long i = -(n / 10 + 1); i < n; i++) {
		if (i == 0)
			t = now_ns();
		pid_t pid = fork();
		if (pid < 0) {
			fail(m, "fork");
			return 0;
		}
		if (pid == 0) {
			execve(argv[0], argv, child_env);
			_exit(127);
		}
		int st;
		if (waitpid(pid, &st, 0) != pid) {
			fail(m, "waitpid");
			return 0;
		}
		if (!WIFEXITED(st) || WEXITSTATUS(st) != 0) {
			char what[160];
			if (WIFEXITED(st))
				snprintf(what, sizeof what, "%s exited with status %d%s", argv[0], WEXITSTATUS(st), WEXITSTATUS(st) == 127 ? " (127: could not be executed)" : "");
			else
				snprintf(what, sizeof what, "%s was killed by signal %d", argv[0], WTERMSIG(st));
			wrong(m, what);
			return 0;
		}
	}
	return (double)(now_ns() - t) / n;
}

/* bash starting, running the builtin `true` and exiting: the dynamic
 * loader, libc, libtinfo, bash's own start-up, and fork/exec/wait. */
static int b_bash_c_true(const char *m)
{
	double ns = spawn_loop(m, (char *[]){"/bin/bash", "-c", "true", NULL}, iters(200));
	if (ns == 0)
		return 1;
	report(m, ns / 1000.0, "us");
	return 0;
}

/* A much larger start-up: the interpreter, its shared libraries, and the
 * modules `site` imports (from their .pyc files). */
static int b_python3_c_pass(const char *m)
{
	double ns = spawn_loop(m, (char *[]){"/usr/bin/python3", "-c", "pass", NULL}, iters(20));
	if (ns == 0)
		return 1;
	report(m, ns / 1e6, "ms");
	return 0;
}

/* clock_gettime(CLOCK_MONOTONIC) `n` times through `get`, in ns per call;
 * the readings must never go backwards. */
static int clock_loop(const char *m, int (*get)(struct timespec *), long n)
{
	struct timespec a, b;
	for (long i = 0; i < n / 10 + 1; i++)
		if (get(&a))
			return fail(m, "clock_gettime");
	if (get(&a))
		return fail(m, "clock_gettime");
	uint64_t t = now_ns();
	for (long i = 0; i < n; i++)
		if (get(&b))
			return fail(m, "clock_gettime");
	uint64_t dt = now_ns() - t;
	if (b.tv_sec < a.tv_sec || (b.tv_sec == a.tv_sec && b.tv_nsec < a.tv_nsec))
		return wrong(m, "CLOCK_MONOTONIC went backwards");
	report(m, (double)dt / n, "ns");
	return 0;
}

static int through_libc(struct timespec *ts)
{
	return clock_gettime(CLOCK_MONOTONIC, ts);
}

static int through_syscall(struct timespec *ts)
{
	return (int)syscall(SYS_clock_gettime, CLOCK_MONOTONIC, ts);
}

/* glibc's clock_gettime: the vDSO's, when the kernel gave one. */
static int b_clock_gettime_vdso(const char *m)
{
	if (getauxval(AT_SYSINFO_EHDR) == 0)
		return wrong(m, "no vDSO: AT_SYSINFO_EHDR is absent from the auxiliary vector");
	return clock_loop(m, through_libc, iters(1000000));
}

/* The same reading as a system call. */
static int b_clock_gettime_syscall(const char *m)
{
	return clock_loop(m, through_syscall, iters(1000000));
}

/* Linux's clocksource decides whether its vDSO can read the clock without
 * entering the kernel (tsc: yes; hpet or acpi_pm: no), so it goes into
 * the log beside the figures, before and after them (Linux may change it
 * while running). Helctic has no /sys: nothing printed. */
static void clocksource(const char *when)
{
	char name[64] = {0};
	int fd = open("/sys/devices/system/clocksource/clocksource0/current_clocksource", O_RDONLY);
	if (fd < 0)
		return;
	ssize_t n = read(fd, name, sizeof name - 1);
	close(fd);
	if (n > 0) {
		name[strcspn(name, "\n")] = 0;
		printf("BENCH-INFO clocksource %s %s\n", when, name);
	}
}

static const struct {
	const char *name;
	int (*run)(const char *);
} benches[] = {
	{"bash_c_true", b_bash_c_true},
	{"python3_c_pass", b_python3_c_pass},
	{"clock_gettime_vdso", b_clock_gettime_vdso},
	{"clock_gettime_syscall", b_clock_gettime_syscall},
};

int main(int argc, char **argv)
{
	if (getpid() == 1) {
		/* the first line init prints (bench/init.c does the same) */
		printf("BENCH-INIT up\n");
		fflush(stdout);
	}
	if (argc > 1)
		scale = atol(argv[1]) > 0 ? atol(argv[1]) : 1;
	if (chdir("/"))
		printf("BENCH-NOTE debian chdir /: %s\n", strerror(errno));
	clocksource("before");
	int failed = 0;
	for (size_t i = 0; i < sizeof benches / sizeof benches[0]; i++) {
		int wanted = argc <= 2;
		for (int a = 2; a < argc; a++)
			wanted |= strcmp(argv[a], benches[i].name) == 0;
		if (wanted)
			failed += benches[i].run(benches[i].name);
	}
	clocksource("after");
	int status = failed ? 1 : 0;
	if (getpid() == 1) {
		printf("BENCH-DONE %d\n", status);
		fflush(stdout);
		sync();
		reboot(RB_POWER_OFF);
		/* reboot refused: Helctic powers off when init exits with 0 */
		return 0;
	}
	return status;
}
