/*
 * errno_order.c - which error Linux gives when a call has several reasons
 * to fail, and small corners the Linux Test Project found: O_CREAT of a
 * directory, fchownat's flags, utimensat's empty path, fallocate on a
 * read-only descriptor, msync's EBUSY and ENOMEM, MAP_SHARED_VALIDATE,
 * MAP_LOCKED, statx's reserved mask bit, O_PATH descriptors refusing
 * ioctl and mmap, readlinkat of an O_PATH symlink descriptor, TCGETA,
 * personality(2) and select's remaining time.
 */
#define _GNU_SOURCE
#include "check.h"
#include <fcntl.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/personality.h>
#include <sys/select.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <termios.h>
#include <unistd.h>

#ifndef MAP_SHARED_VALIDATE
#define MAP_SHARED_VALIDATE 0x03
#endif

static char dir[256];

static void test_files(void)
{
	char path[300];
	CHECK_ERR(open(dir, O_RDONLY | O_CREAT, 0600), EISDIR, "O_CREAT of an existing directory is EISDIR");
	snprintf(path, sizeof path, "%s/f", dir);
	int fd = open(path, O_RDWR | O_CREAT, 0600);
	CHECK(fd >= 0, "create a file");
	CHECK_EQ(write(fd, "0123456789", 10), 10, "write to it");
	CHECK_ERR(fchownat(AT_FDCWD, path, getuid(), getgid(), 9999), EINVAL, "fchownat with unknown flags is EINVAL");
	CHECK_ERR(utimensat(AT_FDCWD, "", NULL, 0), ENOENT, "utimensat of an empty path without AT_EMPTY_PATH is ENOENT");
	int ro = open(path, O_RDONLY);
	CHECK_ERR(fallocate(ro, 0, 0, 4096), EBADF, "fallocate on a read-only descriptor is EBADF");
	char sx[256]; /* struct statx; not every C library declares it */
	CHECK_ERR(syscall(SYS_statx, AT_FDCWD, path, 0, 0x80000000u, sx), EINVAL, "statx with STATX__RESERVED in the mask is EINVAL");

	/* O_PATH descriptors do no I/O. */
	int opath = open(path, O_PATH);
	int n = 0;
	CHECK_ERR(ioctl(opath, FIONREAD, &n), EBADF, "ioctl on an O_PATH descriptor is EBADF");
	CHECK(mmap(NULL, 4096, PROT_READ, MAP_PRIVATE, opath, 0) == MAP_FAILED && errno == EBADF, "mmap of an O_PATH descriptor is EBADF");
	close(opath);

	/* readlinkat(fd, "") reads the link an O_PATH|O_NOFOLLOW descriptor names. */
	char link[300], buf[300];
	snprintf(link, sizeof link, "%s/l", dir);
	CHECK_EQ(symlink("target-name", link), 0, "symlink");
	int lfd = open(link, O_PATH | O_NOFOLLOW);
	ssize_t len = readlinkat(lfd, "", buf, sizeof buf);
	CHECK(len == 11 && memcmp(buf, "target-name", 11) == 0, "readlinkat(fd, \"\") reads the descriptor's link (%zd)", len);
	close(lfd);
	unlink(link);

	/* Mappings. */
	void *m = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED_VALIDATE | (1 << 10), fd, 0);
	CHECK(m == MAP_FAILED && errno == EOPNOTSUPP, "MAP_SHARED_VALIDATE with an unknown flag is EOPNOTSUPP");
	m = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_LOCKED, fd, 0);
	CHECK(m != MAP_FAILED, "MAP_SHARED | MAP_LOCKED");
	if (m != MAP_FAILED) {
		unsigned char vec = 0;
		CHECK(mincore(m, 4096, &vec) == 0 && (vec & 1), "a MAP_LOCKED page is resident");
		CHECK_ERR(msync(m, 4096, MS_INVALIDATE), EBUSY, "MS_INVALIDATE of locked memory is EBUSY");
		CHECK_EQ(msync(m, 4096, MS_SYNC), 0, "MS_SYNC of it is fine");
		munmap(m, 4096);
		CHECK_ERR(msync(m, 4096, MS_SYNC), ENOMEM, "msync of unmapped memory is ENOMEM");
	}
	close(ro);
	close(fd);
	unlink(path);
}

static void test_terminal_and_persona(void)
{
	int fds[2];
	CHECK_EQ(pipe(fds), 0, "pipe");
	char termio[18];
	CHECK_ERR(ioctl(fds[0], TCGETA, termio), ENOTTY, "TCGETA on a pipe is ENOTTY");
	close(fds[0]);
	close(fds[1]);

	int old = personality(0xffffffff);
	CHECK_EQ(old & 0xff, 0, "the execution domain is PER_LINUX");
	CHECK_EQ(personality(old | ADDR_NO_RANDOMIZE), old, "setting ADDR_NO_RANDOMIZE returns the old value");
	CHECK_EQ(personality(0xffffffff), old | ADDR_NO_RANDOMIZE, "and it reads back");
	CHECK_EQ(personality(old | UNAME26), old | ADDR_NO_RANDOMIZE, "UNAME26");
	struct utsname u;
	uname(&u);
	CHECK(strncmp(u.release, "2.6.", 4) == 0, "UNAME26 makes uname report a 2.6 release (%s)", u.release);
	personality(old);
	uname(&u);
	CHECK(strncmp(u.release, "2.6.", 4) != 0, "and back (%s)", u.release);

	struct timeval tv = { 0, 50000 };
	CHECK_EQ(syscall(SYS_select, 0, NULL, NULL, NULL, &tv), 0, "select times out (the system call: musl passes a copy)");
	CHECK(tv.tv_sec == 0 && tv.tv_usec == 0, "and writes back no time left (%ld.%06ld)", (long)tv.tv_sec, (long)tv.tv_usec);
	personality(old | STICKY_TIMEOUTS);
	tv.tv_usec = 50000;
	CHECK_EQ(syscall(SYS_select, 0, NULL, NULL, NULL, &tv), 0, "select times out under STICKY_TIMEOUTS");
	CHECK(tv.tv_usec == 50000, "and leaves the timeout alone (%ld)", (long)tv.tv_usec);
	personality(old);
}

int main(void)
{
	const char *tmp = getenv("TMPDIR");
	snprintf(dir, sizeof dir, "%s/errno_order.XXXXXX", tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(dir)) {
		CHECK(0, "mkdtemp");
		return check_done();
	}
	test_files();
	test_terminal_and_persona();
	rmdir(dir);
	return check_done();
}
