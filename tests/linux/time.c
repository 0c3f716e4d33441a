/*
 * time.c - clocks, sleeping and timers.
 *
 * clock_gettime MONOTONIC non-decreasing (and BOOTTIME/MONOTONIC_RAW),
 * REALTIME plausible (after 2020-01-01) and consistent with time() and
 * gettimeofday, CLOCK_PROCESS_CPUTIME_ID / CLOCK_THREAD_CPUTIME_ID /
 * clock() / getrusage / times advancing while busy, nanosleep,
 * clock_nanosleep (relative and TIMER_ABSTIME, also in the past), usleep,
 * nanosleep interrupted by a signal (EINTR with the remaining time),
 * setitimer/getitimer,
 * argument errors, clock_getres, POSIX timers (timer_create/settime/
 * gettime/delete) and gmtime_r of fixed timestamps.
 *
 * Only "at least" timing bounds are checked.
 */
#define _GNU_SOURCE
#include "check.h"

#include <signal.h>
#include <stdint.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/times.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static int64_t ns_of(const struct timespec *t)
{
	return (int64_t)t->tv_sec * 1000000000LL + t->tv_nsec;
}

static int64_t now_ns(clockid_t c)
{
	struct timespec t;
	clock_gettime(c, &t);
	return ns_of(&t);
}

static void test_clocks(void)
{
	struct timespec a, b;
	CHECK_EQ(clock_gettime(CLOCK_MONOTONIC, &a), 0, "clock_gettime CLOCK_MONOTONIC");
	CHECK(a.tv_nsec >= 0 && a.tv_nsec < 1000000000, "tv_nsec in range");
	int backwards = 0;
	for (int i = 0; i < 100000; i++) {
		clock_gettime(CLOCK_MONOTONIC, &b);
		if (ns_of(&b) < ns_of(&a))
			backwards++;
		a = b;
	}
	CHECK_EQ(backwards, 0, "CLOCK_MONOTONIC never goes backwards over 100000 reads");

	int64_t m = now_ns(CLOCK_MONOTONIC);
	struct timespec bt;
	CHECK_EQ(clock_gettime(CLOCK_BOOTTIME, &bt), 0, "clock_gettime CLOCK_BOOTTIME");
	CHECK(ns_of(&bt) >= m, "CLOCK_BOOTTIME >= CLOCK_MONOTONIC read just before");
	struct timespec raw1, raw2;
	CHECK_EQ(clock_gettime(CLOCK_MONOTONIC_RAW, &raw1), 0, "clock_gettime CLOCK_MONOTONIC_RAW");
	clock_gettime(CLOCK_MONOTONIC_RAW, &raw2);
	CHECK(ns_of(&raw2) >= ns_of(&raw1), "CLOCK_MONOTONIC_RAW non-decreasing");

	struct timespec rt;
	CHECK_EQ(clock_gettime(CLOCK_REALTIME, &rt), 0, "clock_gettime CLOCK_REALTIME");
	CHECK(rt.tv_sec > 1577836800, "CLOCK_REALTIME is after 2020-01-01 (%lld)", (long long)rt.tv_sec);
	CHECK(rt.tv_sec < 4102444800LL, "CLOCK_REALTIME is before 2100-01-01");
	time_t t1, t2 = 0;
	t1 = time(&t2);
	CHECK_EQ(t1, t2, "time() returns and stores the same value");
	CHECK(t1 >= rt.tv_sec && t1 <= rt.tv_sec + 5, "time() agrees with CLOCK_REALTIME");
	struct timeval tv;
	CHECK_EQ(gettimeofday(&tv, NULL), 0, "gettimeofday");
	CHECK(tv.tv_usec >= 0 && tv.tv_usec < 1000000, "gettimeofday tv_usec in range");
	CHECK(tv.tv_sec >= rt.tv_sec && tv.tv_sec <= rt.tv_sec + 5, "gettimeofday agrees with CLOCK_REALTIME");

	CHECK_ERR(clock_gettime((clockid_t)12345, &a), EINVAL, "clock_gettime of an invalid clock is EINVAL");

	struct timespec res;
	CHECK_EQ(clock_getres(CLOCK_MONOTONIC, &res), 0, "clock_getres CLOCK_MONOTONIC");
	CHECK(res.tv_sec == 0 && res.tv_nsec > 0, "MONOTONIC resolution is positive and below 1 s (%ld ns)", res.tv_nsec);
	CHECK_EQ(clock_getres(CLOCK_REALTIME, &res), 0, "clock_getres CLOCK_REALTIME");
	CHECK(res.tv_sec == 0 && res.tv_nsec > 0, "REALTIME resolution is positive and below 1 s (%ld ns)", res.tv_nsec);
	CHECK_EQ(clock_getres(CLOCK_PROCESS_CPUTIME_ID, &res), 0, "clock_getres CLOCK_PROCESS_CPUTIME_ID");
	CHECK_EQ(clock_getres(CLOCK_MONOTONIC, NULL), 0, "clock_getres with NULL res is allowed");
}

static volatile uint64_t spin_sink;

static void test_cputime(void)
{
	struct timespec c0, c1, th0, th1;
	struct rusage ru0, ru1;
	struct tms tm0, tm1;
	/* Read every clock before printing anything: output to a slow console
	 * takes CPU time that the wall-clock interval would not include. */
	int64_t wall0 = now_ns(CLOCK_MONOTONIC);
	int rc_c0 = clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &c0);
	int rc_th0 = clock_gettime(CLOCK_THREAD_CPUTIME_ID, &th0);
	getrusage(RUSAGE_SELF, &ru0);
	clock_t k0 = clock();
	times(&tm0);
	CHECK_EQ(rc_c0, 0, "clock_gettime CLOCK_PROCESS_CPUTIME_ID");
	CHECK_EQ(rc_th0, 0, "clock_gettime CLOCK_THREAD_CPUTIME_ID");
	/* spin until 50 ms of CPU time are used (give up after 20 s of wall time) */
	uint64_t x = 1;
	do {
		for (int i = 0; i < 100000; i++)
			x = x * 6364136223846793005ULL + 1442695040888963407ULL;
		spin_sink = x;
		clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &c1);
	} while (ns_of(&c1) - ns_of(&c0) < 50000000 && now_ns(CLOCK_MONOTONIC) - wall0 < 20000000000LL);
	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &th1);
	getrusage(RUSAGE_SELF, &ru1);
	clock_t k1 = clock();
	times(&tm1);
	int64_t wall1 = now_ns(CLOCK_MONOTONIC);
	int64_t cpu = ns_of(&c1) - ns_of(&c0);
	CHECK(cpu >= 50000000, "process CPU time advanced by at least 50 ms while spinning (%lld ns)", (long long)cpu);
	CHECK(wall1 - wall0 >= cpu - 1000000, "wall time elapsed is at least the CPU time used (single thread)");
	CHECK(ns_of(&th1) - ns_of(&th0) >= 40000000, "thread CPU time advanced too (%lld ns)",
	      (long long)(ns_of(&th1) - ns_of(&th0)));
	long ru_us = (ru1.ru_utime.tv_sec - ru0.ru_utime.tv_sec) * 1000000L + (ru1.ru_utime.tv_usec - ru0.ru_utime.tv_usec) +
		     (ru1.ru_stime.tv_sec - ru0.ru_stime.tv_sec) * 1000000L + (ru1.ru_stime.tv_usec - ru0.ru_stime.tv_usec);
	CHECK(ru_us >= 30000, "getrusage user+system time advanced (%ld us)", ru_us);
	CHECK(k1 != (clock_t)-1 && k1 - k0 >= 30000, "clock() advanced by at least 30 ms (%ld us)", (long)(k1 - k0));
	CHECK((tm1.tms_utime + tm1.tms_stime) - (tm0.tms_utime + tm0.tms_stime) >= 2,
	      "times() user+system ticks advanced");
}

static void test_sleeps(void)
{
	struct timespec req = {0, 10000000}, rem = {7, 7};
	int64_t t0 = now_ns(CLOCK_MONOTONIC);
	CHECK_EQ(nanosleep(&req, &rem), 0, "nanosleep 10 ms");
	int64_t d = now_ns(CLOCK_MONOTONIC) - t0;
	CHECK(d >= 10000000, "nanosleep slept at least 10 ms (%lld ns)", (long long)d);

	t0 = now_ns(CLOCK_MONOTONIC);
	req.tv_nsec = 15000000;
	CHECK_EQ(clock_nanosleep(CLOCK_MONOTONIC, 0, &req, NULL), 0, "clock_nanosleep relative 15 ms");
	d = now_ns(CLOCK_MONOTONIC) - t0;
	CHECK(d >= 15000000, "clock_nanosleep slept at least 15 ms (%lld ns)", (long long)d);

	struct timespec target;
	clock_gettime(CLOCK_MONOTONIC, &target);
	target.tv_nsec += 20000000;
	if (target.tv_nsec >= 1000000000) {
		target.tv_sec++;
		target.tv_nsec -= 1000000000;
	}
	CHECK_EQ(clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &target, NULL), 0, "clock_nanosleep TIMER_ABSTIME +20 ms");
	CHECK(now_ns(CLOCK_MONOTONIC) >= ns_of(&target), "woke no earlier than the absolute deadline");

	clock_gettime(CLOCK_REALTIME, &target);
	target.tv_nsec += 10000000;
	if (target.tv_nsec >= 1000000000) {
		target.tv_sec++;
		target.tv_nsec -= 1000000000;
	}
	CHECK_EQ(clock_nanosleep(CLOCK_REALTIME, TIMER_ABSTIME, &target, NULL), 0, "clock_nanosleep REALTIME TIMER_ABSTIME");
	CHECK(now_ns(CLOCK_REALTIME) >= ns_of(&target), "REALTIME absolute deadline reached");

	struct timespec past = {1, 0};
	t0 = now_ns(CLOCK_MONOTONIC);
	CHECK_EQ(clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &past, NULL), 0, "TIMER_ABSTIME in the past returns at once");

	t0 = now_ns(CLOCK_MONOTONIC);
	CHECK_EQ(usleep(12000), 0, "usleep 12 ms");
	d = now_ns(CLOCK_MONOTONIC) - t0;
	CHECK(d >= 12000000, "usleep slept at least 12 ms (%lld ns)", (long long)d);

	struct timespec zero = {0, 0};
	CHECK_EQ(nanosleep(&zero, NULL), 0, "nanosleep 0 returns 0");
	struct timespec bad = {0, 1000000000};
	CHECK_ERR(nanosleep(&bad, NULL), EINVAL, "nanosleep with tv_nsec = 1e9 is EINVAL");
	struct timespec neg = {-1, 0};
	CHECK_ERR(nanosleep(&neg, NULL), EINVAL, "nanosleep with negative tv_sec is EINVAL");
	/* clock_nanosleep returns the error number instead of setting errno */
	CHECK_EQ(clock_nanosleep(CLOCK_MONOTONIC, 0, &bad, NULL), EINVAL, "clock_nanosleep bad tv_nsec returns EINVAL");
}

static volatile sig_atomic_t alarms;
static void on_alarm(int sig)
{
	(void)sig;
	alarms++;
}

static void test_interrupted_sleep(void)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_alarm;
	sigaction(SIGALRM, &sa, NULL);

	/* a child keeps sending SIGALRM until killed, so the sleep is
	 * interrupted no matter how the two processes are scheduled */
	alarms = 0;
	pid_t parent = getpid();
	pid_t pid = fork();
	if (pid == 0) {
		for (int i = 0; i < 2000; i++) {
			usleep(5000);
			if (kill(parent, SIGALRM) < 0)
				break;
		}
		_exit(0);
	}
	struct timespec req = {5, 0}, rem = {0, 0};
	int64_t t0 = now_ns(CLOCK_MONOTONIC);
	int r = nanosleep(&req, &rem);
	int e = errno;
	int64_t d = now_ns(CLOCK_MONOTONIC) - t0;
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
	CHECK(r == -1 && e == EINTR, "nanosleep interrupted by SIGALRM fails with EINTR");
	CHECK(alarms >= 1, "the SIGALRM handler ran");
	CHECK(ns_of(&rem) > 0 && ns_of(&rem) <= ns_of(&req), "remaining time is filled in (%lld ns)", (long long)ns_of(&rem));
	CHECK(ns_of(&rem) + d >= ns_of(&req) - 50000000, "elapsed + remaining is about the request");

	/* one-shot ITIMER_REAL */
	sigset_t block, old;
	sigemptyset(&block);
	sigaddset(&block, SIGALRM);
	sigprocmask(SIG_BLOCK, &block, &old);
	alarms = 0;
	struct itimerval it = {{0, 0}, {0, 20000}}, q;
	t0 = now_ns(CLOCK_MONOTONIC);
	CHECK_EQ(setitimer(ITIMER_REAL, &it, NULL), 0, "setitimer ITIMER_REAL 20 ms one-shot");
	CHECK_EQ(getitimer(ITIMER_REAL, &q), 0, "getitimer");
	CHECK(q.it_value.tv_sec == 0 && q.it_value.tv_usec > 0 && q.it_value.tv_usec <= 20000,
	      "armed itimer shows the time left (%ld us)", (long)q.it_value.tv_usec);
	while (alarms == 0)
		sigsuspend(&old);
	d = now_ns(CLOCK_MONOTONIC) - t0;
	sigprocmask(SIG_SETMASK, &old, NULL);
	CHECK(d >= 20000000, "itimer fired no earlier than 20 ms (%lld ns)", (long long)d);
	getitimer(ITIMER_REAL, &q);
	CHECK(q.it_value.tv_sec == 0 && q.it_value.tv_usec == 0, "one-shot itimer is disarmed after firing");
	signal(SIGALRM, SIG_DFL);
}

static void test_posix_timer(void)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_alarm;
	sigaction(SIGUSR1, &sa, NULL);
	struct sigevent sev;
	memset(&sev, 0, sizeof sev);
	sev.sigev_notify = SIGEV_SIGNAL;
	sev.sigev_signo = SIGUSR1;
	timer_t tid;
	CHECK_EQ(timer_create(CLOCK_MONOTONIC, &sev, &tid), 0, "timer_create CLOCK_MONOTONIC SIGEV_SIGNAL");
	sigset_t block, old;
	sigemptyset(&block);
	sigaddset(&block, SIGUSR1);
	sigprocmask(SIG_BLOCK, &block, &old);
	alarms = 0;
	struct itimerspec its = {{0, 0}, {0, 30000000}}, cur;
	int64_t t0 = now_ns(CLOCK_MONOTONIC);
	CHECK_EQ(timer_settime(tid, 0, &its, NULL), 0, "timer_settime 30 ms one-shot");
	CHECK_EQ(timer_gettime(tid, &cur), 0, "timer_gettime");
	CHECK(ns_of(&cur.it_value) > 0 && ns_of(&cur.it_value) <= 30000000, "armed timer shows remaining time");
	while (alarms == 0)
		sigsuspend(&old);
	int64_t d = now_ns(CLOCK_MONOTONIC) - t0;
	sigprocmask(SIG_SETMASK, &old, NULL);
	CHECK(d >= 30000000, "timer signal arrived no earlier than 30 ms (%lld ns)", (long long)d);
	timer_gettime(tid, &cur);
	CHECK(ns_of(&cur.it_value) == 0, "expired one-shot timer shows zero");
	CHECK_EQ(timer_delete(tid), 0, "timer_delete");
	signal(SIGUSR1, SIG_DFL);
}

static volatile sig_atomic_t cpu_timer_fired;
static void on_cpu_timer(int sig)
{
	(void)sig;
	cpu_timer_fired = 1;
}

/* A POSIX timer on the process's CPU clock fires only after that much CPU
 * time is used (a busy loop), not after that much time passes asleep. */
static void test_cpu_clock_timers(void)
{
	signal(SIGUSR2, on_cpu_timer);
	clockid_t clocks[] = { CLOCK_PROCESS_CPUTIME_ID, CLOCK_THREAD_CPUTIME_ID };
	const char *names[] = { "CLOCK_PROCESS_CPUTIME_ID", "CLOCK_THREAD_CPUTIME_ID" };
	for (int i = 0; i < 2; i++) {
		struct sigevent sev;
		memset(&sev, 0, sizeof sev);
		sev.sigev_notify = SIGEV_SIGNAL;
		sev.sigev_signo = SIGUSR2;
		timer_t tid;
		if (!CHECK_EQ(timer_create(clocks[i], &sev, &tid), 0, "timer_create(%s)", names[i]))
			continue;
		cpu_timer_fired = 0;
		struct itimerspec its = {{0, 0}, {0, 50000000}}, cur;
		struct timespec c0, c1;
		clock_gettime(clocks[i], &c0);
		CHECK_EQ(timer_settime(tid, 0, &its, NULL), 0, "timer_settime(%s) 50 ms of CPU time", names[i]);
		struct timespec nap = {0, 100000000};
		nanosleep(&nap, NULL);
		CHECK(!cpu_timer_fired, "%s timer did not fire while asleep for 100 ms", names[i]);
		CHECK_EQ(timer_gettime(tid, &cur), 0, "timer_gettime(%s)", names[i]);
		CHECK(ns_of(&cur.it_value) > 0 && ns_of(&cur.it_value) <= 50000000, "%s timer still armed after sleeping (%lld ns left)",
		      names[i], (long long)ns_of(&cur.it_value));
		while (!cpu_timer_fired) {
			clock_gettime(clocks[i], &c1);
			if (ns_of(&c1) - ns_of(&c0) > 5000000000LL)
				break;
		}
		clock_gettime(clocks[i], &c1);
		CHECK(cpu_timer_fired, "%s timer fired while spinning", names[i]);
		CHECK(ns_of(&c1) - ns_of(&c0) >= 50000000, "%s timer fired no earlier than 50 ms of CPU time (%lld ns)", names[i],
		      (long long)(ns_of(&c1) - ns_of(&c0)));
		CHECK_EQ(timer_delete(tid), 0, "timer_delete(%s)", names[i]);
	}
	signal(SIGUSR2, SIG_DFL);
}

/* Overruns: a timer whose signal stays pending (blocked) keeps one signal
 * and counts the expiries it could not signal; delivery hands the count to
 * timer_getoverrun (a real-time signal queued once per expiry instead would
 * arrive with an overrun of 0). */
static void test_timer_overrun(void)
{
	struct sigevent sev;
	memset(&sev, 0, sizeof sev);
	sev.sigev_notify = SIGEV_SIGNAL;
	sev.sigev_signo = SIGRTMIN;
	timer_t tid;
	CHECK_EQ(timer_create(CLOCK_MONOTONIC, &sev, &tid), 0, "timer_create for overruns");
	sigset_t set;
	sigemptyset(&set);
	sigaddset(&set, SIGRTMIN);
	sigprocmask(SIG_BLOCK, &set, NULL);
	struct itimerspec its = {{0, 10000000}, {0, 10000000}};
	CHECK_EQ(timer_settime(tid, 0, &its, NULL), 0, "timer_settime every 10 ms");
	struct timespec nap = {0, 205000000};
	nanosleep(&nap, NULL);
	struct timespec zero = {0, 0};
	siginfo_t info;
	CHECK_EQ(sigtimedwait(&set, &info, &zero), SIGRTMIN, "one timer signal is pending");
	CHECK(info.si_code == SI_TIMER, "its si_code is SI_TIMER (%d)", info.si_code);
	int over = timer_getoverrun(tid);
	CHECK(over >= 19, "timer_getoverrun counts the expiries not signalled (%d, at least 19 in 205 ms)", over);
	CHECK(info.si_overrun == over, "si_overrun agrees (%d, %d)", info.si_overrun, over);
	memset(&its, 0, sizeof its);
	timer_settime(tid, 0, &its, NULL);
	/* The timer kept running until now: an expiry after the sigtimedwait
	 * above may have queued another signal, whose default action would
	 * end the program once unblocked. Disarmed, nothing more comes. */
	sigtimedwait(&set, &info, &zero);
	sigprocmask(SIG_UNBLOCK, &set, NULL);
	CHECK_EQ(timer_delete(tid), 0, "timer_delete");
}

/* sigevent's thread id sits after value, signo and notify (offset 16) in
 * the kernel's layout; not every C library names the field. */
static void set_notify_thread(struct sigevent *sev, int tid)
{
	memcpy((char *)sev + 16, &tid, sizeof tid);
}

/* The kernel side of timer_create's notification kinds, as Linux checks
 * them (raw system calls: the C library handles SIGEV_THREAD itself). */
static void test_timer_arguments(void)
{
	struct sigevent sev;
	memset(&sev, 0, sizeof sev);
	int id;
	sev.sigev_notify = SIGEV_THREAD;
	sev.sigev_signo = SIGUSR1;
	CHECK_EQ(syscall(SYS_timer_create, CLOCK_MONOTONIC, &sev, &id), 0, "raw timer_create with SIGEV_THREAD is accepted");
	syscall(SYS_timer_delete, id);
	sev.sigev_notify = SIGEV_SIGNAL;
	sev.sigev_signo = 0;
	CHECK_ERR(syscall(SYS_timer_create, CLOCK_MONOTONIC, &sev, &id), EINVAL, "SIGEV_SIGNAL with signal 0 is EINVAL");
	sev.sigev_notify = SIGEV_THREAD_ID;
	sev.sigev_signo = SIGUSR1;
	pid_t child = fork();
	if (child == 0) {
		pause();
		_exit(0);
	}
	set_notify_thread(&sev, child);
	CHECK_ERR(syscall(SYS_timer_create, CLOCK_MONOTONIC, &sev, &id), EINVAL, "SIGEV_THREAD_ID naming another process's thread is EINVAL");
	kill(child, SIGKILL);
	waitpid(child, NULL, 0);
	set_notify_thread(&sev, (int)syscall(SYS_gettid));
	CHECK_EQ(syscall(SYS_timer_create, CLOCK_MONOTONIC, &sev, &id), 0, "SIGEV_THREAD_ID naming this thread");
	CHECK_ERR(syscall(SYS_timer_settime, id, 0, NULL, NULL), EINVAL, "timer_settime with no new value is EINVAL");
	syscall(SYS_timer_delete, id);
}

static void test_calendar(void)
{
	struct tm tm;
	time_t t = 0;
	CHECK(gmtime_r(&t, &tm) != NULL && tm.tm_year == 70 && tm.tm_mon == 0 && tm.tm_mday == 1 && tm.tm_hour == 0,
	      "gmtime_r(0) is 1970-01-01 00:00");
	t = 1234567890;
	gmtime_r(&t, &tm);
	CHECK(tm.tm_year == 109 && tm.tm_mon == 1 && tm.tm_mday == 13 && tm.tm_hour == 23 && tm.tm_min == 31 &&
		      tm.tm_sec == 30 && tm.tm_wday == 5,
	      "gmtime_r(1234567890) is Fri 2009-02-13 23:31:30");
	CHECK_EQ(timegm(&tm), 1234567890, "timegm inverts gmtime_r");
}

int main(void)
{
	test_clocks();
	test_cputime();
	test_sleeps();
	test_interrupted_sleep();
	test_posix_timer();
	test_cpu_clock_timers();
	test_timer_overrun();
	test_timer_arguments();
	test_calendar();
	return check_done();
}
