/*
 * aio.c - Linux native asynchronous I/O: io_setup, io_submit,
 * io_getevents, io_pgetevents, io_cancel, io_destroy through raw system
 * calls (as LTP and libaio make them), the completion ring the context id
 * points at, /proc/sys/fs/aio-nr and aio-max-nr, eventfd notification.
 */
#define _GNU_SOURCE
#include "check.h"
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <sys/eventfd.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <time.h>

#ifndef SYS_io_pgetevents
#define SYS_io_pgetevents 333
#endif

typedef unsigned long aio_context_t;

enum { CMD_PREAD = 0, CMD_PWRITE = 1, CMD_FSYNC = 2, CMD_FDSYNC = 3, CMD_POLL = 5, CMD_NOOP = 6, CMD_PREADV = 7, CMD_PWRITEV = 8 };
#define FLAG_RESFD 1u
#define NOWAIT 0x8
#define RING_MAGIC 0xa10a10a1u

struct iocb {
	uint64_t aio_data;
	uint32_t aio_key;
	int32_t aio_rw_flags;
	uint16_t aio_lio_opcode;
	int16_t aio_reqprio;
	uint32_t aio_fildes;
	uint64_t aio_buf;
	uint64_t aio_nbytes;
	int64_t aio_offset;
	uint64_t aio_reserved2;
	uint32_t aio_flags;
	uint32_t aio_resfd;
};

struct io_event {
	uint64_t data;
	uint64_t obj;
	int64_t res;
	int64_t res2;
};

struct aio_ring {
	unsigned id, nr, head, tail, magic, compat_features, incompat_features, header_length;
	struct io_event events[];
};

static long io_setup(unsigned nr, aio_context_t *ctx) { return syscall(SYS_io_setup, nr, ctx); }
static long io_destroy(aio_context_t ctx) { return syscall(SYS_io_destroy, ctx); }
static long io_submit(aio_context_t ctx, long nr, struct iocb **list) { return syscall(SYS_io_submit, ctx, nr, list); }
static long io_cancel(aio_context_t ctx, struct iocb *cb, struct io_event *ev) { return syscall(SYS_io_cancel, ctx, cb, ev); }
static long io_getevents(aio_context_t ctx, long min, long nr, struct io_event *ev, struct timespec *t)
{
	return syscall(SYS_io_getevents, ctx, min, nr, ev, t);
}

static struct iocb prep(int op, int fd, void *buf, size_t len, long long off)
{
	struct iocb cb;
	memset(&cb, 0, sizeof cb);
	cb.aio_lio_opcode = (uint16_t)op;
	cb.aio_fildes = (uint32_t)fd;
	cb.aio_buf = (uint64_t)(uintptr_t)buf;
	cb.aio_nbytes = len;
	cb.aio_offset = off;
	return cb;
}

static long submit1(aio_context_t ctx, struct iocb *cb)
{
	struct iocb *list[1] = { cb };
	return io_submit(ctx, 1, list);
}

static long read_number(const char *path)
{
	char buf[64] = { 0 };
	int fd = open(path, O_RDONLY);
	if (fd < 0)
		return -1;
	ssize_t n = read(fd, buf, sizeof buf - 1);
	close(fd);
	return n > 0 ? atol(buf) : -1;
}

static void setup_errors(void)
{
	aio_context_t ctx = 0;
	CHECK_ERR(io_setup(1, NULL), EFAULT, "io_setup: NULL ctxp");
	ctx = 1;
	CHECK_ERR(io_setup(1, &ctx), EINVAL, "io_setup: *ctxp not 0");
	ctx = 0;
	CHECK_ERR(io_setup(0, &ctx), EINVAL, "io_setup: 0 events");
	CHECK_ERR(io_setup(-1u, &ctx), EINVAL, "io_setup: -1 events");
	long max = read_number("/proc/sys/fs/aio-max-nr");
	CHECK(max > 0, "/proc/sys/fs/aio-max-nr reads a number (%ld)", max);
	if (max > 0 && max < 0x7fffffff)
		CHECK_ERR(io_setup((unsigned)max + 1, &ctx), EAGAIN, "io_setup: more than aio-max-nr");
	CHECK_EQ(ctx, 0, "failed io_setup leaves ctxp alone");
	CHECK_ERR(io_destroy(0), EINVAL, "io_destroy: no such context");
	CHECK_ERR(io_destroy(~0ul), EINVAL, "io_destroy: ~0");
	CHECK_ERR(io_getevents(0, 0, 0, NULL, NULL), EINVAL, "io_getevents: no such context");
	CHECK_ERR(io_cancel(0, NULL, NULL), EFAULT, "io_cancel: NULL iocb is EFAULT before the context");
}

static void ring_and_files(void)
{
	aio_context_t ctx = 0;
	long before = read_number("/proc/sys/fs/aio-nr");
	CHECK_EQ(io_setup(8, &ctx), 0, "io_setup(8)");
	CHECK(ctx != 0, "the context id is not 0");
	long after = read_number("/proc/sys/fs/aio-nr");
	CHECK(after >= before + 8, "aio-nr counts the 8 requests (%ld -> %ld)", before, after);
	struct aio_ring *ring = (struct aio_ring *)ctx;
	CHECK_EQ(ring->magic, RING_MAGIC, "the id is the ring's address: magic");
	CHECK(ring->nr > 8, "ring: room for more than 8 events (%u)", ring->nr);
	CHECK_EQ(ring->head, 0, "ring: head 0");
	CHECK_EQ(ring->tail, 0, "ring: tail 0");
	CHECK_EQ(ring->header_length, sizeof(struct aio_ring), "ring: header_length");
	CHECK_EQ(ring->incompat_features, 0, "ring: no incompatible features");

	char path[] = "/tmp/aio-test-XXXXXX";
	int fd = mkstemp(path);
	CHECK(fd >= 0, "a scratch file");
	unlink(path);

	char out[] = "hello, asynchronous world";
	char in[64] = { 0 };
	struct iocb w = prep(CMD_PWRITE, fd, out, sizeof out, 100);
	w.aio_data = 0x1111;
	w.aio_key = 77;
	struct iocb r = prep(CMD_PREAD, fd, in, sizeof out, 100);
	r.aio_data = 0x2222;
	struct iocb *list[2] = { &w, &r };
	CHECK_EQ(io_submit(ctx, 2, list), 2, "io_submit: a write then a read of a file");
	CHECK_EQ(w.aio_key, 0, "io_submit writes KIOCB_KEY (0) into aio_key");
	struct io_event ev[4];
	memset(ev, 0, sizeof ev);
	struct timespec ts = { 5, 0 };
	long n = io_getevents(ctx, 2, 4, ev, &ts);
	CHECK_EQ(n, 2, "io_getevents: both");
	if (n == 2) {
		CHECK_EQ(ev[0].data, 0x1111, "first event: the write's aio_data");
		CHECK_EQ(ev[0].obj, (uintptr_t)&w, "first event: the write's iocb");
		CHECK_EQ(ev[0].res, (long)sizeof out, "first event: bytes written");
		CHECK_EQ(ev[1].data, 0x2222, "second event: the read's aio_data");
		CHECK_EQ(ev[1].res, (long)sizeof out, "second event: bytes read");
		CHECK_STR(in, out, "the read saw the write, at offset 100");
	}
	CHECK_EQ(ring->head, ring->tail, "ring: reaped, head meets tail");
	CHECK_EQ(lseek(fd, 0, SEEK_CUR), 0, "the file position did not move");

	/* Vectored, and a read past the end. */
	char a[6] = "abcde", b[6] = "fghij", c[5] = { 0 }, d[5] = { 0 }, far[8];
	struct iovec wv[2] = { { a, 5 }, { b, 5 } }, rv[2] = { { c, 4 }, { d, 4 } };
	struct iocb wv_cb = prep(CMD_PWRITEV, fd, wv, 2, 0);
	struct iocb rv_cb = prep(CMD_PREADV, fd, rv, 2, 1);
	struct iocb eof = prep(CMD_PREAD, fd, far, sizeof far, 1 << 20);
	struct iocb *vl[3] = { &wv_cb, &rv_cb, &eof };
	CHECK_EQ(io_submit(ctx, 3, vl), 3, "io_submit: PWRITEV, PREADV, a read past the end");
	n = io_getevents(ctx, 3, 3, ev, NULL);
	CHECK_EQ(n, 3, "io_getevents without a timeout");
	if (n == 3) {
		CHECK_EQ(ev[0].res, 10, "PWRITEV wrote both buffers");
		CHECK_EQ(ev[1].res, 8, "PREADV filled both buffers");
		CHECK(memcmp(c, "bcde", 4) == 0 && memcmp(d, "fghi", 4) == 0, "PREADV read from offset 1 across the buffers");
		CHECK_EQ(ev[2].res, 0, "a read past the end completes with 0");
	}

	/* fsync, and what is refused at submission. */
	struct iocb sync = prep(CMD_FSYNC, fd, NULL, 0, 0);
	struct iocb dsync = prep(CMD_FDSYNC, fd, NULL, 0, 0);
	struct iocb *sl[2] = { &sync, &dsync };
	CHECK_EQ(io_submit(ctx, 2, sl), 2, "io_submit: FSYNC and FDSYNC");
	n = io_getevents(ctx, 2, 2, ev, &ts);
	CHECK(n == 2 && ev[0].res == 0 && ev[1].res == 0, "both synced (n %ld)", n);
	struct iocb bad = prep(CMD_FSYNC, fd, NULL, 1, 0);
	CHECK_ERR(submit1(ctx, &bad), EINVAL, "FSYNC with a length");
	bad = prep(CMD_NOOP, fd, NULL, 0, 0);
	CHECK_ERR(submit1(ctx, &bad), EINVAL, "IOCB_CMD_NOOP is not implemented");
	bad = prep(99, fd, NULL, 0, 0);
	CHECK_ERR(submit1(ctx, &bad), EINVAL, "an unknown opcode");
	bad = prep(CMD_PREAD, fd, in, 4, 0);
	bad.aio_reserved2 = 1;
	CHECK_ERR(submit1(ctx, &bad), EINVAL, "aio_reserved2 set");
	bad = prep(CMD_PREAD, fd, in, 4, -1);
	CHECK_ERR(submit1(ctx, &bad), EINVAL, "a negative offset");
	bad = prep(CMD_PREAD, fd, in, 4, 0);
	bad.aio_rw_flags = 1 << 20;
	CHECK_ERR(submit1(ctx, &bad), EOPNOTSUPP, "an unknown RWF_ flag");
	bad = prep(CMD_PREAD, 9999, in, 4, 0);
	CHECK_ERR(submit1(ctx, &bad), EBADF, "no such descriptor");
	int ro = open("/proc/self/exe", O_RDONLY);
	bad = prep(CMD_PWRITE, ro, in, 4, 0);
	CHECK_ERR(submit1(ctx, &bad), EBADF, "a write to a read-only descriptor");
	close(ro);
	bad = prep(CMD_PREAD, fd, in, 4, 0);
	bad.aio_flags = FLAG_RESFD;
	bad.aio_resfd = 9999;
	CHECK_ERR(submit1(ctx, &bad), EBADF, "IOCB_FLAG_RESFD with no such descriptor");
	bad.aio_resfd = (uint32_t)fd;
	CHECK_ERR(submit1(ctx, &bad), EINVAL, "IOCB_FLAG_RESFD naming a file that is not an eventfd");

	struct iocb *nulls[1] = { NULL };
	CHECK_ERR(io_submit(ctx, 1, nulls), EFAULT, "io_submit: a NULL iocb pointer");
	CHECK_ERR(io_submit(ctx, 1, (struct iocb **)-1l), EFAULT, "io_submit: an unreadable list");
	CHECK_ERR(io_submit(ctx, -1, list), EINVAL, "io_submit: nr < 0");
	CHECK_ERR(io_submit(ctx + 4096, 1, list), EINVAL, "io_submit: no such context");
	CHECK_EQ(io_submit(ctx, 0, list), 0, "io_submit: nr 0");
	struct iocb good = prep(CMD_PREAD, fd, in, 1, 0);
	struct iocb broken = prep(CMD_PREAD, 9999, in, 1, 0);
	struct iocb *mixed[3] = { &good, &good, &broken };
	CHECK_EQ(io_submit(ctx, 3, mixed), 2, "io_submit: the count before a bad request");
	CHECK_EQ(io_getevents(ctx, 2, 2, ev, &ts), 2, "and those two complete");
	CHECK_ERR(io_cancel(ctx, &good, ev), EINVAL, "io_cancel: a finished request");

	/* eventfd notification. */
	int efd = eventfd(0, EFD_NONBLOCK);
	struct iocb note = prep(CMD_PREAD, fd, in, 4, 0);
	note.aio_flags = FLAG_RESFD;
	note.aio_resfd = (uint32_t)efd;
	struct iocb *nl[2] = { &note, &note };
	CHECK_EQ(io_submit(ctx, 2, nl), 2, "io_submit: two requests that signal an eventfd");
	CHECK_EQ(io_getevents(ctx, 2, 2, ev, &ts), 2, "both complete");
	uint64_t count = 0;
	CHECK(read(efd, &count, 8) == 8 && count == 2, "the eventfd counted both (%llu)", (unsigned long long)count);
	close(efd);

	/* Bad arguments to io_getevents. */
	CHECK_ERR(io_getevents(ctx, 2, 1, ev, NULL), EINVAL, "io_getevents: min_nr > nr");
	CHECK_ERR(io_getevents(ctx, -1, 1, ev, NULL), EINVAL, "io_getevents: min_nr < 0");
	CHECK_ERR(io_getevents(ctx, 0, 1, ev, (struct timespec *)-1l), EFAULT, "io_getevents: unreadable timeout");
	struct timespec zero = { 0, 0 };
	CHECK_EQ(io_getevents(ctx, 1, 1, ev, &zero), 0, "io_getevents: nothing there, zero timeout");
	struct timespec brief = { 0, 10 * 1000 * 1000 };
	CHECK_EQ(io_getevents(ctx, 1, 1, ev, &brief), 0, "io_getevents: nothing there, the timeout passes");

	/* Completions wait in the ring for io_getevents. */
	good = prep(CMD_PREAD, fd, in, 3, 0);
	CHECK_EQ(submit1(ctx, &good), 1, "one more read");
	CHECK(ring->tail != ring->head, "its completion is in the ring before io_getevents (head %u tail %u)", ring->head, ring->tail);
	CHECK_EQ(syscall(SYS_io_pgetevents, ctx, 1, 1, ev, &ts, NULL), 1, "io_pgetevents without a mask takes it");
	struct { const sigset_t *mask; size_t size; } usig;
	sigset_t set;
	sigemptyset(&set);
	usig.mask = &set;
	usig.size = 4;
	CHECK_ERR(syscall(SYS_io_pgetevents, ctx, 0, 1, ev, &zero, &usig), EINVAL, "io_pgetevents: a wrong sigset size");
	usig.size = 8;
	CHECK_EQ(syscall(SYS_io_pgetevents, ctx, 0, 1, ev, &zero, &usig), 0, "io_pgetevents with a mask");

	/* The context is not inherited over fork. */
	pid_t child = fork();
	if (child == 0)
		_exit(io_getevents(ctx, 0, 1, ev, &zero) == -1 && errno == EINVAL ? 0 : 1);
	int status = -1;
	waitpid(child, &status, 0);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0, "a forked child has no contexts (status %#x)", status);

	/* Nor over exec: the contexts go with the address space. */
	child = fork();
	if (child == 0) {
		char id[32];
		snprintf(id, sizeof id, "%lu", ctx);
		execl("/proc/self/exe", "aio", "after-exec", id, (char *)NULL);
		_exit(3);
	}
	status = -1;
	waitpid(child, &status, 0);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0, "after exec the context is gone (status %#x)", status);

	CHECK_EQ(io_destroy(ctx), 0, "io_destroy");
	CHECK_ERR(io_destroy(ctx), EINVAL, "io_destroy again");
	CHECK_ERR(io_getevents(ctx, 0, 1, ev, &zero), EINVAL, "io_getevents on a destroyed context");
	CHECK_EQ(read_number("/proc/sys/fs/aio-nr"), before, "aio-nr is back");
	close(fd);
}

/* A child that writes `text` into `fd` a moment from now. */
static pid_t writer(int fd, const char *text)
{
	pid_t pid = fork();
	if (pid == 0) {
		struct timespec t = { 0, 50 * 1000 * 1000 };
		nanosleep(&t, NULL);
		_exit(write(fd, text, strlen(text)) == (ssize_t)strlen(text) ? 0 : 1);
	}
	return pid;
}

static void pipes_and_poll(void)
{
	aio_context_t ctx = 0;
	CHECK_EQ(io_setup(4, &ctx), 0, "io_setup(4)");
	int p[2];
	CHECK_EQ(pipe(p), 0, "a pipe");
	char buf[32];
	struct io_event ev[2];
	struct timespec ts = { 10, 0 };

	struct iocb nowait = prep(CMD_PREAD, p[0], buf, sizeof buf, 0);
	nowait.aio_rw_flags = NOWAIT;
	CHECK_EQ(submit1(ctx, &nowait), 1, "RWF_NOWAIT read of an empty pipe: submitted");
	CHECK(io_getevents(ctx, 1, 1, ev, &ts) == 1 && ev[0].res == -EAGAIN, "it completes with -EAGAIN (res %lld)", (long long)ev[0].res);

	CHECK_EQ(write(p[1], "ready", 5), 5, "data in the pipe");
	struct iocb rd = prep(CMD_PREAD, p[0], buf, sizeof buf, 12345);
	CHECK_EQ(submit1(ctx, &rd), 1, "a read of a pipe with data (the offset means nothing there)");
	CHECK(io_getevents(ctx, 1, 1, ev, &ts) == 1 && ev[0].res == 5 && memcmp(buf, "ready", 5) == 0, "it reads what is there (res %lld)", (long long)ev[0].res);

	/* A read of an empty pipe completes once a writer comes. */
	memset(buf, 0, sizeof buf);
	pid_t child = writer(p[1], "later");
	rd = prep(CMD_PREAD, p[0], buf, sizeof buf, 0);
	rd.aio_data = 42;
	CHECK_EQ(submit1(ctx, &rd), 1, "a read of an empty pipe is submitted");
	long n = io_getevents(ctx, 1, 1, ev, &ts);
	CHECK(n == 1 && ev[0].data == 42 && ev[0].res == 5 && strcmp(buf, "later") == 0, "it completes with the writer's data (n %ld res %lld)", n, (long long)ev[0].res);
	waitpid(child, NULL, 0);

	/* Poll requests. */
	CHECK_EQ(write(p[1], "x", 1), 1, "one byte in the pipe");
	struct iocb pl = prep(CMD_POLL, p[0], NULL, 0, 0);
	pl.aio_buf = POLLIN;
	CHECK_EQ(submit1(ctx, &pl), 1, "IOCB_CMD_POLL for POLLIN on a readable pipe");
	CHECK(io_getevents(ctx, 1, 1, ev, &ts) == 1 && (ev[0].res & POLLIN), "it reports POLLIN (res %#llx)", (long long)ev[0].res);
	CHECK_EQ(read(p[0], buf, 1), 1, "the byte taken");

	pl = prep(CMD_POLL, p[0], NULL, 0, 0);
	pl.aio_buf = POLLIN;
	pl.aio_data = 7;
	CHECK_EQ(submit1(ctx, &pl), 1, "a poll request on an empty pipe is submitted");
	struct timespec zero = { 0, 0 };
	CHECK_EQ(io_getevents(ctx, 1, 1, ev, &zero), 0, "it has not completed");
	CHECK_ERR(io_cancel(ctx, &pl, ev), EINPROGRESS, "io_cancel of it: EINPROGRESS");
	n = io_getevents(ctx, 1, 1, ev, &ts);
	CHECK(n == 1 && ev[0].data == 7, "the cancelled poll's completion is delivered (n %ld)", n);

	child = writer(p[1], "y");
	pl = prep(CMD_POLL, p[0], NULL, 0, 0);
	pl.aio_buf = POLLIN;
	CHECK_EQ(submit1(ctx, &pl), 1, "another poll request on the empty pipe");
	n = io_getevents(ctx, 1, 1, ev, &ts);
	CHECK(n == 1 && (ev[0].res & POLLIN), "it completes with POLLIN once written (n %ld res %#llx)", n, (long long)ev[0].res);
	waitpid(child, NULL, 0);

	struct iocb bad = prep(CMD_POLL, p[0], NULL, 1, 0);
	CHECK_ERR(submit1(ctx, &bad), EINVAL, "IOCB_CMD_POLL with a length");
	bad = prep(CMD_FSYNC, p[0], NULL, 0, 0);
	CHECK_ERR(submit1(ctx, &bad), EINVAL, "IOCB_CMD_FSYNC on a pipe");

	/* In-flight requests are limited by the ring. */
	long accepted = 0;
	for (int i = 0; i < 4096; i++) {
		struct iocb w = prep(CMD_PWRITE, p[1], "", 0, 0);
		if (submit1(ctx, &w) != 1)
			break;
		accepted++;
	}
	CHECK(accepted >= 4 && accepted < 4096 && errno == EAGAIN, "unreaped requests fill the ring: EAGAIN after %ld", accepted);
	CHECK_EQ(io_destroy(ctx), 0, "io_destroy with completions unreaped");
	close(p[0]);
	close(p[1]);
}

int main(int argc, char **argv)
{
	if (argc == 3 && strcmp(argv[1], "after-exec") == 0) {
		/* Exec'd by ring_and_files with the id of a context from before. */
		struct io_event ev;
		struct timespec zero = { 0, 0 };
		return io_getevents(strtoul(argv[2], NULL, 10), 0, 1, &ev, &zero) == -1 && errno == EINVAL ? 0 : 1;
	}
	setup_errors();
	ring_and_files();
	pipes_and_poll();
	return check_done();
}
