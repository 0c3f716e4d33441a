/*
 * debian.c - the benchmarks `cargo xtask bench` runs on the Debian 12 root
 * file system (target/rootfs/debian.img, from `cargo xtask rootfs`): the
 * cost of starting Debian's own dynamically linked programs, and of
 * reading the clock through the vDSO against the system call.
 *
 * usage: debian [SCALE [NAME...]]   (as bench.c; parallel_build runs only
 *                                    when named)
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
#include <sys/stat.h>
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

/* The parallel build (for the 4-vCPU section of the report, which runs it
 * on 1 and on 4 vCPUs): Debian's make runs `make -j4` of a generated C
 * project in BUILD_DIR, on the image's own file system. */
#define BUILD_DIR "/tmp/bench-build"
#define BUILD_JOBS "-j4"
#define BUILD_FUNCS 4

/* argv[0] with `dir` as its working directory and its output into
 * dir/log; its exit status, 126 + signal when killed, -1 if it never ran. */
static int run_in(const char *dir, char *const argv[])
{
	pid_t pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		if (chdir(dir))
			_exit(125);
		int fd = open("log", O_WRONLY | O_CREAT | O_APPEND, 0644);
		if (fd < 0 || dup2(fd, 1) < 0 || dup2(fd, 2) < 0)
			_exit(125);
		execve(argv[0], argv, child_env);
		_exit(127);
	}
	int st;
	if (waitpid(pid, &st, 0) != pid)
		return -1;
	return WIFEXITED(st) ? WEXITSTATUS(st) : 126 + WTERMSIG(st);
}

/* A failed step: what, its status and the last line of dir/log. */
static int build_failed(const char *m, const char *what, int status)
{
	char log[4096] = {0}, why[512];
	int fd = open(BUILD_DIR "/log", O_RDONLY);
	if (fd >= 0) {
		off_t end = lseek(fd, 0, SEEK_END);
		lseek(fd, end > (off_t)sizeof log - 1 ? end - (off_t)sizeof log + 1 : 0, SEEK_SET);
		ssize_t n = read(fd, log, sizeof log - 1);
		close(fd);
		log[n > 0 ? n : 0] = 0;
	}
	size_t len = strlen(log);
	while (len && log[len - 1] == '\n')
		log[--len] = 0;
	char *last = strrchr(log, '\n');
	snprintf(why, sizeof why, "%s exited with status %d; last line of its output: %s", what, status, last ? last + 1 : log);
	return wrong(m, why);
}

static int write_text(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd < 0)
		return -1;
	size_t len = strlen(text);
	int ok = write(fd, text, len) == (ssize_t)len;
	return close(fd) == 0 && ok ? 0 : -1;
}

/* One generated source, unit<i>.c: BUILD_FUNCS functions of loops and a
 * switch for gcc -O2 to work on, and unit<i>(), which calls them all and
 * returns i. */
static void unit_source(char *out, size_t size, long i)
{
	size_t len = (size_t)snprintf(out, size, "/* generated by bench/debian.c */\n");
	for (int j = 0; j < BUILD_FUNCS; j++)
		len += (size_t)snprintf(out + len, size - len,
			"static unsigned long f%d(unsigned long x, int n)\n{\n"
			"\tunsigned long a = x + %ldu, b = x ^ %du;\n"
			"\tfor (int i = 0; i < n; i++) {\n"
			"\t\tswitch ((a + i) %% 5) {\n"
			"\t\tcase 0: a = a * 6364136223846793005ul + b; break;\n"
			"\t\tcase 1: b ^= a >> %d; break;\n"
			"\t\tcase 2: a += (b << 7) | (b >> 57); break;\n"
			"\t\tcase 3: b = b * 31 + i; break;\n"
			"\t\tdefault: a ^= b + %d;\n"
			"\t\t}\n\t}\n\treturn a ^ b;\n}\n",
			j, i, j * 7 + 1, j % 13 + 3, j);
	len += (size_t)snprintf(out + len, size - len, "int unit%ld(void)\n{\n\tvolatile unsigned long sink = 0;\n", i);
	for (int j = 0; j < BUILD_FUNCS; j++)
		len += (size_t)snprintf(out + len, size - len, "\tsink += f%d(sink, %d);\n", j, j + 10);
	snprintf(out + len, size - len, "\treturn %ld + (int)(sink & 0);\n}\n", i);
}

/* The project: n units, main.c (which checks that every unit ran), a
 * Makefile with a pattern rule, and warm.c (the warm-up's program). */
static int make_project(long n)
{
	static char text[16384];
	char path[128];
	for (long i = 0; i < n; i++) {
		unit_source(text, sizeof text, i);
		snprintf(path, sizeof path, BUILD_DIR "/unit%ld.c", i);
		if (write_text(path, text))
			return -1;
	}
	size_t len = (size_t)snprintf(text, sizeof text, "#include <stdio.h>\n");
	for (long i = 0; i < n; i++)
		len += (size_t)snprintf(text + len, sizeof text - len, "int unit%ld(void);\n", i);
	len += (size_t)snprintf(text + len, sizeof text - len, "int main(void)\n{\n\tlong sum = 0;\n");
	for (long i = 0; i < n; i++)
		len += (size_t)snprintf(text + len, sizeof text - len, "\tsum += unit%ld();\n", i);
	snprintf(text + len, sizeof text - len, "\treturn sum == %ldL ? 0 : 1;\n}\n", n * (n - 1) / 2);
	if (write_text(BUILD_DIR "/main.c", text))
		return -1;
	len = (size_t)snprintf(text, sizeof text, "CC = gcc\nCFLAGS = -O2\nOBJS = main.o");
	for (long i = 0; i < n; i++)
		len += (size_t)snprintf(text + len, sizeof text - len, " unit%ld.o", i);
	snprintf(text + len, sizeof text - len,
		"\n\nprog: $(OBJS)\n\t$(CC) -o $@ $(OBJS)\n\n"
		"%%.o: %%.c\n\t$(CC) $(CFLAGS) -c -o $@ $<\n\n"
		"warm: warm.c\n\t$(CC) $(CFLAGS) -o $@ $<\n");
	if (write_text(BUILD_DIR "/Makefile", text))
		return -1;
	return write_text(BUILD_DIR "/warm.c", "int main(void) { return 0; }\n");
}

/* `make -j4` of 16 generated sources (each compiled by gcc -O2) and their
 * link: the wall time from starting make to its exit. Untimed first: the
 * project written, and `make warm` (make, gcc, cc1, as and ld each run
 * once). Afterwards the program must run and find every unit. */
static int b_parallel_build(const char *m)
{
	long n = 16 / scale < 4 ? 4 : 16 / scale;
	run_in("/", (char *[]){"/bin/rm", "-rf", BUILD_DIR, NULL});
	if (mkdir(BUILD_DIR, 0755))
		return fail(m, "mkdir " BUILD_DIR);
	if (make_project(n))
		return fail(m, "writing the project");
	int st = run_in(BUILD_DIR, (char *[]){"/usr/bin/make", "-s", "warm", NULL});
	if (st)
		return build_failed(m, "make warm", st);
	uint64_t t = now_ns();
	st = run_in(BUILD_DIR, (char *[]){"/usr/bin/make", "-s", BUILD_JOBS, "prog", NULL});
	uint64_t dt = now_ns() - t;
	if (st)
		return build_failed(m, "make " BUILD_JOBS " prog", st);
	st = run_in(BUILD_DIR, (char *[]){BUILD_DIR "/prog", NULL});
	if (st)
		return build_failed(m, "the program built", st);
	run_in("/", (char *[]){"/bin/rm", "-rf", BUILD_DIR, NULL});
	report(m, (double)dt / 1e6, "ms");
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
	int named_only; /* run only when named on the command line */
} benches[] = {
	{"bash_c_true", b_bash_c_true, 0},
	{"python3_c_pass", b_python3_c_pass, 0},
	{"clock_gettime_vdso", b_clock_gettime_vdso, 0},
	{"clock_gettime_syscall", b_clock_gettime_syscall, 0},
	{"parallel_build", b_parallel_build, 1},
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
		int wanted = argc <= 2 && !benches[i].named_only;
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
