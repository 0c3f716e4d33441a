/* POSIX message queues as Linux does them: names and attributes, messages
 * by priority, EMSGSIZE/EAGAIN/ETIMEDOUT, blocking woken by another
 * process and interrupted by a signal, poll and read(2) on the descriptor,
 * mq_notify with a signal (SI_MESGQ), permissions as an unprivileged user,
 * and /proc/sys/fs/mqueue. */
#define _GNU_SOURCE
#include "check.h"

#include <fcntl.h>
#include <mqueue.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#ifndef MQ_PRIO_MAX
#define MQ_PRIO_MAX 32768
#endif

static char name[64];
static char name2[64];

static void on_usr1(int sig)
{
	(void)sig;
}

static struct timespec in_ms(long ms)
{
	struct timespec t;
	clock_gettime(CLOCK_REALTIME, &t);
	t.tv_nsec += ms * 1000000;
	t.tv_sec += t.tv_nsec / 1000000000;
	t.tv_nsec %= 1000000000;
	return t;
}

/* Signals `pid` until it exits; returns its exit status (check_wait's). */
static int signal_until_exit(pid_t pid)
{
	for (int i = 0; i < 100000; i++) {
		int st;
		if (waitpid(pid, &st, WNOHANG) == pid)
			return WIFEXITED(st) ? WEXITSTATUS(st) : 1000 + WTERMSIG(st);
		kill(pid, SIGUSR1);
		usleep(200);
	}
	kill(pid, SIGKILL);
	return check_wait(pid);
}

int main(void)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_usr1;
	sigaction(SIGUSR1, &sa, NULL);
	snprintf(name, sizeof name, "/helctic-mq-%d", getpid());
	snprintf(name2, sizeof name2, "/helctic-mq2-%d", getpid());
	mq_unlink(name);

	struct mq_attr attr = {.mq_maxmsg = 4, .mq_msgsize = 64};
	CHECK_ERR(mq_open(name, O_RDWR), ENOENT, "mq_open: no such queue without O_CREAT");
	struct mq_attr bad = {.mq_maxmsg = 0, .mq_msgsize = 64};
	CHECK_ERR(mq_open(name, O_RDWR | O_CREAT, 0600, &bad), EINVAL, "mq_open: mq_maxmsg 0");
	bad.mq_maxmsg = 4;
	bad.mq_msgsize = -1;
	CHECK_ERR(mq_open(name, O_RDWR | O_CREAT, 0600, &bad), EINVAL, "mq_open: negative mq_msgsize");
	char longname[300];
	longname[0] = '/';
	memset(longname + 1, 'q', 280);
	longname[281] = 0;
	CHECK_ERR(mq_open(longname, O_RDWR | O_CREAT, 0600, NULL), ENAMETOOLONG, "mq_open: a name past NAME_MAX");
	mqd_t q = mq_open(name, O_RDWR | O_CREAT | O_EXCL, 0600, &attr);
	CHECK_BAIL(q != (mqd_t)-1, "mq_open: create %s", name);
	CHECK_ERR(mq_open(name, O_RDWR | O_CREAT | O_EXCL, 0600, &attr), EEXIST, "mq_open: O_EXCL on an existing queue");
	struct mq_attr got;
	CHECK(mq_getattr(q, &got) == 0 && got.mq_maxmsg == 4 && got.mq_msgsize == 64 && got.mq_curmsgs == 0 && got.mq_flags == 0, "mq_getattr: the attributes asked for");

	struct pollfd pfd = {.fd = q, .events = POLLIN | POLLOUT};
	CHECK(poll(&pfd, 1, 0) == 1 && pfd.revents == POLLOUT, "poll: an empty queue is writable only");

	/* Priorities: highest first, arrival order within one. */
	CHECK_EQ(mq_send(q, "a", 1, 1), 0, "mq_send prio 1");
	CHECK_EQ(mq_send(q, "bb", 2, 5), 0, "mq_send prio 5");
	CHECK_EQ(mq_send(q, "cc", 2, 5), 0, "mq_send prio 5 again");
	CHECK_EQ(mq_send(q, "d", 1, 0), 0, "mq_send prio 0");
	CHECK(poll(&pfd, 1, 0) == 1 && pfd.revents == POLLIN, "poll: a full queue is readable only");
	char status[128] = {0};
	CHECK(read(q, status, sizeof status - 1) > 0 && !strncmp(status, "QSIZE:6 ", 8), "read(2) gives the status line (%.40s)", status);
	CHECK_ERR(mq_send(q, "x", 1, MQ_PRIO_MAX), EINVAL, "mq_send: priority MQ_PRIO_MAX");
	struct timespec past = {1, 0};
	CHECK_ERR(mq_timedsend(q, "x", 1, 0, &past), ETIMEDOUT, "mq_timedsend on a full queue: ETIMEDOUT");
	char big[100] = {0};
	CHECK_ERR(mq_send(q, big, 65, 0), EMSGSIZE, "mq_send longer than mq_msgsize");
	char buf[64];
	unsigned prio = 99;
	CHECK_ERR(mq_receive(q, buf, 63, &prio), EMSGSIZE, "mq_receive into less than mq_msgsize");
	CHECK(mq_receive(q, buf, 64, &prio) == 2 && prio == 5 && !memcmp(buf, "bb", 2), "first: the first of priority 5");
	CHECK(mq_receive(q, buf, 64, &prio) == 2 && prio == 5 && !memcmp(buf, "cc", 2), "then the second of priority 5");
	CHECK(mq_receive(q, buf, 64, &prio) == 1 && prio == 1 && buf[0] == 'a', "then priority 1");
	CHECK(mq_receive(q, buf, 64, &prio) == 1 && prio == 0 && buf[0] == 'd', "then priority 0");
	struct timespec soon = in_ms(10);
	CHECK_ERR(mq_timedreceive(q, buf, 64, NULL, &soon), ETIMEDOUT, "mq_timedreceive on an empty queue: ETIMEDOUT");
	struct timespec badts = {0, 1000000000};
	CHECK_ERR(mq_timedreceive(q, buf, 64, NULL, &badts), EINVAL, "mq_timedreceive with tv_nsec 1e9");

	/* O_NONBLOCK through mq_setattr. */
	struct mq_attr nb = {.mq_flags = O_NONBLOCK}, old;
	CHECK(mq_setattr(q, &nb, &old) == 0 && old.mq_flags == 0, "mq_setattr O_NONBLOCK (the old flags were 0)");
	CHECK_ERR(mq_receive(q, buf, 64, NULL), EAGAIN, "an empty non-blocking queue: EAGAIN");
	for (int i = 0; i < 4; i++)
		mq_send(q, "f", 1, 0);
	CHECK_ERR(mq_send(q, "f", 1, 0), EAGAIN, "a full non-blocking queue: EAGAIN");
	CHECK(mq_getattr(q, &got) == 0 && got.mq_curmsgs == 4 && got.mq_flags == O_NONBLOCK, "mq_getattr: curmsgs and O_NONBLOCK");
	for (int i = 0; i < 4; i++)
		mq_receive(q, buf, 64, NULL);
	nb.mq_flags = 0;
	mq_setattr(q, &nb, NULL);

	/* A receiver blocks until another process sends. */
	pid_t pid = fork();
	if (pid == 0) {
		char b[64];
		unsigned p;
		ssize_t n = mq_receive(q, b, sizeof b, &p);
		_exit(n == 5 && p == 7 && !memcmp(b, "hello", 5) ? 0 : 1);
	}
	CHECK_EQ(mq_send(q, "hello", 5, 7), 0, "send what the child waits for");
	CHECK_EQ(check_wait(pid), 0, "the child received it");
	pid = fork();
	if (pid == 0) {
		char b[64];
		ssize_t n = mq_receive(q, b, sizeof b, NULL);
		_exit(n == -1 && errno == EINTR ? 0 : 1);
	}
	CHECK_EQ(signal_until_exit(pid), 0, "a signal ends a waiting mq_receive with EINTR");

	/* Notification: a message into the empty queue signals the registered
	 * process once, with SI_MESGQ and the sender's pid. */
	sigset_t set;
	sigemptyset(&set);
	sigaddset(&set, SIGUSR2);
	sigprocmask(SIG_BLOCK, &set, NULL);
	struct sigevent ev;
	memset(&ev, 0, sizeof ev);
	ev.sigev_notify = SIGEV_SIGNAL;
	ev.sigev_signo = SIGUSR2;
	ev.sigev_value.sival_int = 4242;
	CHECK_EQ(mq_notify(q, &ev), 0, "mq_notify SIGEV_SIGNAL");
	memset(status, 0, sizeof status);
	lseek(q, 0, SEEK_SET);
	pid = fork();
	if (pid == 0) {
		struct sigevent e2;
		memset(&e2, 0, sizeof e2);
		e2.sigev_notify = SIGEV_NONE;
		int busy = mq_notify(q, &e2) == -1 && errno == EBUSY;
		_exit(busy && mq_send(q, "n", 1, 0) == 0 ? 0 : 1);
	}
	CHECK_EQ(check_wait(pid), 0, "another process: EBUSY, then it sends");
	siginfo_t si;
	struct timespec wait = {5, 0};
	CHECK_EQ(sigtimedwait(&set, &si, &wait), SIGUSR2, "the notification signal came");
	CHECK_EQ(si.si_code, SI_MESGQ, "si_code SI_MESGQ");
	CHECK_EQ(si.si_value.sival_int, 4242, "si_value from the sigevent");
	CHECK_EQ(si.si_pid, pid, "si_pid is the sender");
	mq_receive(q, buf, 64, NULL);
	mq_send(q, "again", 5, 0);
	struct timespec zero = {0, 0};
	CHECK_ERR(sigtimedwait(&set, &si, &zero), EAGAIN, "the registration was used up");
	mq_receive(q, buf, 64, NULL);
	ev.sigev_notify = 99;
	CHECK_ERR(mq_notify(q, &ev), EINVAL, "mq_notify with an unknown sigev_notify");
	ev.sigev_notify = SIGEV_NONE;
	CHECK_ERR(mq_notify(-1, &ev), EBADF, "mq_notify on a bad descriptor");
	CHECK_EQ(mq_notify(q, &ev), 0, "mq_notify SIGEV_NONE");
	memset(status, 0, sizeof status);
	char want[64];
	snprintf(want, sizeof want, "NOTIFY:1     SIGNO:0     NOTIFY_PID:%-6d", getpid());
	CHECK(pread(q, status, sizeof status - 1, 0) > 0 || (lseek(q, 0, SEEK_SET) == 0 && read(q, status, sizeof status - 1) > 0), "read the status line again");
	CHECK(strstr(status, want) != NULL, "it names the registration (%.50s)", status);
	CHECK_EQ(mq_notify(q, NULL), 0, "mq_notify NULL removes it");
	/* A registration goes with its process (its exit closes the queue). */
	pid = fork();
	if (pid == 0) {
		struct sigevent e3;
		memset(&e3, 0, sizeof e3);
		e3.sigev_notify = SIGEV_NONE;
		_exit(mq_notify(q, &e3) == 0 ? 0 : 1);
	}
	CHECK_EQ(check_wait(pid), 0, "a child registers, then exits");
	CHECK_EQ(mq_notify(q, &ev), 0, "the parent may register: the child's registration went with it");
	CHECK_EQ(mq_notify(q, NULL), 0, "and remove its own");

	/* Permissions: root's 0600 queue refuses uid 65534. */
	mqd_t q2 = mq_open(name2, O_RDWR | O_CREAT, 0600, &attr);
	CHECK(q2 != (mqd_t)-1, "a second queue");
	pid = fork();
	if (pid == 0) {
		if (setgid(65534) || setuid(65534))
			_exit(100);
		int bits = 0;
		if (!(mq_open(name2, O_RDONLY) == (mqd_t)-1 && errno == EACCES))
			bits |= 1;
		if (!(mq_unlink(name2) == -1 && (errno == EACCES || errno == EPERM)))
			bits |= 2;
		struct mq_attr huge = {.mq_maxmsg = 100000, .mq_msgsize = 64};
		if (!(mq_open("/helctic-mq-nobody", O_RDWR | O_CREAT, 0600, &huge) == (mqd_t)-1 && errno == EINVAL))
			bits |= 4;
		_exit(bits);
	}
	CHECK_EQ(check_wait(pid), 0, "as uid 65534: EACCES to open, refused to unlink, limits enforced (bits of what failed)");
	mq_close(q2);
	CHECK_EQ(mq_unlink(name2), 0, "root unlinks it");

	/* Unlinking keeps open descriptors working. */
	CHECK_EQ(mq_unlink(name), 0, "mq_unlink");
	CHECK_ERR(mq_unlink(name), ENOENT, "mq_unlink again: ENOENT");
	CHECK_ERR(mq_open(name, O_RDWR), ENOENT, "the name is gone");
	CHECK(mq_send(q, "still", 5, 0) == 0 && mq_receive(q, buf, 64, NULL) == 5, "the open queue still works");
	CHECK_EQ(mq_close(q), 0, "mq_close");

	char text[32] = {0};
	int fd = open("/proc/sys/fs/mqueue/msg_max", O_RDONLY);
	CHECK(fd >= 0 && read(fd, text, sizeof text - 1) > 0 && atoi(text) >= 10, "/proc/sys/fs/mqueue/msg_max reads");
	close(fd);
	CHECK(access("/proc/sys/fs/mqueue/msgsize_max", R_OK) == 0 && access("/proc/sys/fs/mqueue/queues_max", R_OK) == 0, "msgsize_max and queues_max exist");
	return check_done();
}
