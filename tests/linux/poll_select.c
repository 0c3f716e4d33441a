/*
 * poll_select.c - readiness notification.
 *
 * poll on pipe read/write ends (timeout 0, small timeouts, blocking until
 * another process writes), POLLHUP when the writer closes, POLLERR on a
 * write end without readers, POLLNVAL on a closed fd, negative fds
 * ignored, several fds at once, poll with no fds as a sleep; select and
 * pselect (pselect6) with fd_sets, timeouts and a signal mask; ppoll with
 * a timeout and a signal mask; regular files and /dev/null always ready;
 * and a short epoll round trip.
 */
#define _GNU_SOURCE
#include "check.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/select.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static int64_t now_ns(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (int64_t)t.tv_sec * 1000000000LL + t.tv_nsec;
}

static void reap(pid_t pid)
{
	while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
		;
}

/* child writes one byte to fd after delay_us and exits */
static pid_t delayed_write(int fd, int delay_us)
{
	pid_t pid = fork();
	if (pid == 0) {
		usleep(delay_us);
		write(fd, "d", 1);
		_exit(0);
	}
	return pid;
}

static void test_poll_pipe(void)
{
	int p[2];
	pipe(p);
	struct pollfd fds[2] = {{p[0], POLLIN, 0}, {p[1], POLLOUT, 0}};
	CHECK_EQ(poll(fds, 1, 0), 0, "poll timeout 0 on an empty pipe returns 0");
	CHECK_EQ(fds[0].revents, 0, "no revents on an empty pipe");
	CHECK_EQ(poll(&fds[1], 1, 0), 1, "write end of an empty pipe is ready");
	CHECK_EQ(fds[1].revents, POLLOUT, "write end reports POLLOUT");

	int64_t t0 = now_ns();
	CHECK_EQ(poll(fds, 1, 25), 0, "poll with a 25 ms timeout times out");
	int64_t d = now_ns() - t0;
	CHECK(d >= 25000000, "poll waited at least 25 ms (%lld ns)", (long long)d);

	write(p[1], "abc", 3);
	fds[0].revents = 0;
	CHECK_EQ(poll(fds, 2, 0), 2, "both ends ready after a write");
	CHECK_EQ(fds[0].revents, POLLIN, "read end reports POLLIN");
	char buf[8];
	read(p[0], buf, sizeof buf);
	CHECK_EQ(poll(fds, 1, 0), 0, "not readable after draining");

	/* blocking poll woken by another process */
	pid_t pid = delayed_write(p[1], 20000);
	t0 = now_ns();
	CHECK_EQ(poll(fds, 1, -1), 1, "poll(-1) returns when a child writes");
	CHECK(fds[0].revents & POLLIN, "POLLIN after the child's write");
	reap(pid);
	read(p[0], buf, sizeof buf);

	/* POLLHUP once the writer is gone; POLLIN too while data remains */
	write(p[1], "z", 1);
	close(p[1]);
	fds[0].events = POLLIN;
	CHECK_EQ(poll(fds, 1, 0), 1, "poll after writer closed");
	CHECK_EQ(fds[0].revents, POLLIN | POLLHUP, "POLLIN|POLLHUP while data is left");
	read(p[0], buf, sizeof buf);
	poll(fds, 1, 0);
	CHECK_EQ(fds[0].revents, POLLHUP, "only POLLHUP once drained");
	fds[0].events = 0;
	CHECK_EQ(poll(fds, 1, 0), 1, "POLLHUP is reported even with events = 0");
	close(p[0]);

	/* POLLERR on a write end without readers */
	pipe(p);
	close(p[0]);
	struct pollfd w = {p[1], POLLOUT, 0};
	CHECK_EQ(poll(&w, 1, 0), 1, "poll on a write end without readers");
	CHECK(w.revents & POLLERR, "POLLERR set when the reader is gone (revents %#x)", w.revents);
	close(p[1]);

	/* POLLNVAL, negative fds, several fds */
	pipe(p);
	int dead = dup(p[0]);
	close(dead);
	struct pollfd m[4] = {{dead, POLLIN, 0}, {-1, POLLIN, 0}, {p[0], POLLIN, 0}, {p[1], POLLOUT, 0}};
	m[1].revents = 0x7;
	CHECK_EQ(poll(m, 4, 0), 2, "closed fd and writable fd counted, negative fd ignored");
	CHECK_EQ(m[0].revents, POLLNVAL, "POLLNVAL for a closed fd");
	CHECK_EQ(m[1].revents, 0, "negative fd has revents cleared to 0");
	CHECK_EQ(m[2].revents, 0, "empty read end not ready");
	CHECK_EQ(m[3].revents, POLLOUT, "write end ready");
	close(p[0]);
	close(p[1]);

	int q[3][2];
	for (int i = 0; i < 3; i++)
		pipe(q[i]);
	write(q[1][1], "x", 1);
	struct pollfd three[3];
	for (int i = 0; i < 3; i++) {
		three[i].fd = q[i][0];
		three[i].events = POLLIN;
		three[i].revents = 0;
	}
	CHECK_EQ(poll(three, 3, 100), 1, "one of three pipes is readable");
	CHECK(three[0].revents == 0 && three[1].revents == POLLIN && three[2].revents == 0,
	      "revents identify the readable pipe");
	for (int i = 0; i < 3; i++) {
		close(q[i][0]);
		close(q[i][1]);
	}

	t0 = now_ns();
	CHECK_EQ(poll(NULL, 0, 15), 0, "poll with no fds and 15 ms timeout");
	CHECK(now_ns() - t0 >= 15000000, "poll with no fds slept at least 15 ms");

	int fd = open("/dev/null", O_RDWR);
	struct pollfd n = {fd, POLLIN | POLLOUT, 0};
	CHECK_EQ(poll(&n, 1, 0), 1, "/dev/null polls ready");
	CHECK_EQ(n.revents, POLLIN | POLLOUT, "/dev/null is readable and writable");
	close(fd);
}

static void test_select(void)
{
	int p[2];
	pipe(p);
	fd_set r, w;
	struct timeval tv = {0, 0};
	FD_ZERO(&r);
	FD_SET(p[0], &r);
	CHECK_EQ(select(p[0] + 1, &r, NULL, NULL, &tv), 0, "select timeout 0 on an empty pipe");
	CHECK(!FD_ISSET(p[0], &r), "select cleared the not-ready fd");

	FD_ZERO(&r);
	FD_ZERO(&w);
	FD_SET(p[0], &r);
	FD_SET(p[1], &w);
	tv.tv_sec = 0;
	tv.tv_usec = 0;
	int maxfd = (p[0] > p[1] ? p[0] : p[1]) + 1;
	CHECK_EQ(select(maxfd, &r, &w, NULL, &tv), 1, "select: only the write end is ready");
	CHECK(FD_ISSET(p[1], &w) && !FD_ISSET(p[0], &r), "select reports the writable fd");

	FD_ZERO(&r);
	FD_SET(p[0], &r);
	tv.tv_sec = 0;
	tv.tv_usec = 25000;
	int64_t t0 = now_ns();
	CHECK_EQ(select(p[0] + 1, &r, NULL, NULL, &tv), 0, "select 25 ms timeout");
	CHECK(now_ns() - t0 >= 25000000, "select waited at least 25 ms");
	/* not checked: the kernel writes back the time left, but musl's
	 * select() passes the kernel a copy, so tv is unchanged there */

	pid_t pid = delayed_write(p[1], 20000);
	FD_ZERO(&r);
	FD_SET(p[0], &r);
	tv.tv_sec = 10;
	tv.tv_usec = 0;
	CHECK_EQ(select(p[0] + 1, &r, NULL, NULL, &tv), 1, "select returns when a child writes");
	CHECK(FD_ISSET(p[0], &r), "read fd set in the result");
	CHECK(tv.tv_sec < 10 || (tv.tv_sec == 10 && tv.tv_usec == 0), "remaining timeout not larger than requested");
	reap(pid);
	char c;
	read(p[0], &c, 1);

	int dead = dup(p[0]);
	close(dead);
	FD_ZERO(&r);
	FD_SET(dead, &r);
	tv.tv_sec = 0;
	tv.tv_usec = 0;
	CHECK_ERR(select(dead + 1, &r, NULL, NULL, &tv), EBADF, "select on a closed fd is EBADF");
	tv.tv_usec = -1;
	FD_ZERO(&r);
	CHECK_ERR(select(1, &r, NULL, NULL, &tv), EINVAL, "select with negative tv_usec is EINVAL");

	/* select with all sets NULL works as a sleep */
	tv.tv_sec = 0;
	tv.tv_usec = 15000;
	t0 = now_ns();
	CHECK_EQ(select(0, NULL, NULL, NULL, &tv), 0, "select(0, NULL...) sleeps");
	CHECK(now_ns() - t0 >= 15000000, "for at least 15 ms");

	/* pselect with a timespec and no mask */
	struct timespec ts = {0, 0};
	write(p[1], "q", 1);
	FD_ZERO(&r);
	FD_SET(p[0], &r);
	CHECK_EQ(pselect(p[0] + 1, &r, NULL, NULL, &ts, NULL), 1, "pselect sees a readable pipe");
	read(p[0], &c, 1);
	close(p[0]);
	close(p[1]);
}

static volatile sig_atomic_t got_usr1;
static void on_usr1(int sig)
{
	(void)sig;
	got_usr1++;
}

static void test_sigmask_waits(void)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_usr1;
	sigaction(SIGUSR1, &sa, NULL);
	sigset_t block, old, during;
	sigemptyset(&block);
	sigaddset(&block, SIGUSR1);
	sigprocmask(SIG_BLOCK, &block, &old);
	during = old;
	sigdelset(&during, SIGUSR1);

	int p[2];
	pipe(p);

	/* signal already pending: pselect's mask unblocks it atomically */
	got_usr1 = 0;
	raise(SIGUSR1);
	CHECK_EQ(got_usr1, 0, "SIGUSR1 held pending while blocked");
	fd_set r;
	FD_ZERO(&r);
	FD_SET(p[0], &r);
	struct timespec ts = {5, 0};
	int rc = pselect(p[0] + 1, &r, NULL, NULL, &ts, &during);
	int e = errno;
	CHECK(rc == -1 && e == EINTR, "pselect with an unblocking mask is interrupted (EINTR)");
	CHECK_EQ(got_usr1, 1, "the pending signal's handler ran inside pselect");
	sigset_t now;
	sigprocmask(SIG_BLOCK, NULL, &now);
	CHECK(sigismember(&now, SIGUSR1), "pselect restored the original mask");

	/* same with ppoll, signal sent by a child while waiting */
	got_usr1 = 0;
	pid_t parent = getpid();
	pid_t pid = fork();
	if (pid == 0) {
		usleep(20000);
		kill(parent, SIGUSR1);
		_exit(0);
	}
	struct pollfd fd = {p[0], POLLIN, 0};
	ts.tv_sec = 5;
	ts.tv_nsec = 0;
	rc = ppoll(&fd, 1, &ts, &during);
	e = errno;
	CHECK(rc == -1 && e == EINTR, "ppoll interrupted by a signal from a child (EINTR)");
	CHECK_EQ(got_usr1, 1, "handler ran inside ppoll");
	reap(pid);

	ts.tv_sec = 0;
	ts.tv_nsec = 20000000;
	int64_t t0 = now_ns();
	CHECK_EQ(ppoll(&fd, 1, &ts, NULL), 0, "ppoll 20 ms timeout");
	CHECK(now_ns() - t0 >= 20000000, "ppoll waited at least 20 ms");
	write(p[1], "y", 1);
	ts.tv_sec = 0;
	ts.tv_nsec = 0;
	CHECK_EQ(ppoll(&fd, 1, &ts, &during), 1, "ppoll sees a readable pipe");
	CHECK_EQ(fd.revents, POLLIN, "ppoll revents POLLIN");

	sigprocmask(SIG_SETMASK, &old, NULL);
	signal(SIGUSR1, SIG_DFL);
	close(p[0]);
	close(p[1]);
}

static void test_regular_file(void)
{
	char path[600];
	const char *base = getenv("TMPDIR");
	snprintf(path, sizeof path, "%s/helctic-poll-%d", base && *base ? base : "/tmp", (int)getpid());
	int fd = open(path, O_CREAT | O_RDWR | O_TRUNC, 0600);
	CHECK(fd >= 0, "create a scratch file");
	unlink(path);
	struct pollfd f = {fd, POLLIN | POLLOUT, 0};
	CHECK_EQ(poll(&f, 1, 0), 1, "regular file polls ready");
	CHECK_EQ(f.revents, POLLIN | POLLOUT, "regular file is always readable and writable");
	fd_set r, w;
	FD_ZERO(&r);
	FD_ZERO(&w);
	FD_SET(fd, &r);
	FD_SET(fd, &w);
	struct timeval tv = {0, 0};
	CHECK_EQ(select(fd + 1, &r, &w, NULL, &tv), 2, "select counts a regular file in both sets");
	close(fd);
}

static void test_epoll(void)
{
	int ep = epoll_create1(EPOLL_CLOEXEC);
	CHECK(ep >= 0, "epoll_create1");
	int p[2];
	pipe(p);
	struct epoll_event ev = {.events = EPOLLIN, .data.u64 = 0x1122334455667788ULL}, out[4];
	CHECK_EQ(epoll_ctl(ep, EPOLL_CTL_ADD, p[0], &ev), 0, "epoll_ctl ADD");
	CHECK_ERR(epoll_ctl(ep, EPOLL_CTL_ADD, p[0], &ev), EEXIST, "adding twice is EEXIST");
	CHECK_EQ(epoll_wait(ep, out, 4, 0), 0, "epoll_wait on an empty pipe returns 0");
	pid_t pid = delayed_write(p[1], 20000);
	CHECK_EQ(epoll_wait(ep, out, 4, 5000), 1, "epoll_wait returns when a child writes");
	CHECK(out[0].events == EPOLLIN && out[0].data.u64 == 0x1122334455667788ULL, "event carries EPOLLIN and the user data");
	reap(pid);
	CHECK_EQ(epoll_ctl(ep, EPOLL_CTL_DEL, p[0], NULL), 0, "epoll_ctl DEL");
	CHECK_EQ(epoll_wait(ep, out, 4, 0), 0, "no events after DEL");
	close(ep);
	close(p[0]);
	close(p[1]);
}

/* Event sets inside event sets: readiness flows up, cycles are ELOOP, and
 * at most five levels stack (Linux says EINVAL or ELOOP past that). */
static void test_epoll_nesting(void)
{
	int p[2];
	pipe(p);
	int level[6];
	int inner = p[0];
	int added = 0;
	for (int i = 0; i < 5; i++) {
		level[i] = epoll_create1(0);
		struct epoll_event ev = {.events = EPOLLIN, .data.fd = inner};
		added += epoll_ctl(level[i], EPOLL_CTL_ADD, inner, &ev) == 0;
		inner = level[i];
	}
	CHECK_EQ(added, 5, "five levels of epoll sets stack");
	level[5] = epoll_create1(0);
	struct epoll_event ev = {.events = EPOLLIN};
	int r = epoll_ctl(level[5], EPOLL_CTL_ADD, level[4], &ev);
	CHECK(r == -1 && (errno == EINVAL || errno == ELOOP), "a sixth level is refused (EINVAL or ELOOP)");
	CHECK_ERR(epoll_ctl(level[0], EPOLL_CTL_ADD, level[2], &ev), ELOOP, "a set that would watch itself through others is ELOOP");
	struct epoll_event out;
	CHECK_EQ(epoll_wait(level[4], &out, 1, 0), 0, "nothing ready at the top while the pipe is empty");
	CHECK_EQ(write(p[1], "x", 1), 1, "write to the pipe");
	CHECK(epoll_wait(level[4], &out, 1, 1000) == 1 && out.data.fd == level[3], "readiness reaches the top set through four others");
	for (int i = 0; i < 6; i++)
		close(level[i]);
	close(p[0]);
	close(p[1]);
}

/* Edge-triggered watches report a pipe end once per change (data
 * written, room made), not while it stays ready; one-shot watches report
 * once until re-armed with EPOLL_CTL_MOD. The same on an eventfd. */
static void test_epoll_edges(void)
{
	int fds[2];
	CHECK_EQ(pipe2(fds, O_NONBLOCK), 0, "pipe2");
	CHECK_EQ(fcntl(fds[1], F_SETPIPE_SZ, 4096), 4096, "a one-page pipe");
	int ep = epoll_create1(0);
	struct epoll_event ev = { .events = EPOLLIN | EPOLLET, .data.u32 = 1 };
	CHECK_EQ(epoll_ctl(ep, EPOLL_CTL_ADD, fds[0], &ev), 0, "watch the read end, edge-triggered");
	ev.events = EPOLLOUT | EPOLLET;
	ev.data.u32 = 2;
	CHECK_EQ(epoll_ctl(ep, EPOLL_CTL_ADD, fds[1], &ev), 0, "watch the write end, edge-triggered");
	struct epoll_event got[4];
	int n = epoll_wait(ep, got, 4, 0);
	CHECK(n == 1 && got[0].data.u32 == 2 && (got[0].events & EPOLLOUT), "first: only the empty pipe's write end (%d)", n);
	CHECK_EQ(epoll_wait(ep, got, 4, 0), 0, "no second report while nothing changed");
	char buf[4096];
	memset(buf, 'e', sizeof buf);
	CHECK_EQ(write(fds[1], buf, 100), 100, "write 100 bytes");
	n = epoll_wait(ep, got, 4, 0);
	CHECK(n == 1 && got[0].data.u32 == 1 && (got[0].events & EPOLLIN), "the read end reports the new data once (%d)", n);
	CHECK_EQ(epoll_wait(ep, got, 4, 0), 0, "and not again while the data waits");
	CHECK_EQ(write(fds[1], buf, 100), 100, "write 100 more");
	n = epoll_wait(ep, got, 4, 0);
	CHECK(n == 1 && got[0].data.u32 == 1, "more data is another edge (%d)", n);
	CHECK_EQ(read(fds[0], buf, sizeof buf), 200, "read it all");
	CHECK_EQ(write(fds[1], buf, 4096 - 0), 4096, "fill the pipe");
	CHECK_ERR(write(fds[1], buf, 1), EAGAIN, "full");
	n = epoll_wait(ep, got, 4, 0);
	CHECK(n == 1 && got[0].data.u32 == 1, "the filled pipe reports input only (%d)", n);
	CHECK_EQ(read(fds[0], buf, 2048), 2048, "read half a page");
	CHECK_EQ(epoll_wait(ep, got, 4, 0), 0, "half a page is no room for a page: no event");
	CHECK_EQ(read(fds[0], buf, 2048), 2048, "read the rest");
	n = epoll_wait(ep, got, 4, 0);
	CHECK(n == 1 && got[0].data.u32 == 2 && (got[0].events & EPOLLOUT), "the emptied pipe reports room once (%d)", n);
	close(fds[1]);
	n = epoll_wait(ep, got, 4, 0);
	CHECK(n == 1 && got[0].data.u32 == 1 && (got[0].events & EPOLLHUP), "the writer closing is an edge with EPOLLHUP (%d)", n);
	CHECK_EQ(epoll_wait(ep, got, 4, 0), 0, "reported once");
	close(fds[0]);
	close(ep);

	/* One-shot: one report, then silence until EPOLL_CTL_MOD re-arms. */
	int efd = eventfd(0, EFD_NONBLOCK);
	ep = epoll_create1(0);
	ev.events = EPOLLIN | EPOLLONESHOT;
	ev.data.u32 = 3;
	CHECK_EQ(epoll_ctl(ep, EPOLL_CTL_ADD, efd, &ev), 0, "watch an eventfd, one-shot");
	uint64_t one = 1;
	CHECK_EQ(write(efd, &one, 8), 8, "signal it");
	CHECK_EQ(epoll_wait(ep, got, 4, 0), 1, "one report");
	CHECK_EQ(write(efd, &one, 8), 8, "signal it again");
	CHECK_EQ(epoll_wait(ep, got, 4, 0), 0, "none after the one shot");
	CHECK_EQ(epoll_ctl(ep, EPOLL_CTL_MOD, efd, &ev), 0, "re-arm with EPOLL_CTL_MOD");
	CHECK_EQ(epoll_wait(ep, got, 4, 0), 1, "reports the pending count again");
	/* Edge-triggered on the eventfd. */
	ev.events = EPOLLIN | EPOLLET;
	CHECK_EQ(epoll_ctl(ep, EPOLL_CTL_MOD, efd, &ev), 0, "switch to edge-triggered");
	CHECK_EQ(epoll_wait(ep, got, 4, 0), 1, "the modified watch reports what is ready");
	CHECK_EQ(epoll_wait(ep, got, 4, 0), 0, "then nothing while the count waits");
	CHECK_EQ(write(efd, &one, 8), 8, "add to the count");
	CHECK_EQ(epoll_wait(ep, got, 4, 0), 1, "an edge for the write");
	uint64_t v;
	CHECK_EQ(read(efd, &v, 8), 8, "drain");
	CHECK_EQ(epoll_wait(ep, got, 4, 0), 0, "empty: nothing to report");
	/* A waiter sleeps through a level that was already reported and wakes on the next edge. */
	pid_t child = fork();
	if (child == 0) {
		struct timespec nap = { 0, 200000000 };
		nanosleep(&nap, NULL);
		if (write(efd, &one, 8) != 8)
			_exit(1);
		_exit(0);
	}
	CHECK_EQ(write(efd, &one, 8), 8, "make it readable");
	CHECK_EQ(epoll_wait(ep, got, 4, 0), 1, "reported");
	CHECK_EQ(epoll_wait(ep, got, 4, 10000), 1, "a blocking wait returns at the child's write, not at once");
	reap(child);
	close(efd);
	close(ep);
}

int main(void)
{
	test_poll_pipe();
	test_epoll_nesting();
	test_select();
	test_sigmask_waits();
	test_regular_file();
	test_epoll();
	test_epoll_edges();
	return check_done();
}
