/*
 * process.c - process life cycle.
 *
 * fork/wait/waitpid/wait4/waitid with every exit code 0..255,
 * WIFEXITED/WEXITSTATUS, WIFSIGNALED for SIGKILL/SIGTERM, WIFSTOPPED/
 * WIFCONTINUED, WNOHANG, ECHILD, getpid/getppid relations, atexit vs
 * _exit, vfork, execve of this very program (re-exec through argv[0], or
 * /proc/self/exe when argv[0] has no slash) with marker arguments and an
 * explicit environment, what survives exec (pid, fds without FD_CLOEXEC,
 * ignored signals, the signal mask) and what does not, the exit status of
 * the exec'd program, process groups (setpgid/getpgid, kill of a group),
 * setsid/getsid, and reparenting of an orphaned grandchild.
 *
 * The program may be PID 1 inside Helctic, so nothing here kills or stops
 * the main process itself, and orphans are reaped when they land on us.
 */
#define _GNU_SOURCE
#include "check.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

static const char *self_path;

#define EXEC_OK 42

/* ---- the re-executed side ---------------------------------------------- */

/*
 * argv: self --exec-child <pid-before-exec> <keep-fd> <cloexec-fd> "a b" ""
 * env:  exactly HELCTIC_EXEC_MARK=42 and EMPTY=
 * Exits EXEC_OK if everything is as expected, otherwise a code naming the
 * first thing that was wrong (10..30).
 */
static int exec_child_main(int argc, char **argv)
{
	if (argc != 7)
		return 10;
	if (strcmp(argv[5], "a b") != 0 || strcmp(argv[6], "") != 0)
		return 11;
	if (argv[7] != NULL)
		return 12;
	if (atoi(argv[2]) != (int)getpid())
		return 13; /* exec keeps the pid */
	int keep = atoi(argv[3]), cloexec = atoi(argv[4]);
	if (fcntl(keep, F_GETFD) < 0)
		return 14; /* fd without FD_CLOEXEC survives */
	if (fcntl(cloexec, F_GETFD) >= 0 || errno != EBADF)
		return 15; /* FD_CLOEXEC fd is closed */
	if (write(keep, "K", 1) != 1)
		return 16;
	const char *m = getenv("HELCTIC_EXEC_MARK");
	if (!m || strcmp(m, "42") != 0)
		return 17;
	const char *e = getenv("EMPTY");
	if (!e || *e)
		return 18;
	int n = 0;
	for (char **p = environ; *p; p++)
		n++;
	if (n != 2)
		return 19;
	struct sigaction sa;
	sigaction(SIGUSR1, NULL, &sa);
	if (sa.sa_handler != SIG_IGN)
		return 20; /* ignored stays ignored */
	sigaction(SIGUSR2, NULL, &sa);
	if (sa.sa_handler != SIG_DFL)
		return 21; /* caught is reset to default */
	sigset_t cur;
	sigprocmask(SIG_BLOCK, NULL, &cur);
	if (!sigismember(&cur, SIGHUP) || sigismember(&cur, SIGINT))
		return 22; /* mask is inherited */
	return EXEC_OK;
}

/* ---- helpers ----------------------------------------------------------- */


/* fork a child that blocks reading fd until the parent closes the pipe */
static pid_t fork_blocked(int *release_fd)
{
	int p[2];
	if (pipe(p) < 0)
		return -1;
	pid_t pid = fork();
	if (pid == 0) {
		close(p[1]);
		char c;
		while (read(p[0], &c, 1) < 0 && errno == EINTR)
			;
		_exit(3);
	}
	close(p[0]);
	*release_fd = p[1];
	return pid;
}

/* ---- tests ------------------------------------------------------------- */

static void test_echild(void)
{
	/* must run before any orphan can be reparented to us */
	CHECK_ERR(wait(NULL), ECHILD, "wait with no children is ECHILD");
	CHECK_ERR(waitpid(-1, NULL, WNOHANG), ECHILD, "waitpid(-1, WNOHANG) with no children is ECHILD");
	int st;
	CHECK_ERR(waitpid(getpid(), &st, 0), ECHILD, "waitpid on ourselves is ECHILD");
}

static void test_exit_codes(void)
{
	int bad = -1, n_ok = 0;
	for (int code = 0; code <= 255; code++) {
		pid_t pid = fork();
		if (pid == 0)
			_exit(code);
		int st = 0;
		pid_t r;
		switch (code % 3) {
		case 0:
			r = wait(&st);
			break;
		case 1:
			r = waitpid(pid, &st, 0);
			break;
		default: {
			struct rusage ru;
			r = wait4(pid, &st, 0, &ru);
			break;
		}
		}
		if (r == pid && WIFEXITED(st) && !WIFSIGNALED(st) && WEXITSTATUS(st) == code)
			n_ok++;
		else if (bad < 0)
			bad = code;
	}
	CHECK(n_ok == 256, "exit codes 0..255 reported exactly by wait/waitpid/wait4 (first bad: %d)", bad);

	pid_t pid = fork();
	if (pid == 0)
		exit(256 + 7); /* only the low 8 bits survive */
	CHECK_EQ(check_wait(pid), 7, "exit(263) is seen as 7");
	pid = fork();
	if (pid == 0)
		_exit(-1);
	CHECK_EQ(check_wait(pid), 255, "_exit(-1) is seen as 255");
}

static int atexit_fd = -1;
static void atexit_handler(void)
{
	write(atexit_fd, "A", 1);
}

static void test_atexit(void)
{
	int p[2];
	pipe(p);
	pid_t pid = fork();
	if (pid == 0) {
		close(p[0]);
		atexit_fd = p[1];
		atexit(atexit_handler);
		exit(5);
	}
	close(p[1]);
	char buf[4];
	CHECK_EQ(read(p[0], buf, sizeof buf), 1, "exit() runs atexit handlers");
	CHECK_EQ(check_wait(pid), 5, "exit status after atexit");
	close(p[0]);

	pipe(p);
	pid = fork();
	if (pid == 0) {
		close(p[0]);
		atexit_fd = p[1];
		atexit(atexit_handler);
		_exit(6);
	}
	close(p[1]);
	CHECK_EQ(read(p[0], buf, sizeof buf), 0, "_exit() skips atexit handlers");
	CHECK_EQ(check_wait(pid), 6, "_exit status");
	close(p[0]);
}

static void test_pids(void)
{
	int p[2];
	pipe(p);
	pid_t parent = getpid();
	CHECK(parent > 0, "getpid is positive");
	CHECK(getppid() >= 0, "getppid is non-negative");
	pid_t pid = fork();
	if (pid == 0) {
		pid_t ids[2] = {getpid(), getppid()};
		write(p[1], ids, sizeof ids);
		_exit(0);
	}
	pid_t ids[2] = {0, 0};
	read(p[0], ids, sizeof ids);
	CHECK_EQ(ids[0], pid, "child's getpid equals fork's return value");
	CHECK_EQ(ids[1], parent, "child's getppid equals parent's getpid");
	CHECK(pid != parent, "child pid differs from parent");
	CHECK_EQ(check_wait(pid), 0, "child exit 0");
	close(p[0]);
	close(p[1]);

	/* a zombie still exists for kill(pid, 0) until reaped */
	pid = fork();
	if (pid == 0) {
		setpgid(0, 0);
		_exit(9);
	}
	setpgid(pid, pid); /* whichever runs first; the other gets EACCES or nothing to do */
	siginfo_t si;
	memset(&si, 0, sizeof si);
	CHECK_EQ(waitid(P_PID, pid, &si, WEXITED | WNOWAIT), 0, "waitid WNOWAIT");
	CHECK(si.si_pid == pid && si.si_code == CLD_EXITED && si.si_status == 9,
	      "waitid reports pid, CLD_EXITED and status 9");
	CHECK_EQ(kill(pid, 0), 0, "kill(pid, 0) succeeds on an unreaped zombie");
	CHECK_EQ(kill(pid, SIGTERM), 0, "kill(pid, SIGTERM) succeeds on a zombie too (and does nothing)");
	CHECK_EQ(kill(-pid, SIGTERM), 0, "so does signalling its process group");
	memset(&si, 0, sizeof si);
	CHECK_EQ(waitid(P_PID, pid, &si, WEXITED), 0, "waitid reaps");
	CHECK_EQ(si.si_status, 9, "waitid status after WNOWAIT is unchanged");
	CHECK_ERR(kill(pid, 0), ESRCH, "kill(pid, 0) after reaping is ESRCH");

	/* vfork: parent resumes after the child exits */
	pid = vfork();
	if (pid == 0)
		_exit(17);
	CHECK(pid > 0, "vfork");
	CHECK_EQ(check_wait(pid), 17, "vfork child exit status");
}

static void test_signaled(void)
{
	int rel;
	pid_t pid = fork_blocked(&rel);
	CHECK_EQ(kill(pid, SIGKILL), 0, "kill SIGKILL");
	int st;
	CHECK_EQ(waitpid(pid, &st, 0), pid, "waitpid killed child");
	CHECK(WIFSIGNALED(st) && !WIFEXITED(st), "WIFSIGNALED after SIGKILL");
	CHECK_EQ(WTERMSIG(st), SIGKILL, "WTERMSIG is SIGKILL");
	close(rel);

	pid = fork_blocked(&rel);
	kill(pid, SIGTERM);
	CHECK_EQ(check_wait(pid), 1000 + SIGTERM, "child killed by SIGTERM");
	close(rel);

	pid = fork();
	if (pid == 0) {
		raise(SIGTERM);
		_exit(1);
	}
	CHECK_EQ(check_wait(pid), 1000 + SIGTERM, "child raising SIGTERM on itself dies of it");

	/* stop / continue */
	pid = fork_blocked(&rel);
	kill(pid, SIGSTOP);
	CHECK_EQ(waitpid(pid, &st, WUNTRACED), pid, "waitpid WUNTRACED");
	CHECK(WIFSTOPPED(st) && WSTOPSIG(st) == SIGSTOP, "WIFSTOPPED with SIGSTOP");
	kill(pid, SIGCONT);
	CHECK_EQ(waitpid(pid, &st, WCONTINUED), pid, "waitpid WCONTINUED");
	CHECK(WIFCONTINUED(st), "WIFCONTINUED after SIGCONT");
	close(rel);
	CHECK_EQ(check_wait(pid), 3, "continued child runs to completion");

	/* WNOHANG */
	pid = fork_blocked(&rel);
	CHECK_EQ(waitpid(pid, &st, WNOHANG), 0, "WNOHANG on a running child returns 0");
	close(rel);
	pid_t r;
	int loops = 0;
	while ((r = waitpid(pid, &st, WNOHANG)) == 0 && loops++ < 5000)
		usleep(1000);
	CHECK(r == pid && WIFEXITED(st) && WEXITSTATUS(st) == 3, "WNOHANG eventually returns the exited child");

	/* waitpid(-1) picks up any child */
	pid_t a = fork();
	if (a == 0)
		_exit(21);
	pid_t b = fork();
	if (b == 0)
		_exit(22);
	int seen = 0;
	for (int i = 0; i < 2; i++) {
		r = waitpid(-1, &st, 0);
		if (r == a && WEXITSTATUS(st) == 21)
			seen |= 1;
		if (r == b && WEXITSTATUS(st) == 22)
			seen |= 2;
	}
	CHECK_EQ(seen, 3, "waitpid(-1) reaps both children with the right statuses");
}

static void on_usr2(int sig)
{
	(void)sig;
}

static void test_exec(void)
{
	int keep[2], cloexec[2];
	pipe(keep);
	pipe2(cloexec, O_CLOEXEC);
	pid_t pid = fork();
	if (pid == 0) {
		close(keep[0]);
		signal(SIGUSR1, SIG_IGN);
		signal(SIGUSR2, on_usr2);
		sigset_t set;
		sigemptyset(&set);
		sigaddset(&set, SIGHUP);
		sigprocmask(SIG_SETMASK, &set, NULL);
		char a1[16], a2[16], a3[16];
		snprintf(a1, sizeof a1, "%d", (int)getpid());
		snprintf(a2, sizeof a2, "%d", keep[1]);
		snprintf(a3, sizeof a3, "%d", cloexec[1]);
		char *args[] = {(char *)self_path, "--exec-child", a1, a2, a3, "a b", "", NULL};
		char *env[] = {"HELCTIC_EXEC_MARK=42", "EMPTY=", NULL};
		execve(self_path, args, env);
		_exit(99);
	}
	close(keep[1]);
	close(cloexec[1]);
	close(cloexec[0]);
	char c = 0;
	CHECK_EQ(read(keep[0], &c, 1), 1, "exec'd program wrote to the inherited fd");
	int code = check_wait(pid);
	CHECK(code != 99, "execve of self (%s) succeeded", self_path);
	CHECK_EQ(code, EXEC_OK,
		 "exec'd program saw argv, env, pid, fds, signal dispositions and mask as expected");
	close(keep[0]);

	/* exec'd program's exit status is reported (exit code path via main return) */
	pid = fork();
	if (pid == 0) {
		char *args[] = {(char *)self_path, "--exit-with", "123", NULL};
		char *env[] = {NULL};
		execve(self_path, args, env);
		_exit(99);
	}
	CHECK_EQ(check_wait(pid), 123, "exit status of exec'd program returning 123 from main");

	pid = fork();
	if (pid == 0) {
		char *args[] = {"whatever", NULL};
		char *env[] = {NULL};
		execve("/nonexistent/helctic-no-such-program", args, env);
		_exit(errno == ENOENT ? 0 : 1);
	}
	CHECK_EQ(check_wait(pid), 0, "execve of a missing file fails with ENOENT and returns");

	char *args[] = {"x", NULL};
	CHECK_ERR(execve("/", args, environ), EACCES, "execve of a directory is EACCES");
}

static void test_pgrp_session(void)
{
	pid_t mypg = getpgid(0);
	CHECK(mypg > 0, "getpgid(0) is positive");
	CHECK_EQ(getpgrp(), mypg, "getpgrp equals getpgid(0)");
	CHECK(getsid(0) >= 0, "getsid(0) succeeds");

	int rel;
	pid_t pid = fork_blocked(&rel);
	CHECK_EQ(getpgid(pid), mypg, "child starts in the parent's process group");
	CHECK_EQ(setpgid(pid, pid), 0, "setpgid(child, child) from the parent");
	CHECK_EQ(getpgid(pid), pid, "child is now leader of its own group");
	CHECK_EQ(setpgid(pid, mypg), 0, "setpgid back to our group");
	CHECK_ERR(setpgid(pid, -1), EINVAL, "setpgid with negative pgid is EINVAL");
	close(rel);
	check_wait(pid);

	/*
	 * A child makes a group of three (itself and two members) and the
	 * parent kills the whole group with kill(-pgid). The leader catches
	 * SIGTERM so it can reap its members (no orphans) and report how
	 * they died: exit 0 means both members died of SIGTERM.
	 */
	int ready[2];
	pipe(ready);
	pid = fork();
	if (pid == 0) {
		setpgid(0, 0);
		pid_t m[2];
		for (int i = 0; i < 2; i++) {
			m[i] = fork();
			if (m[i] == 0) {
				write(ready[1], "g", 1);
				for (;;)
					pause();
			}
		}
		struct sigaction sa;
		memset(&sa, 0, sizeof sa);
		sa.sa_handler = on_usr2; /* any non-default handler */
		sigaction(SIGTERM, &sa, NULL);
		sigset_t block, old;
		sigemptyset(&block);
		sigaddset(&block, SIGTERM);
		sigprocmask(SIG_BLOCK, &block, &old);
		write(ready[1], "l", 1);
		sigsuspend(&old); /* no lost-wakeup race, unlike pause() */
		int ok = 1;
		for (int i = 0; i < 2; i++)
			ok &= check_wait(m[i]) == 1000 + SIGTERM;
		_exit(ok ? 0 : 1);
	}
	char buf[3];
	int got = 0;
	while (got < 3) {
		ssize_t n = read(ready[0], buf, sizeof buf);
		if (n <= 0)
			break;
		got += (int)n;
	}
	CHECK_EQ(got, 3, "group leader and two members are running");
	CHECK_EQ(getpgid(pid), pid, "child used setpgid(0, 0)");
	CHECK_EQ(kill(-pid, SIGTERM), 0, "kill(-pgid, SIGTERM)");
	CHECK_EQ(check_wait(pid), 0, "SIGTERM reached the leader and both group members");
	CHECK_ERR(kill(-pid, 0), ESRCH, "the process group is gone once all were reaped");
	close(ready[0]);
	close(ready[1]);

	/* setsid in a child */
	int p[2];
	pipe(p);
	int hold[2];
	pipe(hold);
	pid = fork();
	if (pid == 0) {
		close(hold[1]);
		pid_t r[4];
		r[0] = setsid();
		r[1] = getsid(0);
		r[2] = getpgid(0);
		errno = 0;
		r[3] = setsid() == -1 ? errno : 0;
		write(p[1], r, sizeof r);
		char c;
		read(hold[0], &c, 1);
		_exit(0);
	}
	close(hold[0]);
	pid_t r[4] = {0, 0, 0, 0};
	read(p[0], r, sizeof r);
	CHECK_EQ(r[0], pid, "setsid returns the new session id (the child's pid)");
	CHECK_EQ(r[1], pid, "getsid(0) in the new session");
	CHECK_EQ(r[2], pid, "setsid makes the caller a process group leader");
	CHECK_EQ(r[3], EPERM, "second setsid by a group leader is EPERM");
	CHECK_EQ(getsid(pid), pid, "parent sees the child's new session via getsid(pid)");
	CHECK(getsid(0) != pid, "parent's session is unchanged");
	close(hold[1]);
	CHECK_EQ(check_wait(pid), 0, "setsid child exits");
	close(p[0]);
	close(p[1]);
}

static void test_reparent(void)
{
	/*
	 * child forks a grandchild and exits; the grandchild waits until its
	 * parent is gone (getppid changes), then reports {pid, old, new}.
	 */
	int p[2];
	pipe(p);
	pid_t child = fork();
	if (child == 0) {
		pid_t me = getpid();
		pid_t g = fork();
		if (g == 0) {
			pid_t newp = me;
			for (int i = 0; i < 10000 && newp == me; i++) {
				usleep(1000);
				newp = getppid();
			}
			pid_t rep[3] = {getpid(), me, newp};
			write(p[1], rep, sizeof rep);
			_exit(0);
		}
		_exit(g > 0 ? 0 : 1);
	}
	close(p[1]);
	CHECK_EQ(check_wait(child), 0, "middle child forked the grandchild and exited");
	pid_t rep[3] = {0, 0, 0};
	CHECK_EQ(read(p[0], rep, sizeof rep), (long long)sizeof rep, "grandchild reported back");
	CHECK_EQ(rep[1], child, "grandchild's original parent was the middle child");
	CHECK(rep[2] != child && rep[2] > 0, "orphaned grandchild was reparented (getppid %d -> %d)",
	      (int)rep[1], (int)rep[2]);
	if (rep[2] == getpid()) {
		/* we are PID 1 or a subreaper: the orphan is ours to reap */
		CHECK_EQ(check_wait(rep[0]), 0, "reaped the reparented grandchild");
	}
	close(p[0]);
}

/* A vfork parent waits for its child to exec or exit, but SIGKILL still
 * ends it (Linux's wait is killable): here the child stops itself and
 * never does either. The child's pid comes back through a pipe so that it
 * can be ended too. */
static void test_vfork_killable(void)
{
	int p[2];
	CHECK_EQ(pipe(p), 0, "pipe for the vfork child's pid");
	pid_t parent = fork();
	if (parent == 0) {
		close(p[0]);
		pid_t c = vfork();
		if (c == 0) {
			pid_t me = getpid();
			if (write(p[1], &me, sizeof me) != sizeof me)
				_exit(2);
			kill(me, SIGSTOP);
			_exit(0);
		}
		_exit(1); /* not reached while the child is stopped */
	}
	close(p[1]);
	pid_t child = 0;
	CHECK_EQ(read(p[0], &child, sizeof child), (long)sizeof child, "the vfork child reports its pid");
	close(p[0]);
	usleep(100000);
	CHECK_EQ(kill(parent, SIGKILL), 0, "SIGKILL to the waiting vfork parent");
	CHECK_EQ(check_wait_within(parent, 5000), 1000 + SIGKILL, "it dies of SIGKILL within 5 s though its child never execs nor exits");
	if (child > 0)
		kill(child, SIGKILL);
}

/* ETXTBSY: a running program's file cannot be opened for writing or
 * truncated, and a file open for writing cannot be exec'd. On a copy of
 * this program, run (paused) by a child. */
static void test_text_busy(void)
{
	char copy[] = "/tmp/process-etxtbsy-XXXXXX";
	int out = mkstemp(copy);
	int in = open(self_path, O_RDONLY);
	CHECK(out >= 0 && in >= 0, "copy this program to %s", copy);
	char buf[65536];
	ssize_t n;
	while ((n = read(in, buf, sizeof buf)) > 0)
		if (write(out, buf, (size_t)n) != n)
			break;
	close(in);
	fchmod(out, 0755);
	close(out);

	int ready[2];
	CHECK_EQ(pipe(ready), 0, "a pipe to know the copy runs");
	pid_t pid = fork();
	if (pid == 0) {
		dup2(ready[1], 3);
		char *args[] = {copy, "--pause", NULL};
		execv(copy, args);
		_exit(127);
	}
	close(ready[1]);
	char c = 0;
	CHECK_EQ(read(ready[0], &c, 1), 1, "the copy runs");
	close(ready[0]);
	CHECK_ERR(open(copy, O_WRONLY), ETXTBSY, "opening a running program for writing is ETXTBSY");
	CHECK_ERR(open(copy, O_RDWR | O_TRUNC), ETXTBSY, "and with O_TRUNC");
	CHECK_ERR(truncate(copy, 0), ETXTBSY, "truncating it is ETXTBSY");
	int ro = open(copy, O_RDONLY);
	CHECK(ro >= 0, "reading it is allowed");
	close(ro);
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);

	int w = open(copy, O_WRONLY);
	CHECK(w >= 0, "once it ended, it opens for writing");
	pid = fork();
	if (pid == 0) {
		char *args[] = {copy, "--exit-with", "0", NULL};
		execv(copy, args);
		_exit(errno == ETXTBSY ? 42 : 43);
	}
	CHECK_EQ(check_wait(pid), 42, "exec of a file open for writing is ETXTBSY");
	close(w);
	pid = fork();
	if (pid == 0) {
		char *args[] = {copy, "--exit-with", "7", NULL};
		execv(copy, args);
		_exit(127);
	}
	CHECK_EQ(check_wait(pid), 7, "closed, it runs again");
	unlink(copy);
}

int main(int argc, char **argv)
{
	if (argc > 1 && strcmp(argv[1], "--pause") == 0) {
		/* fd 3: tell the test we run, then wait for SIGKILL. */
		if (write(3, "r", 1) != 1)
			return 1;
		for (;;)
			pause();
	}
	if (argc > 1 && strcmp(argv[1], "--exec-child") == 0)
		return exec_child_main(argc, argv);
	if (argc > 2 && strcmp(argv[1], "--exit-with") == 0)
		return atoi(argv[2]);

	self_path = strchr(argv[0], '/') ? argv[0] : "/proc/self/exe";
	DIAG("re-exec path: %s", self_path);

	test_echild();
	test_exit_codes();
	test_atexit();
	test_pids();
	test_signaled();
	test_exec();
	test_pgrp_session();
	test_reparent();
	test_vfork_killable();
	test_text_busy();
	return check_done();
}
