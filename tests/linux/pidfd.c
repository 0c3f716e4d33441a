/* Process descriptors: pidfd_open and pidfd_send_signal. A pidfd names one
 * process however its number is reused; it polls readable once the process
 * exits; /proc/<pid> directories serve as pidfds for signalling. Called
 * through syscall(2): musl has no wrappers. */
#define _GNU_SOURCE
#include "check.h"

#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#ifndef SYS_pidfd_open
#define SYS_pidfd_open 434
#endif
#ifndef SYS_pidfd_send_signal
#define SYS_pidfd_send_signal 424
#endif

static long pidfd_open(pid_t pid, unsigned flags)
{
	return syscall(SYS_pidfd_open, pid, flags);
}

static long pidfd_send_signal(int fd, int sig, siginfo_t *info, unsigned flags)
{
	return syscall(SYS_pidfd_send_signal, fd, sig, info, flags);
}

static volatile sig_atomic_t usr1_seen;
static void on_usr1(int s)
{
	(void)s;
	usr1_seen++;
}

static volatile pid_t thread_tid;
static volatile int thread_may_end;
static void *thread_main(void *arg)
{
	(void)arg;
	thread_tid = (pid_t)syscall(SYS_gettid);
	while (!thread_may_end)
		usleep(1000);
	return NULL;
}

#ifndef P_PIDFD
#define P_PIDFD 3
#endif
#ifndef PIDFD_NONBLOCK
#define PIDFD_NONBLOCK O_NONBLOCK
#endif

/* waitid(P_PIDFD): waits for the child the pidfd names; a non-blocking
 * pidfd makes it EAGAIN while the child runs; the exit status arrives. */
static void test_waitid_pidfd(void)
{
	int ready[2];
	if (pipe(ready) != 0)
		return;
	pid_t child = fork();
	if (child == 0) {
		char c;
		close(ready[1]);
		if (read(ready[0], &c, 1) < 0)
			_exit(1);
		_exit(42);
	}
	close(ready[0]);
	int fd = (int)pidfd_open(child, PIDFD_NONBLOCK);
	CHECK(fd >= 0, "pidfd_open(child, PIDFD_NONBLOCK)");
	siginfo_t info;
	memset(&info, 0, sizeof info);
	CHECK_ERR(waitid(P_PIDFD, fd, &info, WEXITED), EAGAIN, "waitid(P_PIDFD) on a running child's non-blocking pidfd is EAGAIN");
	memset(&info, 0, sizeof info);
	CHECK_EQ(waitid(P_PIDFD, fd, &info, WEXITED | WNOHANG), 0, "with WNOHANG it returns 0");
	CHECK_EQ(info.si_pid, 0, "and reports no child");
	CHECK_EQ(write(ready[1], "x", 1), 1, "let the child exit");
	close(ready[1]);
	struct pollfd p = { fd, POLLIN, 0 };
	CHECK_EQ(poll(&p, 1, 10000), 1, "the pidfd becomes readable when the child exits");
	memset(&info, 0, sizeof info);
	CHECK_EQ(waitid(P_PIDFD, fd, &info, WEXITED), 0, "waitid(P_PIDFD) collects the exited child");
	CHECK(info.si_pid == child && info.si_code == CLD_EXITED && info.si_status == 42, "with its pid, CLD_EXITED and status 42 (pid %d code %d status %d)",
	      info.si_pid, info.si_code, info.si_status);
	CHECK_ERR(waitid(P_PIDFD, fd, &info, WEXITED), ECHILD, "once reaped, waitid(P_PIDFD) is ECHILD");
	close(fd);
	CHECK_ERR(waitid(P_PIDFD, 0 /* stdin, not a pidfd */, &info, WEXITED), EBADF, "waitid(P_PIDFD) on another descriptor is EBADF");
	CHECK_ERR(waitid(P_PIDFD, -1, &info, WEXITED), EINVAL, "waitid(P_PIDFD, -1) is EINVAL");
}

#ifndef CLONE_PIDFD
#define CLONE_PIDFD 0x1000
#endif
#ifndef SYS_clone3
#define SYS_clone3 435
#endif

struct clone_args_v0 {
	unsigned long long flags, pidfd, child_tid, parent_tid, exit_signal, stack, stack_size, tls;
};

/* The child checks the pidfd's number is not open in its own table (it
 * copied its parent's before the pidfd existed) and exits with `code`. */
static void child_without(int pidfd, int code)
{
	errno = 0;
	_exit(fcntl(pidfd, F_GETFD) == -1 && errno == EBADF ? code : 100);
}

static void reap_pidfd_child(int pidfd, pid_t pid, int code, const char *how)
{
	CHECK(pidfd >= 0, "%s: the parent got a pidfd (%d)", how, pidfd);
	CHECK((fcntl(pidfd, F_GETFD) & FD_CLOEXEC) != 0, "%s: it is close-on-exec", how);
	struct pollfd p = {.fd = pidfd, .events = POLLIN};
	CHECK_EQ(poll(&p, 1, 10000), 1, "%s: it polls readable once the child exits", how);
	int st = 0;
	CHECK_EQ(waitpid(pid, &st, 0), pid, "%s: reap the child", how);
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == code, "%s: the child did not have the descriptor (status %#x)", how, st);
	CHECK_ERR(pidfd_send_signal(pidfd, 0, NULL, 0), ESRCH, "%s: once reaped, the pidfd says ESRCH", how);
	close(pidfd);
}

/* clone and clone3 with CLONE_PIDFD: the parent gets a pidfd on the child
 * before the child runs; clone stores it through parent_tid. */
static void test_clone_pidfd(void)
{
	int pidfd = -1;
	long pid = syscall(SYS_clone, SIGCHLD | CLONE_PIDFD, 0, &pidfd, 0, 0);
	if (pid == 0)
		child_without(pidfd, 7);
	CHECK(pid > 0, "clone(CLONE_PIDFD) makes a child");
	if (pid > 0)
		reap_pidfd_child(pidfd, (pid_t)pid, 7, "clone");

	pidfd = -1;
	struct clone_args_v0 ca = {.flags = CLONE_PIDFD, .pidfd = (unsigned long)&pidfd, .exit_signal = SIGCHLD};
	pid = syscall(SYS_clone3, &ca, sizeof ca);
	if (pid == 0)
		child_without(pidfd, 9);
	CHECK(pid > 0, "clone3 with CLONE_PIDFD makes a child");
	if (pid > 0)
		reap_pidfd_child(pidfd, (pid_t)pid, 9, "clone3");

	int tid = 0;
	CHECK_ERR(syscall(SYS_clone, SIGCHLD | CLONE_PIDFD | CLONE_PARENT_SETTID, 0, &tid, 0, 0), EINVAL,
		  "clone: CLONE_PIDFD with CLONE_PARENT_SETTID (one pointer for both) is EINVAL");
	int before = open("/dev/null", O_RDONLY);
	close(before);
	CHECK_ERR(syscall(SYS_clone, SIGCHLD | CLONE_PIDFD, 0, (int *)8, 0, 0), EFAULT, "clone: an unwritable pidfd address is EFAULT");
	CHECK_ERR(waitpid(-1, NULL, WNOHANG), ECHILD, "and no child was made");
	int after = open("/dev/null", O_RDONLY);
	CHECK_EQ(after, before, "and no descriptor was left behind");
	close(after);
}

int main(void)
{
	/* Arguments. */
	CHECK_ERR(pidfd_open(0, 0), EINVAL, "pidfd_open(0) is EINVAL");
	CHECK_ERR(pidfd_open(-1, 0), EINVAL, "pidfd_open(-1) is EINVAL");
	CHECK_ERR(pidfd_open(getpid(), 1), EINVAL, "an unknown flag is EINVAL");
	CHECK_ERR(pidfd_open(4000000, 0), ESRCH, "a pid nobody has is ESRCH");

	int self = (int)pidfd_open(getpid(), 0);
	CHECK(self >= 0, "pidfd_open of oneself");
	CHECK((fcntl(self, F_GETFD) & FD_CLOEXEC) != 0, "a pidfd is close-on-exec");
	char b[8];
	CHECK_ERR(read(self, b, sizeof b), EINVAL, "reading a pidfd is EINVAL");
	struct pollfd pf = {.fd = self, .events = POLLIN};
	CHECK_EQ(poll(&pf, 1, 0), 0, "a live process's pidfd is not readable");

	signal(SIGUSR1, on_usr1);
	CHECK_ERR(pidfd_send_signal(self, SIGUSR1, NULL, 0x100), EINVAL, "pidfd_send_signal with an unknown flag is EINVAL");
	CHECK_ERR(pidfd_send_signal(0, SIGUSR1, NULL, 0), EBADF, "on a descriptor that is no process is EBADF");
	CHECK_ERR(pidfd_send_signal(self, 65, NULL, 0), EINVAL, "signal 65 is EINVAL");
	CHECK_EQ(pidfd_send_signal(self, 0, NULL, 0), 0, "signal 0 checks the process");
	CHECK_EQ(pidfd_send_signal(self, SIGUSR1, NULL, 0), 0, "pidfd_send_signal to oneself");
	CHECK_EQ(usr1_seen, 1, "the handler ran");

	siginfo_t info = {0};
	info.si_signo = SIGUSR2;
	info.si_code = SI_QUEUE;
	CHECK_ERR(pidfd_send_signal(self, SIGUSR1, &info, 0), EINVAL, "a siginfo for another signal is EINVAL");
	CHECK_ERR(pidfd_send_signal(self, SIGUSR1, (siginfo_t *)8, 0), EFAULT, "an unreadable siginfo is EFAULT");

	/* A /proc/<pid> directory serves as a pidfd. */
	int dir = open("/proc/self", O_RDONLY | O_DIRECTORY);
	CHECK(dir >= 0, "open /proc/self");
	CHECK_EQ(pidfd_send_signal(dir, SIGUSR1, NULL, 0), 0, "pidfd_send_signal through /proc/self");
	CHECK_EQ(usr1_seen, 2, "the handler ran again");
	close(dir);
	int plain = open("/proc/self/status", O_RDONLY);
	CHECK_ERR(pidfd_send_signal(plain, SIGUSR1, NULL, 0), EBADF, "a /proc file that is no process directory is EBADF");
	close(plain);

	/* A thread that does not lead its group has no pidfd. */
	pthread_t th;
	CHECK_EQ(pthread_create(&th, NULL, thread_main, NULL), 0, "start a thread");
	while (!thread_tid)
		usleep(1000);
	/* ENOENT since Linux 6.9 (PIDFD_THREAD); EINVAL before. */
	errno = 0;
	long tfd = pidfd_open(thread_tid, 0);
	CHECK(tfd == -1 && (errno == ENOENT || errno == EINVAL), "pidfd_open of a non-leader thread fails (ENOENT; EINVAL before 6.9)");
	thread_may_end = 1;
	pthread_join(th, NULL);

	/* A child: killed through its pidfd, which then polls readable. */
	pid_t child = fork();
	if (child == 0) {
		for (;;)
			pause();
	}
	int cfd = (int)pidfd_open(child, 0);
	CHECK(cfd >= 0, "pidfd_open of a child");
	struct pollfd cp = {.fd = cfd, .events = POLLIN};
	CHECK_EQ(poll(&cp, 1, 0), 0, "not readable while the child lives");
	CHECK_EQ(pidfd_send_signal(cfd, SIGKILL, NULL, 0), 0, "SIGKILL through the pidfd");
	CHECK_EQ(poll(&cp, 1, 10000), 1, "readable once the child died");
	CHECK((cp.revents & POLLIN) != 0, "POLLIN");
	int st;
	CHECK_EQ(waitpid(child, &st, 0), child, "reap the child");
	CHECK(WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL, "it died of SIGKILL");
	CHECK_ERR(pidfd_send_signal(cfd, 0, NULL, 0), ESRCH, "a reaped child's pidfd is ESRCH");
	close(cfd);
	close(self);
	test_waitid_pidfd();
	test_clone_pidfd();
	return check_done();
}
