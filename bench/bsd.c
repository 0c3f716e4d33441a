/*
 * bsd.c - bench.c's null_syscall, pipe_rtt and fork_exit as a FreeBSD
 * program (built with -DFREEBSD: raw calls over tests/freebsd/bsd.h) and
 * as a NetBSD one (-DNETBSD: tests/netbsd/nbsd.h); no libc, branded with
 * the system's ELF note. Each runs inside Helctic's personality for its
 * system in boots of their own (`cargo xtask bench`, xtask/src/bench.rs's
 * PERSONALITY_METRICS). The loops, counts and warm-ups are bench.c's, so
 * each row compares with Linux's figure for the same loop.
 *
 * usage: freebsd|netbsd [SCALE]; prints `BENCH <system>_<metric> <value>
 * <unit>` or `BENCH-FAIL <system>_<metric> <reason>` (bench.h's lines).
 */
#if defined(FREEBSD)
#include "bsd.h"
#define SYSTEM "freebsd_"
#define CLOCK_MONOTONIC 4 /* sys/sys/_clock_id.h */
#define SYS_CLOCK_GETTIME SYS_clock_gettime
#define SYS_WAIT4 SYS_wait4
#elif defined(NETBSD)
#include "nbsd.h"
#define SYSTEM "netbsd_"
#define CLOCK_MONOTONIC 3 /* sys/sys/time.h */
#define SYS_CLOCK_GETTIME SYS___clock_gettime50
#define SYS_WAIT4 449 /* __wait450 */
#define bsd_puts nbsd_puts
#define bsd_putnum nbsd_putnum
#else
#error "build with -DFREEBSD or -DNETBSD"
#endif

static long scale = 1;

static uint64_t now_ns(void)
{
	long ts[2];
	sys2(SYS_CLOCK_GETTIME, CLOCK_MONOTONIC, ts);
	return (uint64_t)ts[0] * 1000000000u + (uint64_t)ts[1];
}

static long iters(long full)
{
	long n = full / scale;
	return n < 1 ? 1 : n;
}

/* `BENCH name value unit` with three decimals: `total` over `n`, in units
 * of `per` nanoseconds (1 for ns, 1000 for us). */
static void report(const char *metric, uint64_t total, long n, long per)
{
	uint64_t milli = total * 1000 / (uint64_t)n / (uint64_t)per;
	bsd_puts("BENCH ");
	bsd_puts(metric);
	bsd_puts(" ");
	bsd_putnum((long)(milli / 1000));
	bsd_puts(".");
	char frac[4] = {(char)('0' + milli / 100 % 10), (char)('0' + milli / 10 % 10), (char)('0' + milli % 10), 0};
	bsd_puts(frac);
	bsd_puts(per == 1 ? " ns\n" : " us\n");
}

static int fail(const char *metric, const char *what, long err)
{
	bsd_puts("BENCH-FAIL ");
	bsd_puts(metric);
	bsd_puts(" ");
	bsd_puts(what);
	bsd_puts(": errno ");
	bsd_putnum(-err);
	bsd_puts("\n");
	return 1;
}

static int b_null_syscall(const char *m)
{
	long n = iters(1000000);
	for (long i = 0; i < n / 10 + 1; i++)
		sys0(SYS_getppid);
	uint64_t t = now_ns();
	for (long i = 0; i < n; i++)
		sys0(SYS_getppid);
	report(m, now_ns() - t, n, 1);
	return 0;
}

static int b_pipe_rtt(const char *m)
{
	long n = iters(20000);
	int ab[2], ba[2];
	long r = sys2(SYS_pipe2, ab, 0);
	if (r == 0)
		r = sys2(SYS_pipe2, ba, 0);
	if (r < 0)
		return fail(m, "pipe2", r);
	long pid = sys0(SYS_fork);
	if (pid < 0)
		return fail(m, "fork", pid);
	if (pid == 0) {
		char c;
		sys1(SYS_close, ab[1]);
		sys1(SYS_close, ba[0]);
		while (sys3(SYS_read, ab[0], &c, 1) == 1)
			if (sys3(SYS_write, ba[1], &c, 1) != 1)
				sys1(SYS_exit, 1);
		sys1(SYS_exit, 0);
	}
	sys1(SYS_close, ab[0]);
	sys1(SYS_close, ba[1]);
	char c = 'x';
	uint64_t t = 0;
	for (long i = -(n / 10 + 1); i < n; i++) {
		if (i == 0)
			t = now_ns();
		if (sys3(SYS_write, ab[1], &c, 1) != 1 || sys3(SYS_read, ba[0], &c, 1) != 1)
			return fail(m, "write/read", 0);
	}
	uint64_t dt = now_ns() - t;
	sys1(SYS_close, ab[1]);
	int st;
	sys4(SYS_WAIT4, pid, &st, 0, 0);
	sys1(SYS_close, ba[0]);
	report(m, dt, n, 1);
	return 0;
}

static int b_fork_exit(const char *m)
{
	long n = iters(2000);
	uint64_t t = 0;
	for (long i = -(n / 10 + 1); i < n; i++) {
		if (i == 0)
			t = now_ns();
		long pid = sys0(SYS_fork);
		if (pid < 0)
			return fail(m, "fork", pid);
		if (pid == 0)
			sys1(SYS_exit, 0);
		int st = -1;
		if (sys4(SYS_WAIT4, pid, &st, 0, 0) != pid || (st & 0x7f) != 0)
			return fail(m, "wait4", 0);
	}
	report(m, now_ns() - t, n, 1000);
	return 0;
}

int test_main(int argc, char **argv, char **envp)
{
	(void)envp;
	if (argc > 1) {
		long s = 0;
		for (const char *p = argv[1]; *p >= '0' && *p <= '9'; p++)
			s = s * 10 + (*p - '0');
		scale = s > 0 ? s : 1;
	}
	int failed = 0;
	failed += b_null_syscall(SYSTEM "null_syscall");
	failed += b_pipe_rtt(SYSTEM "pipe_rtt");
	failed += b_fork_exit(SYSTEM "fork_exit");
	return failed ? 1 : 0;
}
