/*
 * pipe_sizes.c - F_GETPIPE_SZ and F_SETPIPE_SZ as Linux has them: 64 KiB
 * by default; a new size rounded up to a power-of-two number of pages
 * (at least one); the capacity is real (a non-blocking writer fills
 * exactly that much); EBUSY below what the pipe holds; EPERM above
 * /proc/sys/fs/pipe-max-size for an unprivileged process (root may go
 * past it); EBADF for what is not a pipe; FIFOs too.
 */
#define _GNU_SOURCE
#include "check.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#ifndef F_SETPIPE_SZ
#define F_SETPIPE_SZ 1031
#define F_GETPIPE_SZ 1032
#endif

/* How many bytes a non-blocking writer gets into an empty pipe. */
static long fill(int w)
{
	static char chunk[4096];
	long total = 0;
	for (;;) {
		ssize_t n = write(w, chunk, sizeof chunk);
		if (n < 0)
			return errno == EAGAIN ? total : -1;
		total += n;
	}
}

static long read_number(const char *path)
{
	char buf[64] = {0};
	int fd = open(path, O_RDONLY);
	if (fd < 0)
		return -1;
	ssize_t n = read(fd, buf, sizeof buf - 1);
	close(fd);
	return n > 0 ? atol(buf) : -1;
}

/* Whether this process has CAP_SYS_RESOURCE (bit 24 of CapEff): root in
 * a container may lack it. */
static int has_sys_resource(void)
{
	char buf[4096];
	int fd = open("/proc/self/status", O_RDONLY);
	if (fd < 0)
		return 0;
	ssize_t n = read(fd, buf, sizeof buf - 1);
	close(fd);
	if (n <= 0)
		return 0;
	buf[n] = 0;
	char *cap = strstr(buf, "CapEff:");
	return cap && (strtoull(cap + 7, NULL, 16) >> 24 & 1);
}

int main(void)
{
	int p[2];
	CHECK_BAIL(pipe2(p, O_NONBLOCK) == 0, "a pipe");
	CHECK_EQ(fcntl(p[0], F_GETPIPE_SZ), 65536, "default capacity (read end)");
	CHECK_EQ(fcntl(p[1], F_GETPIPE_SZ), 65536, "the same seen from the write end");
	CHECK_EQ(fill(p[1]), 65536, "a non-blocking writer fills 64 KiB");

	/* Shrinking below what it holds is refused. */
	CHECK_ERR(fcntl(p[1], F_SETPIPE_SZ, 32768), EBUSY, "shrink below its contents");
	CHECK_EQ(fcntl(p[1], F_GETPIPE_SZ), 65536, "unchanged");
	static char sink[65536];
	CHECK_EQ(read(p[0], sink, 65536 - 4096), 65536 - 4096, "drain all but one page");
	CHECK_EQ(fcntl(p[1], F_SETPIPE_SZ, 4096), 4096, "now it shrinks to the page it holds");
	CHECK_EQ(fcntl(p[0], F_GETPIPE_SZ), 4096, "and both ends see it");
	CHECK_EQ(write(p[1], "x", 1), -1, "a full one-page pipe takes no more");
	CHECK_EQ(errno, EAGAIN, "EAGAIN");
	CHECK_EQ(read(p[0], sink, sizeof sink), 4096, "drained");

	/* Rounding. */
	struct { long ask, got; } cases[] = {
		{0, 4096}, {1, 4096}, {4095, 4096}, {4097, 8192}, {12288, 16384},
		{32768, 32768}, {40000, 65536}, {65536, 65536}, {100000, 131072},
	};
	for (unsigned i = 0; i < sizeof cases / sizeof cases[0]; i++)
		CHECK_EQ(fcntl(p[1], F_SETPIPE_SZ, cases[i].ask), cases[i].got, "F_SETPIPE_SZ %ld", cases[i].ask);
	CHECK_EQ(fcntl(p[1], F_SETPIPE_SZ, 32768), 32768, "32 KiB");
	CHECK_EQ(fill(p[1]), 32768, "holds exactly 32 KiB");
	CHECK_EQ(read(p[0], sink, sizeof sink), 32768, "drained");
	CHECK_EQ(fcntl(p[1], F_SETPIPE_SZ, 262144), 262144, "256 KiB");
	CHECK_EQ(fill(p[1]), 262144, "holds exactly 256 KiB");
	while (read(p[0], sink, sizeof sink) > 0)
		;

	long max = read_number("/proc/sys/fs/pipe-max-size");
	CHECK_EQ(max, 1048576, "/proc/sys/fs/pipe-max-size");
	if (max <= 0)
		max = 1048576;
	CHECK_EQ(fcntl(p[1], F_SETPIPE_SZ, max), max, "up to the maximum");
	CHECK_ERR(fcntl(p[1], F_SETPIPE_SZ, (1L << 31) + 1), EINVAL, "past 2 GiB");
	if (has_sys_resource()) {
		CHECK_EQ(fcntl(p[1], F_SETPIPE_SZ, max * 2), max * 2, "CAP_SYS_RESOURCE may pass the maximum");
	} else {
		CHECK_ERR(fcntl(p[1], F_SETPIPE_SZ, max * 2), EPERM, "past the maximum without CAP_SYS_RESOURCE");
	}
	if (geteuid() == 0) {
		/* An unprivileged process may not grow past it, but may shrink. */
		pid_t pid = fork();
		if (pid == 0) {
			if (setgid(65534) != 0 || setuid(65534) != 0)
				_exit(10);
			if (fcntl(p[1], F_SETPIPE_SZ, max * 4) != -1 || errno != EPERM)
				_exit(11);
			if (fcntl(p[1], F_SETPIPE_SZ, 8192) != 8192)
				_exit(12);
			_exit(fcntl(p[1], F_SETPIPE_SZ, max) == max ? 0 : 13);
		}
		CHECK_EQ(check_wait(pid), 0, "unprivileged: EPERM past the maximum, fine below it");
	}
	close(p[0]);
	close(p[1]);

	/* Not a pipe. */
	int f = open("/dev/null", O_RDWR);
	CHECK_ERR(fcntl(f, F_GETPIPE_SZ), EBADF, "F_GETPIPE_SZ of /dev/null");
	CHECK_ERR(fcntl(f, F_SETPIPE_SZ, 4096), EBADF, "F_SETPIPE_SZ of /dev/null");
	close(f);

	/* A FIFO's pipe is resized the same way, for every opener. */
	char *dir = check_scratch_dir("pipesz");
	char fifo[600];
	snprintf(fifo, sizeof fifo, "%s/fifo", dir);
	CHECK_BAIL(mkfifo(fifo, 0600) == 0, "mkfifo");
	int rw = open(fifo, O_RDWR | O_NONBLOCK);
	CHECK_EQ(fcntl(rw, F_GETPIPE_SZ), 65536, "a FIFO's default capacity");
	CHECK_EQ(fcntl(rw, F_SETPIPE_SZ, 8192), 8192, "resized");
	int w = open(fifo, O_WRONLY | O_NONBLOCK);
	CHECK_EQ(fcntl(w, F_GETPIPE_SZ), 8192, "another opener sees the new size");
	CHECK_EQ(fill(w), 8192, "and fills exactly that");
	close(w);
	close(rw);
	check_rm_rf(dir);
	return check_done();
}
