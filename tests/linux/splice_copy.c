/*
 * splice_copy.c - moving data inside the kernel. copy_file_range between
 * regular files: with and without offsets (a given offset is updated, the
 * file position is not), at the end of the input, within one file, and
 * Linux's errors (flags, pipes, directories, access modes, O_APPEND,
 * overlapping ranges). splice between a pipe and a file or another pipe:
 * offsets on the file side, ESPIPE for an offset on a pipe, EINVAL when
 * neither side is a pipe or both are the same pipe, EAGAIN with
 * SPLICE_F_NONBLOCK, 0 at the end of a pipe, EPIPE and SIGPIPE without
 * readers, and as much as the pipe has room for.
 */
#define _GNU_SOURCE
#include "check.h"

#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#ifndef SPLICE_F_NONBLOCK
#define SPLICE_F_MOVE 1
#define SPLICE_F_NONBLOCK 2
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
