/*
 * writeback.c - fsync, fdatasync, sync_file_range, syncfs and readahead on
 * every kind of descriptor, with Linux's errnos: fsync/fdatasync work on
 * files and directories and are EINVAL for pipes, devices and the
 * anonymous kinds; sync_file_range checks the descriptor, then the flags,
 * then the range, then ESPIPE for what is not a file; syncfs takes any
 * open descriptor; readahead wants a regular file open for reading.
 */
#define _GNU_SOURCE
#include "check.h"

#include <fcntl.h>
#include <stdint.h>
#include <sys/eventfd.h>
#include <sys/syscall.h>
#include <unistd.h>

#define SFR_WAIT_BEFORE 1
#define SFR_WRITE 2
#define SFR_WAIT_AFTER 4

static long sfr(int fd, int64_t off, int64_t len, unsigned flags)
{
	return syscall(SYS_sync_file_range, fd, off, len, flags);
}

static long readahead_(int fd, int64_t off, size_t len)
{
	return syscall(SYS_readahead, fd, off, len);
}

int main(void)
{
	char *dir = check_scratch_dir("writeback");
	CHECK_BAIL(dir != NULL, "scratch directory");
	char path[700];
	snprintf(path, sizeof path, "%s/file", dir);
	int fd = open(path, O_CREAT | O_TRUNC | O_RDWR, 0600);
	CHECK_BAIL(fd >= 0, "a file");
	CHECK_EQ(write(fd, "data", 4), 4, "some data");
	int d = open(dir, O_RDONLY | O_DIRECTORY);
	int p[2];
	CHECK_BAIL(d >= 0 && pipe(p) == 0, "a directory and a pipe");
	int null = open("/dev/null", O_RDWR);
	int efd = eventfd(0, 0);
	int ronly = open(path, O_RDONLY);
	int wonly = open(path, O_WRONLY);
	int opath = open(path, O_PATH);

	/* fsync and fdatasync */
	CHECK_EQ(fsync(fd), 0, "fsync a file");
	CHECK_EQ(fdatasync(fd), 0, "fdatasync a file");
	CHECK_EQ(fsync(ronly), 0, "fsync a file open only for reading");
	CHECK_EQ(fsync(d), 0, "fsync a directory");
	CHECK_ERR(fsync(p[0]), EINVAL, "fsync a pipe");
	CHECK_ERR(fdatasync(p[1]), EINVAL, "fdatasync a pipe's write end");
	CHECK_ERR(fsync(null), EINVAL, "fsync /dev/null");
	CHECK_ERR(fdatasync(null), EINVAL, "fdatasync /dev/null");
	CHECK_ERR(fsync(efd), EINVAL, "fsync an eventfd");
	CHECK_ERR(fsync(opath), EBADF, "fsync an O_PATH descriptor");
	CHECK_ERR(fsync(99), EBADF, "fsync a closed descriptor");

	/* sync_file_range */
	CHECK_EQ(sfr(fd, 0, 0, SFR_WRITE), 0, "sync_file_range the whole file");
	CHECK_EQ(sfr(fd, 0, 4, SFR_WAIT_BEFORE | SFR_WRITE | SFR_WAIT_AFTER), 0, "with every flag");
	CHECK_EQ(sfr(fd, 2, 100, 0), 0, "with no flags");
	CHECK_EQ(sfr(ronly, 0, 0, SFR_WRITE), 0, "on a descriptor open for reading");
	CHECK_EQ(sfr(d, 0, 0, SFR_WRITE), 0, "on a directory");
	CHECK_ERR(sfr(99, 0, 1, SFR_WRITE), EBADF, "a closed descriptor");
	CHECK_ERR(sfr(99, 0, 1, 8), EBADF, "the descriptor before the flags");
	CHECK_ERR(sfr(fd, 0, 1, 8), EINVAL, "an unknown flag");
	CHECK_ERR(sfr(fd, -1, 1, SFR_WRITE), EINVAL, "a negative offset");
	CHECK_ERR(sfr(fd, 0, -1, SFR_WRITE), EINVAL, "a negative length");
	CHECK_ERR(sfr(fd, INT64_MAX, 1, SFR_WRITE), EINVAL, "a range past the largest offset");
	CHECK_ERR(sfr(p[0], 0, 1, SFR_WAIT_AFTER), ESPIPE, "a pipe");
	CHECK_ERR(sfr(p[0], -1, 1, SFR_WAIT_AFTER), EINVAL, "the range before the kind");
	CHECK_ERR(sfr(null, 0, 1, SFR_WRITE), ESPIPE, "/dev/null");
	CHECK_ERR(sfr(efd, 0, 1, SFR_WRITE), ESPIPE, "an eventfd");

	/* syncfs */
	CHECK_EQ(syscall(SYS_syncfs, fd), 0, "syncfs through a file");
	CHECK_EQ(syscall(SYS_syncfs, d), 0, "through a directory");
	CHECK_EQ(syscall(SYS_syncfs, p[0]), 0, "through a pipe");
	CHECK_ERR(syscall(SYS_syncfs, 99), EBADF, "a closed descriptor");
	CHECK_ERR(syscall(SYS_syncfs, -1), EBADF, "-1");

	/* readahead */
	CHECK_EQ(readahead_(fd, 0, 4096), 0, "readahead a file");
	CHECK_EQ(readahead_(ronly, 100, 1 << 20), 0, "past its end");
	CHECK_ERR(readahead_(wonly, 0, 4096), EBADF, "a descriptor not open for reading");
	CHECK_ERR(readahead_(-1, 0, 4096), EBADF, "-1");
	CHECK_ERR(readahead_(d, 0, 4096), EINVAL, "a directory");
	CHECK_ERR(readahead_(p[0], 0, 4096), EINVAL, "a pipe");
	CHECK_ERR(readahead_(null, 0, 4096), EINVAL, "/dev/null");
	CHECK_ERR(readahead_(efd, 0, 4096), EINVAL, "an eventfd");

	close(opath);
	close(wonly);
	close(ronly);
	close(efd);
	close(null);
	close(p[0]);
	close(p[1]);
	close(d);
	close(fd);
	unlink(path);
	rmdir(dir);
	return check_done();
}
