/*
 * cpu_itimers.c - the interval timers that count CPU time: ITIMER_VIRTUAL
 * (user time, SIGVTALRM) and ITIMER_PROF (user and system time, SIGPROF).
 * Each fires while the process computes, repeats with its interval, and
 * stops when a handler disarms it, as Python's test_signal ItimerTest
 * does; getitimer reads back what is left (and the interval kept);
 * sleeping uses no virtual time; a forked child starts with both
 * disarmed; exec keeps them; bad `which` values are EINVAL.
 */
#define _GNU_SOURCE
#include "check.h"

#include <signal.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

static volatile sig_atomic_t vt_count, prof_count;

static void on_vtalrm(int sig)
{
	(void)sig;
	if (++vt_count == 3) {
		struct itimerval off = {{0, 0}, {0, 0}};
		setitimer(ITIMER_VIRTUAL, &off, NULL);
	}
}

static void on_prof(int sig)
{
	(void)sig;
	prof_count++;
	struct itimerval off = {{0, 0}, {0, 0}};
	setitimer(ITIMER_PROF, &off, NULL);
}

static long long usec(struct timeval tv)
{
	return (long long)tv.tv_sec * 1000000 + tv.tv_usec;
}

static long long cpu_us(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (long long)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

/*
 * Computes until `counter` reaches `target` or `limit_us` of CPU time
 * have been used (a bound in CPU time, not wall time); with_syscalls
 * spends part of it in the kernel.
 */
static volatile unsigned long sink;
static int burn_until(volatile sig_atomic_t *counter, int target, int with_syscalls, long long limit_us)
{
	long long start = cpu_us();
	for (unsigned long i = 0;; i++) {
		sink += i * 2654435761UL;
		if (with_syscalls && (i & 15) == 0)
			syscall(SYS_getppid);
		if ((i & 1023) == 0) {
			if (*counter >= target)
				return 1;
			if (cpu_us() - start > limit_us)
				return 0;
		}
	}
}

int main(int argc, char **argv)
{
	struct itimerval v;
	if (argc > 1 && strcmp(argv[1], "--after-exec") == 0) {
		/* Report what survived the exec: virtual armed, interval 7 s. */
		if (getitimer(ITIMER_VIRTUAL, &v) != 0)
			return 2;
		return v.it_value.tv_sec > 0 && v.it_value.tv_sec <= 100 && usec(v.it_interval) == 7000000 ? 0 : 1;
	}

	CHECK(getitimer(ITIMER_VIRTUAL, &v) == 0 && usec(v.it_value) == 0 && usec(v.it_interval) == 0, "ITIMER_VIRTUAL starts disarmed");
	CHECK(getitimer(ITIMER_PROF, &v) == 0 && usec(v.it_value) == 0, "ITIMER_PROF too");
	CHECK_ERR(getitimer(3, &v), EINVAL, "getitimer of timer 3");
	CHECK_ERR(setitimer(-1, &v, NULL), EINVAL, "setitimer of timer -1");

	/* Reading back: what is left is at most what was set. */
	struct itimerval ten = {{0, 250000}, {10, 0}}, old;
	CHECK_EQ(setitimer(ITIMER_VIRTUAL, &ten, NULL), 0, "arm ITIMER_VIRTUAL for 10 s");
	/* Linux adds one tick (1-10 ms, by HZ) to the value as it arms it. */
	CHECK(getitimer(ITIMER_VIRTUAL, &v) == 0 && usec(v.it_value) > 0 && usec(v.it_value) <= 10020000, "left: %lld us", usec(v.it_value));
	CHECK_EQ(usec(v.it_interval), 250000, "the interval");
	/* A sleep uses no CPU time: nearly all of it is still left. */
	struct timespec nap = {0, 300000000};
	nanosleep(&nap, NULL);
	CHECK(getitimer(ITIMER_VIRTUAL, &v) == 0 && usec(v.it_value) > 9800000, "after sleeping 0.3 s: %lld us left", usec(v.it_value));
	struct itimerval off = {{0, 0}, {0, 0}};
	CHECK_EQ(setitimer(ITIMER_VIRTUAL, &off, &old), 0, "disarm");
	CHECK(usec(old.it_value) > 0 && usec(old.it_value) <= 10020000 && usec(old.it_interval) == 250000, "setitimer returns the old setting");
	CHECK(getitimer(ITIMER_VIRTUAL, &v) == 0 && usec(v.it_value) == 0, "disarmed");

	/* ITIMER_VIRTUAL fires while computing, every interval, until the
	 * handler disarms it (as Python's test_itimer_virtual). */
	signal(SIGVTALRM, on_vtalrm);
	struct itimerval vt = {{0, 20000}, {0, 30000}};
	CHECK_EQ(setitimer(ITIMER_VIRTUAL, &vt, NULL), 0, "ITIMER_VIRTUAL 30 ms, then every 20 ms");
	CHECK(burn_until(&vt_count, 3, 0, 5000000), "SIGVTALRM came three times (%d)", (int)vt_count);
	CHECK(getitimer(ITIMER_VIRTUAL, &v) == 0 && usec(v.it_value) == 0, "the handler disarmed it");
	burn_until(&vt_count, 1000, 0, 200000);
	CHECK_EQ(vt_count, 3, "and it stayed quiet");

	/* ITIMER_PROF counts system time too: a loop of system calls. */
	signal(SIGPROF, on_prof);
	struct itimerval prof = {{0, 0}, {0, 20000}};
	CHECK_EQ(setitimer(ITIMER_PROF, &prof, NULL), 0, "ITIMER_PROF 20 ms");
	CHECK(burn_until(&prof_count, 1, 1, 5000000), "SIGPROF came");
	CHECK(getitimer(ITIMER_PROF, &v) == 0 && usec(v.it_value) == 0, "one-shot: disarmed");

	/* A forked child starts with both disarmed; the parent's stay. */
	struct itimerval long_one = {{7, 0}, {100, 0}};
	CHECK_EQ(setitimer(ITIMER_VIRTUAL, &long_one, NULL), 0, "arm ITIMER_VIRTUAL for 100 s");
	CHECK_EQ(setitimer(ITIMER_PROF, &long_one, NULL), 0, "and ITIMER_PROF");
	pid_t pid = fork();
	if (pid == 0) {
		struct itimerval a, b;
		if (getitimer(ITIMER_VIRTUAL, &a) != 0 || getitimer(ITIMER_PROF, &b) != 0)
			_exit(2);
		_exit(usec(a.it_value) == 0 && usec(b.it_value) == 0 && usec(a.it_interval) == 0 ? 0 : 1);
	}
	CHECK_EQ(check_wait(pid), 0, "the child's timers are disarmed");
	CHECK(getitimer(ITIMER_VIRTUAL, &v) == 0 && usec(v.it_value) > 0, "the parent's is still armed");

	/* exec keeps them. */
	pid = fork();
	if (pid == 0) {
		setitimer(ITIMER_VIRTUAL, &long_one, NULL);
		execl("/proc/self/exe", argv[0], "--after-exec", (char *)NULL);
		_exit(127);
	}
	CHECK_EQ(check_wait(pid), 0, "an exec'd program keeps its ITIMER_VIRTUAL");
	setitimer(ITIMER_VIRTUAL, &off, NULL);
	setitimer(ITIMER_PROF, &off, NULL);
	return check_done();
}
