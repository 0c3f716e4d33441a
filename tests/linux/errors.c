/*
 * errors.c - error returns.
 *
 * EBADF, EFAULT (bad buffers and path pointers), ENOENT, EEXIST, ENOTDIR,
 * EISDIR, ENOTEMPTY, EINVAL, ENAMETOOLONG, ELOOP, ESPIPE, ENOSPC
 * (/dev/full), ENOTTY, EMFILE, ESRCH, EPERM and EACCES only where they
 * also hold for root (hard link to a directory, exec of a non-executable
 * file), ENOSYS for an unknown syscall number, and the raw kernel ABI
 * (a failing syscall returns -errno in rax, checked with inline asm).
 *
 * Runs fine as root or as an ordinary user.
 */
#define _GNU_SOURCE
#include "check.h"

#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

/* volatile so the compiler cannot see (and warn about) the bad pointers */
static void *volatile bad_ptr = (void *)1;
static void *volatile null_ptr = NULL;
static void *volatile kernel_ptr = (void *)0xffff800000001000UL;
static void *volatile noncanon_ptr = (void *)0x800000000000UL;
#define BADPTR ((void *)bad_ptr)

static void touch(const char *p)
{
	int fd = open(p, O_CREAT | O_WRONLY, 0644);
	if (fd >= 0)
		close(fd);
}

static long raw_syscall3(long nr, long a, long b, long c)
{
	long ret;
	__asm__ volatile("syscall" : "=a"(ret) : "a"(nr), "D"(a), "S"(b), "d"(c) : "rcx", "r11", "memory");
	return ret;
}

static void test_ebadf(void)
{
	char buf[8];
	int fd = open("/dev/null", O_RDONLY);
	CHECK_EQ(close(fd), 0, "close an open fd");
	CHECK_ERR(read(fd, buf, 1), EBADF, "read on a closed fd is EBADF");
	CHECK_ERR(close(fd), EBADF, "closing twice is EBADF");
	CHECK_ERR(write(-1, "x", 1), EBADF, "write on fd -1 is EBADF");
	struct stat st;
	CHECK_ERR(fstat(fd, &st), EBADF, "fstat on a closed fd is EBADF");
	CHECK_ERR(lseek(fd, 0, SEEK_SET), EBADF, "lseek on a closed fd is EBADF");
	CHECK_ERR(dup(fd), EBADF, "dup of a closed fd is EBADF");
	CHECK_ERR(fchdir(fd), EBADF, "fchdir to a closed fd is EBADF");
	CHECK_ERR(openat(fd, "x", O_RDONLY), EBADF, "openat with a closed dirfd is EBADF");
	fd = open("/dev/null", O_RDONLY);
	CHECK_ERR(write(fd, "x", 1), EBADF, "write to an O_RDONLY fd is EBADF");
	close(fd);
	fd = open("/dev/null", O_WRONLY);
	CHECK_ERR(read(fd, buf, 1), EBADF, "read from an O_WRONLY fd is EBADF");
	close(fd);
	CHECK_EQ(raw_syscall3(SYS_read, -1, (long)buf, 1), -EBADF, "raw syscall ABI: failing read returns -EBADF in rax");
	CHECK_EQ(raw_syscall3(SYS_getpid, 0, 0, 0), getpid(), "raw syscall ABI: getpid in rax");
}

static void test_efault(void)
{
	int p[2];
	pipe(p);
	write(p[1], "data", 4);
	CHECK_ERR(read(p[0], BADPTR, 4), EFAULT, "read into address 1 is EFAULT");
	CHECK_ERR(write(p[1], null_ptr, 5), EFAULT, "write from NULL with length 5 is EFAULT");
	CHECK_ERR(write(p[1], BADPTR, 5), EFAULT, "write from address 1 is EFAULT");
	char buf[8] = {0};
	CHECK_EQ(read(p[0], buf, sizeof buf), 4, "pipe data intact after the failed calls");
	close(p[0]);
	close(p[1]);

	int fd = open("/dev/zero", O_RDONLY);
	CHECK_ERR(read(fd, BADPTR, 16), EFAULT, "read from /dev/zero into address 1 is EFAULT");
	/* kernel-half addresses are never user memory */
	CHECK_ERR(read(fd, kernel_ptr, 16), EFAULT, "read into a kernel-half address is EFAULT");
	CHECK_ERR(read(fd, noncanon_ptr, 16), EFAULT, "read into the first non-canonical address is EFAULT");
	close(fd);

	struct stat st;
	CHECK_ERR(stat(BADPTR, &st), EFAULT, "stat with a bad path pointer is EFAULT");
	CHECK_ERR(open(BADPTR, O_RDONLY), EFAULT, "open with a bad path pointer is EFAULT");
	CHECK_ERR(syscall(SYS_newfstatat, AT_FDCWD, "/", BADPTR, 0), EFAULT, "newfstatat with a bad stat buffer is EFAULT");
	CHECK_ERR(syscall(SYS_pipe2, BADPTR, 0), EFAULT, "pipe2 with a bad array pointer is EFAULT");
	CHECK_ERR(syscall(SYS_clock_gettime, CLOCK_MONOTONIC, BADPTR), EFAULT, "clock_gettime into a bad pointer is EFAULT");
	CHECK_ERR(syscall(SYS_uname, BADPTR), EFAULT, "uname into a bad pointer is EFAULT");
	CHECK_ERR(syscall(SYS_getcwd, BADPTR, 100), EFAULT, "getcwd into a bad pointer is EFAULT");
}

static void test_paths(const char *dir)
{
	(void)dir;
	struct stat st;
	CHECK_ERR(open("missing", O_RDONLY), ENOENT, "open of a missing file is ENOENT");
	CHECK_ERR(open("", O_RDONLY), ENOENT, "open of an empty path is ENOENT");
	CHECK_ERR(stat("nodir/file", &st), ENOENT, "stat through a missing directory is ENOENT");
	CHECK_ERR(mkdir("nodir/sub", 0755), ENOENT, "mkdir with a missing parent is ENOENT");
	CHECK_ERR(unlink("missing"), ENOENT, "unlink of a missing file is ENOENT");
	CHECK_ERR(rmdir("missing"), ENOENT, "rmdir of a missing dir is ENOENT");
	CHECK_ERR(chdir("missing"), ENOENT, "chdir to a missing dir is ENOENT");

	touch("file");
	mkdir("dir", 0755);
	CHECK_ERR(mkdir("dir", 0755), EEXIST, "mkdir over a directory is EEXIST");
	CHECK_ERR(mkdir("file", 0755), EEXIST, "mkdir over a file is EEXIST");
	CHECK_ERR(open("file", O_CREAT | O_EXCL | O_RDWR, 0644), EEXIST, "O_CREAT|O_EXCL on an existing file is EEXIST");
	CHECK_ERR(symlink("x", "file"), EEXIST, "symlink over an existing name is EEXIST");
	CHECK_ERR(link("file", "dir"), EEXIST, "link onto an existing name is EEXIST");

	CHECK_ERR(open("file/x", O_RDONLY), ENOTDIR, "open with a file as a path component is ENOTDIR");
	CHECK_ERR(stat("file/", &st), ENOTDIR, "stat of a file with a trailing slash is ENOTDIR");
	CHECK_ERR(mkdir("file/sub", 0755), ENOTDIR, "mkdir under a file is ENOTDIR");
	CHECK_ERR(rmdir("file"), ENOTDIR, "rmdir of a file is ENOTDIR");
	CHECK_ERR(chdir("file"), ENOTDIR, "chdir to a file is ENOTDIR");
	CHECK_ERR(open("file", O_RDONLY | O_DIRECTORY), ENOTDIR, "O_DIRECTORY on a file is ENOTDIR");
	CHECK_ERR(rename("dir", "file"), ENOTDIR, "rename of a directory over a file is ENOTDIR");

	CHECK_ERR(open("dir", O_WRONLY), EISDIR, "open of a directory for writing is EISDIR");
	CHECK_ERR(open("dir", O_RDWR), EISDIR, "open of a directory O_RDWR is EISDIR");
	int dfd = open("dir", O_RDONLY);
	char buf[8];
	CHECK_ERR(read(dfd, buf, sizeof buf), EISDIR, "read from a directory fd is EISDIR");
	close(dfd);
	CHECK_ERR(unlink("dir"), EISDIR, "unlink of a directory is EISDIR (Linux)");
	CHECK_ERR(rename("file", "dir"), EISDIR, "rename of a file over a directory is EISDIR");

	touch("dir/inner");
	mkdir("dir2", 0755);
	touch("dir2/inner");
	CHECK_ERR(rmdir("dir"), ENOTEMPTY, "rmdir of a non-empty directory is ENOTEMPTY");
	CHECK_ERR(rename("dir2", "dir"), ENOTEMPTY, "rename onto a non-empty directory is ENOTEMPTY");
	CHECK_ERR(rename("dir", "dir/inner/x"), ENOTDIR, "rename into a path through a file is ENOTDIR");
	mkdir("dir/sub", 0755);
	CHECK_ERR(rename("dir", "dir/sub/moved"), EINVAL, "rename of a directory into itself is EINVAL");
	CHECK_ERR(rmdir("."), EINVAL, "rmdir of . is EINVAL");

	int fd = open("file", O_RDWR);
	CHECK_ERR(lseek(fd, 0, 42), EINVAL, "lseek with a bad whence is EINVAL");
	CHECK_ERR(lseek(fd, -1, SEEK_SET), EINVAL, "lseek to a negative offset is EINVAL");
	CHECK_ERR(fcntl(fd, 99999), EINVAL, "fcntl with an unknown command is EINVAL");
	CHECK_ERR(ftruncate(fd, -1), EINVAL, "ftruncate to a negative size is EINVAL");
	close(fd);

	char longname[300];
	memset(longname, 'n', sizeof longname - 1);
	longname[sizeof longname - 1] = 0;
	CHECK_ERR(open(longname, O_CREAT | O_RDWR, 0644), ENAMETOOLONG, "a 299-byte name component is ENAMETOOLONG");
	CHECK_ERR(mkdir(longname, 0755), ENAMETOOLONG, "mkdir with a 299-byte name is ENAMETOOLONG");
	size_t biglen = PATH_MAX + 100;
	char *big = malloc(biglen + 1);
	for (size_t i = 0; i < biglen; i++)
		big[i] = (i % 2) ? '/' : 'a';
	big[biglen] = 0;
	CHECK_ERR(stat(big, &st), ENAMETOOLONG, "a path longer than PATH_MAX is ENAMETOOLONG");
	free(big);

	symlink("loop2", "loop1");
	symlink("loop1", "loop2");
	CHECK_ERR(open("loop1", O_RDONLY), ELOOP, "open through a symlink loop is ELOOP");
	CHECK_ERR(stat("loop2", &st), ELOOP, "stat through a symlink loop is ELOOP");
	CHECK_EQ(lstat("loop1", &st), 0, "lstat of a looping symlink itself works");
	symlink("file", "link");
	CHECK_ERR(open("link", O_RDONLY | O_NOFOLLOW), ELOOP, "O_NOFOLLOW on a symlink is ELOOP");
	symlink("self", "self");
	CHECK_ERR(open("self", O_RDONLY), ELOOP, "self-referential symlink is ELOOP");

	/* EPERM / EACCES that hold even for root */
	CHECK_ERR(link("dir", "dirlink"), EPERM, "hard link to a directory is EPERM (even for root)");
	touch("noexec");
	chmod("noexec", 0644);
	char *argv[] = {"noexec", NULL};
	char *envp[] = {NULL};
	CHECK_ERR(execve("noexec", argv, envp), EACCES, "execve of a file without execute bits is EACCES (even for root)");
	chmod("noexec", 0755);
	CHECK_ERR(execve("noexec", argv, envp), ENOEXEC, "execve of an empty executable file is ENOEXEC");
}

static void test_misc_errno(void)
{
	int p[2];
	pipe(p);
	CHECK_ERR(lseek(p[0], 0, SEEK_SET), ESPIPE, "lseek on a pipe is ESPIPE");
	char c;
	CHECK_ERR(pread(p[0], &c, 1, 0), ESPIPE, "pread on a pipe is ESPIPE");
	struct termios t;
	CHECK_ERR(ioctl(p[0], TCGETS, &t), ENOTTY, "TCGETS on a pipe is ENOTTY");
	errno = 0;
	CHECK(isatty(p[0]) == 0 && errno == ENOTTY, "isatty(pipe) is 0 with ENOTTY");
	close(p[0]);
	close(p[1]);

	int fd = open("/dev/full", O_WRONLY);
	CHECK(fd >= 0, "open /dev/full");
	CHECK_ERR(write(fd, "x", 1), ENOSPC, "write to /dev/full is ENOSPC");
	char z[4] = {1, 1, 1, 1};
	int rfd = open("/dev/full", O_RDONLY);
	CHECK(read(rfd, z, 4) == 4 && z[0] == 0 && z[3] == 0, "read from /dev/full returns zeros");
	close(rfd);
	close(fd);

	/* EMFILE in a child with a low RLIMIT_NOFILE */
	pid_t pid = fork();
	if (pid == 0) {
		struct rlimit rl = {16, 16};
		if (setrlimit(RLIMIT_NOFILE, &rl) != 0)
			_exit(2);
		int last = 0;
		for (int i = 0; i < 100; i++) {
			int f = open("/dev/null", O_RDONLY);
			if (f < 0) {
				_exit(errno == EMFILE && last == 15 ? 0 : 3);
			}
			last = f;
		}
		_exit(4);
	}
	int st;
	waitpid(pid, &st, 0);
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0, "opening past RLIMIT_NOFILE=16 fails with EMFILE after fd 15");

	pid = fork();
	if (pid == 0)
		_exit(0);
	waitpid(pid, NULL, 0);
	CHECK_ERR(kill(pid, SIGTERM), ESRCH, "kill of a reaped pid is ESRCH");

	/* Setting the wall clock past what Linux keeps room for is EINVAL,
	 * checked before permission, so nothing here changes the clock. */
	struct timeval far_tv = {.tv_sec = 0x7fffffffffffffffL, .tv_usec = 0};
	CHECK_ERR(settimeofday(&far_tv, NULL), EINVAL, "settimeofday to the end of time is EINVAL");
	struct timespec far_ts = {.tv_sec = 9223372036L - 946080000L, .tv_nsec = 0};
	CHECK_ERR(clock_settime(CLOCK_REALTIME, &far_ts), EINVAL, "clock_settime past TIME_SETTOD_SEC_MAX is EINVAL");
	struct timespec before_epoch = {.tv_sec = -1, .tv_nsec = 0};
	CHECK_ERR(clock_settime(CLOCK_REALTIME, &before_epoch), EINVAL, "clock_settime before 1970 is EINVAL");

	CHECK_ERR(syscall(999), ENOSYS, "syscall 999 is ENOSYS");
	CHECK_ERR(syscall(100000), ENOSYS, "syscall 100000 is ENOSYS");
	CHECK_EQ(raw_syscall3(999, 0, 0, 0), -ENOSYS, "raw syscall 999 returns -ENOSYS in rax");
}

int main(void)
{
	char *scratch = check_scratch_dir("errors");
	CHECK_BAIL(scratch != NULL, "create scratch directory");
	char real[PATH_MAX];
	CHECK_BAIL(realpath(scratch, real) != NULL && chdir(real) == 0, "chdir to scratch");

	test_ebadf();
	test_efault();
	test_paths(real);
	test_misc_errno();

	chdir("/");
	CHECK_EQ(check_rm_rf(real), 0, "remove scratch directory");
	return check_done();
}
