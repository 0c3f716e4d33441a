/*
 * poll_many.c - many pollers at once: each waits on its own objects and
 * only the one whose object changed wakes.
 *
 * Threads each blocked in poll/select/epoll_wait/ppoll on their own pipe
 * or eventfd, woken one at a time (the others stay asleep); timeouts and
 * signals ending each kind of wait; an epoll set inside poll and inside
 * another set, and an entry added while a thread waits; wake-ups racing
 * the waiter's check (ping-pong stress loops that would hang on a lost
 * wake-up); EOF/POLLHUP and POLLERR when the other end of a pipe closes
 * while a thread waits; a Unix socket becoming writable when its peer
 * reads, and hung up when the peer closes; pidfd, signalfd, timerfd and
 * inotify waking a poller.
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
#include <sys/inotify.h>
#include <sys/select.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/timerfd.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static int64_t now_ns(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (int64_t)t.tv_sec * 1000000000LL + t.tv_nsec;
}

static void sleep_ms(int ms)
{
	struct timespec t = {ms / 1000, (long)(ms % 1000) * 1000000L};
	while (nanosleep(&t, &t) < 0 && errno == EINTR)
		;
}

/* Waits (up to 20 s) until *v reaches want; returns the value seen. */
static int wait_for_count(volatile int *v, int want)
{
	int64_t end = now_ns() + 20000000000LL;
	while (__atomic_load_n(v, __ATOMIC_SEQ_CST) < want && now_ns() < end)
		sleep_ms(2);
	return __atomic_load_n(v, __ATOMIC_SEQ_CST);
}

/* ---------------------------------------------------------------- */
/* Many threads, each polling its own object: only the right one wakes. */

#define POLLERS 8

enum how { BY_POLL, BY_SELECT, BY_EPOLL, BY_PPOLL };

struct poller {
	int fd;          /* read end or eventfd */
	int wfd;         /* write end (pipes) or the eventfd */
	int is_eventfd;
	enum how how;
	volatile int woken;   /* returns from the wait with the fd ready */
	volatile int bad;     /* returns without it */
	pthread_t thread;
};

static struct poller pollers[POLLERS];

static int wait_readable(int fd, enum how how)
{
	switch (how) {
	case BY_POLL: {
		struct pollfd p = {fd, POLLIN, 0};
		int n = poll(&p, 1, -1);
		return n == 1 && (p.revents & POLLIN);
	}
	case BY_SELECT: {
		fd_set r;
		FD_ZERO(&r);
		FD_SET(fd, &r);
		int n = select(fd + 1, &r, NULL, NULL, NULL);
		return n == 1 && FD_ISSET(fd, &r);
	}
	case BY_EPOLL: {
		int ep = epoll_create1(0);
		struct epoll_event e = {.events = EPOLLIN, .data.fd = fd};
		epoll_ctl(ep, EPOLL_CTL_ADD, fd, &e);
		struct epoll_event out;
		int n = epoll_wait(ep, &out, 1, -1);
		close(ep);
		return n == 1 && out.data.fd == fd && (out.events & EPOLLIN);
	}
	case BY_PPOLL: {
		struct pollfd p = {fd, POLLIN, 0};
		int n = ppoll(&p, 1, NULL, NULL);
		return n == 1 && (p.revents & POLLIN);
	}
	}
	return 0;
}

static void *poller_main(void *arg)
{
	struct poller *p = arg;
	for (;;) {
		int ok = wait_readable(p->fd, p->how);
		if (!ok) {
			if (errno == EINTR)
				continue;
			__atomic_add_fetch(&p->bad, 1, __ATOMIC_SEQ_CST);
			return NULL;
		}
		if (p->is_eventfd) {
			uint64_t v;
			if (read(p->fd, &v, 8) != 8)
				__atomic_add_fetch(&p->bad, 1, __ATOMIC_SEQ_CST);
			__atomic_add_fetch(&p->woken, 1, __ATOMIC_SEQ_CST);
			if (v >= 1000)
				return NULL;
		} else {
			char c;
			ssize_t n = read(p->fd, &c, 1);
			if (n != 1)
				__atomic_add_fetch(&p->bad, 1, __ATOMIC_SEQ_CST);
			__atomic_add_fetch(&p->woken, 1, __ATOMIC_SEQ_CST);
			if (n != 1 || c == 'q')
				return NULL;
		}
	}
}

static void poke(struct poller *p, int last)
{
	if (p->is_eventfd) {
		uint64_t v = last ? 1000 : 1;
		write(p->wfd, &v, 8);
	} else {
		write(p->wfd, last ? "q" : "x", 1);
	}
}

static void test_many_pollers(void)
{
	for (int i = 0; i < POLLERS; i++) {
		struct poller *p = &pollers[i];
		p->is_eventfd = i % 2;
		p->how = (enum how)((i / 2) % 4);
		if (p->is_eventfd) {
			p->fd = p->wfd = eventfd(0, 0);
		} else {
			int fds[2];
			pipe(fds);
			p->fd = fds[0];
			p->wfd = fds[1];
		}
		pthread_create(&p->thread, NULL, poller_main, p);
	}
	sleep_ms(100); /* let them all block */
	int stray = 0, missed = 0;
	/* Two rounds, each poking every poller once, in a scrambled order. */
	int total[POLLERS] = {0};
	for (int round = 0; round < 2; round++) {
		for (int k = 0; k < POLLERS; k++) {
			int i = (k * 3 + round) % POLLERS;
			poke(&pollers[i], 0);
			total[i]++;
			if (wait_for_count(&pollers[i].woken, total[i]) != total[i])
				missed++;
			sleep_ms(10);
			for (int j = 0; j < POLLERS; j++)
				if (pollers[j].woken != total[j])
					stray++;
		}
	}
	CHECK_EQ(missed, 0, "each poked poller (poll, select, epoll, ppoll; pipe, eventfd) woke");
	CHECK_EQ(stray, 0, "no other poller returned from its wait");
	for (int i = 0; i < POLLERS; i++)
		poke(&pollers[i], 1);
	int bad = 0;
	for (int i = 0; i < POLLERS; i++) {
		pthread_join(pollers[i].thread, NULL);
		bad += pollers[i].bad;
		if (pollers[i].woken != total[i] + 1)
			bad++;
		close(pollers[i].fd);
		if (!pollers[i].is_eventfd)
			close(pollers[i].wfd);
	}
	CHECK_EQ(bad, 0, "every poller saw exactly its own wake-ups, each with its fd ready");
}

/* ---------------------------------------------------------------- */
/* Timeouts. */

static void test_timeouts(void)
{
	int p[2];
	pipe(p);
	int64_t t0 = now_ns();
	struct pollfd pf = {p[0], POLLIN, 0};
	CHECK_EQ(poll(&pf, 1, 60), 0, "poll on an empty pipe times out");
	CHECK(now_ns() - t0 >= 55000000LL, "poll waited its timeout");

	fd_set r;
	FD_ZERO(&r);
	FD_SET(p[0], &r);
	struct timeval tv = {0, 60000};
	t0 = now_ns();
	CHECK_EQ(select(p[0] + 1, &r, NULL, NULL, &tv), 0, "select on an empty pipe times out");
	CHECK(now_ns() - t0 >= 55000000LL, "select waited its timeout");
	CHECK(!FD_ISSET(p[0], &r), "select cleared the set");

	int ep = epoll_create1(0);
	struct epoll_event e = {.events = EPOLLIN, .data.u32 = 7};
	CHECK_EQ(epoll_ctl(ep, EPOLL_CTL_ADD, p[0], &e), 0, "epoll_ctl ADD");
	struct epoll_event out;
	t0 = now_ns();
	CHECK_EQ(epoll_wait(ep, &out, 1, 60), 0, "epoll_wait on an empty pipe times out");
	CHECK(now_ns() - t0 >= 55000000LL, "epoll_wait waited its timeout");

	struct timespec ts = {0, 60000000};
	t0 = now_ns();
	CHECK_EQ(ppoll(&pf, 1, &ts, NULL), 0, "ppoll on an empty pipe times out");
	CHECK(now_ns() - t0 >= 55000000LL, "ppoll waited its timeout");

	/* An empty epoll set and poll with no fds are sleeps. */
	int empty = epoll_create1(0);
	t0 = now_ns();
	CHECK_EQ(epoll_wait(empty, &out, 1, 40), 0, "epoll_wait on an empty set times out");
	CHECK(now_ns() - t0 >= 35000000LL, "and waited");
	close(empty);

	/* Ready before the timeout: returns early. */
	write(p[1], "a", 1);
	t0 = now_ns();
	CHECK_EQ(epoll_wait(ep, &out, 1, 5000), 1, "epoll_wait returns what is ready at once");
	CHECK_EQ(out.data.u32, 7, "with the entry's data");
	CHECK(now_ns() - t0 < 4000000000LL, "without waiting for the timeout");
	close(ep);
	close(p[0]);
	close(p[1]);
}

/* ---------------------------------------------------------------- */
/* Signals end every kind of wait. */

static volatile int got_usr1;
static void on_usr1(int sig)
{
	(void)sig;
	got_usr1++;
}

struct killer {
	pthread_t target;
	int delay_ms;
};

static void *killer_main(void *arg)
{
	struct killer *k = arg;
	sleep_ms(k->delay_ms);
	pthread_kill(k->target, SIGUSR1);
	return NULL;
}

static int interrupted_wait(enum how how, int fd)
{
	struct killer k = {pthread_self(), 50};
	pthread_t t;
	pthread_create(&t, NULL, killer_main, &k);
	int n = -2;
	errno = 0;
	switch (how) {
	case BY_POLL: {
		struct pollfd p = {fd, POLLIN, 0};
		n = poll(&p, 1, 10000);
		break;
	}
	case BY_SELECT: {
		fd_set r;
		FD_ZERO(&r);
		FD_SET(fd, &r);
		struct timeval tv = {10, 0};
		n = select(fd + 1, &r, NULL, NULL, &tv);
		break;
	}
	case BY_EPOLL: {
		int ep = epoll_create1(0);
		struct epoll_event e = {.events = EPOLLIN, .data.fd = fd};
		epoll_ctl(ep, EPOLL_CTL_ADD, fd, &e);
		struct epoll_event out;
		n = epoll_wait(ep, &out, 1, 10000);
		int saved = errno;
		close(ep);
		errno = saved;
		break;
	}
	case BY_PPOLL: {
		struct pollfd p = {fd, POLLIN, 0};
		struct timespec ts = {10, 0};
		n = ppoll(&p, 1, &ts, NULL);
		break;
	}
	}
	int saved = errno;
	pthread_join(t, NULL);
	errno = saved;
	return n;
}

static void test_signals(void)
{
	struct sigaction sa = {0};
	sa.sa_handler = on_usr1;
	sigemptyset(&sa.sa_mask);
	sa.sa_flags = 0; /* no SA_RESTART: the wait fails with EINTR */
	sigaction(SIGUSR1, &sa, NULL);
	int p[2];
	pipe(p);
	static const char *names[] = {"poll", "select", "epoll_wait", "ppoll"};
	for (int h = 0; h < 4; h++) {
		int before = got_usr1;
		int64_t t0 = now_ns();
		int n = interrupted_wait((enum how)h, p[0]);
		int err = errno;
		CHECK(n == -1 && err == EINTR, "%s blocked on an empty pipe fails with EINTR on a signal (n=%d)",
		      names[h], n);
		CHECK(got_usr1 == before + 1 && now_ns() - t0 < 9000000000LL, "%s: the handler ran, before the timeout",
		      names[h]);
	}

	/* ppoll's mask: a signal blocked outside is taken inside. */
	sigset_t block, old, none;
	sigemptyset(&block);
	sigaddset(&block, SIGUSR1);
	sigemptyset(&none);
	pthread_sigmask(SIG_BLOCK, &block, &old);
	int before = got_usr1;
	struct killer k = {pthread_self(), 50};
	pthread_t t;
	pthread_create(&t, NULL, killer_main, &k);
	pthread_join(t, NULL);
	CHECK_EQ(got_usr1, before, "a blocked SIGUSR1 stays pending");
	struct pollfd pf = {p[0], POLLIN, 0};
	struct timespec ts = {10, 0};
	int64_t t0 = now_ns();
	errno = 0;
	int n = ppoll(&pf, 1, &ts, &none);
	CHECK(n == -1 && errno == EINTR, "ppoll with an empty mask takes the pending signal: EINTR");
	CHECK(got_usr1 == before + 1 && now_ns() - t0 < 9000000000LL, "at once, with the handler run");
	/* And one sent while ppoll sleeps with the mask. */
	k.delay_ms = 50;
	pthread_create(&t, NULL, killer_main, &k);
	errno = 0;
	n = ppoll(&pf, 1, &ts, &none);
	CHECK(n == -1 && errno == EINTR, "ppoll is woken by a signal its mask lets through");
	pthread_join(t, NULL);
	CHECK_EQ(got_usr1, before + 2, "its handler ran");
	/* epoll_pwait the same. */
	int ep = epoll_create1(0);
	struct epoll_event e = {.events = EPOLLIN, .data.fd = p[0]};
	epoll_ctl(ep, EPOLL_CTL_ADD, p[0], &e);
	pthread_create(&t, NULL, killer_main, &k);
	errno = 0;
	n = epoll_pwait(ep, &e, 1, 10000, &none);
	CHECK(n == -1 && errno == EINTR, "epoll_pwait is woken by a signal its mask lets through");
	pthread_join(t, NULL);
	CHECK_EQ(got_usr1, before + 3, "its handler ran");
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	close(ep);
	close(p[0]);
	close(p[1]);
}

/* ---------------------------------------------------------------- */
/* Event sets inside poll and inside other sets. */

struct delayed {
	int fd;
	int delay_ms;
	int action; /* 0: write a byte, 1: close, 2: eventfd add 1 */
};

static void *delayed_main(void *arg)
{
	struct delayed *d = arg;
	sleep_ms(d->delay_ms);
	if (d->action == 0) {
		write(d->fd, "z", 1);
	} else if (d->action == 1) {
		close(d->fd);
	} else {
		uint64_t one = 1;
		write(d->fd, &one, 8);
	}
	return NULL;
}

static pthread_t later(struct delayed *d)
{
	pthread_t t;
	pthread_create(&t, NULL, delayed_main, d);
	return t;
}

static void *adder_thread(void *arg)
{
	int *a = arg;
	sleep_ms(50);
	struct epoll_event e = {.events = EPOLLIN, .data.u32 = 9};
	epoll_ctl(a[0], EPOLL_CTL_ADD, a[1], &e);
	return NULL;
}

static void test_nested_sets(void)
{
	int p[2];
	pipe(p);
	int inner = epoll_create1(0);
	struct epoll_event e = {.events = EPOLLIN, .data.u32 = 1};
	epoll_ctl(inner, EPOLL_CTL_ADD, p[0], &e);

	struct pollfd pf = {inner, POLLIN, 0};
	CHECK_EQ(poll(&pf, 1, 0), 0, "an epoll set with nothing ready polls not ready");
	struct delayed d = {p[1], 50, 0};
	pthread_t t = later(&d);
	int n = poll(&pf, 1, 10000);
	CHECK(n == 1 && (pf.revents & POLLIN), "poll on an epoll set wakes when a watched pipe gets data");
	pthread_join(t, NULL);
	char c;
	read(p[0], &c, 1);

	int outer = epoll_create1(0);
	e.data.u32 = 2;
	CHECK_EQ(epoll_ctl(outer, EPOLL_CTL_ADD, inner, &e), 0, "an epoll set inside another");
	struct epoll_event out;
	CHECK_EQ(epoll_wait(outer, &out, 1, 0), 0, "the outer set has nothing yet");
	t = later(&d);
	n = epoll_wait(outer, &out, 1, 10000);
	CHECK(n == 1 && out.data.u32 == 2, "epoll_wait on the outer set wakes when the inner one's pipe gets data");
	pthread_join(t, NULL);
	read(p[0], &c, 1);

	/* An entry added while a thread waits on the set. */
	int ev = eventfd(1, 0); /* ready from the start */
	int arg[2] = {inner, ev};
	pthread_t adder;
	pthread_create(&adder, NULL, adder_thread, &arg);
	e.data.u32 = 0;
	n = epoll_wait(inner, &out, 1, 10000);
	CHECK(n == 1 && out.data.u32 == 9, "a ready entry added while a thread waits wakes it (n=%d)", n);
	pthread_join(adder, NULL);
	close(ev);
	close(outer);
	close(inner);
	close(p[0]);
	close(p[1]);
}


/* ---------------------------------------------------------------- */
/* Wake-ups racing the check: ping-pong through two objects. A lost
 * wake-up leaves a thread asleep until its 10 s timeout. */

#define ROUNDS 2000

struct pong {
	int in, out; /* this side's read fd and write fd */
	enum how how;
	int eventfds;
	int timeouts, errors;
	int ep; /* this side's epoll set (BY_EPOLL), made on first use */
};

static int wait_in(struct pong *s)
{
	for (;;) {
		int n;
		switch (s->how) {
		case BY_SELECT: {
			fd_set r;
			FD_ZERO(&r);
			FD_SET(s->in, &r);
			struct timeval tv = {10, 0};
			n = select(s->in + 1, &r, NULL, NULL, &tv);
			break;
		}
		case BY_EPOLL: {
			if (s->ep < 0) {
				s->ep = epoll_create1(0);
				struct epoll_event e = {.events = EPOLLIN, .data.fd = s->in};
				epoll_ctl(s->ep, EPOLL_CTL_ADD, s->in, &e);
			}
			struct epoll_event out;
			n = epoll_wait(s->ep, &out, 1, 10000);
			break;
		}
		default: {
			struct pollfd p = {s->in, POLLIN, 0};
			n = poll(&p, 1, 10000);
			break;
		}
		}
		if (n < 0 && errno == EINTR)
			continue;
		return n;
	}
}

static void pong_step_read(struct pong *s)
{
	if (s->eventfds) {
		uint64_t v;
		if (read(s->in, &v, 8) != 8)
			s->errors++;
	} else {
		char c;
		if (read(s->in, &c, 1) != 1)
			s->errors++;
	}
}

static void pong_step_write(struct pong *s)
{
	if (s->eventfds) {
		uint64_t v = 1;
		if (write(s->out, &v, 8) != 8)
			s->errors++;
	} else if (write(s->out, "p", 1) != 1) {
		s->errors++;
	}
}

static void *pong_main(void *arg)
{
	struct pong *s = arg;
	for (int i = 0; i < ROUNDS; i++) {
		int n = wait_in(s);
		if (n == 0) {
			s->timeouts++;
			break;
		}
		if (n < 0) {
			s->errors++;
			break;
		}
		pong_step_read(s);
		pong_step_write(s);
	}
	return NULL;
}

static void ping_pong(enum how how, int eventfds, const char *what)
{
	int a[2], b[2];
	if (eventfds) {
		a[0] = a[1] = eventfd(0, 0);
		b[0] = b[1] = eventfd(0, 0);
	} else {
		pipe(a);
		pipe(b);
	}
	struct pong ping = {b[0], a[1], how, eventfds, 0, 0, -1};
	struct pong pong = {a[0], b[1], how, eventfds, 0, 0, -1};
	pthread_t t;
	pthread_create(&t, NULL, pong_main, &pong);
	for (int i = 0; i < ROUNDS; i++) {
		pong_step_write(&ping);
		int n = wait_in(&ping);
		if (n == 0) {
			ping.timeouts++;
			break;
		}
		if (n < 0) {
			ping.errors++;
			break;
		}
		pong_step_read(&ping);
	}
	pthread_join(t, NULL);
	CHECK(ping.timeouts == 0 && pong.timeouts == 0, "%s: %d round trips, no lost wake-up (timeouts %d+%d)", what,
	      ROUNDS, ping.timeouts, pong.timeouts);
	CHECK(ping.errors == 0 && pong.errors == 0, "%s: every wait and transfer succeeded", what);
	if (ping.ep >= 0)
		close(ping.ep);
	if (pong.ep >= 0)
		close(pong.ep);
	close(a[0]);
	close(b[0]);
	if (!eventfds) {
		close(a[1]);
		close(b[1]);
	}
}

static void test_races(void)
{
	ping_pong(BY_POLL, 0, "poll, pipes");
	ping_pong(BY_POLL, 1, "poll, eventfds");
	ping_pong(BY_SELECT, 0, "select, pipes");
	ping_pong(BY_EPOLL, 0, "epoll, pipes");
	ping_pong(BY_EPOLL, 1, "epoll, eventfds");
}

/* ---------------------------------------------------------------- */
/* The other end closing while a thread waits. */

static void *drain_thread(void *arg)
{
	int fd = *(int *)arg;
	char buf[4096];
	sleep_ms(50);
	for (int i = 0; i < 4; i++)
		read(fd, buf, sizeof buf);
	return NULL;
}

static void test_hangups(void)
{
	int p[2];
	pipe(p);
	struct delayed d = {p[1], 50, 1};
	pthread_t t = later(&d);
	struct pollfd pf = {p[0], POLLIN, 0};
	int n = poll(&pf, 1, 10000);
	pthread_join(t, NULL);
	CHECK(n == 1 && (pf.revents & POLLHUP), "poll on a read end wakes with POLLHUP when the writer closes");
	char c;
	CHECK_EQ(read(p[0], &c, 1), 0, "and reads EOF");
	close(p[0]);

	/* Write end of a full pipe: the reader closing gives POLLERR. */
	pipe(p);
	fcntl(p[1], F_SETFL, O_NONBLOCK);
	char buf[4096];
	memset(buf, 'f', sizeof buf);
	while (write(p[1], buf, sizeof buf) > 0)
		;
	pf = (struct pollfd){p[1], POLLOUT, 0};
	CHECK_EQ(poll(&pf, 1, 0), 0, "a full pipe's write end is not writable");
	d = (struct delayed){p[0], 50, 1};
	t = later(&d);
	signal(SIGPIPE, SIG_IGN);
	n = poll(&pf, 1, 10000);
	pthread_join(t, NULL);
	CHECK(n == 1 && (pf.revents & POLLERR), "poll on it wakes with POLLERR when the reader closes");
	close(p[1]);

	/* The same through epoll. */
	pipe(p);
	int ep = epoll_create1(0);
	struct epoll_event e = {.events = EPOLLIN, .data.u32 = 5};
	epoll_ctl(ep, EPOLL_CTL_ADD, p[0], &e);
	d = (struct delayed){p[1], 50, 1};
	t = later(&d);
	struct epoll_event out;
	n = epoll_wait(ep, &out, 1, 10000);
	pthread_join(t, NULL);
	CHECK(n == 1 && (out.events & EPOLLHUP), "epoll_wait wakes with EPOLLHUP when the writer closes");
	close(ep);
	close(p[0]);

	/* Reading a full pipe makes its writer's poll return. */
	pipe(p);
	fcntl(p[1], F_SETFL, O_NONBLOCK);
	while (write(p[1], buf, sizeof buf) > 0)
		;
	pthread_t drainer;
	pthread_create(&drainer, NULL, drain_thread, &p[0]);
	pf = (struct pollfd){p[1], POLLOUT, 0};
	n = poll(&pf, 1, 10000);
	pthread_join(drainer, NULL);
	CHECK(n == 1 && (pf.revents & POLLOUT), "poll on a full pipe's write end wakes once the reader drains it");
	close(p[0]);
	close(p[1]);
}


/* ---------------------------------------------------------------- */
/* Unix sockets: writability comes from the peer's reads. */

struct sock_drain {
	int fd;
	long bytes;
};

static void *sock_drain_thread(void *arg)
{
	struct sock_drain *sd = arg;
	char buf[4096];
	sleep_ms(50);
	long got = 0;
	while (got < sd->bytes) {
		ssize_t n = read(sd->fd, buf, sizeof buf);
		if (n <= 0)
			break;
		got += n;
	}
	return NULL;
}

static void test_unix_sockets(void)
{
	int sv[2];
	CHECK_EQ(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0, "socketpair");
	fcntl(sv[0], F_SETFL, O_NONBLOCK);
	char buf[4096];
	memset(buf, 's', sizeof buf);
	long filled = 0;
	ssize_t w;
	while ((w = write(sv[0], buf, sizeof buf)) > 0)
		filled += w;
	CHECK(filled > 0 && errno == EAGAIN, "a stream socket fills up (%ld bytes)", filled);
	struct pollfd pf = {sv[0], POLLOUT, 0};
	CHECK_EQ(poll(&pf, 1, 0), 0, "a full socket is not writable");
	pthread_t t;
	/* Drain everything the peer holds, after a moment. */
	struct sock_drain sd = {sv[1], filled};
	pthread_create(&t, NULL, sock_drain_thread, &sd);
	int n = poll(&pf, 1, 10000);
	CHECK(n == 1 && (pf.revents & POLLOUT), "poll wakes with POLLOUT when the peer reads");
	pthread_join(t, NULL);

	/* epoll on the peer: readable when data comes, hung up on close. */
	int ep = epoll_create1(0);
	struct epoll_event e = {.events = EPOLLIN | EPOLLRDHUP, .data.u32 = 3};
	epoll_ctl(ep, EPOLL_CTL_ADD, sv[1], &e);
	struct epoll_event out;
	CHECK_EQ(epoll_wait(ep, &out, 1, 0), 0, "the drained peer has nothing to read");
	struct delayed d = {sv[0], 50, 0};
	pthread_t w1 = later(&d);
	n = epoll_wait(ep, &out, 1, 10000);
	pthread_join(w1, NULL);
	CHECK(n == 1 && (out.events & EPOLLIN), "epoll_wait on the peer wakes when data comes");
	char c;
	read(sv[1], &c, 1);
	d = (struct delayed){sv[0], 50, 1};
	w1 = later(&d);
	n = epoll_wait(ep, &out, 1, 10000);
	pthread_join(w1, NULL);
	CHECK(n == 1 && (out.events & EPOLLRDHUP), "and with EPOLLRDHUP when the other end closes");
	close(ep);
	close(sv[1]);

	/* Datagram pair: the receiver gets data while a poller waits. */
	CHECK_EQ(socketpair(AF_UNIX, SOCK_DGRAM, 0, sv), 0, "datagram socketpair");
	d = (struct delayed){sv[0], 50, 0};
	w1 = later(&d);
	pf = (struct pollfd){sv[1], POLLIN, 0};
	n = poll(&pf, 1, 10000);
	pthread_join(w1, NULL);
	CHECK(n == 1 && (pf.revents & POLLIN), "poll on a datagram socket wakes when a message comes");
	close(sv[0]);
	close(sv[1]);
}


/* ---------------------------------------------------------------- */
/* Other objects waking a poller. */

static void test_other_objects(void)
{
	/* pidfd: readable when the child exits. */
	pid_t child = fork();
	if (child == 0) {
		sleep_ms(80);
		_exit(0);
	}
	int pidfd = (int)syscall(SYS_pidfd_open, child, 0);
	CHECK(pidfd >= 0, "pidfd_open");
	struct pollfd pf = {pidfd, POLLIN, 0};
	int n = poll(&pf, 1, 10000);
	CHECK(n == 1 && (pf.revents & POLLIN), "poll on a pidfd wakes when the child exits");
	waitpid(child, NULL, 0);
	close(pidfd);

	/* signalfd: a signal sent to the process while a thread polls. */
	sigset_t set, old;
	sigemptyset(&set);
	sigaddset(&set, SIGUSR2);
	pthread_sigmask(SIG_BLOCK, &set, &old);
	int sfd = signalfd(-1, &set, 0);
	CHECK(sfd >= 0, "signalfd");
	child = fork();
	if (child == 0) {
		sleep_ms(80);
		kill(getppid(), SIGUSR2);
		_exit(0);
	}
	pf = (struct pollfd){sfd, POLLIN, 0};
	n = poll(&pf, 1, 10000);
	CHECK(n == 1 && (pf.revents & POLLIN), "poll on a signalfd wakes when a signal arrives");
	struct signalfd_siginfo si;
	CHECK_EQ(read(sfd, &si, sizeof si), (long)sizeof si, "and reads it");
	CHECK_EQ(si.ssi_signo, SIGUSR2, "SIGUSR2");
	waitpid(child, NULL, 0);
	close(sfd);
	pthread_sigmask(SIG_SETMASK, &old, NULL);

	/* timerfd expiring while polled through epoll. */
	int tfd = timerfd_create(CLOCK_MONOTONIC, 0);
	struct itimerspec its = {{0, 0}, {0, 50000000}};
	timerfd_settime(tfd, 0, &its, NULL);
	int ep = epoll_create1(0);
	struct epoll_event e = {.events = EPOLLIN, .data.u32 = 4};
	epoll_ctl(ep, EPOLL_CTL_ADD, tfd, &e);
	struct epoll_event out;
	n = epoll_wait(ep, &out, 1, 10000);
	CHECK(n == 1 && out.data.u32 == 4, "epoll_wait on a timerfd wakes when it expires");
	close(ep);
	close(tfd);

	/* inotify: an event while polled. */
	char dir[] = "/tmp/poll_many.XXXXXX";
	CHECK(mkdtemp(dir) != NULL, "a scratch directory");
	int in = inotify_init1(0);
	inotify_add_watch(in, dir, IN_CREATE);
	child = fork();
	if (child == 0) {
		char path[64];
		sleep_ms(80);
		snprintf(path, sizeof path, "%s/f", dir);
		close(open(path, O_CREAT | O_WRONLY, 0600));
		_exit(0);
	}
	pf = (struct pollfd){in, POLLIN, 0};
	n = poll(&pf, 1, 10000);
	CHECK(n == 1 && (pf.revents & POLLIN), "poll on inotify wakes when a file is created");
	waitpid(child, NULL, 0);
	close(in);
	char path[64];
	snprintf(path, sizeof path, "%s/f", dir);
	unlink(path);
	rmdir(dir);
}

/* ---------------------------------------------------------------- */
/* One object, several waiters: all wake (level-triggered poll). */

static volatile int shared_woken;
static int shared_fd;

static void *shared_waiter(void *arg)
{
	(void)arg;
	struct pollfd p = {shared_fd, POLLIN, 0};
	if (poll(&p, 1, 10000) == 1 && (p.revents & POLLIN))
		__atomic_add_fetch(&shared_woken, 1, __ATOMIC_SEQ_CST);
	return NULL;
}

static void test_shared_object(void)
{
	int p[2];
	pipe(p);
	shared_fd = p[0];
	pthread_t t[4];
	for (int i = 0; i < 4; i++)
		pthread_create(&t[i], NULL, shared_waiter, NULL);
	sleep_ms(80);
	write(p[1], "s", 1);
	for (int i = 0; i < 4; i++)
		pthread_join(t[i], NULL);
	CHECK_EQ(shared_woken, 4, "every poller of one pipe wakes when it gets data");
	close(p[0]);
	close(p[1]);
}

int main(void)
{
	test_many_pollers();
	test_timeouts();
	test_signals();
	test_nested_sets();
	test_races();
	test_hangups();
	test_unix_sockets();
	test_other_objects();
	test_shared_object();
	return check_done();
}
