/*
 * fd_limit.c - RLIMIT_NOFILE: past the limit, open, dup, F_DUPFD, pipe and
 * eventfd fail with EMFILE (and nothing leaks or hangs: a refused open once
 * dropped its file under a spinlock and hung the kernel); dup2 to a number
 * at or above the limit is EBADF; closing one makes room again.
 */
#define _GNU_SOURCE
#include "check.h"

#include <fcntl.h>
#include <sys/eventfd.h>
#include <sys/resource.h>
#include <unistd.h>

int main(void)
{
	struct rlimit old;
	CHECK(getrlimit(RLIMIT_NOFILE, &old) == 0, "getrlimit");
	struct rlimit small = { 16, old.rlim_max };
	CHECK(setrlimit(RLIMIT_NOFILE, &small) == 0, "setrlimit to 16");
	int already = 0;
	for (int fd = 0; fd < 16; fd++)
		already += fcntl(fd, F_GETFD) >= 0;
	int fds[32];
	int opened = 0;
	int err = 0;
	for (int i = 0; i < 32; i++) {
		int fd = open("/proc/self/stat", O_RDONLY);
		if (fd < 0) {
			err = errno;
			break;
		}
		fds[opened++] = fd;
	}
	CHECK(opened == 16 - already && err == EMFILE, "%d opens fit beside the %d open, then EMFILE (%d, errno %d)", 16 - already, already, opened, err);
	for (int round = 0; round < 50; round++)
		if (open("/proc/self/stat", O_RDONLY) >= 0)
			err = -1;
	CHECK(err == EMFILE, "50 more refused opens: still EMFILE, nothing leaked");
	CHECK_ERR(dup(0), EMFILE, "dup past the limit");
	CHECK_ERR(fcntl(0, F_DUPFD, 0), EMFILE, "F_DUPFD past the limit");
	int p[2];
	CHECK_ERR(pipe(p), EMFILE, "pipe past the limit");
	CHECK_ERR(eventfd(0, 0), EMFILE, "eventfd past the limit");
	CHECK_ERR(dup2(0, 16), EBADF, "dup2 to a number at the limit");
	close(fds[0]);
	int again = open("/proc/self/stat", O_RDONLY);
	CHECK(again >= 0 && again == fds[0], "closing one makes room again (got %d)", again);
	for (int i = 0; i < opened; i++)
		close(fds[i]);
	CHECK(setrlimit(RLIMIT_NOFILE, &old) == 0, "restore the limit");
	return check_done();
}
