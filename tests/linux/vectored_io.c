/*
 * vectored_io.c - preadv, pwritev, preadv2 and pwritev2 as raw system
 * calls: scattered transfers at an offset (the file position untouched),
 * the 64-bit offset in the low word (the high one ignored, as Linux's
 * pos_from_hilo), preadv2's -1 meaning the file position, the flags
 * (RWF_APPEND, RWF_NOAPPEND, RWF_NOWAIT on pipes, RWF_DSYNC/RWF_SYNC/
 * RWF_HIPRI accepted, unknown ones EOPNOTSUPP, APPEND with NOAPPEND
 * EINVAL) and Linux's errnos in its order (EINVAL for negative offsets
 * and bad counts, EBADF, ESPIPE, EISDIR, EFAULT).
 */
#define _GNU_SOURCE
#include "check.h"

#include <fcntl.h>
#include <pthread.h>
#include <limits.h>
#include <stdint.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <unistd.h>

#define RWF_HIPRI_ 0x01
#define RWF_DSYNC_ 0x02
#define RWF_SYNC_ 0x04
#define RWF_NOWAIT_ 0x08
#define RWF_APPEND_ 0x10
#define RWF_NOAPPEND_ 0x20

static long preadv_(int fd, const struct iovec *iov, long cnt, long lo, long hi)
{
	return syscall(SYS_preadv, fd, iov, cnt, lo, hi);
}

static long pwritev_(int fd, const struct iovec *iov, long cnt, long lo, long hi)
{
	return syscall(SYS_pwritev, fd, iov, cnt, lo, hi);
}

static long preadv2_(int fd, const struct iovec *iov, long cnt, long off, int flags)
{
	return syscall(SYS_preadv2, fd, iov, cnt, off, 0L, flags);
}

static long pwritev2_(int fd, const struct iovec *iov, long cnt, long off, int flags)
{
	return syscall(SYS_pwritev2, fd, iov, cnt, off, 0L, flags);
}

static int contents_are(int fd, const char *want)
{
	char buf[256] = {0};
	ssize_t n = pread(fd, buf, sizeof buf - 1, 0);
	return n == (ssize_t)strlen(want) && memcmp(buf, want, (size_t)n) == 0;
}

/* Two threads writev 100-byte records, each as two 50-byte halves, into
 * one pipe: a writev is one write, so no record may come out with another
 * writer's bytes inside it (on several CPUs a writev done as two writes
 * interleaves). */
#define RECORD 100
#define RECORDS 2000
static int atomic_pipe[2];

static void *writev_records(void *arg)
{
	char tag = (char)(intptr_t)arg;
	char rec[RECORD];
	memset(rec, tag, sizeof rec);
	struct iovec iov[2] = { { rec, RECORD / 2 }, { rec + RECORD / 2, RECORD / 2 } };
	for (int i = 0; i < RECORDS; i++)
		if (writev(atomic_pipe[1], iov, 2) != RECORD)
			return (void *)1;
	return NULL;
}

static int mixed_records(void)
{
	if (pipe(atomic_pipe) != 0)
		return -1;
	pthread_t a, b;
	pthread_create(&a, NULL, writev_records, (void *)(intptr_t)'a');
	pthread_create(&b, NULL, writev_records, (void *)(intptr_t)'b');
	int mixed = 0;
	char rec[RECORD];
	for (int i = 0; i < 2 * RECORDS; i++) {
		size_t got = 0;
		while (got < RECORD) {
			ssize_t n = read(atomic_pipe[0], rec + got, RECORD - got);
			if (n <= 0)
				return -1;
			got += (size_t)n;
		}
		for (int k = 1; k < RECORD; k++)
			if (rec[k] != rec[0]) {
				mixed++;
				break;
			}
	}
	void *ra, *rb;
	pthread_join(a, &ra);
	pthread_join(b, &rb);
	close(atomic_pipe[0]);
	close(atomic_pipe[1]);
	return ra || rb ? -1 : mixed;
}

int main(void)
{
	char *dir = check_scratch_dir("vectored");
	CHECK_BAIL(dir != NULL, "scratch directory");
	char path[700];
	snprintf(path, sizeof path, "%s/file", dir);
	int fd = open(path, O_CREAT | O_TRUNC | O_RDWR, 0600);
	CHECK_BAIL(fd >= 0, "a file");

	/* ---- pwritev / preadv ---- */
	char a[] = "abc", b[] = "defgh";
	struct iovec wv[3] = {{a, 3}, {NULL, 0}, {b, 5}};
	CHECK_EQ(pwritev_(fd, wv, 3, 2, 0), 8, "pwritev of two buffers (and an empty one) at 2");
	CHECK_EQ(lseek(fd, 0, SEEK_CUR), 0, "the file position did not move");
	char z[12];
	CHECK(pread(fd, z, 10, 0) == 10 && memcmp(z, "\0\0abcdefgh", 10) == 0, "written at 2, a hole before");
	char r1[4] = {0}, r2[4] = {0};
	struct iovec rv[2] = {{r1, 3}, {r2, 3}};
	CHECK_EQ(preadv_(fd, rv, 2, 3, 0), 6, "preadv scatters 6 bytes from 3");
	CHECK(memcmp(r1, "bcd", 3) == 0 && memcmp(r2, "efg", 3) == 0, "into both buffers in order");
	CHECK_EQ(lseek(fd, 0, SEEK_CUR), 0, "the file position still did not move");
	memset(r1, 0, 4);
	memset(r2, 0, 4);
	CHECK_EQ(preadv_(fd, rv, 2, 7, 0), 3, "preadv near the end is short");
	CHECK(memcmp(r1, "fgh", 3) == 0, "the first buffer got the rest");
	CHECK_EQ(preadv_(fd, rv, 2, 100, 0), 0, "preadv past the end reads nothing");
	CHECK_EQ(preadv_(fd, rv, 2, 2, 1), 6, "the high word of the offset is ignored on 64-bit");
	CHECK(memcmp(r1, "abc", 3) == 0, "read from the low word's offset");
	CHECK_EQ(preadv_(fd, rv, 0, 0, 0), 0, "no buffers: 0");

	/* ---- errors ---- */
	CHECK_ERR(preadv_(fd, rv, 2, -1, 0), EINVAL, "preadv at a negative offset");
	CHECK_ERR(pwritev_(fd, wv, 3, -5, 0), EINVAL, "pwritev at a negative offset");
	CHECK_ERR(preadv_(fd, rv, -1, 0, 0), EINVAL, "a count of -1");
	CHECK_ERR(preadv_(fd, rv, 1025, 0, 0), EINVAL, "more than UIO_MAXIOV buffers");
	struct iovec huge[2] = {{r1, 2}, {r2, (size_t)-1}};
	CHECK_ERR(preadv_(fd, huge, 2, 0, 0), EINVAL, "a negative length");
	huge[1].iov_len = (size_t)SSIZE_MAX;
	CHECK_ERR(preadv_(fd, huge, 2, 0, 0), EFAULT, "a buffer reaching past user space");
	CHECK_ERR(preadv_(fd, (struct iovec *)8, 1, 0, 0), EFAULT, "an unreadable vector");
	struct iovec bad = {(void *)8, 4};
	CHECK_ERR(preadv_(fd, &bad, 1, 0, 0), EFAULT, "a buffer that cannot be written");
	CHECK_ERR(pwritev_(fd, &bad, 1, 0, 0), EFAULT, "a buffer that cannot be read");
	CHECK_ERR(preadv_(99, rv, 2, 0, 0), EBADF, "a closed descriptor");
	CHECK_ERR(preadv_(99, rv, 2, -1, 0), EINVAL, "a negative offset comes before the descriptor");
	int wronly = open(path, O_WRONLY);
	int rdonly = open(path, O_RDONLY);
	CHECK_ERR(preadv_(wronly, rv, 2, 0, 0), EBADF, "preadv from a write-only descriptor");
	CHECK_ERR(pwritev_(rdonly, wv, 3, 0, 0), EBADF, "pwritev to a read-only descriptor");
	int d = open(dir, O_RDONLY | O_DIRECTORY);
	CHECK_ERR(preadv_(d, rv, 2, 0, 0), EISDIR, "preadv from a directory");
	int p[2];
	CHECK_BAIL(pipe(p) == 0, "a pipe");
	CHECK_ERR(preadv_(p[0], rv, 2, 0, 0), ESPIPE, "preadv from a pipe");
	CHECK_ERR(pwritev_(p[1], wv, 3, 0, 0), ESPIPE, "pwritev to a pipe");
	CHECK_ERR(preadv_(p[0], (struct iovec *)8, 1, 0, 0), ESPIPE, "ESPIPE before the vector is read");

	/* ---- preadv2 / pwritev2 ---- */
	lseek(fd, 2, SEEK_SET);
	memset(r1, 0, 4);
	CHECK_EQ(preadv2_(fd, rv, 1, -1, 0), 3, "preadv2 at -1 reads at the file position");
	CHECK(memcmp(r1, "abc", 3) == 0, "what was there");
	CHECK_EQ(lseek(fd, 0, SEEK_CUR), 5, "and moves it");
	CHECK_EQ(preadv2_(fd, rv, 1, 0, RWF_HIPRI_), 3, "RWF_HIPRI is accepted");
	CHECK_EQ(lseek(fd, 0, SEEK_CUR), 5, "an offset leaves the position alone");
	CHECK_EQ(preadv2_(fd, rv, 1, 3, RWF_NOWAIT_), 3, "RWF_NOWAIT on a file whose data is there");
	CHECK_ERR(preadv2_(fd, rv, 1, -2, 0), EINVAL, "preadv2 at -2");
	CHECK_ERR(preadv2_(fd, rv, 1, 0, 0x10000), EOPNOTSUPP, "an unknown flag");
	CHECK_ERR(preadv2_(fd, rv, 1, 0, -1), EOPNOTSUPP, "every flag");
	struct iovec empty = {r1, 0};
	CHECK_EQ(preadv2_(fd, &empty, 1, 0, 0x10000), 0, "nothing to read: the flags are not looked at");
	CHECK_ERR(preadv2_(p[0], rv, 1, 0, 0), ESPIPE, "preadv2 from a pipe at an offset");
	CHECK_ERR(preadv2_(p[0], rv, 1, -1, RWF_NOWAIT_), EAGAIN, "RWF_NOWAIT on an empty pipe");
	CHECK_EQ(pwritev2_(p[1], wv, 1, -1, 0), 3, "pwritev2 at -1 into a pipe");
	CHECK_EQ(preadv2_(p[0], rv, 2, -1, RWF_NOWAIT_), 3, "RWF_NOWAIT on a pipe with data");
	CHECK(memcmp(r1, "abc", 3) == 0, "the pipe's data");
	CHECK_EQ(write(p[1], "xyz", 3), 3, "3 more bytes into the pipe");
	CHECK_EQ(readv(p[0], rv, 2), 3, "readv of two buffers takes what the pipe has without waiting");
	CHECK_EQ(pwritev2_(p[1], wv, 1, -1, 0), 3, "and 3 more");
	CHECK_EQ(preadv2_(p[0], rv, 2, -1, 0), 3, "preadv2 at -1 the same");
	CHECK_ERR(preadv2_(d, rv, 1, -1, 0), EISDIR, "preadv2 from a directory");
	CHECK_ERR(pwritev2_(rdonly, wv, 1, -1, 0), EBADF, "pwritev2 to a read-only descriptor");

	/* A full pipe: RWF_NOWAIT does not wait for room. */
	int q[2];
	CHECK_BAIL(pipe2(q, O_NONBLOCK) == 0, "a non-blocking pipe");
	char block[4096];
	memset(block, 'x', sizeof block);
	while (write(q[1], block, sizeof block) > 0)
		;
	int fl = fcntl(q[1], F_GETFL);
	fcntl(q[1], F_SETFL, fl & ~O_NONBLOCK);
	CHECK_ERR(pwritev2_(q[1], wv, 1, -1, RWF_NOWAIT_), EAGAIN, "RWF_NOWAIT on a full pipe");
	close(q[0]);
	close(q[1]);

	/* Appending. */
	int t = open(path, O_RDWR | O_TRUNC);
	CHECK_BAIL(t >= 0, "the file emptied");
	struct iovec one = {a, 3}, two = {b, 2};
	CHECK_EQ(pwritev2_(t, &one, 1, -1, 0), 3, "pwritev2 at -1 writes at the position");
	CHECK_EQ(pwritev2_(t, &two, 1, 0, RWF_APPEND_), 2, "RWF_APPEND at offset 0");
	CHECK(contents_are(t, "abcde"), "went to the end, not to 0");
	CHECK_EQ(lseek(t, 0, SEEK_CUR), 3, "the position stays where it was");
	lseek(t, 1, SEEK_SET);
	CHECK_EQ(pwritev2_(t, &two, 1, -1, RWF_APPEND_), 2, "RWF_APPEND at -1");
	CHECK(contents_are(t, "abcdede"), "at the end again");
	CHECK_EQ(lseek(t, 0, SEEK_CUR), 7, "the position follows the write to the end");
	CHECK_ERR(pwritev2_(t, &two, 1, 0, RWF_APPEND_ | RWF_NOAPPEND_), EINVAL, "RWF_APPEND with RWF_NOAPPEND");
	CHECK_EQ(pwritev2_(t, &two, 1, 0, RWF_DSYNC_), 2, "RWF_DSYNC");
	CHECK_EQ(pwritev2_(t, &one, 1, 2, RWF_SYNC_), 3, "RWF_SYNC");
	CHECK(contents_are(t, "deabcde"), "both written in place");
	int app = open(path, O_RDWR | O_APPEND);
	CHECK_EQ(pwritev_(app, &two, 1, 0, 0), 2, "pwritev on an O_APPEND file");
	CHECK(contents_are(t, "deabcdede"), "appends whatever the offset, as Linux");
	CHECK_EQ(pwritev2_(app, &one, 1, 0, RWF_NOAPPEND_), 3, "RWF_NOAPPEND at offset 0");
	CHECK(contents_are(t, "abcbcdede"), "writes at the offset");
	lseek(app, 4, SEEK_SET);
	CHECK_EQ(pwritev2_(app, &two, 1, -1, RWF_NOAPPEND_), 2, "RWF_NOAPPEND at the position");
	CHECK(contents_are(t, "abcbdeede"), "at the position, not the end");
	CHECK_EQ(lseek(app, 0, SEEK_CUR), 6, "which moved past it");
	CHECK_EQ(pwritev2_(app, &two, 1, -1, 0), 2, "pwritev2 at -1 on an O_APPEND file");
	CHECK(contents_are(t, "abcbdeedede"), "appends");
	struct stat st;
	CHECK(fstat(t, &st) == 0 && st.st_size == 11, "the file is 11 bytes");

	close(app);
	close(t);
	close(p[0]);
	close(p[1]);
	close(d);
	close(wronly);
	close(rdonly);
	close(fd);
	unlink(path);
	rmdir(dir);
	CHECK_EQ(mixed_records(), 0, "two threads' 2-buffer writevs into one pipe never interleave (records mixed)");
	return check_done();
}
