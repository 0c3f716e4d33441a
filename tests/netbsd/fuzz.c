/*
 * The garbage-call fuzzer for the NetBSD personality (tests/freebsd/fuzz.c
 * with NetBSD's numbers): every call number 0..599, several times each, with arguments drawn from a mix that
 * breaks translators (small integers, -1, huge values, pointers to a
 * mapped buffer, to its last bytes before an unmapped page, to nothing,
 * into the kernel's half), one forked child per call.
 *
 * The child makes its one call and exits; whatever it does to itself
 * (unmapping its stack, waiting forever on a umtx) ends with it. The
 * parent waits for it with a deadline and kills it when it does not end;
 * a child that SIGKILL cannot end within two seconds is a kernel hang and
 * fails the run (the call is named). A kernel that panics ends the boot,
 * which the harness reports.
 *
 * Calls that would end the campaign rather than test the kernel get
 * their harmful argument replaced: kill and _lwp_kill aim at the child
 * itself (kill(-1, SIGKILL) would end the harness's shell), reboot is
 * never made. Arguments past the sixth (mmap's offset, from the stack)
 * are random too.
 */
#include "nbsd.h"

#define SIGKILL 9
#define WNOHANG 1
#define REPEATS 8
#define FIRST_CALL 0
#define LAST_CALL 599
#define SYS_reboot 208
#define SYS_compat_12_oreboot 55
#define SYS_dup2 90
#define SYS___wait450 449

static uint64_t seed = 0x9e3779b97f4a7c15ull;

static uint64_t next(void)
{
	seed ^= seed << 13;
	seed ^= seed >> 7;
	seed ^= seed << 17;
	return seed;
}

static char *scratch;

static long argument(void)
{
	switch (next() % 10) {
	case 0:
		return (long)(next() % 8);
	case 1:
		return -1;
	case 2:
		return (long)next();
	case 3:
		return (long)scratch;
	case 4:
		return (long)(scratch + 4096 - (next() % 16)); /* runs into the unmapped page */
	case 5:
		return 0;
	case 6:
		return 0x1000;
	case 7:
		return (long)0xffff800000000000ull;
	case 8:
		return (long)(next() % 0x10000);
	default:
		return (long)(next() & 0xffffffff);
	}
}

static void sleep_ms(long ms)
{
	long ts[2] = {ms / 1000, (ms % 1000) * 1000000};
	sys2(SYS___nanosleep50, ts, 0);
}

static void child(long nr)
{
	long a[7];
	for (int i = 0; i < 7; i++)
		a[i] = argument();
	/* Quiet: random writes must not reach the console the harness reads. */
	long null = sys3(SYS_open, "/dev/null", 2, 0);
	for (int fd = 0; fd < 3; fd++)
		sys2(SYS_dup2, null, fd);
	if (nr == SYS_reboot || nr == SYS_compat_12_oreboot)
		sys1(SYS_exit, 0);
	if (nr == SYS_kill)
		a[0] = sys0(SYS_getpid);
	if (nr == SYS__lwp_kill)
		a[0] = sys0(SYS__lwp_self);
	nbsd_syscall7(nr, a[0], a[1], a[2], a[3], a[4], a[5], a[6]);
	sys1(SYS_exit, 0);
}

/* Waits up to `ms` for the child; returns 1 if it ended. */
static int reaped(long pid, long ms)
{
	int status;
	for (long waited = 0; waited <= ms; waited += 5) {
		long r = sys4(SYS___wait450, pid, &status, WNOHANG, 0);
		if (r == pid)
			return 1;
		if (r < 0 && r != -EINTR)
			return 1; /* ECHILD: already gone */
		sleep_ms(5);
	}
	return 0;
}

int test_main(int argc, char **argv, char **envp)
{
	(void)argc, (void)argv, (void)envp;
	/* Two pages, the second unmapped: pointers near the end of the first
	 * cross into nothing. */
	scratch = (char *)nbsd_syscall7(SYS_mmap, 0, 8192, 3, 0x1002 /* MAP_ANON|MAP_PRIVATE */, -1, 0, 0);
	CHECK((long)scratch > 0, "a scratch buffer is mapped");
	CHECK_EQ(sys2(SYS_munmap, scratch + 4096, 4096), 0, "its second page is unmapped");
	long calls = 0, killed = 0, hung = -1;
	for (long nr = FIRST_CALL; nr <= LAST_CALL && hung < 0; nr++) {
		for (int r = 0; r < REPEATS; r++) {
			long pid = sys0(SYS_fork);
			if (pid == 0)
				child(nr);
			if (pid < 0) {
				nbsd_puts("# fork failed\n");
				break;
			}
			calls++;
			if (reaped(pid, 300))
				continue;
			killed++;
			sys2(SYS_kill, pid, SIGKILL);
			if (!reaped(pid, 2000)) {
				hung = nr;
				break;
			}
		}
	}
	nbsd_puts("# calls ");
	nbsd_putnum(calls);
	nbsd_puts(", children killed after 300 ms: ");
	nbsd_putnum(killed);
	nbsd_puts("\n");
	CHECK_EQ(calls, (LAST_CALL - FIRST_CALL + 1) * REPEATS, "every call number was made in its own child");
	CHECK_EQ(hung, -1, "every child ended by SIGKILL within 2 s (else: the call number that hung)");
	CHECK_EQ(sys3(SYS_write, -1, "x", 1), -EBADF, "the parent's own calls still work");
	return check_done();
}
