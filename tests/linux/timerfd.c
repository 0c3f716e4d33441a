/*
 * timerfd.c - timerfd_create, timerfd_settime, timerfd_gettime: timers read
 * as an 8-byte expiration count.
 *
 * CLOCK_MONOTONIC, CLOCK_REALTIME and CLOCK_BOOTTIME; relative and
 * TFD_TIMER_ABSTIME first expiries (also in the past); periodic timers
 * counting every period missed; gettime's time left and interval; the old
 * setting settime returns; disarming with zero (which drops unread
 * expirations); reads that block until an expiry (never earlier), EAGAIN
 * without one, EINVAL below 8 bytes; poll and epoll readiness; a blocked
 * read interrupted by a handled signal; a fork child sharing the timer;
 * TFD_NONBLOCK/TFD_CLOEXEC; and the argument errors. Only lower bounds of
 * time are checked (a timer never fires early), never upper ones.
 */
#define _GNU_SOURCE
#include "check.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/syscall.h>
#include <sys/timerfd.h>
#include <time.h>

#define MS (1000 * 1000LL)

static long long now_ns(clockid_t c)
{
	struct timespec t;
	clock_gettime(c, &t);
	return t.tv_sec * 1000000000LL + t.tv_nsec;
}

static long long ts_ns(struct timespec t)
{
	return t.tv_sec * 1000000000LL + t.tv_nsec;
}

static struct itimerspec its(long long value_ns, long long interval_ns)
{
	struct itimerspec i;
	i.it_value.tv_sec = value_ns / 1000000000LL;
	i.it_value.tv_nsec = value_ns % 1000000000LL;
	i.it_interval.tv_sec = interval_ns / 1000000000LL;
	i.it_interval.tv_nsec = interval_ns % 1000000000LL;
	return i;
}

static void sleep_ns(long long ns)
{
	struct timespec t = {ns / 1000000000LL, ns % 1000000000LL};
	while (nanosleep(&t, &t) != 0 && errno == EINTR)
		;
}

static volatile sig_atomic_t alarms;

static void on_alarm(int sig)
{
	(void)sig;
	alarms++;
}

static void test_one_shot(void)
{
	int fd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
	CHECK(fd >= 0, "timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC)");
	CHECK(fcntl(fd, F_GETFD) & FD_CLOEXEC, "TFD_CLOEXEC sets close-on-exec");
	CHECK(fcntl(fd, F_GETFL) & O_NONBLOCK, "TFD_NONBLOCK sets O_NONBLOCK");
	uint64_t n = 0;
	CHECK_ERR(read(fd, &n, 8), EAGAIN, "an unarmed timer: EAGAIN");
	CHECK_ERR(read(fd, &n, 7), EINVAL, "a 7-byte buffer: EINVAL");
	CHECK_ERR(read(fd, &n, 0), EINVAL, "a 0-byte read: EINVAL");
	CHECK_ERR(write(fd, &n, 8), EINVAL, "write to a timerfd: EINVAL");
	struct itimerspec cur;
	memset(&cur, 0xff, sizeof cur);
	CHECK_EQ(timerfd_gettime(fd, &cur), 0, "gettime of an unarmed timer");
	CHECK(ts_ns(cur.it_value) == 0 && ts_ns(cur.it_interval) == 0, "reads as all zero");

	struct itimerspec set = its(30 * MS, 0);
	long long start = now_ns(CLOCK_MONOTONIC);
	CHECK_EQ(timerfd_settime(fd, 0, &set, NULL), 0, "settime 30 ms one-shot");
	timerfd_gettime(fd, &cur);
	CHECK(ts_ns(cur.it_value) > 0 && ts_ns(cur.it_value) <= 30 * MS, "gettime: time left in (0, 30 ms] (%lld ns)", ts_ns(cur.it_value));
	CHECK_EQ(ts_ns(cur.it_interval), 0, "gettime: no interval");
	struct pollfd p = {fd, POLLIN, 0};
	CHECK_EQ(poll(&p, 1, -1), 1, "poll sleeps until the expiry");
	long long waited = now_ns(CLOCK_MONOTONIC) - start;
	CHECK(waited >= 30 * MS, "not before 30 ms (%lld ns)", waited);
	CHECK_EQ(p.revents, POLLIN, "POLLIN");
	CHECK_EQ(read(fd, &n, sizeof n), 8, "read takes 8 bytes");
	CHECK_EQ(n, 1, "one expiration");
	CHECK_ERR(read(fd, &n, 8), EAGAIN, "then nothing");
	p.revents = 0;
	CHECK_EQ(poll(&p, 1, 0), 0, "and not readable");
	timerfd_gettime(fd, &cur);
	CHECK(ts_ns(cur.it_value) == 0 && ts_ns(cur.it_interval) == 0, "a one-shot timer is disarmed after it fired");

	/* Blocking read. */
	int b = timerfd_create(CLOCK_MONOTONIC, 0);
	CHECK_EQ(fcntl(b, F_GETFL) & O_NONBLOCK, 0, "without TFD_NONBLOCK: blocking");
	CHECK_EQ(fcntl(b, F_GETFD) & FD_CLOEXEC, 0, "without TFD_CLOEXEC: inherited by exec");
	set = its(20 * MS, 0);
	start = now_ns(CLOCK_MONOTONIC);
	timerfd_settime(b, 0, &set, NULL);
	uint64_t two[2] = {0, 0};
	CHECK_EQ(read(b, two, sizeof two), 8, "a blocking read waits for the expiry (a 16-byte buffer gets 8)");
	waited = now_ns(CLOCK_MONOTONIC) - start;
	CHECK_EQ(two[0], 1, "one expiration");
	CHECK(waited >= 20 * MS, "not before 20 ms (%lld ns)", waited);

	char link[64] = {0}, path[64];
	snprintf(path, sizeof path, "/proc/self/fd/%d", b);
	CHECK(readlink(path, link, sizeof link - 1) > 0, "readlink of the timerfd");
	CHECK_STR(link, "anon_inode:[timerfd]", "timerfd's /proc/self/fd link");

	/* A handled signal interrupts a blocked read. */
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_alarm;
	sigaction(SIGALRM, &sa, NULL);
	set = its(3600LL * 1000 * MS, 0);
	timerfd_settime(b, 0, &set, NULL);
	pid_t parent = getpid();
	pid_t pid = fork();
	if (pid == 0) {
		for (;;) {
			kill(parent, SIGALRM);
			sleep_ns(2 * MS);
		}
	}
	errno = 0;
	ssize_t r = read(b, &n, 8);
	int e = errno;
	kill(pid, SIGKILL);
	check_wait(pid);
	CHECK(r == -1 && e == EINTR, "a handled signal interrupts the blocked read: EINTR (got %zd errno %d)", r, e);
	CHECK(alarms > 0, "the handler ran");
	signal(SIGALRM, SIG_DFL);
	close(b);
	close(fd);
}

static void test_periodic(void)
{
	int fd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK);
	struct itimerspec set = its(10 * MS, 10 * MS), old, cur;
	long long start = now_ns(CLOCK_MONOTONIC);
	CHECK_EQ(timerfd_settime(fd, 0, &set, NULL), 0, "settime 10 ms, every 10 ms");
	sleep_ns(55 * MS);
	uint64_t n = 0;
	CHECK_EQ(read(fd, &n, 8), 8, "read after 55 ms");
	/* The clock after the read bounds what it can have counted (a busy
	 * host may delay us between the sleep and the read). */
	long long elapsed = now_ns(CLOCK_MONOTONIC) - start;
	CHECK((long long)n >= 5 && (long long)n <= elapsed / (10 * MS), "every period counts: %llu expirations in %lld ns (at least 5)", (unsigned long long)n, elapsed);
	timerfd_gettime(fd, &cur);
	CHECK_EQ(ts_ns(cur.it_interval), 10 * MS, "gettime: the interval");
	CHECK(ts_ns(cur.it_value) > 0 && ts_ns(cur.it_value) <= 10 * MS, "gettime: the time to the next period (%lld ns)", ts_ns(cur.it_value));

	int ep = epoll_create1(0);
	struct epoll_event ev = {.events = EPOLLIN, .data.u64 = 9}, out;
	CHECK_EQ(epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev), 0, "epoll_ctl ADD a timerfd");
	CHECK_EQ(epoll_wait(ep, &out, 1, -1), 1, "epoll_wait sleeps until the next period");
	CHECK(out.events == EPOLLIN && out.data.u64 == 9, "EPOLLIN with its data");
	CHECK_EQ(read(fd, &n, 8), 8, "read");
	CHECK(n >= 1, "at least one more expiration");

	/* Disarm: the old setting comes back, unread expirations are dropped. */
	sleep_ns(25 * MS);
	set = its(0, 0);
	memset(&old, 0, sizeof old);
	CHECK_EQ(timerfd_settime(fd, 0, &set, &old), 0, "settime zero disarms");
	CHECK_EQ(ts_ns(old.it_interval), 10 * MS, "the old interval");
	CHECK(ts_ns(old.it_value) > 0 && ts_ns(old.it_value) <= 10 * MS, "the old time left (%lld ns)", ts_ns(old.it_value));
	CHECK_ERR(read(fd, &n, 8), EAGAIN, "expirations not read before settime are gone");
	timerfd_gettime(fd, &cur);
	CHECK_EQ(ts_ns(cur.it_value), 0, "disarmed");
	CHECK_EQ(epoll_wait(ep, &out, 1, 0), 0, "epoll: not readable");

	/* An interval alone arms nothing, but gettime shows it. */
	set = its(0, 5 * MS);
	timerfd_settime(fd, 0, &set, NULL);
	timerfd_gettime(fd, &cur);
	CHECK(ts_ns(cur.it_value) == 0 && ts_ns(cur.it_interval) == 5 * MS, "value 0 with an interval: disarmed, interval kept (%lld, %lld)", ts_ns(cur.it_value), ts_ns(cur.it_interval));
	sleep_ns(15 * MS);
	CHECK_ERR(read(fd, &n, 8), EAGAIN, "and it never fires");

	/* Re-arming replaces the setting. */
	set = its(3600LL * 1000 * MS, 0);
	timerfd_settime(fd, 0, &set, NULL);
	set = its(5 * MS, 0);
	CHECK_EQ(timerfd_settime(fd, 0, &set, &old), 0, "re-arm");
	CHECK(ts_ns(old.it_value) > 3500LL * 1000 * MS, "the old setting: about an hour left");
	struct pollfd p = {fd, POLLIN, 0};
	CHECK_EQ(poll(&p, 1, -1), 1, "the new setting fires");
	close(ep);
	close(fd);
}

static void test_absolute_and_clocks(void)
{
	int fd = timerfd_create(CLOCK_MONOTONIC, 0);
	long long target = now_ns(CLOCK_MONOTONIC) + 20 * MS;
	struct itimerspec set = its(target, 0), cur;
	CHECK_EQ(timerfd_settime(fd, TFD_TIMER_ABSTIME, &set, NULL), 0, "TFD_TIMER_ABSTIME on CLOCK_MONOTONIC");
	timerfd_gettime(fd, &cur);
	CHECK(ts_ns(cur.it_value) > 0 && ts_ns(cur.it_value) <= 20 * MS, "gettime answers relative time left (%lld ns)", ts_ns(cur.it_value));
	uint64_t n = 0;
	CHECK_EQ(read(fd, &n, 8), 8, "read blocks until the absolute time");
	CHECK(now_ns(CLOCK_MONOTONIC) >= target, "not before it");
	CHECK_EQ(n, 1, "one expiration");

	set = its(now_ns(CLOCK_MONOTONIC) - 50 * MS, 0);
	CHECK_EQ(timerfd_settime(fd, TFD_TIMER_ABSTIME, &set, NULL), 0, "an absolute time in the past");
	CHECK_EQ(read(fd, &n, 8), 8, "expires at once");
	CHECK_EQ(n, 1, "once");

	set = its(now_ns(CLOCK_MONOTONIC) - 55 * MS, 10 * MS);
	timerfd_settime(fd, TFD_TIMER_ABSTIME, &set, NULL);
	CHECK_EQ(read(fd, &n, 8), 8, "a periodic timer started 55 ms ago");
	CHECK(n >= 6, "counts the periods already past (%llu, at least 6)", (unsigned long long)n);
	close(fd);

	int rt = timerfd_create(CLOCK_REALTIME, 0);
	CHECK(rt >= 0, "timerfd_create(CLOCK_REALTIME)");
	target = now_ns(CLOCK_REALTIME) + 30 * MS;
	set = its(target, 0);
	CHECK_EQ(timerfd_settime(rt, TFD_TIMER_ABSTIME, &set, NULL), 0, "an absolute wall-clock time");
	CHECK_EQ(read(rt, &n, 8), 8, "read blocks until it");
	CHECK(now_ns(CLOCK_REALTIME) >= target, "not before it on the wall clock");
	set = its(now_ns(CLOCK_REALTIME) + 3600LL * 1000 * MS, 0);
	CHECK_EQ(timerfd_settime(rt, TFD_TIMER_ABSTIME | TFD_TIMER_CANCEL_ON_SET, &set, NULL), 0, "TFD_TIMER_CANCEL_ON_SET is accepted");
	set = its(10 * MS, 0);
	long long start = now_ns(CLOCK_MONOTONIC);
	timerfd_settime(rt, 0, &set, NULL);
	CHECK_EQ(read(rt, &n, 8), 8, "CLOCK_REALTIME relative");
	CHECK(now_ns(CLOCK_MONOTONIC) - start >= 10 * MS, "not before 10 ms");
	close(rt);

	int bt = timerfd_create(CLOCK_BOOTTIME, TFD_NONBLOCK);
	CHECK(bt >= 0, "timerfd_create(CLOCK_BOOTTIME)");
	set = its(10 * MS, 0);
	timerfd_settime(bt, 0, &set, NULL);
	struct pollfd p = {bt, POLLIN, 0};
	CHECK_EQ(poll(&p, 1, -1), 1, "CLOCK_BOOTTIME fires");
	CHECK_EQ(read(bt, &n, 8), 8, "read");

	/* A fork child shares the open timer. */
	set = its(20 * MS, 0);
	timerfd_settime(bt, 0, &set, NULL);
	pid_t pid = fork();
	if (pid == 0) {
		struct pollfd q = {bt, POLLIN, 0};
		uint64_t c = 0;
		if (poll(&q, 1, -1) != 1 || read(bt, &c, 8) != 8)
			_exit(1);
		_exit(c == 1 ? 0 : 2);
	}
	CHECK_EQ(check_wait(pid), 0, "a fork child reads the expiration of the shared timer");
	CHECK_ERR(read(bt, &n, 8), EAGAIN, "which the child took");
	close(bt);
}

static void test_errors(void)
{
	CHECK_ERR(timerfd_create(CLOCK_PROCESS_CPUTIME_ID, 0), EINVAL, "CLOCK_PROCESS_CPUTIME_ID: EINVAL");
	CHECK_ERR(timerfd_create(CLOCK_MONOTONIC_RAW, 0), EINVAL, "CLOCK_MONOTONIC_RAW: EINVAL");
	CHECK_ERR(timerfd_create(77, 0), EINVAL, "an unknown clock: EINVAL");
	CHECK_ERR(timerfd_create(CLOCK_MONOTONIC, O_CREAT), EINVAL, "an unknown flag: EINVAL");
	int fd = timerfd_create(CLOCK_MONOTONIC, 0);
	struct itimerspec set = its(10 * MS, 0), cur;
	CHECK_ERR(timerfd_settime(fd, 4, &set, NULL), EINVAL, "settime with an unknown flag: EINVAL");
	set.it_value.tv_nsec = 1000000000;
	CHECK_ERR(timerfd_settime(fd, 0, &set, NULL), EINVAL, "tv_nsec of a second: EINVAL");
	set = its(10 * MS, 0);
	set.it_interval.tv_sec = -1;
	CHECK_ERR(timerfd_settime(fd, 0, &set, NULL), EINVAL, "a negative interval: EINVAL");
	set = its(10 * MS, 0);
	CHECK_ERR(syscall(SYS_timerfd_settime, fd, 0, (void *)8, NULL), EFAULT, "an unreadable setting: EFAULT");
	int e = eventfd(0, 0);
	CHECK_ERR(timerfd_settime(e, 0, &set, NULL), EINVAL, "settime on an eventfd: EINVAL");
	CHECK_ERR(timerfd_gettime(e, &cur), EINVAL, "gettime on an eventfd: EINVAL");
	close(e);
	CHECK_ERR(timerfd_settime(e, 0, &set, NULL), EBADF, "settime on a closed descriptor: EBADF");
	CHECK_ERR(timerfd_gettime(e, &cur), EBADF, "gettime on a closed descriptor: EBADF");
	close(fd);
}

int main(void)
{
	test_one_shot();
	test_periodic();
	test_absolute_and_clocks();
	test_errors();
	return check_done();
}
