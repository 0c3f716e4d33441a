/*
 * o_path.c - what a descriptor opened with O_PATH may and may not do.
 *
 * Linux looks most descriptors up with fdget(), which treats an O_PATH
 * one as no descriptor at all (EBADF), and a few with fdget_raw(), which
 * takes it: close, dup, the fcntl commands that touch only the
 * descriptor, fstat, fstatfs, fchdir, and the *at calls' directory or
 * AT_EMPTY_PATH. LTP's accept03 found a socket call answering ENOTSOCK
 * where Linux says EBADF; this program walks every family of calls.
 */
#define _GNU_SOURCE
#include "check.h"
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/epoll.h>
#include <sys/file.h>
#include <sys/inotify.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/select.h>
#include <sys/sendfile.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <sys/timerfd.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <netinet/in.h>
#include <unistd.h>

static char dir[256];

/* Calls that must refuse the descriptor with EBADF. */
static void refused(int fd, int dirfd)
{
	char buf[16];
	int n = 0;
	struct iovec iov = {buf, sizeof buf};

	CHECK_ERR(read(fd, buf, sizeof buf), EBADF, "read");
	CHECK_ERR(write(fd, "x", 1), EBADF, "write");
	CHECK_ERR(pread(fd, buf, sizeof buf, 0), EBADF, "pread");
	CHECK_ERR(pwrite(fd, "x", 1, 0), EBADF, "pwrite");
	CHECK_ERR(readv(fd, &iov, 1), EBADF, "readv");
	CHECK_ERR(lseek(fd, 0, SEEK_SET), EBADF, "lseek");
	CHECK_ERR(ioctl(fd, FIONREAD, &n), EBADF, "ioctl");
	CHECK_ERR(syscall(SYS_fchmod, fd, 0600), EBADF, "fchmod");
	CHECK_ERR(syscall(SYS_fchown, fd, getuid(), getgid()), EBADF, "fchown");
	CHECK_ERR(ftruncate(fd, 0), EBADF, "ftruncate");
	CHECK_ERR(fsync(fd), EBADF, "fsync");
	CHECK_ERR(fdatasync(fd), EBADF, "fdatasync");
	CHECK_ERR(syncfs(fd), EBADF, "syncfs");
	CHECK_ERR(fallocate(fd, 0, 0, 4096), EBADF, "fallocate");
	CHECK_EQ(posix_fadvise(fd, 0, 0, POSIX_FADV_NORMAL), EBADF, "posix_fadvise");
	CHECK_ERR(flock(fd, LOCK_SH), EBADF, "flock");
	CHECK_ERR(syscall(SYS_utimensat, fd, NULL, NULL, 0), EBADF, "futimens (utimensat with no path)");
	CHECK(mmap(NULL, 4096, PROT_READ, MAP_PRIVATE, fd, 0) == MAP_FAILED && errno == EBADF, "mmap");

	/* fcntl: only the descriptor's own commands work. */
	struct flock lk = {.l_type = F_RDLCK, .l_whence = SEEK_SET};
	CHECK_ERR(fcntl(fd, F_SETFL, O_NONBLOCK), EBADF, "fcntl F_SETFL");
	CHECK_ERR(fcntl(fd, F_GETLK, &lk), EBADF, "fcntl F_GETLK");
	CHECK_ERR(fcntl(fd, F_SETLK, &lk), EBADF, "fcntl F_SETLK");
	CHECK_ERR(fcntl(fd, F_OFD_GETLK, &lk), EBADF, "fcntl F_OFD_GETLK");
	CHECK_ERR(fcntl(fd, F_GETLEASE), EBADF, "fcntl F_GETLEASE");
	CHECK_ERR(fcntl(fd, F_GET_SEALS), EBADF, "fcntl F_GET_SEALS");
	CHECK_ERR(fcntl(fd, F_GETPIPE_SZ), EBADF, "fcntl F_GETPIPE_SZ");

	/* Moving data. */
	int other = openat(dirfd, "data", O_RDWR);
	off_t off = 0;
	CHECK_ERR(sendfile(other, fd, &off, 1), EBADF, "sendfile from it");
	CHECK_ERR(sendfile(fd, other, &off, 1), EBADF, "sendfile to it");
	CHECK_ERR(copy_file_range(fd, NULL, other, NULL, 1, 0), EBADF, "copy_file_range from it");
	CHECK_ERR(copy_file_range(other, NULL, fd, NULL, 1, 0), EBADF, "copy_file_range to it");
	int p[2];
	CHECK_BAIL(pipe(p) == 0, "pipe");
	CHECK_ERR(splice(fd, NULL, p[1], NULL, 1, 0), EBADF, "splice from it");
	CHECK_ERR(splice(p[0], NULL, fd, NULL, 1, SPLICE_F_NONBLOCK), EBADF, "splice to it");
	CHECK_ERR(tee(fd, p[1], 1, 0), EBADF, "tee from it");
	CHECK_ERR(vmsplice(fd, &iov, 1, 0), EBADF, "vmsplice");
	close(p[0]);
	close(p[1]);
	close(other);

	/* Socket calls: EBADF, not ENOTSOCK. */
	struct sockaddr_in sin = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
	socklen_t len = sizeof sin;
	CHECK_ERR(accept(fd, NULL, NULL), EBADF, "accept");
	CHECK_ERR(accept4(fd, NULL, NULL, SOCK_CLOEXEC), EBADF, "accept4");
	CHECK_ERR(bind(fd, (struct sockaddr *)&sin, sizeof sin), EBADF, "bind");
	CHECK_ERR(connect(fd, (struct sockaddr *)&sin, sizeof sin), EBADF, "connect");
	CHECK_ERR(listen(fd, 1), EBADF, "listen");
	CHECK_ERR(getsockname(fd, (struct sockaddr *)&sin, &len), EBADF, "getsockname");
	CHECK_ERR(getpeername(fd, (struct sockaddr *)&sin, &len), EBADF, "getpeername");
	int v = 0;
	len = sizeof v;
	CHECK_ERR(getsockopt(fd, SOL_SOCKET, SO_TYPE, &v, &len), EBADF, "getsockopt");
	CHECK_ERR(setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &v, sizeof v), EBADF, "setsockopt");
	CHECK_ERR(send(fd, "x", 1, 0), EBADF, "send");
	CHECK_ERR(recv(fd, buf, 1, MSG_DONTWAIT), EBADF, "recv");
	CHECK_ERR(sendto(fd, "x", 1, 0, (struct sockaddr *)&sin, sizeof sin), EBADF, "sendto");
	CHECK_ERR(recvfrom(fd, buf, 1, MSG_DONTWAIT, NULL, NULL), EBADF, "recvfrom");
	struct msghdr msg = {.msg_iov = &iov, .msg_iovlen = 1};
	CHECK_ERR(sendmsg(fd, &msg, 0), EBADF, "sendmsg");
	CHECK_ERR(recvmsg(fd, &msg, MSG_DONTWAIT), EBADF, "recvmsg");
	CHECK_ERR(shutdown(fd, SHUT_RDWR), EBADF, "shutdown");

	/* Waiting on it, and using it as another kind of descriptor. */
	int ep = epoll_create1(0);
	struct epoll_event ev = {.events = EPOLLIN};
	CHECK_ERR(epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev), EBADF, "epoll_ctl ADD of it");
	CHECK_ERR(epoll_wait(fd, &ev, 1, 0), EBADF, "epoll_wait on it");
	close(ep);
	fd_set set;
	FD_ZERO(&set);
	FD_SET(fd, &set);
	struct timeval tv = {0, 0};
	/* select finds the descriptor open but fdget finds nothing to poll:
	 * POLLNVAL, which select counts as ready to read. */
	CHECK_EQ(select(fd + 1, &set, NULL, NULL, &tv), 1, "select reports it ready");
	CHECK(FD_ISSET(fd, &set), "in the read set");
	struct pollfd pfd = {.fd = fd, .events = POLLIN};
	CHECK(poll(&pfd, 1, 0) == 1 && pfd.revents == POLLNVAL, "poll reports POLLNVAL (revents %#x)", pfd.revents);
	CHECK_ERR(inotify_add_watch(fd, dir, IN_ALL_EVENTS), EBADF, "inotify_add_watch with it as the queue");
	struct itimerspec its;
	CHECK_ERR(timerfd_gettime(fd, &its), EBADF, "timerfd_gettime");
	sigset_t mask;
	sigemptyset(&mask);
	CHECK_ERR(signalfd(fd, &mask, 0), EBADF, "signalfd with it");
	CHECK_ERR(syscall(SYS_pidfd_send_signal, fd, 0, NULL, 0), EBADF, "pidfd_send_signal");
	siginfo_t si;
	CHECK_ERR(waitid(P_PIDFD, fd, &si, WEXITED | WNOHANG), EBADF, "waitid P_PIDFD");
}

/* Calls that take the descriptor as Linux's fdget_raw does. */
static void accepted(int fd, int dfd)
{
	struct stat st;
	struct statfs sfs;
	CHECK_EQ(fstat(fd, &st), 0, "fstat");
	CHECK(S_ISREG(st.st_mode) && st.st_size == 4, "fstat sees the file (size %lld)", (long long)st.st_size);
	CHECK_EQ(fstatfs(fd, &sfs), 0, "fstatfs");
	CHECK_EQ(fstatat(fd, "", &st, AT_EMPTY_PATH), 0, "fstatat with AT_EMPTY_PATH");
	CHECK_EQ(fcntl(fd, F_GETFL) & O_PATH, O_PATH, "fcntl F_GETFL shows O_PATH");
	CHECK_EQ(fcntl(fd, F_SETFD, FD_CLOEXEC), 0, "fcntl F_SETFD");
	CHECK_EQ(fcntl(fd, F_GETFD), FD_CLOEXEC, "fcntl F_GETFD");
	int d = fcntl(fd, F_DUPFD_CLOEXEC, 10);
	CHECK(d >= 10, "fcntl F_DUPFD_CLOEXEC (%d)", d);
	CHECK_EQ(fcntl(d, F_GETFL) & O_PATH, O_PATH, "the copy is O_PATH too");
	CHECK_EQ(close(d), 0, "close the copy");
	d = dup(fd);
	CHECK(d >= 0, "dup");
	CHECK_EQ(dup3(fd, d, O_CLOEXEC), d, "dup3");
	close(d);
	CHECK_EQ(fchownat(fd, "", getuid(), getgid(), AT_EMPTY_PATH), 0, "fchownat with AT_EMPTY_PATH");

	/* A directory's O_PATH descriptor anchors *at calls and fchdir. */
	int rd = openat(dfd, "data", O_RDONLY);
	CHECK(rd >= 0, "openat relative to an O_PATH directory");
	close(rd);
	CHECK_EQ(faccessat(dfd, "data", R_OK, 0), 0, "faccessat relative to it");
	char ents[256];
	CHECK_ERR(syscall(SYS_getdents64, dfd, ents, sizeof ents), EBADF, "getdents64 of an O_PATH directory");
	int cwd = open(".", O_RDONLY | O_DIRECTORY);
	CHECK_EQ(fchdir(dfd), 0, "fchdir to it");
	CHECK_EQ(access("data", R_OK), 0, "and the working directory is it");
	CHECK_EQ(fchdir(cwd), 0, "fchdir back");
	close(cwd);
}

int main(void)
{
	const char *tmp = getenv("TMPDIR");
	snprintf(dir, sizeof dir, "%s/o_path.XXXXXX", tmp && *tmp ? tmp : "/tmp");
	CHECK_BAIL(mkdtemp(dir) != NULL, "mkdtemp");
	int dfd = open(dir, O_PATH | O_DIRECTORY);
	CHECK_BAIL(dfd >= 0, "open the directory O_PATH");
	int w = openat(dfd, "data", O_RDWR | O_CREAT, 0600);
	CHECK_BAIL(w >= 0, "create a file in it");
	CHECK_EQ(write(w, "abcd", 4), 4, "write four bytes");
	close(w);
	int fd = openat(dfd, "data", O_PATH);
	CHECK_BAIL(fd >= 0, "open the file O_PATH");

	refused(fd, dfd);
	accepted(fd, dfd);

	close(fd);
	char path[300];
	snprintf(path, sizeof path, "%s/data", dir);
	unlink(path);
	close(dfd);
	rmdir(dir);
	return check_done();
}
