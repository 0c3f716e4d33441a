/*
 * epoll_ready_list.c - epoll as Linux's ready list makes it behave.
 *
 * 1000 watched pipes with one becoming ready at a time (the right one is
 * reported, and nothing else), a waiter blocked on all of them woken by
 * one; a watched descriptor closed while registered (its registration
 * goes with the file's last reference) and a closed duplicate (the
 * registration stays: it belongs to the open file description); nested
 * sets, blocking and polled; level-triggered, edge-triggered and one-shot
 * watches with EPOLL_CTL_MOD re-arming; level-triggered watches taking
 * turns when maxevents is 1; EPOLLWAKEUP accepted; EPOLLEXCLUSIVE: threads
 * each blocked in epoll_wait on their own set watching one eventfd
 * exclusively, one write wakes at least one and not all; and the EINVAL
 * rules of EPOLLEXCLUSIVE (epoll_ctl(2)); watches added and their files
 * closed while other threads wait on the sets.
 */
#define _GNU_SOURCE
#include "check.h"

#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#define NPIPES 1000

static void sleep_ms(int ms)
{
	struct timespec t = { ms / 1000, (long)(ms % 1000) * 1000000L };
	nanosleep(&t, NULL);
}

static int add(int ep, int fd, uint32_t events, uint64_t data)
{
	struct epoll_event e = { .events = events, .data.u64 = data };
	return epoll_ctl(ep, EPOLL_CTL_ADD, fd, &e);
}

static int mod(int ep, int fd, uint32_t events, uint64_t data)
{
	struct epoll_event e = { .events = events, .data.u64 = data };
	return epoll_ctl(ep, EPOLL_CTL_MOD, fd, &e);
}

static int pipes[NPIPES][2];

struct blocked {
	int ep;
	int n;
	uint64_t data;
};

static void *blocked_main(void *arg)
{
	struct blocked *b = arg;
	struct epoll_event ev[8];
	b->n = epoll_wait(b->ep, ev, 8, 5000);
	if (b->n > 0)
		b->data = ev[0].data.u64;
	return NULL;
}

static void many_pipes(void)
{
	int ep = epoll_create1(EPOLL_CLOEXEC);
	CHECK_BAIL(ep >= 0, "epoll_create1");
	int ok = 1;
	for (int i = 0; i < NPIPES && ok; i++) {
		ok = pipe2(pipes[i], O_NONBLOCK | O_CLOEXEC) == 0 &&
		     add(ep, pipes[i][0], EPOLLIN, i) == 0;
	}
	CHECK_BAIL(ok, "%d pipes made and watched", NPIPES);

	struct epoll_event ev[16];
	CHECK_EQ(epoll_wait(ep, ev, 16, 0), 0, "none of %d idle pipes is reported", NPIPES);

	/* One at a time, in a scattered order: each is reported alone. */
	int wrong = 0, extra = 0, left = 0;
	char c = 'x';
	for (int k = 0; k < NPIPES; k++) {
		int i = (k * 397) % NPIPES;
		if (write(pipes[i][1], &c, 1) != 1) {
			wrong++;
			continue;
		}
		int n = epoll_wait(ep, ev, 16, 1000);
		if (n != 1 || ev[0].data.u64 != (uint64_t)i || !(ev[0].events & EPOLLIN))
			wrong++;
		/* Level-triggered and still ready: reported again. */
		n = epoll_wait(ep, ev, 16, 0);
		if (n != 1 || ev[0].data.u64 != (uint64_t)i)
			extra++;
		if (read(pipes[i][0], &c, 1) != 1)
			wrong++;
		if (epoll_wait(ep, ev, 16, 0) != 0)
			left++;
	}
	CHECK_EQ(wrong, 0, "each of %d pipes made ready alone is the one reported", NPIPES);
	CHECK_EQ(extra, 0, "a level-triggered pipe still ready is reported again");
	CHECK_EQ(left, 0, "a pipe read empty is no longer reported");

	/* A waiter blocked on all of them is woken by one. */
	struct blocked b = { .ep = ep, .n = -2 };
	pthread_t t;
	pthread_create(&t, NULL, blocked_main, &b);
	sleep_ms(100);
	CHECK_EQ(write(pipes[617][1], &c, 1), 1, "write to pipe 617");
	pthread_join(t, NULL);
	CHECK(b.n == 1 && b.data == 617, "a waiter blocked on %d pipes is woken by pipe 617 (n %d data %llu)",
	      NPIPES, b.n, (unsigned long long)b.data);
	read(pipes[617][0], &c, 1);

	/* Several ready at once: all of them, each once. */
	int want[5] = { 3, 250, 500, 750, 999 };
	for (int j = 0; j < 5; j++)
		write(pipes[want[j]][1], &c, 1);
	struct epoll_event all[16];
	int n = epoll_wait(ep, all, 16, 1000);
	int seen = 0;
	for (int k = 0; k < n; k++)
		for (int j = 0; j < 5; j++)
			if (all[k].data.u64 == (uint64_t)want[j])
				seen |= 1 << j;
	CHECK(n == 5 && seen == 31, "5 ready pipes of %d: all 5 reported once (n %d)", NPIPES, n);

	/* maxevents 2 of 5 ready: the rest come next. */
	n = epoll_wait(ep, all, 2, 0);
	CHECK_EQ(n, 2, "maxevents 2 with 5 ready");
	for (int j = 0; j < 5; j++)
		read(pipes[want[j]][0], &c, 1);
	CHECK_EQ(epoll_wait(ep, all, 16, 0), 0, "all read: nothing reported");

	/* Level-triggered watches take turns when only one is taken. */
	write(pipes[10][1], &c, 1);
	write(pipes[20][1], &c, 1);
	uint64_t order[4];
	for (int k = 0; k < 4; k++) {
		order[k] = ~0ULL;
		if (epoll_wait(ep, all, 1, 0) == 1)
			order[k] = all[0].data.u64;
	}
	CHECK(order[0] != order[1] && order[0] == order[2] && order[1] == order[3] &&
		      (order[0] == 10 || order[0] == 20) && (order[1] == 10 || order[1] == 20),
	      "two ready level-triggered pipes alternate with maxevents 1 (%llu %llu %llu %llu)",
	      (unsigned long long)order[0], (unsigned long long)order[1], (unsigned long long)order[2],
	      (unsigned long long)order[3]);
	read(pipes[10][0], &c, 1);
	read(pipes[20][0], &c, 1);

	for (int i = 0; i < NPIPES; i++) {
		close(pipes[i][0]);
		close(pipes[i][1]);
	}
	close(ep);
}

static void closed_while_registered(void)
{
	int ep = epoll_create1(0), p[2], q[2];
	struct epoll_event ev[4];
	char c = 'y';
	pipe(p);
	CHECK_EQ(add(ep, p[0], EPOLLIN, 41), 0, "watch a pipe");
	write(p[1], &c, 1);
	int rfd = p[0];
	close(p[0]); /* the only reference: the registration goes */
	CHECK_EQ(epoll_wait(ep, ev, 4, 0), 0, "a closed watched pipe with data is not reported");
	/* The write end sees the reader gone: its wake reaches no one. */
	struct pollfd wp = { .fd = p[1], .events = POLLOUT };
	CHECK(poll(&wp, 1, 0) == 1 && (wp.revents & POLLERR), "the write end sees its reader gone");
	CHECK_EQ(epoll_wait(ep, ev, 4, 0), 0, "still nothing reported");
	/* Its number reused: a new watch, not EEXIST. */
	pipe(q);
	CHECK_EQ(q[0], rfd, "the number is reused");
	CHECK_EQ(add(ep, q[0], EPOLLIN, 42), 0, "the reused number is added anew");
	write(q[1], &c, 1);
	int n = epoll_wait(ep, ev, 4, 0);
	CHECK(n == 1 && ev[0].data.u64 == 42, "only the new file is reported (n %d)", n);
	close(q[0]);
	close(q[1]);
	close(p[1]);

	/* The write end watched and closed: its reader's hang-up is not reported to it. */
	pipe(p);
	CHECK_EQ(add(ep, p[1], EPOLLOUT, 43), 0, "watch a write end");
	n = epoll_wait(ep, ev, 4, 0);
	CHECK(n == 1 && ev[0].data.u64 == 43, "the write end is writable");
	close(p[1]);
	CHECK_EQ(epoll_wait(ep, ev, 4, 0), 0, "closed: not reported");
	close(p[0]);
	close(ep);
}

static void duplicates(void)
{
	int ep = epoll_create1(0), p[2];
	struct epoll_event ev[4];
	char c = 'z';
	pipe(p);
	int d = dup(p[0]);
	CHECK_EQ(add(ep, p[0], EPOLLIN, 51), 0, "watch a pipe with a duplicate");
	close(p[0]);
	write(p[1], &c, 1);
	int n = epoll_wait(ep, ev, 4, 0);
	CHECK(n == 1 && ev[0].data.u64 == 51,
	      "closing one duplicate leaves the registration: still reported (n %d)", n);
	CHECK_ERR(epoll_ctl(ep, EPOLL_CTL_DEL, p[0], NULL), EBADF, "DEL by the closed number: EBADF");
	CHECK_ERR(epoll_ctl(ep, EPOLL_CTL_DEL, d, NULL), ENOENT, "DEL by the duplicate's number: ENOENT");
	/* Both numbers of one file may be watched. */
	CHECK_EQ(add(ep, d, EPOLLIN, 52), 0, "the duplicate added too");
	n = epoll_wait(ep, ev, 4, 0);
	int seen = 0;
	for (int k = 0; k < n; k++)
		seen |= ev[k].data.u64 == 51 ? 1 : ev[k].data.u64 == 52 ? 2 : 4;
	CHECK(n == 2 && seen == 3, "both watches of one file reported (n %d)", n);
	close(d); /* the last reference: both go */
	write(p[1], &c, 1);
	CHECK_EQ(epoll_wait(ep, ev, 4, 0), 0, "the last reference closed: nothing reported");
	close(p[1]);
	close(ep);
}

static int nested_writer_fd;
static void *nested_writer(void *arg)
{
	(void)arg;
	sleep_ms(100);
	char c = 'n';
	write(nested_writer_fd, &c, 1);
	return NULL;
}

static void nested(void)
{
	int inner = epoll_create1(0), outer = epoll_create1(0), p[2];
	struct epoll_event ev[4];
	char c;
	pipe(p);
	CHECK_EQ(add(inner, p[0], EPOLLIN, 61), 0, "inner set watches a pipe");
	CHECK_EQ(add(outer, inner, EPOLLIN, 62), 0, "outer set watches the inner");
	CHECK_EQ(epoll_wait(outer, ev, 4, 0), 0, "nothing ready: the outer reports nothing");
	struct pollfd pf = { .fd = outer, .events = POLLIN };
	CHECK_EQ(poll(&pf, 1, 0), 0, "poll on the outer set: not readable");

	nested_writer_fd = p[1];
	pthread_t t;
	pthread_create(&t, NULL, nested_writer, NULL);
	int n = epoll_wait(outer, ev, 4, 5000);
	pthread_join(t, NULL);
	CHECK(n == 1 && ev[0].data.u64 == 62 && (ev[0].events & EPOLLIN),
	      "a write to the pipe wakes a waiter of the outer set (n %d)", n);
	CHECK_EQ(poll(&pf, 1, 0), 1, "poll on the outer set: readable");
	n = epoll_wait(inner, ev, 4, 0);
	CHECK(n == 1 && ev[0].data.u64 == 61, "the inner set reports the pipe");
	read(p[0], &c, 1);
	CHECK_EQ(epoll_wait(outer, ev, 4, 0), 0, "the pipe read: the outer reports nothing");
	CHECK_EQ(poll(&pf, 1, 0), 0, "poll on the outer set: not readable again");

	/* A blocked poll() on the outer set, woken through both levels. */
	nested_writer_fd = p[1];
	pthread_create(&t, NULL, nested_writer, NULL);
	pf.revents = 0;
	n = poll(&pf, 1, 5000);
	pthread_join(t, NULL);
	CHECK(n == 1 && (pf.revents & POLLIN), "a poll() on the outer set is woken by the pipe");
	read(p[0], &c, 1);
	close(p[0]);
	close(p[1]);
	close(outer);
	close(inner);
}

static void triggers(void)
{
	int ep = epoll_create1(0), p[2];
	struct epoll_event ev[4];
	char c = 't', buf[8];
	pipe2(p, O_NONBLOCK);

	/* Edge-triggered: once per write. */
	CHECK_EQ(add(ep, p[0], EPOLLIN | EPOLLET, 71), 0, "edge-triggered watch");
	CHECK_EQ(epoll_wait(ep, ev, 4, 0), 0, "edge: nothing yet");
	write(p[1], &c, 1);
	CHECK_EQ(epoll_wait(ep, ev, 4, 0), 1, "edge: the write reported");
	CHECK_EQ(epoll_wait(ep, ev, 4, 0), 0, "edge: not again without a change");
	write(p[1], &c, 1);
	CHECK_EQ(epoll_wait(ep, ev, 4, 0), 1, "edge: a second write reported");
	CHECK_EQ(epoll_wait(ep, ev, 4, 0), 0, "edge: then quiet");
	while (read(p[0], buf, sizeof buf) > 0)
		;

	/* Level-triggered after MOD. */
	CHECK_EQ(mod(ep, p[0], EPOLLIN, 72), 0, "MOD to level-triggered");
	write(p[1], &c, 1);
	CHECK_EQ(epoll_wait(ep, ev, 4, 0), 1, "level: reported");
	CHECK_EQ(epoll_wait(ep, ev, 4, 0), 1, "level: reported again");
	CHECK_EQ(ev[0].data.u64, 72, "with the modified data");

	/* One-shot: once, then nothing until re-armed. */
	CHECK_EQ(mod(ep, p[0], EPOLLIN | EPOLLONESHOT, 73), 0, "MOD to one-shot");
	CHECK_EQ(epoll_wait(ep, ev, 4, 0), 1, "one-shot: reported");
	CHECK_EQ(epoll_wait(ep, ev, 4, 0), 0, "one-shot: disarmed");
	write(p[1], &c, 1);
	CHECK_EQ(epoll_wait(ep, ev, 4, 0), 0, "one-shot: a write does not re-arm");
	CHECK_EQ(mod(ep, p[0], EPOLLIN | EPOLLONESHOT, 74), 0, "re-arm with MOD");
	int n = epoll_wait(ep, ev, 4, 0);
	CHECK(n == 1 && ev[0].data.u64 == 74, "re-armed one-shot reported (n %d)", n);
	CHECK_EQ(epoll_wait(ep, ev, 4, 0), 0, "and disarmed again");

	/* EPOLLWAKEUP is accepted (ignored without CAP_BLOCK_SUSPEND). */
	CHECK_EQ(mod(ep, p[0], EPOLLIN | EPOLLWAKEUP, 75), 0, "EPOLLWAKEUP accepted");
	n = epoll_wait(ep, ev, 4, 0);
	CHECK(n == 1 && ev[0].data.u64 == 75, "and the watch works (n %d)", n);

	/* Deleted: gone even though ready. */
	CHECK_EQ(epoll_ctl(ep, EPOLL_CTL_DEL, p[0], NULL), 0, "DEL");
	CHECK_EQ(epoll_wait(ep, ev, 4, 0), 0, "deleted: not reported");
	close(p[0]);
	close(p[1]);
	close(ep);
}

#define NEXCL 4
static int excl_efd;
static int excl_quit[2];
static volatile int excl_first[NEXCL];
static int excl_returned;

static void *excl_main(void *arg)
{
	int i = (int)(intptr_t)arg;
	int ep = epoll_create1(0);
	add(ep, excl_efd, EPOLLIN | EPOLLEXCLUSIVE, 1);
	add(ep, excl_quit[0], EPOLLIN, 2);
	struct epoll_event ev[4];
	int n = epoll_wait(ep, ev, 4, 10000);
	int got = 0;
	for (int k = 0; k < n; k++)
		if (ev[k].data.u64 == 1)
			got = 1;
	excl_first[i] = got ? 1 : 2;
	__atomic_add_fetch(&excl_returned, 1, __ATOMIC_SEQ_CST);
	close(ep);
	return NULL;
}

static void exclusive(void)
{
	excl_efd = eventfd(0, EFD_NONBLOCK);
	pipe(excl_quit);
	pthread_t t[NEXCL];
	for (int i = 0; i < NEXCL; i++)
		pthread_create(&t[i], NULL, excl_main, (void *)(intptr_t)i);
	sleep_ms(300); /* all asleep in epoll_wait */
	uint64_t one = 1;
	CHECK_EQ(write(excl_efd, &one, 8), 8, "write the eventfd");
	sleep_ms(300);
	int woken = __atomic_load_n(&excl_returned, __ATOMIC_SEQ_CST);
	int with_event = 0;
	for (int i = 0; i < NEXCL; i++)
		with_event += excl_first[i] == 1;
	CHECK(woken >= 1 && woken < NEXCL, "one write wakes at least one and not all of %d exclusive waiters (%d)",
	      NEXCL, woken);
	CHECK(with_event == woken, "each woken waiter was told of the eventfd (%d of %d)", with_event, woken);
	char c = 'q';
	write(excl_quit[1], &c, 1);
	for (int i = 0; i < NEXCL; i++)
		pthread_join(t[i], NULL);
	CHECK_EQ(excl_returned, NEXCL, "a non-exclusive watch wakes every waiter");
	close(excl_quit[0]);
	close(excl_quit[1]);
	close(excl_efd);
}

/* Watches added and their files closed (some through a duplicate, some
 * with data unread, in a set and in a set inside it) while other threads
 * wait on both sets: no hang, no crash, and once every file is closed
 * neither set reports anything. */
static int churn_ep, churn_inner;
static volatile int churn_stop;

static void *churn_waiter(void *arg)
{
	struct epoll_event ev[16];
	int ep = arg ? churn_inner : churn_ep;
	while (!churn_stop)
		epoll_wait(ep, ev, 16, 1);
	return NULL;
}

static void *churn_main(void *arg)
{
	long bad = 0;
	(void)arg;
	for (int i = 0; i < 1000; i++) {
		int p[2];
		if (pipe2(p, O_NONBLOCK)) {
			bad++;
			break;
		}
		struct epoll_event e = { .events = EPOLLIN | (i & 1 ? EPOLLET : 0), .data.u32 = i };
		if (epoll_ctl(i & 2 ? churn_inner : churn_ep, EPOLL_CTL_ADD, p[0], &e))
			bad++;
		int d = dup(p[0]);
		write(p[1], "x", 1);
		if (i % 3 == 0)
			close(p[1]);
		close(p[0]);
		if (i % 5 == 0) {
			char c;
			read(d, &c, 1);
		}
		close(d);
		if (i % 3)
			close(p[1]);
	}
	return (void *)bad;
}

static void churn(void)
{
	churn_ep = epoll_create1(0);
	churn_inner = epoll_create1(0);
	CHECK_EQ(add(churn_ep, churn_inner, EPOLLIN, 9999), 0, "churn: a set inside a set");
	pthread_t w[3], c[2];
	for (int i = 0; i < 3; i++)
		pthread_create(&w[i], NULL, churn_waiter, i == 2 ? (void *)1 : NULL);
	for (int i = 0; i < 2; i++)
		pthread_create(&c[i], NULL, churn_main, NULL);
	long bad = 0;
	for (int i = 0; i < 2; i++) {
		void *r;
		pthread_join(c[i], &r);
		bad += (long)r;
	}
	churn_stop = 1;
	for (int i = 0; i < 3; i++)
		pthread_join(w[i], NULL);
	CHECK_EQ(bad, 0, "churn: 2000 pipes added and closed while 3 threads wait");
	struct epoll_event ev[16];
	CHECK_EQ(epoll_wait(churn_ep, ev, 16, 0), 0, "churn: every file closed, the outer set reports nothing");
	CHECK_EQ(epoll_wait(churn_inner, ev, 16, 0), 0, "churn: nor the inner one");
	close(churn_inner);
	close(churn_ep);
}

static void exclusive_rules(void)
{
	int ep = epoll_create1(0), other = epoll_create1(0), efd = eventfd(0, 0), p[2];
	pipe(p);
	CHECK_ERR(add(ep, efd, EPOLLIN | EPOLLEXCLUSIVE | EPOLLONESHOT, 0), EINVAL, "EXCLUSIVE with ONESHOT: EINVAL");
	CHECK_ERR(add(ep, efd, EPOLLIN | EPOLLEXCLUSIVE | EPOLLRDHUP, 0), EINVAL, "EXCLUSIVE with RDHUP: EINVAL");
	CHECK_ERR(add(ep, efd, EPOLLIN | EPOLLEXCLUSIVE | EPOLLPRI, 0), EINVAL, "EXCLUSIVE with PRI: EINVAL");
	CHECK_ERR(add(ep, other, EPOLLIN | EPOLLEXCLUSIVE, 0), EINVAL, "EXCLUSIVE on an epoll fd: EINVAL");
	CHECK_EQ(add(ep, other, EPOLLIN, 0), 0, "the epoll fd without EXCLUSIVE: added");
	CHECK_EQ(add(ep, efd, EPOLLIN | EPOLLOUT | EPOLLET | EPOLLERR | EPOLLHUP | EPOLLWAKEUP | EPOLLEXCLUSIVE, 0),
		 0, "EXCLUSIVE with IN, OUT, ET, ERR, HUP, WAKEUP: added");
	CHECK_ERR(mod(ep, efd, EPOLLIN, 0), EINVAL, "MOD of an exclusive watch: EINVAL");
	CHECK_ERR(mod(ep, efd, EPOLLIN | EPOLLEXCLUSIVE, 0), EINVAL, "MOD with EXCLUSIVE: EINVAL");
	CHECK_EQ(add(ep, p[0], EPOLLIN, 0), 0, "a plain watch");
	CHECK_ERR(mod(ep, p[0], EPOLLIN | EPOLLEXCLUSIVE, 0), EINVAL, "MOD adding EXCLUSIVE: EINVAL");
	CHECK_ERR(add(ep, efd, EPOLLIN | EPOLLEXCLUSIVE, 0), EEXIST, "ADD again: EEXIST");
	CHECK_EQ(epoll_ctl(ep, EPOLL_CTL_DEL, efd, NULL), 0, "DEL of an exclusive watch");
	close(p[0]);
	close(p[1]);
	close(efd);
	close(other);
	close(ep);
}

int main(void)
{
	struct rlimit r;
	signal(SIGPIPE, SIG_IGN); /* writes to pipes whose reader was closed */
	getrlimit(RLIMIT_NOFILE, &r);
	if (r.rlim_cur < 2 * NPIPES + 64) {
		r.rlim_cur = r.rlim_max < 4096 ? r.rlim_max : 4096;
		setrlimit(RLIMIT_NOFILE, &r);
	}
	many_pipes();
	closed_while_registered();
	duplicates();
	nested();
	triggers();
	exclusive();
	exclusive_rules();
	churn();
	return check_done();
}
