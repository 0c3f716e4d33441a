/*
 * pipes_dup.c - pipes and file-descriptor table operations.
 *
 * pipe/pipe2 (O_CLOEXEC, O_NONBLOCK), read/write across fork, EOF once all
 * writers are closed, SIGPIPE/EPIPE when the readers are gone (default
 * action, ignored, and with a handler), PIPE_BUF atomicity with several
 * writers, dup/dup2/dup3, fcntl F_DUPFD/F_DUPFD_CLOEXEC/F_GETFD/F_SETFD/
 * F_GETFL/F_SETFL (O_NONBLOCK => EAGAIN), readv/writev, FIONREAD, and a
 * 1 MiB transfer through a pipe in each direction between processes.
 */
#define _GNU_SOURCE
#include "check.h"

#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <unistd.h>

static int fd_open(int fd)
{
	return fcntl(fd, F_GETFD) >= 0;
}

static ssize_t write_all(int fd, const void *buf, size_t len)
{
	const char *p = buf;
	size_t done = 0;
	while (done < len) {
		ssize_t n = write(fd, p + done, len - done);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		done += (size_t)n;
	}
	return (ssize_t)done;
}

static ssize_t read_full(int fd, void *buf, size_t len)
{
	char *p = buf;
	size_t done = 0;
	while (done < len) {
		ssize_t n = read(fd, p + done, len - done);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		if (n == 0)
			break;
		done += (size_t)n;
	}
	return (ssize_t)done;
}

/* waits for pid; returns exit status, or 1000+signal if killed */
static int wait_status(pid_t pid)
{
	int st;
	if (waitpid(pid, &st, 0) != pid)
		return -1;
	if (WIFEXITED(st))
		return WEXITSTATUS(st);
	if (WIFSIGNALED(st))
		return 1000 + WTERMSIG(st);
	return -2;
}

static void test_basic_pipe(void)
{
	int p[2];
	char buf[64];
	CHECK_EQ(pipe(p), 0, "pipe");
	CHECK(p[0] >= 0 && p[1] >= 0 && p[0] != p[1], "pipe returns two distinct fds");
	CHECK_EQ(fcntl(p[0], F_GETFL) & O_ACCMODE, O_RDONLY, "read end is O_RDONLY");
	CHECK_EQ(fcntl(p[1], F_GETFL) & O_ACCMODE, O_WRONLY, "write end is O_WRONLY");
	CHECK_EQ(fcntl(p[0], F_GETFD), 0, "pipe() fds are not close-on-exec");
	CHECK_EQ(write(p[1], "hello", 5), 5, "write 5 bytes to pipe");
	int avail = -1;
	CHECK(ioctl(p[0], FIONREAD, &avail) == 0 && avail == 5, "FIONREAD reports 5 bytes (%d)", avail);
	memset(buf, 0, sizeof buf);
	CHECK_EQ(read(p[0], buf, 3), 3, "partial read of 3 bytes");
	CHECK_EQ(read(p[0], buf + 3, sizeof buf - 3), 2, "read returns only what is buffered");
	CHECK_STR(buf, "hello", "pipe: read returns what was written");
	CHECK_EQ(read(p[0], buf, 0), 0, "zero-length read returns 0");
	CHECK_ERR(write(p[0], "x", 1), EBADF, "write to read end is EBADF");
	CHECK_ERR(read(p[1], buf, 1), EBADF, "read from write end is EBADF");
	struct stat st;
	CHECK(fstat(p[0], &st) == 0 && S_ISFIFO(st.st_mode), "fstat on pipe says S_ISFIFO");
	CHECK_EQ(close(p[1]), 0, "close write end");
	CHECK_EQ(read(p[0], buf, sizeof buf), 0, "read returns EOF (0) once the writer is closed");
	close(p[0]);

	CHECK_EQ(pipe2(p, O_CLOEXEC), 0, "pipe2 O_CLOEXEC");
	CHECK(fcntl(p[0], F_GETFD) == FD_CLOEXEC && fcntl(p[1], F_GETFD) == FD_CLOEXEC,
	      "pipe2 O_CLOEXEC sets FD_CLOEXEC on both ends");
	close(p[0]);
	close(p[1]);

	CHECK_EQ(pipe2(p, O_NONBLOCK), 0, "pipe2 O_NONBLOCK");
	CHECK((fcntl(p[0], F_GETFL) & O_NONBLOCK) && (fcntl(p[1], F_GETFL) & O_NONBLOCK),
	      "pipe2 O_NONBLOCK sets O_NONBLOCK on both ends");
	CHECK_ERR(read(p[0], buf, 1), EAGAIN, "read on empty O_NONBLOCK pipe is EAGAIN");
	close(p[0]);
	close(p[1]);
	CHECK_ERR(pipe2(p, 0x7fffffff), EINVAL, "pipe2 with bogus flags is EINVAL");
}

static void test_fork_pipe(void)
{
	int to_child[2], to_parent[2];
	pipe(to_child);
	pipe(to_parent);
	pid_t pid = fork();
	if (pid == 0) {
		close(to_child[1]);
		close(to_parent[0]);
		char buf[64];
		ssize_t n = read_full(to_child[0], buf, sizeof buf);
		/* echo back upper-cased; then EOF is seen by the parent */
		for (ssize_t i = 0; i < n; i++)
			if (buf[i] >= 'a' && buf[i] <= 'z')
				buf[i] = (char)(buf[i] - 32);
		write_all(to_parent[1], buf, (size_t)n);
		_exit(n == 11 ? 0 : 1);
	}
	CHECK(pid > 0, "fork");
	close(to_child[0]);
	close(to_parent[1]);
	CHECK_EQ(write(to_child[1], "hello world", 11), 11, "parent writes to child");
	close(to_child[1]); /* child's read_full sees EOF */
	char buf[64] = {0};
	CHECK_EQ(read_full(to_parent[0], buf, sizeof buf - 1), 11, "parent reads reply until EOF");
	CHECK_STR(buf, "HELLO WORLD", "child transformed data across fork");
	CHECK_EQ(wait_status(pid), 0, "child saw EOF after exactly 11 bytes");
	close(to_parent[0]);

	/* EOF needs *every* writer closed: a forked copy keeps it open */
	int p[2], go[2];
	pipe(p);
	pipe(go);
	pid = fork();
	if (pid == 0) {
		close(p[0]);
		close(go[1]);
		char c;
		read(go[0], &c, 1); /* hold p[1] until told */
		_exit(0);
	}
	close(p[1]);
	close(go[0]);
	fcntl(p[0], F_SETFL, O_NONBLOCK);
	char c;
	CHECK_ERR(read(p[0], &c, 1), EAGAIN, "no EOF while a child still holds the write end");
	write(go[1], "x", 1);
	wait_status(pid);
	CHECK_EQ(read(p[0], &c, 1), 0, "EOF once the child holding the write end exits");
	close(p[0]);
	close(go[1]);
}

static volatile sig_atomic_t sigpipe_count;
static volatile sig_atomic_t sigpipe_signo;
static void on_sigpipe(int sig)
{
	sigpipe_count++;
	sigpipe_signo = sig;
}

static void test_sigpipe(void)
{
	int p[2];

	/* default action kills the writer (read end closed before the fork,
	 * so no copy of it can exist when the child writes) */
	pipe(p);
	close(p[0]);
	pid_t pid = fork();
	if (pid == 0) {
		signal(SIGPIPE, SIG_DFL);
		write(p[1], "x", 1);
		_exit(77); /* not reached */
	}
	close(p[1]);
	CHECK_EQ(wait_status(pid), 1000 + SIGPIPE, "write with no reader kills with SIGPIPE by default");

	/* ignored: EPIPE */
	pipe(p);
	close(p[0]);
	signal(SIGPIPE, SIG_IGN);
	CHECK_ERR(write(p[1], "x", 1), EPIPE, "write with no reader and SIGPIPE ignored is EPIPE");
	/* with a handler: handler runs once, then EPIPE */
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_sigpipe;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGPIPE, &sa, NULL);
	sigpipe_count = 0;
	CHECK_ERR(write(p[1], "xy", 2), EPIPE, "write with no reader and a SIGPIPE handler is EPIPE");
	CHECK_EQ(sigpipe_count, 1, "SIGPIPE handler ran once");
	CHECK_EQ(sigpipe_signo, SIGPIPE, "handler got SIGPIPE");
	struct iovec iov = {"abc", 3};
	CHECK_ERR(writev(p[1], &iov, 1), EPIPE, "writev with no reader is EPIPE too");
	CHECK_EQ(sigpipe_count, 2, "SIGPIPE handler ran for writev");
	close(p[1]);
	signal(SIGPIPE, SIG_DFL);

	/* reader exits in another process while writer blocks on a full pipe */
	pipe(p);
	pid = fork();
	if (pid == 0) {
		close(p[1]);
		char buf[10];
		read(p[0], buf, 10);
		_exit(0);
	}
	close(p[0]);
	signal(SIGPIPE, SIG_IGN);
	static char chunk[4096];
	ssize_t r;
	int loops = 0;
	do {
		r = write(p[1], chunk, sizeof chunk);
	} while (r > 0 && ++loops < 100000);
	CHECK(r < 0 && errno == EPIPE, "blocked writer gets EPIPE when the reading process exits");
	wait_status(pid);
	close(p[1]);
	signal(SIGPIPE, SIG_DFL);
}

static void test_atomic_writes(void)
{
	/* 4 writers, each 64 records of 512 bytes (< PIPE_BUF): records never interleave */
	enum { WRITERS = 4, RECORDS = 64, RECSZ = 512 };
	int p[2];
	pipe(p);
	pid_t pids[WRITERS];
	for (int w = 0; w < WRITERS; w++) {
		pids[w] = fork();
		if (pids[w] == 0) {
			close(p[0]);
			char rec[RECSZ];
			for (int i = 0; i < RECORDS; i++) {
				memset(rec, 'A' + w, sizeof rec);
				rec[0] = (char)i;
				if (write(p[1], rec, sizeof rec) != RECSZ)
					_exit(1);
			}
			_exit(0);
		}
	}
	close(p[1]);
	int counts[WRITERS] = {0}, bad = 0, total = 0;
	char rec[RECSZ];
	for (;;) {
		ssize_t n = read_full(p[0], rec, sizeof rec);
		if (n == 0)
			break;
		if (n != RECSZ) {
			bad++;
			break;
		}
		int w = rec[1] - 'A';
		if (w < 0 || w >= WRITERS) {
			bad++;
			continue;
		}
		for (int i = 1; i < RECSZ; i++)
			if (rec[i] != 'A' + w)
				bad++;
		if (rec[0] != (char)counts[w])
			bad++; /* per-writer order preserved */
		counts[w]++;
		total++;
	}
	close(p[0]);
	int ok = 1;
	for (int w = 0; w < WRITERS; w++)
		ok &= wait_status(pids[w]) == 0;
	CHECK(ok, "all 4 writer processes succeeded");
	CHECK_EQ(total, WRITERS * RECORDS, "reader got every 512-byte record");
	CHECK_EQ(bad, 0, "records written with <= PIPE_BUF bytes never interleave and stay in order");
}

static void test_dup(void)
{
	char path[600], buf[32];
	snprintf(path, sizeof path, "%s/helctic-dup-%d", getenv("TMPDIR") && *getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp", (int)getpid());
	int fd = open(path, O_CREAT | O_RDWR | O_TRUNC, 0600);
	CHECK_BAIL(fd >= 0, "create scratch file %s", path);
	unlink(path);
	write(fd, "0123456789", 10);

	int lowest = open("/dev/null", O_RDONLY);
	close(lowest);
	int d = dup(fd);
	CHECK_EQ(d, lowest, "dup returns the lowest free descriptor");
	CHECK_EQ(lseek(d, 2, SEEK_SET), 2, "lseek on dup");
	CHECK_EQ(lseek(fd, 0, SEEK_CUR), 2, "dup shares the file offset");
	CHECK_EQ(read(fd, buf, 3), 3, "read on original");
	CHECK_EQ(lseek(d, 0, SEEK_CUR), 5, "offset advanced through the other fd");
	CHECK_EQ(fcntl(d, F_SETFL, O_APPEND), 0, "F_SETFL O_APPEND on dup");
	CHECK(fcntl(fd, F_GETFL) & O_APPEND, "file status flags are shared by dups");
	fcntl(d, F_SETFL, 0);
	CHECK_EQ(close(fd), 0, "close original");
	CHECK_EQ(pread(d, buf, 4, 6), 4, "dup still works after original closed");
	CHECK(memcmp(buf, "6789", 4) == 0, "dup reads the same file");

	CHECK_EQ(dup2(d, 100), 100, "dup2 to 100");
	CHECK_EQ(lseek(100, 0, SEEK_CUR), 5, "dup2 copy shares offset");
	int nul = open("/dev/null", O_RDONLY);
	CHECK_EQ(dup2(d, nul), nul, "dup2 onto an open fd");
	CHECK_EQ(pread(nul, buf, 1, 0), 1, "dup2 target now refers to the file (old one closed)");
	CHECK_EQ(dup2(d, d), d, "dup2(fd, fd) returns fd");
	CHECK_ERR(dup2(d, -1), EBADF, "dup2 to negative fd is EBADF");
	CHECK_ERR(dup2(999, 101), EBADF, "dup2 from closed fd is EBADF");
	fcntl(100, F_SETFD, FD_CLOEXEC);
	CHECK_EQ(dup2(d, 100), 100, "dup2 onto cloexec fd");
	CHECK_EQ(fcntl(100, F_GETFD), 0, "dup2 result is not close-on-exec");

	CHECK_EQ(dup3(d, 101, O_CLOEXEC), 101, "dup3 O_CLOEXEC");
	CHECK_EQ(fcntl(101, F_GETFD), FD_CLOEXEC, "dup3 O_CLOEXEC sets FD_CLOEXEC");
	CHECK_ERR(dup3(d, d, 0), EINVAL, "dup3(fd, fd) is EINVAL");
	CHECK_ERR(dup3(d, 102, 0x7fff0000), EINVAL, "dup3 bogus flags is EINVAL");

	int f = fcntl(d, F_DUPFD, 50);
	CHECK(f >= 50, "F_DUPFD 50 gives fd >= 50 (%d)", f);
	CHECK_EQ(fcntl(f, F_GETFD), 0, "F_DUPFD result not close-on-exec");
	int g = fcntl(d, F_DUPFD, 50);
	CHECK_EQ(g, f + 1, "second F_DUPFD 50 takes the next free fd");
	int h = fcntl(d, F_DUPFD_CLOEXEC, 60);
	CHECK(h >= 60 && fcntl(h, F_GETFD) == FD_CLOEXEC, "F_DUPFD_CLOEXEC");
	CHECK_EQ(fcntl(d, F_SETFD, FD_CLOEXEC), 0, "F_SETFD FD_CLOEXEC");
	CHECK_EQ(fcntl(d, F_GETFD), FD_CLOEXEC, "F_GETFD reads back FD_CLOEXEC");
	CHECK_EQ(fcntl(d, F_SETFD, 0), 0, "F_SETFD 0");
	CHECK_EQ(fcntl(d, F_GETFD), 0, "F_GETFD reads back 0");
	CHECK_EQ(fcntl(d, F_GETFL) & O_ACCMODE, O_RDWR, "F_GETFL access mode O_RDWR");
	CHECK_ERR(fcntl(999, F_GETFD), EBADF, "F_GETFD on closed fd is EBADF");

	close(f);
	close(g);
	close(h);
	close(100);
	close(101);
	close(nul);
	CHECK_EQ(close(d), 0, "close last reference");
	CHECK(!fd_open(d), "fd is closed");
}

static void test_nonblock(void)
{
	int p[2];
	char buf[8];
	pipe(p);
	int fl = fcntl(p[0], F_GETFL);
	CHECK_EQ(fcntl(p[0], F_SETFL, fl | O_NONBLOCK), 0, "F_SETFL O_NONBLOCK");
	CHECK(fcntl(p[0], F_GETFL) & O_NONBLOCK, "F_GETFL shows O_NONBLOCK");
	CHECK_ERR(read(p[0], buf, sizeof buf), EAGAIN, "read on empty non-blocking pipe is EAGAIN");
	write(p[1], "ab", 2);
	CHECK_EQ(read(p[0], buf, sizeof buf), 2, "non-blocking read returns available data");
	fcntl(p[1], F_SETFL, O_NONBLOCK);
	static char chunk[1024];
	long total = 0;
	ssize_t r;
	while ((r = write(p[1], chunk, sizeof chunk)) > 0)
		total += r;
	CHECK(r < 0 && errno == EAGAIN, "write to full non-blocking pipe is EAGAIN");
	CHECK(total >= 4096, "pipe buffered at least 4096 bytes before filling (%ld)", total);
	long drained = 0;
	while ((r = read(p[0], chunk, sizeof chunk)) > 0)
		drained += r;
	CHECK_EQ(drained, total, "drained exactly what was buffered");
	fcntl(p[0], F_SETFL, fl);
	CHECK_EQ(fcntl(p[0], F_GETFL) & O_NONBLOCK, 0, "F_SETFL clears O_NONBLOCK");
	close(p[0]);
	close(p[1]);
}

static void test_vectored(void)
{
	int p[2];
	pipe(p);
	struct iovec w[3] = {{"abc", 3}, {"", 0}, {"defghij", 7}};
	CHECK_EQ(writev(p[1], w, 3), 10, "writev gathers 3 buffers");
	char a[4] = {0}, b[16] = {0};
	struct iovec r[2] = {{a, 3}, {b, sizeof b - 1}};
	CHECK_EQ(readv(p[0], r, 2), 10, "readv scatters into 2 buffers");
	CHECK_STR(a, "abc", "readv first buffer");
	CHECK_STR(b, "defghij", "readv second buffer");
	CHECK_EQ(writev(p[1], w, 0), 0, "writev with 0 iovecs returns 0");
	struct iovec bad = {"x", (size_t)-1};
	CHECK_ERR(writev(p[1], &bad, 1), EINVAL, "writev with huge iov_len is EINVAL");
	close(p[0]);
	close(p[1]);
}

static unsigned char pattern_byte(size_t i)
{
	return (unsigned char)((i * 7 + (i >> 12)) & 0xff);
}

static void test_big_transfer(void)
{
	const size_t total = 1 << 20;
	int p[2];

	/* child -> parent, child writes in varying chunk sizes */
	pipe(p);
	pid_t pid = fork();
	if (pid == 0) {
		close(p[0]);
		unsigned char *buf = malloc(total);
		for (size_t i = 0; i < total; i++)
			buf[i] = pattern_byte(i);
		size_t off = 0, step = 1;
		while (off < total) {
			size_t n = step;
			if (n > total - off)
				n = total - off;
			if (write_all(p[1], buf + off, n) != (ssize_t)n)
				_exit(1);
			off += n;
			step = step * 3 + 1;
			if (step > 200000)
				step = 1;
		}
		_exit(0);
	}
	close(p[1]);
	unsigned char *buf = malloc(total + 1);
	size_t got = 0;
	ssize_t n;
	while ((n = read(p[0], buf + got, total + 1 - got)) > 0)
		got += (size_t)n;
	close(p[0]);
	CHECK_EQ(got, (long long)total, "1 MiB child->parent through a pipe");
	size_t mismatch = 0;
	for (size_t i = 0; i < got; i++)
		if (buf[i] != pattern_byte(i))
			mismatch++;
	CHECK_EQ(mismatch, 0, "1 MiB child->parent content intact");
	CHECK_EQ(wait_status(pid), 0, "writer child exited 0");

	/* parent -> child, child verifies */
	pipe(p);
	pid = fork();
	if (pid == 0) {
		close(p[1]);
		size_t g = 0, bad = 0;
		unsigned char b[3000];
		ssize_t k;
		while ((k = read(p[0], b, sizeof b)) > 0) {
			for (ssize_t i = 0; i < k; i++)
				if (b[i] != pattern_byte(g + (size_t)i))
					bad++;
			g += (size_t)k;
		}
		_exit(g == total && bad == 0 ? 0 : 1);
	}
	close(p[0]);
	for (size_t i = 0; i < total; i++)
		buf[i] = pattern_byte(i);
	CHECK_EQ(write_all(p[1], buf, total), (long long)total, "parent writes 1 MiB in one write call");
	close(p[1]);
	CHECK_EQ(wait_status(pid), 0, "child received 1 MiB parent->child intact");
	free(buf);
}

int main(void)
{
	test_basic_pipe();
	test_fork_pipe();
	test_sigpipe();
	test_atomic_writes();
	test_dup();
	test_nonblock();
	test_vectored();
	test_big_transfer();
	return check_done();
}
