/*
 * splice_copy.c - moving data inside the kernel. copy_file_range between
 * regular files: with and without offsets (a given offset is updated, the
 * file position is not), at the end of the input, within one file, and
 * Linux's errors (flags, pipes, directories, access modes, O_APPEND,
 * overlapping ranges). splice between a pipe and a file or another pipe:
 * offsets on the file side, ESPIPE for an offset on a pipe, EINVAL when
 * neither side is a pipe or both are the same pipe, EAGAIN with
 * SPLICE_F_NONBLOCK, 0 at the end of a pipe, EPIPE and SIGPIPE without
 * readers, and as much as the pipe has room for. tee: the input keeps
 * its bytes, as much as the output has room for, EINVAL for the same
 * pipe or a non-pipe, EAGAIN with SPLICE_F_NONBLOCK, 0 at the end.
 * vmsplice: user buffers into a pipe (waiting for room once, then what
 * fits; EAGAIN when full with SPLICE_F_NONBLOCK; SPLICE_F_GIFT accepted)
 * and a pipe's bytes into user buffers; EBADF for a file, EINVAL for
 * unknown flags or too many buffers.
 */
#define _GNU_SOURCE
#include "check.h"

#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <unistd.h>

#ifndef SPLICE_F_NONBLOCK
#define SPLICE_F_MOVE 1
#define SPLICE_F_NONBLOCK 2
#endif
#ifndef SPLICE_F_GIFT
#define SPLICE_F_GIFT 8
#endif
#ifndef F_SETPIPE_SZ
#define F_SETPIPE_SZ 1031
#endif

static long cfr(int in, int64_t *off_in, int out, int64_t *off_out, size_t len, unsigned flags)
{
	return syscall(SYS_copy_file_range, in, off_in, out, off_out, len, flags);
}

static long splice_(int in, int64_t *off_in, int out, int64_t *off_out, size_t len, unsigned flags)
{
	return syscall(SYS_splice, in, off_in, out, off_out, len, flags);
}

static long tee_(int in, int out, size_t len, unsigned flags)
{
	return syscall(SYS_tee, in, out, len, flags);
}

static long vmsplice_(int fd, const struct iovec *iov, unsigned long n, unsigned flags)
{
	return syscall(SYS_vmsplice, fd, iov, n, flags);
}

static int make_file(const char *dir, const char *name, const char *data, int flags)
{
	char path[700];
	snprintf(path, sizeof path, "%s/%s", dir, name);
	int fd = open(path, O_CREAT | O_TRUNC | O_RDWR | flags, 0600);
	if (fd >= 0 && data && write(fd, data, strlen(data)) != (ssize_t)strlen(data)) {
		close(fd);
		return -1;
	}
	return fd;
}

static int contents_are(int fd, const char *want)
{
	char buf[256] = {0};
	ssize_t n = pread(fd, buf, sizeof buf - 1, 0);
	return n == (ssize_t)strlen(want) && memcmp(buf, want, (size_t)n) == 0;
}

static volatile sig_atomic_t sigpipes;
static void on_sigpipe(int sig)
{
	(void)sig;
	sigpipes++;
}

int main(void)
{
	char *dir = check_scratch_dir("splice");
	CHECK_BAIL(dir != NULL, "scratch directory");

	/* ---- copy_file_range ---- */
	int src = make_file(dir, "src", "0123456789", 0);
	int dst = make_file(dir, "dst", NULL, 0);
	CHECK_BAIL(src >= 0 && dst >= 0, "two files");
	lseek(src, 0, SEEK_SET);
	CHECK_EQ(cfr(src, NULL, dst, NULL, 4, 0), 4, "copy 4 bytes at the positions");
	CHECK_EQ(lseek(src, 0, SEEK_CUR), 4, "the input position moved");
	CHECK_EQ(lseek(dst, 0, SEEK_CUR), 4, "the output position moved");
	CHECK(contents_are(dst, "0123"), "copied");
	int64_t in_off = 6, out_off = 10;
	CHECK_EQ(cfr(src, &in_off, dst, &out_off, 100, 0), 4, "copy with offsets stops at the end of the input");
	CHECK(in_off == 10 && out_off == 14, "both offsets moved (%lld, %lld)", (long long)in_off, (long long)out_off);
	CHECK_EQ(lseek(src, 0, SEEK_CUR), 4, "the input position did not");
	CHECK_EQ(lseek(dst, 0, SEEK_CUR), 4, "nor the output's");
	struct stat st;
	CHECK(fstat(dst, &st) == 0 && st.st_size == 14, "the output grew to 14 (a hole in between)");
	char buf[32];
	CHECK(pread(dst, buf, 14, 0) == 14 && memcmp(buf, "0123\0\0\0\0\0\0" "6789", 14) == 0, "the hole reads as zeros");
	in_off = 10;
	CHECK_EQ(cfr(src, &in_off, dst, NULL, 5, 0), 0, "at the end of the input: 0");
	CHECK_EQ(cfr(src, NULL, dst, NULL, 0, 0), 0, "a length of 0");

	/* Within one file: apart is fine, overlapping is not. */
	in_off = 0;
	out_off = 20;
	CHECK_EQ(cfr(src, &in_off, src, &out_off, 5, 0), 5, "within one file, ranges apart");
	CHECK(pread(src, buf, 5, 20) == 5 && memcmp(buf, "01234", 5) == 0, "copied inside the file");
	in_off = 0;
	out_off = 3;
	CHECK_ERR(cfr(src, &in_off, src, &out_off, 5, 0), EINVAL, "overlapping ranges");

	CHECK_ERR(cfr(src, NULL, dst, NULL, 1, 1), EINVAL, "a flag");
	int p[2];
	CHECK_BAIL(pipe(p) == 0, "a pipe");
	CHECK_ERR(cfr(p[0], NULL, dst, NULL, 1, 0), EINVAL, "from a pipe");
	CHECK_ERR(cfr(src, NULL, p[1], NULL, 1, 0), EINVAL, "to a pipe");
	int d = open(dir, O_RDONLY | O_DIRECTORY);
	CHECK_ERR(cfr(d, NULL, dst, NULL, 1, 0), EISDIR, "from a directory");
	close(d);
	char path[700];
	snprintf(path, sizeof path, "%s/src", dir);
	int wronly = open(path, O_WRONLY);
	CHECK_ERR(cfr(wronly, NULL, dst, NULL, 1, 0), EBADF, "from a write-only descriptor");
	int rdonly = open(path, O_RDONLY);
	CHECK_ERR(cfr(src, NULL, rdonly, NULL, 1, 0), EBADF, "to a read-only descriptor");
	int app = open(path, O_WRONLY | O_APPEND);
	CHECK_ERR(cfr(dst, NULL, app, NULL, 1, 0), EBADF, "to an O_APPEND descriptor");
	in_off = -5;
	CHECK_ERR(cfr(src, &in_off, dst, NULL, 1, 0), EINVAL, "a negative offset");
	in_off = -1;
	CHECK_ERR(cfr(src, &in_off, dst, NULL, 1, 0), EOVERFLOW, "an offset that wraps with the length");
	out_off = 1;
	CHECK_ERR(cfr(src, NULL, dst, &out_off, (size_t)-1, 0), EOVERFLOW, "an output range that wraps");
	int dst2 = make_file(dir, "dst2", NULL, 0);
	in_off = 0;
	out_off = 0;
	CHECK_EQ(cfr(src, &in_off, dst2, &out_off, (size_t)-1, 0), 25, "the largest length copies what there is");
	close(dst2);
	CHECK_ERR(cfr(src, (int64_t *)8, dst, NULL, 1, 0), EFAULT, "an unreadable offset");
	CHECK_ERR(cfr(99, NULL, dst, NULL, 1, 0), EBADF, "a closed descriptor");
	close(wronly);
	close(rdonly);
	close(app);

	/* ---- splice ---- */
	/* file -> pipe, at the position */
	lseek(src, 2, SEEK_SET);
	CHECK_EQ(splice_(src, NULL, p[1], NULL, 5, 0), 5, "splice 5 bytes from the file position into a pipe");
	CHECK_EQ(lseek(src, 0, SEEK_CUR), 7, "the file position moved");
	CHECK(read(p[0], buf, sizeof buf) == 5 && memcmp(buf, "23456", 5) == 0, "the pipe holds them");
	/* file -> pipe, at an offset */
	in_off = 3;
	CHECK_EQ(splice_(src, &in_off, p[1], NULL, 6, 0), 6, "from offset 3");
	CHECK_EQ(in_off, 9, "the offset moved");
	CHECK_EQ(lseek(src, 0, SEEK_CUR), 7, "the position did not");
	CHECK(read(p[0], buf, sizeof buf) == 6 && memcmp(buf, "345678", 6) == 0, "the pipe holds bytes 3-8");
	in_off = 25; /* the copy within the file made it 25 bytes long */
	CHECK_EQ(splice_(src, &in_off, p[1], NULL, 6, 0), 0, "from the end of the file: 0 (without waiting)");
	/* pipe -> file, at an offset */
	int out = make_file(dir, "out", NULL, 0);
	CHECK_EQ(write(p[1], "0123456789", 10), 10, "fill the pipe");
	out_off = 3;
	CHECK_EQ(splice_(p[0], NULL, out, &out_off, 6, 0), 6, "6 bytes into a file at offset 3");
	CHECK_EQ(out_off, 9, "the offset moved");
	CHECK_EQ(lseek(out, 0, SEEK_CUR), 0, "the position did not");
	CHECK(pread(out, buf, 9, 0) == 9 && memcmp(buf, "\0\0\0" "012345", 9) == 0, "written after a hole");
	/* pipe -> file at the position */
	CHECK_EQ(splice_(p[0], NULL, out, NULL, 100, 0), 4, "what is left, at the position");
	CHECK_EQ(lseek(out, 0, SEEK_CUR), 4, "the position moved");
	CHECK(pread(out, buf, 4, 0) == 4 && memcmp(buf, "6789", 4) == 0, "written at the start");
	/* pipe -> pipe */
	int q[2];
	CHECK_BAIL(pipe(q) == 0, "a second pipe");
	CHECK_EQ(write(p[1], "abcdef", 6), 6, "fill the first");
	CHECK_EQ(splice_(p[0], NULL, q[1], NULL, 4, 0), 4, "pipe to pipe");
	CHECK(read(q[0], buf, sizeof buf) == 4 && memcmp(buf, "abcd", 4) == 0, "moved in order");
	CHECK(read(p[0], buf, sizeof buf) == 2 && memcmp(buf, "ef", 2) == 0, "the rest stayed");
	/* Nothing to read. */
	CHECK_ERR(splice_(p[0], NULL, q[1], NULL, 4, SPLICE_F_NONBLOCK), EAGAIN, "an empty pipe with SPLICE_F_NONBLOCK");
	CHECK_ERR(splice_(p[0], NULL, out, NULL, 4, SPLICE_F_NONBLOCK), EAGAIN, "to a file, the same");
	/* Errors. */
	int64_t zero = 0;
	CHECK_ERR(splice_(p[0], &zero, out, NULL, 4, 0), ESPIPE, "an offset on the pipe side");
	CHECK_ERR(splice_(src, NULL, p[1], &zero, 4, 0), ESPIPE, "an offset on the output pipe");
	CHECK_ERR(splice_(src, NULL, dst, NULL, 4, 0), EINVAL, "neither side a pipe");
	CHECK_ERR(splice_(p[0], NULL, p[1], NULL, 4, 0), EINVAL, "a pipe into itself");
	CHECK_ERR(splice_(p[1], NULL, out, NULL, 4, 0), EBADF, "from a pipe's write end");
	CHECK_ERR(splice_(src, NULL, p[0], NULL, 4, 0), EBADF, "into a pipe's read end");
	CHECK_ERR(splice_(p[0], NULL, out, NULL, 4, 0x100), EINVAL, "an unknown flag");
	CHECK_EQ(splice_(p[0], NULL, out, NULL, 0, 0x100), 0, "a length of 0 (before the flags are checked)");
	app = make_file(dir, "append", NULL, O_APPEND);
	CHECK_EQ(write(p[1], "x", 1), 1, "one byte");
	CHECK_ERR(splice_(p[0], NULL, app, NULL, 1, 0), EINVAL, "into an O_APPEND file");
	CHECK(read(p[0], buf, 1) == 1, "the byte is still in the pipe");
	close(app);

	/* As much as the pipe has room for. */
	CHECK_EQ(fcntl(q[1], F_SETPIPE_SZ, 4096), 4096, "a one-page pipe");
	int big = make_file(dir, "big", NULL, 0);
	static char block[8192];
	memset(block, 'b', sizeof block);
	CHECK_EQ(write(big, block, sizeof block), 8192, "an 8 KiB file");
	in_off = 0;
	CHECK_EQ(splice_(big, &in_off, q[1], NULL, 8192, 0), 4096, "splice stops at the pipe's room");
	CHECK_ERR(splice_(big, &in_off, q[1], NULL, 8192, SPLICE_F_NONBLOCK), EAGAIN, "a full pipe with SPLICE_F_NONBLOCK");
	CHECK_EQ(in_off, 4096, "the offset moved by what went in");
	while (read(q[0], block, sizeof block) == 4096)
		break;

	/* End of a pipe and a pipe without readers. */
	close(p[1]);
	CHECK_EQ(splice_(p[0], NULL, out, NULL, 4, 0), 0, "an empty pipe without writers: 0");
	signal(SIGPIPE, on_sigpipe);
	close(q[0]);
	CHECK_ERR(splice_(src, &zero, q[1], NULL, 4, 0), EPIPE, "into a pipe without readers");
	CHECK_EQ(sigpipes, 1, "SIGPIPE");

	/* A writer blocked in splice wakes when a reader makes room. */
	int r[2];
	CHECK_BAIL(pipe(r) == 0, "a third pipe");
	fcntl(r[1], F_SETPIPE_SZ, 4096);
	CHECK_EQ(write(r[1], block, 4096), 4096, "full");
	pid_t pid = fork();
	if (pid == 0) {
		int64_t o = 0;
		_exit(splice_(src, &o, r[1], NULL, 3, 0) == 3 ? 0 : 1);
	}
	static char drain[4096];
	CHECK_EQ(read(r[0], drain, sizeof drain), 4096, "drain it");
	CHECK_EQ(check_wait(pid), 0, "the child's splice went through");
	CHECK(read(r[0], buf, 3) == 3 && memcmp(buf, "012", 3) == 0, "its bytes arrived");

	/* ---- tee ---- */
	int t1[2], t2[2], t3[2];
	CHECK_BAIL(pipe(t1) == 0 && pipe(t2) == 0 && pipe(t3) == 0, "three pipes for tee");
	CHECK_EQ(write(t1[1], "teedata", 7), 7, "fill the input");
	CHECK_EQ(tee_(t1[0], t2[1], 3, 0), 3, "tee 3 bytes");
	CHECK_EQ(tee_(t1[0], t3[1], 100, 0), 7, "tee all of it again");
	memset(buf, 0, sizeof buf);
	CHECK(read(t2[0], buf, sizeof buf) == 3 && memcmp(buf, "tee", 3) == 0, "the first output has the first 3");
	CHECK(read(t3[0], buf, sizeof buf) == 7 && memcmp(buf, "teedata", 7) == 0, "the second has all 7");
	CHECK(read(t1[0], buf, sizeof buf) == 7 && memcmp(buf, "teedata", 7) == 0, "the input still has them");
	CHECK_ERR(tee_(t1[0], t2[1], 4, SPLICE_F_NONBLOCK), EAGAIN, "an empty input with SPLICE_F_NONBLOCK");
	CHECK_ERR(tee_(t1[0], t1[1], 4, 0), EINVAL, "a pipe into itself");
	CHECK_ERR(tee_(t1[0], out, 4, 0), EINVAL, "into a file");
	CHECK_ERR(tee_(src, t2[1], 4, 0), EINVAL, "from a file");
	CHECK_ERR(tee_(t1[1], t2[1], 4, 0), EBADF, "from a write end");
	CHECK_ERR(tee_(t1[0], t2[0], 4, 0), EBADF, "into a read end");
	CHECK_ERR(tee_(t1[0], 99, 4, 0), EBADF, "into a closed descriptor");
	CHECK_ERR(tee_(t1[0], t2[1], 4, 0x100), EINVAL, "an unknown flag");
	CHECK_EQ(tee_(t1[0], t2[1], 0, 0), 0, "a length of 0");
	/* Linux counts room in page buffers, not bytes: only full and empty
	 * pipes behave the same here. */
	CHECK_EQ(fcntl(t3[1], F_SETPIPE_SZ, 4096), 4096, "a one-page output");
	static char page[4096] __attribute__((aligned(4096)));
	memset(page, 'p', sizeof page);
	CHECK_EQ(write(t3[1], page, 4096), 4096, "full");
	CHECK_EQ(write(t1[1], page, 200), 200, "200 bytes in the input");
	CHECK_ERR(tee_(t1[0], t3[1], 200, SPLICE_F_NONBLOCK), EAGAIN, "a full output with SPLICE_F_NONBLOCK");
	CHECK_EQ(read(t3[0], page, sizeof page), 4096, "empty it");
	CHECK_EQ(tee_(t1[0], t3[1], 200, 0), 200, "then tee goes through");
	CHECK_EQ(read(t1[0], page, sizeof page), 200, "the input kept all 200");
	close(t1[1]);
	CHECK_EQ(tee_(t1[0], t2[1], 4, 0), 0, "an empty input without writers: 0");

	/* ---- vmsplice ---- */
	int v[2];
	CHECK_BAIL(pipe(v) == 0, "a pipe for vmsplice");
	char va[] = "vm", vb[] = "splice";
	struct iovec vio[3] = {{va, 2}, {NULL, 0}, {vb, 6}};
	CHECK_EQ(vmsplice_(v[1], vio, 3, 0), 8, "vmsplice two buffers into a pipe");
	CHECK_EQ(vmsplice_(v[1], vio, 1, SPLICE_F_GIFT), 2, "SPLICE_F_GIFT is accepted");
	char o1[5] = {0}, o2[8] = {0};
	struct iovec vout[2] = {{o1, 4}, {o2, 8}};
	CHECK_EQ(vmsplice_(v[0], vout, 2, 0), 10, "vmsplice from the pipe into two buffers");
	CHECK(memcmp(o1, "vmsp", 4) == 0 && memcmp(o2, "licevm", 6) == 0, "the bytes in order");
	CHECK_ERR(vmsplice_(v[0], vout, 2, SPLICE_F_NONBLOCK), EAGAIN, "an empty pipe with SPLICE_F_NONBLOCK");
	CHECK_ERR(vmsplice_(out, vio, 1, 0), EBADF, "a file");
	CHECK_ERR(vmsplice_(99, vio, 1, 0), EBADF, "a closed descriptor");
	CHECK_ERR(vmsplice_(v[1], vio, 1, 0x100), EINVAL, "an unknown flag");
	CHECK_ERR(vmsplice_(v[1], vio, 1025, 0), EINVAL, "more than IOV_MAX buffers");
	CHECK_EQ(vmsplice_(v[1], vio, 0, 0), 0, "no buffers");
	CHECK_EQ(fcntl(v[1], F_SETPIPE_SZ, 4096), 4096, "a one-page pipe");
	struct iovec whole = {page, sizeof page};
	CHECK_EQ(vmsplice_(v[1], &whole, 1, 0), 4096, "a page fills it");
	CHECK_ERR(vmsplice_(v[1], vio, 1, SPLICE_F_NONBLOCK), EAGAIN, "a full pipe with SPLICE_F_NONBLOCK");
	CHECK_EQ(read(v[0], page, sizeof page), 4096, "empty it");
	CHECK_EQ(vmsplice_(v[1], &whole, 1, 0), 4096, "then a page goes in again");
	close(v[0]);
	signal(SIGPIPE, on_sigpipe);
	CHECK_ERR(vmsplice_(v[1], vio, 1, 0), EPIPE, "into a pipe without readers");
	CHECK_EQ(sigpipes, 2, "SIGPIPE again");
	close(v[1]);
	close(t1[0]);
	close(t2[0]);
	close(t2[1]);
	close(t3[0]);
	close(t3[1]);

	close(p[0]);
	close(q[1]);
	close(r[0]);
	close(r[1]);
	close(src);
	close(dst);
	close(out);
	close(big);
	check_rm_rf(dir);
	return check_done();
}
