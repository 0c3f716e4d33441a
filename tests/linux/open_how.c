/*
 * open_how.c - the newer *at calls, as raw system calls: openat2 (struct
 * open_how size rules, flag and mode checks, RESOLVE_NO_SYMLINKS,
 * RESOLVE_NO_MAGICLINKS, RESOLVE_NO_XDEV, RESOLVE_BENEATH,
 * RESOLVE_IN_ROOT, RESOLVE_CACHED), execveat (a path from a directory
 * descriptor, AT_EMPTY_PATH with an O_PATH or ordinary descriptor,
 * AT_SYMLINK_NOFOLLOW, and its errnos), futimesat (timevals relative to
 * a directory), fchmodat2 (AT_SYMLINK_NOFOLLOW: EOPNOTSUPP on a symlink,
 * AT_EMPTY_PATH) and epoll_pwait2 (a timespec timeout).
 */
#define _GNU_SOURCE
#include "check.h"

#include <fcntl.h>
#include <stdint.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#ifndef SYS_openat2
#define SYS_openat2 437
#endif
#ifndef SYS_execveat
#define SYS_execveat 322
#endif
#ifndef SYS_epoll_pwait2
#define SYS_epoll_pwait2 441
#endif
#define SYS_fchmodat2_ 452
#ifndef AT_EMPTY_PATH
#define AT_EMPTY_PATH 0x1000
#endif

#define R_NO_XDEV 0x01
#define R_NO_MAGICLINKS 0x02
#define R_NO_SYMLINKS 0x04
#define R_BENEATH 0x08
#define R_IN_ROOT 0x10
#define R_CACHED 0x20

struct how {
	uint64_t flags, mode, resolve;
};

static long openat2_(int dir, const char *path, const void *how, size_t size)
{
	return syscall(SYS_openat2, dir, path, how, size);
}

static long open_how_(int dir, const char *path, uint64_t flags, uint64_t mode, uint64_t resolve)
{
	struct how h = {flags, mode, resolve};
	long fd = openat2_(dir, path, &h, sizeof h);
	if (fd >= 0)
		close((int)fd);
	return fd >= 0 ? 0 : -1;
}

/* Runs execveat in a child; its exit status, or -errno when it failed. */
static int exec_child(int dir, const char *path, int flags, char **argv)
{
	int p[2];
	if (pipe2(p, O_CLOEXEC) != 0)
		return -1000;
	pid_t pid = fork();
	if (pid == 0) {
		char *envp[] = {NULL};
		syscall(SYS_execveat, dir, path, argv, envp, flags);
		int e = errno;
		if (write(p[1], &e, sizeof e) < 0)
			_exit(99);
		_exit(98);
	}
	close(p[1]);
	int e = 0;
	ssize_t n = read(p[0], &e, sizeof e);
	close(p[0]);
	int status = 0;
	waitpid(pid, &status, 0);
	if (n == (ssize_t)sizeof e)
		return -e;
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1001;
}

int main(int argc, char **argv)
{
	if (argc > 1 && strcmp(argv[1], "exit42") == 0)
		return 42;

	char *dir = check_scratch_dir("open_how");
	CHECK_BAIL(dir != NULL, "scratch directory");
	int d = open(dir, O_RDONLY | O_DIRECTORY);
	CHECK_BAIL(d >= 0, "the scratch directory open");
	CHECK_BAIL(mkdirat(d, "sub", 0700) == 0, "a subdirectory");
	int f = openat(d, "sub/file", O_CREAT | O_RDWR, 0644);
	CHECK_BAIL(f >= 0, "a file in it");
	close(f);
	CHECK_BAIL(symlinkat("sub/file", d, "link") == 0, "a relative symlink");
	CHECK_BAIL(symlinkat("../file-up", d, "sub/up") == 0, "a symlink leading up");
	CHECK_BAIL(symlinkat("/", d, "rootlink") == 0, "a symlink to /");
	int sub = openat(d, "sub", O_RDONLY | O_DIRECTORY);

	/* ---- openat2: the struct ---- */
	struct how h = {O_RDONLY, 0, 0};
	long fd = openat2_(d, "sub/file", &h, sizeof h);
	CHECK(fd >= 0, "openat2 a file");
	if (fd >= 0)
		close((int)fd);
	CHECK_ERR(openat2_(d, "sub/file", &h, 0), EINVAL, "a size of 0");
	CHECK_ERR(openat2_(d, "sub/file", &h, sizeof h - 1), EINVAL, "a size below version 0");
	struct {
		struct how h;
		uint64_t pad;
	} big = {{O_RDONLY, 0, 0}, 0};
	fd = openat2_(d, "sub/file", &big, sizeof big);
	CHECK(fd >= 0, "a larger struct with zero padding");
	if (fd >= 0)
		close((int)fd);
	big.pad = 1;
	CHECK_ERR(openat2_(d, "sub/file", &big, sizeof big), E2BIG, "padding that is not zero");
	CHECK_ERR(openat2_(d, "sub/file", &h, 8192), E2BIG, "a struct larger than a page");
	CHECK_ERR(openat2_(d, "sub/file", (void *)8, sizeof h), EFAULT, "an unreadable struct");
	CHECK_ERR(openat2_(d, NULL, &h, sizeof h), EFAULT, "a NULL path");
	CHECK_ERR(openat2_(99, "sub/file", &h, sizeof h), EBADF, "a closed directory descriptor");

	/* ---- openat2: flags and mode ---- */
	CHECK_ERR(open_how_(d, "sub/file", O_RDONLY, 0644, 0), EINVAL, "a mode without O_CREAT");
	CHECK_ERR(open_how_(d, "sub/new", O_RDWR | O_CREAT, 0xffffffff, 0), EINVAL, "a mode with type bits");
	CHECK_EQ(open_how_(d, "sub/new", O_RDWR | O_CREAT, 0600, 0), 0, "O_CREAT with a mode");
	CHECK_ERR(open_how_(d, "sub/file", 1ull << 40, 0, 0), EINVAL, "a flag in the upper half");
	CHECK_ERR(open_how_(d, "sub/file", 0x4, 0, 0), EINVAL, "an unknown flag");
	CHECK_ERR(open_how_(d, "sub/file", O_RDONLY, 0, 0x40), EINVAL, "an unknown resolve flag");
	CHECK_ERR(open_how_(d, "sub/file", O_RDONLY, 0, R_BENEATH | R_IN_ROOT), EINVAL, "BENEATH with IN_ROOT");
	CHECK_ERR(open_how_(d, "sub/file", O_PATH | O_RDWR, 0, 0), EINVAL, "O_PATH with O_RDWR");
	CHECK_EQ(open_how_(d, "sub/file", O_PATH | O_CLOEXEC | O_NOFOLLOW, 0, 0), 0, "O_PATH with the flags it allows");
	CHECK_ERR(open_how_(d, "sub/x", O_RDWR | O_CREAT | O_DIRECTORY, 0600, 0), EINVAL, "O_CREAT with O_DIRECTORY");
	CHECK_ERR(open_how_(d, "sub/file", O_RDWR | O_TRUNC, 0, R_CACHED), EAGAIN, "RESOLVE_CACHED with O_TRUNC");
	CHECK_ERR(open_how_(d, "sub/y", O_RDWR | O_CREAT, 0600, R_CACHED), EAGAIN, "RESOLVE_CACHED with O_CREAT");

	/* ---- openat2: resolving ---- */
	CHECK_EQ(open_how_(d, "link", O_RDONLY, 0, 0), 0, "a symlink is followed");
	CHECK_ERR(open_how_(d, "link", O_RDONLY, 0, R_NO_SYMLINKS), ELOOP, "not with RESOLVE_NO_SYMLINKS");
	CHECK_ERR(open_how_(d, "rootlink/proc", O_RDONLY, 0, R_NO_SYMLINKS), ELOOP, "nor one on the way");
	CHECK_EQ(open_how_(d, "sub/file", O_RDONLY, 0, R_NO_SYMLINKS), 0, "no symlink, no problem");
	CHECK_EQ(open_how_(AT_FDCWD, "/proc/self/exe", O_RDONLY, 0, 0), 0, "a magic link is followed");
	CHECK_ERR(open_how_(AT_FDCWD, "/proc/self/exe", O_RDONLY, 0, R_NO_MAGICLINKS), ELOOP, "not with RESOLVE_NO_MAGICLINKS");
	CHECK_EQ(open_how_(AT_FDCWD, "/proc/self/status", O_RDONLY, 0, R_NO_MAGICLINKS), 0, "/proc/self is no magic link");
	CHECK_ERR(open_how_(d, "/proc/version", O_RDONLY, 0, R_NO_XDEV), EXDEV, "RESOLVE_NO_XDEV into /proc");
	CHECK_EQ(open_how_(d, "sub/file", O_RDONLY, 0, R_NO_XDEV), 0, "within one file system");
	CHECK_ERR(open_how_(d, "/proc/version", O_RDONLY, 0, R_BENEATH), EXDEV, "RESOLVE_BENEATH: an absolute path");
	CHECK_ERR(open_how_(sub, "../link", O_RDONLY, 0, R_BENEATH), EXDEV, "RESOLVE_BENEATH: up from the start");
	CHECK_ERR(open_how_(sub, "up", O_RDONLY, 0, R_BENEATH), EXDEV, "RESOLVE_BENEATH: a symlink leading up");
	CHECK_ERR(open_how_(d, "rootlink", O_RDONLY, 0, R_BENEATH), EXDEV, "RESOLVE_BENEATH: an absolute symlink");
	CHECK_EQ(open_how_(d, "sub/../link", O_RDONLY, 0, R_BENEATH), 0, "RESOLVE_BENEATH: down and back");
	CHECK_ERR(open_how_(d, "/proc/version", O_RDONLY, 0, R_IN_ROOT), ENOENT, "RESOLVE_IN_ROOT: / is the start");
	CHECK_EQ(open_how_(d, "/sub/file", O_RDONLY, 0, R_IN_ROOT), 0, "RESOLVE_IN_ROOT: /sub/file is below it");
	CHECK_EQ(open_how_(sub, "../../file", O_RDONLY, 0, R_IN_ROOT), 0, "RESOLVE_IN_ROOT: .. stops at it");
	CHECK_EQ(open_how_(d, "rootlink/sub/file", O_RDONLY, 0, R_IN_ROOT), 0, "RESOLVE_IN_ROOT: a symlink to / too");
	CHECK_EQ(open_how_(d, "sub/file", O_RDONLY, 0, R_CACHED), 0, "RESOLVE_CACHED of a file just used");

	/* ---- execveat ---- */
	char self[512];
	ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
	CHECK_BAIL(n > 0, "our own path");
	self[n] = 0;
	char *slash = strrchr(self, '/');
	CHECK_BAIL(slash != NULL, "a directory and a name");
	*slash = 0;
	char *name = slash + 1;
	int bindir = open(self[0] ? self : "/", O_RDONLY | O_DIRECTORY);
	char *args[] = {name, "exit42", NULL};
	CHECK_EQ(exec_child(bindir, name, 0, args), 42, "execveat of a name in a directory descriptor");
	*slash = '/';
	CHECK_EQ(exec_child(99, self, 0, args), 42, "an absolute path ignores the descriptor");
	int opath = open(self, O_PATH);
	CHECK_EQ(exec_child(opath, "", AT_EMPTY_PATH, args), 42, "AT_EMPTY_PATH with an O_PATH descriptor");
	int ordinary = open(self, O_RDONLY);
	CHECK_EQ(exec_child(ordinary, "", AT_EMPTY_PATH, args), 42, "AT_EMPTY_PATH with an ordinary descriptor");
	CHECK_BAIL(symlinkat(self, d, "exelink") == 0, "a symlink to ourselves");
	CHECK_EQ(exec_child(d, "exelink", 0, args), 42, "through a symlink");
	CHECK_EQ(exec_child(d, "exelink", AT_SYMLINK_NOFOLLOW, args), -ELOOP, "AT_SYMLINK_NOFOLLOW on a symlink");
	CHECK_EQ(exec_child(ordinary, "", 0, args), -ENOENT, "an empty path without AT_EMPTY_PATH");
	CHECK_EQ(exec_child(d, "exelink", 0x4, args), -EINVAL, "an unknown flag");
	CHECK_EQ(exec_child(99, "exelink", 0, args), -EBADF, "a closed descriptor");
	CHECK_EQ(exec_child(ordinary, "x", 0, args), -ENOTDIR, "a path from a file descriptor");
	CHECK_EQ(exec_child(d, "", AT_EMPTY_PATH, args), -EACCES, "AT_EMPTY_PATH on a directory");
	int pp[2];
	CHECK_BAIL(pipe(pp) == 0, "a pipe");
	CHECK_EQ(exec_child(pp[0], "", AT_EMPTY_PATH, args), -EACCES, "AT_EMPTY_PATH on a pipe");
	close(pp[0]);
	close(pp[1]);

	/* ---- futimesat ---- */
	struct timeval tv[2] = {{1000000, 5}, {2000000, 7}};
	CHECK_EQ(syscall(SYS_futimesat, d, "sub/file", tv), 0, "futimesat relative to a directory");
	struct stat st;
	CHECK(fstatat(d, "sub/file", &st, 0) == 0 && st.st_atim.tv_sec == 1000000 && st.st_atim.tv_nsec == 5000 && st.st_mtim.tv_sec == 2000000 && st.st_mtim.tv_nsec == 7000, "both times set, microseconds kept");
	CHECK_EQ(syscall(SYS_futimesat, d, "link", tv), 0, "through a symlink");
	CHECK_EQ(syscall(SYS_futimesat, d, "sub/file", NULL), 0, "NULL: now");
	CHECK(fstatat(d, "sub/file", &st, 0) == 0 && st.st_mtim.tv_sec > 2000000, "now is later");
	tv[0].tv_usec = 1000000;
	CHECK_ERR(syscall(SYS_futimesat, d, "sub/file", tv), EINVAL, "a microsecond count past a second");
	tv[0].tv_usec = 0;
	CHECK_ERR(syscall(SYS_futimesat, d, "nothing", tv), ENOENT, "a missing file");
	CHECK_ERR(syscall(SYS_futimesat, 99, "sub/file", tv), EBADF, "a closed descriptor");
	CHECK_ERR(syscall(SYS_futimesat, d, "sub/file", (void *)8), EFAULT, "unreadable times");

	/* ---- fchmodat2 ---- */
	CHECK_EQ(syscall(SYS_fchmodat2_, d, "sub/file", 0600, 0), 0, "fchmodat2");
	CHECK(fstatat(d, "sub/file", &st, 0) == 0 && (st.st_mode & 07777) == 0600, "mode 0600");
	CHECK_EQ(syscall(SYS_fchmodat2_, d, "link", 0640, 0), 0, "through a symlink");
	CHECK(fstatat(d, "sub/file", &st, 0) == 0 && (st.st_mode & 07777) == 0640, "the target changed");
	CHECK_ERR(syscall(SYS_fchmodat2_, d, "link", 0600, AT_SYMLINK_NOFOLLOW), EOPNOTSUPP, "AT_SYMLINK_NOFOLLOW on a symlink");
	CHECK_EQ(syscall(SYS_fchmodat2_, d, "sub/file", 0604, AT_SYMLINK_NOFOLLOW), 0, "AT_SYMLINK_NOFOLLOW on a file");
	int fo = openat(d, "sub/file", O_PATH);
	CHECK_EQ(syscall(SYS_fchmodat2_, fo, "", 0644, AT_EMPTY_PATH), 0, "AT_EMPTY_PATH on an O_PATH descriptor");
	CHECK(fstatat(d, "sub/file", &st, 0) == 0 && (st.st_mode & 07777) == 0644, "mode 0644");
	close(fo);
	CHECK_ERR(syscall(SYS_fchmodat2_, d, "", 0644, 0), ENOENT, "an empty path without AT_EMPTY_PATH");
	CHECK_ERR(syscall(SYS_fchmodat2_, d, "sub/file", 0644, 0x4), EINVAL, "an unknown flag");

	/* ---- epoll_pwait2 ---- */
	int ep = epoll_create1(0);
	int ev = eventfd(0, 0);
	struct epoll_event e = {.events = EPOLLIN, .data.u64 = 7}, out[2];
	CHECK_BAIL(ep >= 0 && ev >= 0 && epoll_ctl(ep, EPOLL_CTL_ADD, ev, &e) == 0, "an epoll set watching an eventfd");
	struct timespec ts = {0, 1000000};
	CHECK_EQ(syscall(SYS_epoll_pwait2, ep, out, 2, &ts, NULL, (size_t)8), 0, "nothing ready: the timeout ends it");
	uint64_t one = 1;
	CHECK_EQ(write(ev, &one, 8), 8, "make it ready");
	CHECK_EQ(syscall(SYS_epoll_pwait2, ep, out, 2, &ts, NULL, (size_t)8), 1, "one ready");
	CHECK_EQ(out[0].data.u64, 7, "its data");
	CHECK_EQ(syscall(SYS_epoll_pwait2, ep, out, 2, NULL, NULL, (size_t)8), 1, "no timeout, ready already");
	ts.tv_nsec = 1000000000;
	CHECK_ERR(syscall(SYS_epoll_pwait2, ep, out, 2, &ts, NULL, (size_t)8), EINVAL, "nanoseconds past a second");
	ts.tv_nsec = 0;
	ts.tv_sec = -1;
	CHECK_ERR(syscall(SYS_epoll_pwait2, ep, out, 2, &ts, NULL, (size_t)8), EINVAL, "negative seconds");
	ts.tv_sec = 0;
	uint64_t mask = 0;
	CHECK_ERR(syscall(SYS_epoll_pwait2, ep, out, 2, &ts, &mask, (size_t)4), EINVAL, "a signal set of the wrong size");
	CHECK_EQ(syscall(SYS_epoll_pwait2, ep, out, 2, &ts, &mask, (size_t)8), 1, "with a signal mask");
	CHECK_ERR(syscall(SYS_epoll_pwait2, ep, out, 0, &ts, NULL, (size_t)8), EINVAL, "maxevents 0");
	CHECK_ERR(syscall(SYS_epoll_pwait2, ep, out, 2, (void *)8, NULL, (size_t)8), EFAULT, "an unreadable timeout");
	CHECK_ERR(syscall(SYS_epoll_pwait2, ev, out, 2, &ts, NULL, (size_t)8), EINVAL, "not an epoll descriptor");

	close(ep);
	close(ev);
	close(opath);
	close(ordinary);
	close(bindir);
	close(sub);
	close(d);
	check_rm_rf(dir);
	return check_done();
}
