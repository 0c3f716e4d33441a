/*
 * shared_waits.c - several threads blocked on one object at once, and the
 * terminal's VMIN/VTIME waits.
 *
 * When one write wakes several blocked readers (or one read wakes several
 * writers), only some of them find what they woke for: the rest must go
 * back to sleep. A kernel that acts on what the wait saw rather than what
 * is there when it acts returns EAGAIN (or EOF) from a blocking call. On
 * one CPU the window is small; on several it is wide open.
 *
 * The second half checks the non-canonical terminal read modes (POSIX's
 * four VMIN/VTIME cases) on a pseudo-terminal, where a read that finds
 * fewer than VMIN bytes must wait for more, not fail.
 */
#define _GNU_SOURCE
#include "check.h"
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <termios.h>
#include <time.h>

enum { THREADS = 4 };

static long long now_ms(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1000LL + t.tv_nsec / 1000000;
}

/* --- many readers and writers on one blocking pipe --- */

enum { RECORDS = 400, RECORD = 256 };
static int pipe_fds[2];
static atomic_long pipe_bytes;
static atomic_int pipe_errors;
static atomic_int pipe_bad_records;

static void *pipe_writer(void *arg)
{
	char rec[RECORD];
	memset(rec, 'a' + (int)(intptr_t)arg, sizeof rec);
	for (int i = 0; i < RECORDS; i++)
		if (write(pipe_fds[1], rec, sizeof rec) != RECORD)
			atomic_fetch_add(&pipe_errors, 1);
	return NULL;
}

static void *pipe_reader(void *arg)
{
	(void)arg;
	char rec[RECORD];
	for (;;) {
		/* whole records only: a write of RECORD <= PIPE_BUF bytes is atomic,
		 * and every read asks for exactly one record's worth */
		ssize_t n = read(pipe_fds[0], rec, sizeof rec);
		if (n == 0)
			return NULL;
		if (n < 0) {
			atomic_fetch_add(&pipe_errors, 1);
			return NULL;
		}
		atomic_fetch_add(&pipe_bytes, n);
		for (ssize_t i = 1; i < n; i++)
			if (rec[i] != rec[0]) {
				atomic_fetch_add(&pipe_bad_records, 1);
				break;
			}
	}
}

static void test_pipe_crowd(void)
{
	CHECK_EQ(pipe(pipe_fds), 0, "pipe");
	pthread_t r[THREADS], w[THREADS];
	for (int i = 0; i < THREADS; i++)
		pthread_create(&r[i], NULL, pipe_reader, NULL);
	for (int i = 0; i < THREADS; i++)
		pthread_create(&w[i], NULL, pipe_writer, (void *)(intptr_t)i);
	for (int i = 0; i < THREADS; i++)
		pthread_join(w[i], NULL);
	close(pipe_fds[1]);
	for (int i = 0; i < THREADS; i++)
		pthread_join(r[i], NULL);
	close(pipe_fds[0]);
	CHECK_EQ(atomic_load(&pipe_errors), 0, "no blocking pipe read or write failed with %d readers and %d writers",
		 THREADS, THREADS);
	CHECK_EQ(atomic_load(&pipe_bytes), (long)THREADS * RECORDS * RECORD, "readers got every byte");
	CHECK_EQ(atomic_load(&pipe_bad_records), 0, "no read mixed two writers' records");
}

/* --- a full pipe with several blocked writers and one slow reader --- */

static void *full_pipe_writer(void *arg)
{
	(void)arg;
	char rec[4096];
	memset(rec, 'w', sizeof rec);
	for (int i = 0; i < 64; i++)
		if (write(pipe_fds[1], rec, sizeof rec) != (ssize_t)sizeof rec)
			atomic_fetch_add(&pipe_errors, 1);
	return NULL;
}

static void test_full_pipe_writers(void)
{
	atomic_store(&pipe_errors, 0);
	CHECK_EQ(pipe(pipe_fds), 0, "pipe for blocked writers");
	pthread_t w[THREADS];
	for (int i = 0; i < THREADS; i++)
		pthread_create(&w[i], NULL, full_pipe_writer, NULL);
	long total = 0;
	char buf[1000]; /* smaller than a record: writers wake to too little room */
	while (total < (long)THREADS * 64 * 4096) {
		ssize_t n = read(pipe_fds[0], buf, sizeof buf);
		if (n <= 0)
			break;
		total += n;
	}
	for (int i = 0; i < THREADS; i++)
		pthread_join(w[i], NULL);
	close(pipe_fds[0]);
	close(pipe_fds[1]);
	CHECK_EQ(atomic_load(&pipe_errors), 0, "blocked writers of page-sized records never failed");
	CHECK_EQ(total, (long)THREADS * 64 * 4096, "reader got every byte of the blocked writers");
}

/* --- several readers of one semaphore eventfd --- */

enum { TOKENS = 2000 };
static int efd;
static atomic_int tokens_taken;
static atomic_int efd_errors;

static void *efd_reader(void *arg)
{
	(void)arg;
	for (;;) {
		uint64_t v;
		if (read(efd, &v, sizeof v) != (ssize_t)sizeof v || v != 1) {
			atomic_fetch_add(&efd_errors, 1);
			return NULL;
		}
		/* the tokens past TOKENS are one per reader, to end it */
		if (atomic_fetch_add(&tokens_taken, 1) + 1 > TOKENS)
			return NULL;
	}
}

static void test_eventfd_crowd(void)
{
	efd = eventfd(0, EFD_SEMAPHORE);
	CHECK(efd >= 0, "eventfd EFD_SEMAPHORE");
	pthread_t r[THREADS];
	for (int i = 0; i < THREADS; i++)
		pthread_create(&r[i], NULL, efd_reader, NULL);
	uint64_t one = 1;
	int write_errors = 0;
	for (int i = 0; i < TOKENS + THREADS; i++)
		if (write(efd, &one, sizeof one) != (ssize_t)sizeof one)
			write_errors++;
	for (int i = 0; i < THREADS; i++)
		pthread_join(r[i], NULL);
	close(efd);
	CHECK_EQ(write_errors, 0, "eventfd writes succeeded");
	CHECK_EQ(atomic_load(&efd_errors), 0, "no blocking eventfd read failed with %d readers", THREADS);
	CHECK_EQ(atomic_load(&tokens_taken), TOKENS + THREADS, "every token was read exactly once");
}

/* --- several readers of one Unix socket, datagrams and a stream --- */

enum { DATAGRAMS = 1500 };
static int sock[2];
static atomic_int sock_received;
static atomic_int sock_errors;

static void *sock_reader(void *arg)
{
	(void)arg;
	char buf[1];
	for (;;) {
		/* one byte at a time: each end marker reaches one reader, even
		 * on a stream, which keeps no boundaries */
		ssize_t n = recv(sock[1], buf, 1, 0);
		if (n <= 0) { /* 0 would be an end of file that is not one */
			atomic_fetch_add(&sock_errors, 1);
			return NULL;
		}
		if (buf[0] == 'E')
			return NULL;
		atomic_fetch_add(&sock_received, (int)n);
	}
}

static void test_socket_crowd(int type, const char *name)
{
	atomic_store(&sock_received, 0);
	atomic_store(&sock_errors, 0);
	CHECK_EQ(socketpair(AF_UNIX, type, 0, sock), 0, "socketpair %s", name);
	pthread_t r[THREADS];
	for (int i = 0; i < THREADS; i++)
		pthread_create(&r[i], NULL, sock_reader, NULL);
	int send_errors = 0;
	for (int i = 0; i < DATAGRAMS; i++)
		if (send(sock[0], "d", 1, 0) != 1)
			send_errors++;
	for (int i = 0; i < THREADS; i++)
		if (send(sock[0], "E", 1, 0) != 1)
			send_errors++;
	for (int i = 0; i < THREADS; i++)
		pthread_join(r[i], NULL);
	close(sock[0]);
	close(sock[1]);
	CHECK_EQ(send_errors, 0, "%s: sends succeeded", name);
	CHECK_EQ(atomic_load(&sock_errors), 0, "%s: no blocking recv failed or saw a false end with %d readers", name,
		 THREADS);
	CHECK_EQ(atomic_load(&sock_received), DATAGRAMS, "%s: readers got every byte once", name);
}

/* --- a pseudo-terminal: two readers of the master, two of the slave --- */

static int master, slave;
static atomic_int pty_errors;
static atomic_long master_bytes;

static void *master_reader(void *arg)
{
	(void)arg;
	char buf[64];
	for (;;) {
		ssize_t n = read(master, buf, sizeof buf);
		if (n < 0) {
			if (errno != EIO) /* every slave closed: the end */
				atomic_fetch_add(&pty_errors, 1);
			return NULL;
		}
		if (n == 0) {
			atomic_fetch_add(&pty_errors, 1);
			return NULL;
		}
		atomic_fetch_add(&master_bytes, n);
	}
}

static int open_pty(void)
{
	master = posix_openpt(O_RDWR | O_NOCTTY);
	if (master < 0 || grantpt(master) != 0 || unlockpt(master) != 0)
		return -1;
	slave = open(ptsname(master), O_RDWR | O_NOCTTY);
	return slave;
}

static void set_raw(int fd, int vmin, int vtime)
{
	struct termios t;
	tcgetattr(fd, &t);
	cfmakeraw(&t);
	t.c_cc[VMIN] = (cc_t)vmin;
	t.c_cc[VTIME] = (cc_t)vtime;
	tcsetattr(fd, TCSANOW, &t);
}

static void test_pty_master_readers(void)
{
	CHECK(open_pty() >= 0, "open a pseudo-terminal");
	set_raw(slave, 1, 0); /* no output processing: bytes in = bytes out */
	pthread_t r[2];
	for (int i = 0; i < 2; i++)
		pthread_create(&r[i], NULL, master_reader, NULL);
	char chunk[100];
	memset(chunk, 'x', sizeof chunk);
	long sent = 0;
	for (int i = 0; i < 200; i++)
		if (write(slave, chunk, sizeof chunk) == (ssize_t)sizeof chunk)
			sent += (long)sizeof chunk;
	/* wait for the readers to drain it before the last slave closes */
	long long give_up = now_ms() + 20000;
	while (atomic_load(&master_bytes) < sent && now_ms() < give_up)
		usleep(1000);
	close(slave);
	for (int i = 0; i < 2; i++)
		pthread_join(r[i], NULL);
	close(master);
	CHECK_EQ(sent, 20000, "slave wrote 20000 bytes");
	CHECK_EQ(atomic_load(&master_bytes), sent, "two blocked master readers got every byte");
	CHECK_EQ(atomic_load(&pty_errors), 0, "no master read failed or saw a false end");
}

static atomic_int lines_read;

static void *slave_line_reader(void *arg)
{
	(void)arg;
	char buf[64];
	for (;;) {
		ssize_t n = read(slave, buf, sizeof buf);
		if (n <= 0) {
			atomic_fetch_add(&pty_errors, 1);
			return NULL;
		}
		if (buf[n - 1] != '\n')
			atomic_fetch_add(&pty_errors, 1);
		if (n == 5 && memcmp(buf, "stop\n", 5) == 0)
			return NULL;
		atomic_fetch_add(&lines_read, 1);
	}
}

static void test_pty_slave_line_readers(void)
{
	atomic_store(&pty_errors, 0);
	CHECK(open_pty() >= 0, "open a pseudo-terminal for line readers");
	struct termios t;
	tcgetattr(slave, &t);
	t.c_lflag &= ~(tcflag_t)ECHO; /* nobody reads the master's echo */
	tcsetattr(slave, TCSANOW, &t);
	pthread_t r[2];
	for (int i = 0; i < 2; i++)
		pthread_create(&r[i], NULL, slave_line_reader, NULL);
	for (int i = 0; i < 300; i++) {
		if (write(master, "line\n", 5) != 5)
			atomic_fetch_add(&pty_errors, 1);
		if (i % 16 == 0)
			usleep(500); /* let readers block between bursts */
	}
	for (int i = 0; i < 2; i++)
		write(master, "stop\n", 5);
	for (int i = 0; i < 2; i++)
		pthread_join(r[i], NULL);
	close(slave);
	close(master);
	CHECK_EQ(atomic_load(&lines_read), 300, "two canonical readers of one terminal read every line once");
	CHECK_EQ(atomic_load(&pty_errors), 0, "no canonical read failed or returned part of a line");
}

/* --- VMIN and VTIME --- */

struct timed_read {
	char buf[16];
	ssize_t n;
	int err;
	long long ms;
};

static void *timed_reader(void *arg)
{
	struct timed_read *r = arg;
	long long start = now_ms();
	r->n = read(slave, r->buf, sizeof r->buf);
	r->err = r->n < 0 ? errno : 0;
	r->ms = now_ms() - start;
	return NULL;
}

static void test_vmin_vtime(void)
{
	CHECK(open_pty() >= 0, "open a pseudo-terminal for VMIN/VTIME");
	struct timed_read r;
	pthread_t th;

	/* VMIN 5, VTIME 0: waits for five bytes, across two writes */
	set_raw(slave, 5, 0);
	memset(&r, 0, sizeof r);
	pthread_create(&th, NULL, timed_reader, &r);
	write(master, "ab", 2);
	usleep(100000);
	write(master, "cde", 3);
	pthread_join(th, NULL);
	CHECK_EQ(r.n, 5, "VMIN=5 VTIME=0: read waits for 5 bytes across two writes (errno %d)", r.err);
	CHECK(r.ms >= 80, "VMIN=5 VTIME=0: read waited for the second write (%lld ms)", r.ms);

	/* VMIN 5, VTIME 2: one byte already queued; the inter-byte timer ends it */
	set_raw(slave, 5, 2);
	write(master, "z", 1);
	usleep(20000);
	memset(&r, 0, sizeof r);
	timed_reader(&r);
	CHECK_EQ(r.n, 1, "VMIN=5 VTIME=2: one queued byte is returned when the timer runs out (errno %d)", r.err);
	CHECK(r.ms >= 150 && r.ms < 5000, "VMIN=5 VTIME=2: after about 0.2 s (%lld ms)", r.ms);

	/* VMIN 5, VTIME 2: bytes keep coming faster than the timer: all 5 */
	memset(&r, 0, sizeof r);
	pthread_create(&th, NULL, timed_reader, &r);
	for (int i = 0; i < 5; i++) {
		usleep(50000);
		write(master, "q", 1);
	}
	pthread_join(th, NULL);
	CHECK_EQ(r.n, 5, "VMIN=5 VTIME=2: bytes 50 ms apart fill the read (errno %d)", r.err);

	/* VMIN 0, VTIME 2: nothing arrives, the read returns 0 after 0.2 s */
	set_raw(slave, 0, 2);
	memset(&r, 0, sizeof r);
	timed_reader(&r);
	CHECK_EQ(r.n, 0, "VMIN=0 VTIME=2: nothing arrives, read returns 0 (errno %d)", r.err);
	CHECK(r.ms >= 150 && r.ms < 5000, "VMIN=0 VTIME=2: after about 0.2 s (%lld ms)", r.ms);

	/* VMIN 0, VTIME 0: never waits */
	set_raw(slave, 0, 0);
	memset(&r, 0, sizeof r);
	timed_reader(&r);
	CHECK_EQ(r.n, 0, "VMIN=0 VTIME=0: read with nothing queued returns 0 at once");

	/* VMIN 3, VTIME 0: more than VMIN queued, all of it (up to the buffer) */
	set_raw(slave, 3, 0);
	write(master, "1234", 4);
	usleep(20000);
	memset(&r, 0, sizeof r);
	timed_reader(&r);
	CHECK_EQ(r.n, 4, "VMIN=3 with 4 bytes queued returns 4");
	close(slave);
	close(master);
}

int main(void)
{
	test_pipe_crowd();
	test_full_pipe_writers();
	test_eventfd_crowd();
	test_socket_crowd(SOCK_DGRAM, "datagram socket");
	test_socket_crowd(SOCK_STREAM, "stream socket");
	test_pty_master_readers();
	test_pty_slave_line_readers();
	test_vmin_vtime();
	return check_done();
}
