/*
 * signalfd.c - signalfd and signalfd4: reading pending signals from a mask
 * as struct signalfd_siginfo records.
 *
 * What a record says (signal, code, sender, sigqueue value, a child's exit
 * status, a POSIX timer), the order of reads (thread-directed before
 * process-wide, lowest number first, real-time signals queued in order,
 * standard ones merged), EAGAIN and blocking (woken by another process,
 * interrupted by a handled signal, restarted with SA_RESTART), EINVAL for a
 * buffer under 128 bytes, changing the mask of an existing descriptor,
 * SIGKILL and SIGSTOP never read, SFD_CLOEXEC/SFD_NONBLOCK, poll and epoll
 * readiness, a blocked SIG_IGN or default-ignored signal still read, a fork
 * child reading its own signals, a thread not seeing another thread's
 * signal, and the argument errors.
 */
#define _GNU_SOURCE
#include "check.h"

#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <sys/epoll.h>
#include <sys/signalfd.h>
#include <sys/syscall.h>
#include <time.h>

#define REC ((ssize_t)sizeof(struct signalfd_siginfo))

static pid_t gettid_(void)
{
	return (pid_t)syscall(SYS_gettid);
}

static sigset_t set_of(int a, int b, int c)
{
	sigset_t s;
	sigemptyset(&s);
	if (a)
		sigaddset(&s, a);
	if (b)
		sigaddset(&s, b);
	if (c)
		sigaddset(&s, c);
	return s;
}

/* A child that sends `sig` to us every 2 ms until killed. */
static pid_t pester(int sig)
{
	pid_t parent = getpid();
	pid_t pid = fork();
	if (pid == 0) {
		for (;;) {
			kill(parent, sig);
			struct timespec ts = {0, 2 * 1000 * 1000};
			nanosleep(&ts, NULL);
		}
	}
	return pid;
}

static void stop_pester(pid_t pid)
{
	kill(pid, SIGKILL);
	check_wait(pid);
}

static volatile sig_atomic_t alarms;

static void on_alarm(int sig)
{
	(void)sig;
	alarms++;
}

/* Reads everything pending (non-blocking descriptor); returns records. */
static int drain(int fd, struct signalfd_siginfo *out, int max)
{
	ssize_t n = read(fd, out, (size_t)max * sizeof *out);
	return n < 0 ? -1 : (int)(n / REC);
}

static void test_basics(void)
{
	sigset_t m = set_of(SIGUSR1, SIGUSR2, 0);
	int fd = signalfd(-1, &m, SFD_NONBLOCK | SFD_CLOEXEC);
	CHECK(fd >= 0, "signalfd(-1, {USR1, USR2}, SFD_NONBLOCK | SFD_CLOEXEC)");
	CHECK(fcntl(fd, F_GETFD) & FD_CLOEXEC, "SFD_CLOEXEC sets close-on-exec");
	CHECK(fcntl(fd, F_GETFL) & O_NONBLOCK, "SFD_NONBLOCK sets O_NONBLOCK");
	struct signalfd_siginfo si[4];
	CHECK_ERR(read(fd, si, sizeof si), EAGAIN, "nothing pending: EAGAIN");
	char small[REC];
	CHECK_ERR(read(fd, small, REC - 1), EINVAL, "a 127-byte buffer: EINVAL");
	CHECK_ERR(read(fd, small, 0), EINVAL, "a 0-byte read: EINVAL");

	kill(getpid(), SIGUSR2);
	kill(getpid(), SIGUSR1);
	CHECK_ERR(read(fd, small, REC - 1), EINVAL, "a 127-byte buffer with signals pending: EINVAL");
	sigset_t pend;
	sigpending(&pend);
	CHECK(sigismember(&pend, SIGUSR1) && sigismember(&pend, SIGUSR2), "the failed read took nothing");
	memset(si, 0xaa, sizeof si);
	CHECK_EQ(read(fd, si, sizeof si), 2 * REC, "a read takes both pending signals, one record each");
	CHECK_EQ(si[0].ssi_signo, SIGUSR1, "lowest number first: SIGUSR1");
	CHECK_EQ(si[1].ssi_signo, SIGUSR2, "then SIGUSR2");
	CHECK_EQ(si[0].ssi_code, SI_USER, "kill: SI_USER");
	CHECK_EQ(si[0].ssi_pid, getpid(), "ssi_pid is the sender");
	CHECK_EQ(si[0].ssi_uid, getuid(), "ssi_uid is the sender's uid");
	CHECK_EQ(si[0].ssi_errno, 0, "ssi_errno 0");
	sigpending(&pend);
	CHECK(!sigismember(&pend, SIGUSR1) && !sigismember(&pend, SIGUSR2), "reading took them: no longer pending");
	CHECK_ERR(read(fd, si, sizeof si), EAGAIN, "and the descriptor is empty again");

	kill(getpid(), SIGUSR1);
	kill(getpid(), SIGUSR1);
	CHECK_EQ(drain(fd, si, 4), 1, "a standard signal sent twice is read once");

	kill(getpid(), SIGUSR1);
	CHECK_EQ(read(fd, si, REC + REC / 2), REC, "a buffer of 1.5 records takes one");

	kill(getpid(), SIGUSR1);
	syscall(SYS_tgkill, getpid(), gettid_(), SIGUSR2);
	CHECK_EQ(read(fd, si, REC), REC, "one record at a time");
	CHECK_EQ(si[0].ssi_signo, SIGUSR2, "the thread-directed SIGUSR2 comes before the process-wide SIGUSR1");
	CHECK_EQ(si[0].ssi_code, SI_TKILL, "tgkill: SI_TKILL");
	CHECK_EQ(read(fd, si, REC), REC, "then the next");
	CHECK_EQ(si[0].ssi_signo, SIGUSR1, "the process-wide one");

	union sigval v = {.sival_int = 1234};
	sigqueue(getpid(), SIGUSR2, v);
	CHECK_EQ(drain(fd, si, 4), 1, "sigqueue'd signal read");
	CHECK_EQ(si[0].ssi_code, SI_QUEUE, "sigqueue: SI_QUEUE");
	CHECK_EQ(si[0].ssi_int, 1234, "ssi_int carries the value");
	CHECK_EQ((int)si[0].ssi_ptr, 1234, "ssi_ptr carries it too");

	kill(getpid(), SIGUSR1);
	struct pollfd p = {fd, POLLIN, 0};
	CHECK_EQ(poll(&p, 1, 0), 1, "poll: readable with a signal pending");
	CHECK_EQ(p.revents, POLLIN, "POLLIN");
	CHECK_ERR(write(fd, si, REC), EINVAL, "write to a signalfd: EINVAL");
	drain(fd, si, 4);
	p.revents = 0;
	CHECK_EQ(poll(&p, 1, 0), 0, "poll: not readable once read");

	/* A pending signal outside the mask does not count. */
	sigset_t more = set_of(SIGHUP, 0, 0);
	sigprocmask(SIG_BLOCK, &more, NULL);
	kill(getpid(), SIGHUP);
	CHECK_EQ(poll(&p, 1, 0), 0, "a pending signal not in the mask: not readable");
	CHECK_ERR(read(fd, si, sizeof si), EAGAIN, "and not read");
	int sig = 0;
	sigwait(&more, &sig);
	CHECK_EQ(sig, SIGHUP, "it was still pending for sigwait");

	char link[64] = {0}, path[64];
	snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
	CHECK(readlink(path, link, sizeof link - 1) > 0, "readlink of the signalfd");
	CHECK_STR(link, "anon_inode:[signalfd]", "signalfd's /proc/self/fd link");
	close(fd);
}

static void test_realtime_queue(void)
{
	sigset_t m = set_of(SIGRTMIN, SIGRTMIN + 1, 0);
	sigprocmask(SIG_BLOCK, &m, NULL);
	int fd = signalfd(-1, &m, SFD_NONBLOCK);
	for (int i = 1; i <= 3; i++) {
		union sigval v = {.sival_int = i};
		sigqueue(getpid(), SIGRTMIN + 1, v);
	}
	union sigval v = {.sival_int = 9};
	sigqueue(getpid(), SIGRTMIN, v);
	struct signalfd_siginfo si[8];
	CHECK_EQ(drain(fd, si, 8), 4, "three queued SIGRTMIN+1 and one SIGRTMIN: four records");
	CHECK(si[0].ssi_signo == (uint32_t)SIGRTMIN && si[0].ssi_int == 9, "SIGRTMIN first (lower number)");
	CHECK(si[1].ssi_int == 1 && si[2].ssi_int == 2 && si[3].ssi_int == 3, "then SIGRTMIN+1 three times, in the order sent (%d %d %d)", si[1].ssi_int, si[2].ssi_int, si[3].ssi_int);
	CHECK_EQ(si[3].ssi_signo, SIGRTMIN + 1, "all SIGRTMIN+1");

	/* A POSIX timer's expiry read as a record. */
	struct sigevent sev;
	memset(&sev, 0, sizeof sev);
	sev.sigev_notify = SIGEV_SIGNAL;
	sev.sigev_signo = SIGRTMIN;
	sev.sigev_value.sival_int = 4321;
	timer_t t;
	CHECK_EQ(timer_create(CLOCK_MONOTONIC, &sev, &t), 0, "timer_create SIGRTMIN");
	struct itimerspec its = {{0, 0}, {0, 5 * 1000 * 1000}};
	timer_settime(t, 0, &its, NULL);
	int flags = fcntl(fd, F_GETFL);
	fcntl(fd, F_SETFL, flags & ~O_NONBLOCK);
	CHECK_EQ(read(fd, si, REC), REC, "a blocking read waits for the timer");
	CHECK_EQ(si[0].ssi_code, SI_TIMER, "SI_TIMER");
	CHECK_EQ(si[0].ssi_int, 4321, "the timer's sigev_value");
	timer_delete(t);
	close(fd);
}

static void test_blocking(void)
{
	sigset_t m = set_of(SIGUSR1, 0, 0);
	int fd = signalfd(-1, &m, 0);
	CHECK(fd >= 0, "a blocking signalfd");
	pid_t parent = getpid();
	pid_t pid = fork();
	if (pid == 0) {
		struct timespec ts = {0, 20 * 1000 * 1000};
		nanosleep(&ts, NULL);
		_exit(kill(parent, SIGUSR1) == 0 ? 0 : 1);
	}
	struct signalfd_siginfo si;
	CHECK_EQ(read(fd, &si, sizeof si), REC, "a blocked read wakes when another process sends the signal");
	CHECK_EQ(si.ssi_signo, SIGUSR1, "SIGUSR1");
	CHECK_EQ(si.ssi_pid, pid, "from the child");
	CHECK_EQ(check_wait(pid), 0, "sender child");

	/* A handled signal interrupts the read (no SA_RESTART: EINTR). */
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_alarm;
	sigaction(SIGALRM, &sa, NULL);
	alarms = 0;
	pid = pester(SIGALRM);
	errno = 0;
	ssize_t r = read(fd, &si, sizeof si);
	int e = errno;
	stop_pester(pid);
	CHECK(r == -1 && e == EINTR, "a handled signal interrupts a blocked read: EINTR (got %zd, errno %d)", r, e);
	CHECK(alarms > 0, "the handler ran");

	/* With SA_RESTART the read goes on and returns the signal it waits for. */
	sa.sa_flags = SA_RESTART;
	sigaction(SIGALRM, &sa, NULL);
	alarms = 0;
	pid = fork();
	if (pid == 0) {
		for (int i = 0; i < 20; i++) {
			kill(parent, SIGALRM);
			struct timespec ts = {0, 2 * 1000 * 1000};
			nanosleep(&ts, NULL);
		}
		kill(parent, SIGUSR1);
		_exit(0);
	}
	r = read(fd, &si, sizeof si);
	CHECK_EQ(r, REC, "with SA_RESTART the read is restarted and returns the awaited signal");
	CHECK_EQ(si.ssi_signo, SIGUSR1, "SIGUSR1");
	CHECK_EQ(check_wait(pid), 0, "sender child");
	CHECK(alarms > 0, "the SIGALRM handler ran in between (%d times)", (int)alarms);
	signal(SIGALRM, SIG_DFL);
	close(fd);
}

static void test_mask_update_and_kill(void)
{
	sigset_t m = set_of(SIGUSR1, 0, 0);
	int fd = signalfd(-1, &m, SFD_NONBLOCK);
	kill(getpid(), SIGUSR1);
	kill(getpid(), SIGUSR2);
	sigset_t m2 = set_of(SIGUSR2, 0, 0);
	CHECK_EQ(signalfd(fd, &m2, 0), fd, "signalfd on an existing descriptor returns it");
	struct signalfd_siginfo si[4];
	CHECK_EQ(drain(fd, si, 4), 1, "the new mask reads one signal");
	CHECK_EQ(si[0].ssi_signo, SIGUSR2, "SIGUSR2, the new mask's");
	CHECK(fcntl(fd, F_GETFL) & O_NONBLOCK, "updating the mask keeps the descriptor's flags");
	sigset_t pend;
	sigpending(&pend);
	CHECK(sigismember(&pend, SIGUSR1), "SIGUSR1, no longer in the mask, stays pending");
	CHECK_EQ(signalfd(fd, &m, 0), fd, "back to SIGUSR1");
	CHECK_EQ(drain(fd, si, 4), 1, "which is read now");

	/* SIGKILL in the mask is dropped: it still kills a reader. */
	pid_t pid = fork();
	if (pid == 0) {
		sigset_t k = set_of(SIGKILL, SIGSTOP, SIGUSR1);
		int kfd = signalfd(-1, &k, 0);
		if (kfd < 0)
			_exit(2);
		struct signalfd_siginfo s;
		read(kfd, &s, sizeof s);
		_exit(3);
	}
	struct timespec ts = {0, 20 * 1000 * 1000};
	nanosleep(&ts, NULL);
	kill(pid, SIGKILL);
	CHECK_EQ(check_wait(pid), 1000 + SIGKILL, "SIGKILL in the mask is not read: it kills the blocked reader");
	close(fd);
}

static void test_ignored_and_children(void)
{
	/* Blocked signals are kept even when ignored, so a signalfd reads them. */
	sigset_t m = set_of(SIGUSR2, SIGCHLD, SIGWINCH);
	int fd = signalfd(-1, &m, SFD_NONBLOCK);
	struct signalfd_siginfo si[4];
	while (drain(fd, si, 4) > 0)
		; /* the SIGCHLDs of earlier children */
	signal(SIGUSR2, SIG_IGN);
	kill(getpid(), SIGUSR2);
	CHECK_EQ(drain(fd, si, 4), 1, "a blocked SIG_IGN signal is still read");
	CHECK_EQ(si[0].ssi_signo, SIGUSR2, "SIGUSR2");
	signal(SIGUSR2, SIG_DFL);
	kill(getpid(), SIGWINCH);
	CHECK_EQ(drain(fd, si, 4), 1, "a blocked default-ignored SIGWINCH is read");

	pid_t pid = fork();
	if (pid == 0)
		_exit(42);
	int flags = fcntl(fd, F_GETFL);
	fcntl(fd, F_SETFL, flags & ~O_NONBLOCK);
	CHECK_EQ(read(fd, si, REC), REC, "a child's exit is read as SIGCHLD (what script(1) waits for)");
	CHECK_EQ(si[0].ssi_signo, SIGCHLD, "SIGCHLD");
	CHECK_EQ(si[0].ssi_code, CLD_EXITED, "CLD_EXITED");
	CHECK_EQ(si[0].ssi_pid, pid, "ssi_pid: the child");
	CHECK_EQ(si[0].ssi_status, 42, "ssi_status: its exit status");
	CHECK_EQ(check_wait(pid), 42, "and it can still be waited for");
	fcntl(fd, F_SETFL, flags);

	/* A fork child's signalfd reads the child's signals, not the parent's. */
	sigset_t u = set_of(SIGUSR1, 0, 0);
	int ufd = signalfd(-1, &u, SFD_NONBLOCK);
	kill(getpid(), SIGUSR1);
	pid = fork();
	if (pid == 0) {
		struct signalfd_siginfo s;
		if (read(ufd, &s, sizeof s) != -1 || errno != EAGAIN)
			_exit(1); /* the parent's pending signal is not the child's */
		kill(getpid(), SIGUSR1);
		if (read(ufd, &s, sizeof s) != REC)
			_exit(2);
		_exit(s.ssi_pid == (uint32_t)getpid() ? 0 : 3);
	}
	CHECK_EQ(check_wait(pid), 0, "an inherited signalfd reads the child's own signals in the child");
	CHECK_EQ(drain(ufd, si, 4), 1, "the parent's signal is still there for the parent");
	CHECK_EQ(si[0].ssi_pid, getpid(), "sent by the parent");
	close(ufd);
	close(fd);
}

static int shared_fd;
static volatile int thread_result;

static void *other_thread(void *arg)
{
	(void)arg;
	struct signalfd_siginfo s;
	ssize_t r = read(shared_fd, &s, sizeof s);
	thread_result = (r == -1 && errno == EAGAIN) ? 1 : 2;
	return NULL;
}

static void test_threads_and_epoll(void)
{
	sigset_t m = set_of(SIGUSR1, 0, 0);
	shared_fd = signalfd(-1, &m, SFD_NONBLOCK);
	syscall(SYS_tgkill, getpid(), gettid_(), SIGUSR1);
	pthread_t th;
	pthread_create(&th, NULL, other_thread, NULL);
	pthread_join(th, NULL);
	CHECK_EQ(thread_result, 1, "another thread does not read a signal sent to this thread (EAGAIN)");
	struct signalfd_siginfo si[2];
	CHECK_EQ(drain(shared_fd, si, 2), 1, "the target thread reads it");

	int ep = epoll_create1(0);
	struct epoll_event ev = {.events = EPOLLIN, .data.u64 = 5}, out;
	CHECK_EQ(epoll_ctl(ep, EPOLL_CTL_ADD, shared_fd, &ev), 0, "epoll_ctl ADD a signalfd");
	CHECK_EQ(epoll_wait(ep, &out, 1, 0), 0, "epoll: nothing pending");
	kill(getpid(), SIGUSR1);
	CHECK_EQ(epoll_wait(ep, &out, 1, 0), 1, "epoll: readable once a signal is pending");
	CHECK_EQ(out.events, EPOLLIN, "EPOLLIN");
	drain(shared_fd, si, 2);

	pid_t parent = getpid();
	pid_t pid = fork();
	if (pid == 0) {
		struct timespec ts = {0, 20 * 1000 * 1000};
		nanosleep(&ts, NULL);
		_exit(kill(parent, SIGUSR1) == 0 ? 0 : 1);
	}
	CHECK_EQ(epoll_wait(ep, &out, 1, -1), 1, "epoll_wait sleeping is woken by a signal for the signalfd");
	CHECK_EQ(drain(shared_fd, si, 2), 1, "which is then read");
	check_wait(pid);
	struct pollfd p = {shared_fd, POLLIN, 0};
	pid = fork();
	if (pid == 0) {
		struct timespec ts = {0, 20 * 1000 * 1000};
		nanosleep(&ts, NULL);
		_exit(kill(parent, SIGUSR1) == 0 ? 0 : 1);
	}
	CHECK_EQ(poll(&p, 1, -1), 1, "poll sleeping is woken likewise");
	drain(shared_fd, si, 2);
	check_wait(pid);
	close(ep);
	close(shared_fd);
}

static void test_errors(void)
{
	sigset_t m = set_of(SIGUSR1, 0, 0);
	CHECK_ERR(syscall(SYS_signalfd4, -1, &m, 4, 0), EINVAL, "sizemask 4: EINVAL");
	CHECK_ERR(syscall(SYS_signalfd4, -1, &m, 16, 0), EINVAL, "sizemask 16: EINVAL");
	CHECK_ERR(syscall(SYS_signalfd4, -1, &m, 8, O_CREAT), EINVAL, "an unknown flag: EINVAL");
	CHECK_ERR(syscall(SYS_signalfd4, -1, (void *)8, 8, 0), EFAULT, "an unreadable mask: EFAULT");
	int pfd[2];
	pipe(pfd);
	CHECK_ERR(signalfd(pfd[0], &m, 0), EINVAL, "a pipe is not a signalfd: EINVAL");
	close(pfd[0]);
	close(pfd[1]);
	CHECK_ERR(signalfd(pfd[0], &m, 0), EBADF, "a closed descriptor: EBADF");
	int fd = (int)syscall(SYS_signalfd, -1, &m, 8);
	CHECK(fd >= 0, "the old signalfd call (no flags)");
	CHECK_EQ(fcntl(fd, F_GETFD) & FD_CLOEXEC, 0, "no close-on-exec");
	CHECK_EQ(fcntl(fd, F_GETFL) & O_NONBLOCK, 0, "blocking");
	close(fd);
}

int main(void)
{
	sigset_t all = set_of(SIGUSR1, SIGUSR2, SIGCHLD);
	sigaddset(&all, SIGWINCH);
	sigprocmask(SIG_BLOCK, &all, NULL);
	test_basics();
	test_realtime_queue();
	test_blocking();
	test_mask_update_and_kill();
	test_ignored_and_children();
	test_threads_and_epoll();
	test_errors();
	return check_done();
}
