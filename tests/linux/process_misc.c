/*
 * process_misc.c - process_vm_readv/writev (another process's memory,
 * partial copies, errnos, permission), unshare (CLONE_FILES and CLONE_FS
 * from a process cloned to share them; bad flags; namespaces refused to
 * the unprivileged), adjtimex/clock_adjtime (reading the state, checks
 * that refuse; nothing is changed, so the host's clock is safe natively),
 * setdomainname's refusals. Runs as root.
 */
#define _GNU_SOURCE
#include "check.h"

#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <sys/syscall.h>
#include <sys/timex.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <time.h>

static char shared_text[64] = "the child's own words";

/* A child that waits for a byte, then exits 0 if its buffer reads `want`. */
static pid_t waiting_child(int *go, const char *want)
{
	int p[2];
	if (pipe(p) != 0)
		return -1;
	pid_t pid = fork();
	if (pid == 0) {
		close(p[1]);
		char c;
		if (read(p[0], &c, 1) != 1)
			_exit(2);
		_exit(want && strcmp(shared_text, want) != 0 ? 1 : 0);
	}
	close(p[0]);
	*go = p[1];
	return pid;
}

static int finish(pid_t pid, int go)
{
	int status = 0;
	if (write(go, "x", 1) != 1)
		return -1;
	close(go);
	waitpid(pid, &status, 0);
	return WIFEXITED(status) ? WEXITSTATUS(status) : 100;
}

static void test_process_vm(void)
{
	int go;
	pid_t pid = waiting_child(&go, "rewritten by the parent");
	char buf[64] = {0};
	struct iovec local = {buf, sizeof buf}, remote = {shared_text, sizeof shared_text};
	strcpy(shared_text, "changed after fork");
	CHECK_EQ(process_vm_readv(pid, &local, 1, &remote, 1, 0), (long)sizeof shared_text, "process_vm_readv reads the child's buffer");
	CHECK_STR(buf, "the child's own words", "what the child has, not what the parent changed");
	/* Two local pieces from one remote piece. */
	char a[5] = {0}, b[8] = {0};
	struct iovec two[2] = {{a, 4}, {b, 7}};
	CHECK_EQ(process_vm_readv(pid, two, 2, &remote, 1, 0), 11, "scattered over two local buffers");
	CHECK(memcmp(a, "the ", 4) == 0 && memcmp(b, "child's", 7) == 0, "in order");
	/* A bad second remote piece: the first still counts. */
	struct iovec remotes[2] = {{shared_text, 8}, {(void *)8, 8}};
	CHECK_EQ(process_vm_readv(pid, &local, 1, remotes, 2, 0), 8, "a fault in the second remote piece ends the copy after the first");
	struct iovec bad = {(void *)8, 8};
	CHECK_ERR(process_vm_readv(pid, &local, 1, &bad, 1, 0), EFAULT, "a bad remote address alone is EFAULT");
	CHECK_ERR(process_vm_readv(pid, &local, 1, &remote, 1, 1), EINVAL, "flags must be 0");
	CHECK_ERR(process_vm_readv(4000000, &local, 1, &remote, 1, 0), ESRCH, "no such process");
	char msg[] = "rewritten by the parent";
	struct iovec src = {msg, sizeof msg};
	struct iovec dst = {shared_text, sizeof msg};
	CHECK_EQ(process_vm_writev(pid, &src, 1, &dst, 1, 0), (long)sizeof msg, "process_vm_writev into the child");
	CHECK_EQ(finish(pid, go), 0, "the child sees the parent's words");

	/* An unprivileged process may not read root's. */
	pid = waiting_child(&go, NULL);
	pid_t reader = fork();
	if (reader == 0) {
		if (setgid(65534) != 0 || setuid(65534) != 0)
			_exit(3);
		char tmp[8];
		struct iovec l = {tmp, 8}, r = {shared_text, 8};
		_exit(process_vm_readv(pid, &l, 1, &r, 1, 0) == -1 && errno == EPERM ? 0 : 1);
	}
	int status = 0;
	waitpid(reader, &status, 0);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0, "uid 65534 reading a root process: EPERM");
	finish(pid, go);
}

static void test_unshare(void)
{
	CHECK_EQ(unshare(0), 0, "unshare(0) does nothing");
	CHECK_ERR(unshare(0x1), EINVAL, "a flag unshare does not know is EINVAL");

	/* A child sharing the descriptor table unshares it, then opens. */
	int p[2];
	CHECK(pipe(p) == 0, "pipe");
	long pid = syscall(SYS_clone, CLONE_FILES | SIGCHLD, 0, 0, 0, 0);
	if (pid == 0) {
		if (syscall(SYS_unshare, CLONE_FILES) != 0)
			_exit(1);
		int fd = open("/dev/null", O_RDONLY);
		char n = (char)fd;
		if (write(p[1], &n, 1) != 1)
			_exit(2);
		_exit(0);
	}
	char n = -1;
	CHECK_EQ(read(p[0], &n, 1), 1, "the child opened a file after unshare(CLONE_FILES)");
	int status = 0;
	waitpid((pid_t)pid, &status, 0);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0, "and exited");
	CHECK_ERR(fcntl(n, F_GETFD), EBADF, "its descriptor is not in the parent's table");

	/* CLONE_FS: the child's chdir stays its own after unshare. */
	char before[256], after[256];
	CHECK(getcwd(before, sizeof before) != NULL, "getcwd");
	pid = syscall(SYS_clone, CLONE_FS | SIGCHLD, 0, 0, 0, 0);
	if (pid == 0) {
		if (syscall(SYS_unshare, CLONE_FS) != 0 || chdir("/proc") != 0)
			_exit(1);
		_exit(0);
	}
	waitpid((pid_t)pid, &status, 0);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0 && getcwd(after, sizeof after) && strcmp(before, after) == 0, "unshare(CLONE_FS) then chdir leaves the parent's directory (%s)", after);

	pid = fork();
	if (pid == 0) {
		if (setgid(65534) != 0 || setuid(65534) != 0)
			_exit(3);
		_exit(unshare(CLONE_NEWNS) == -1 && errno == EPERM ? 0 : 1);
	}
	waitpid((pid_t)pid, &status, 0);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0, "unshare(CLONE_NEWNS) unprivileged is EPERM");
}

static void test_adjtimex(void)
{
	struct timex t;
	memset(&t, 0, sizeof t);
	int state = adjtimex(&t);
	CHECK(state >= 0 && state <= 5, "adjtimex(modes 0) reads the clock state (%d)", state);
	CHECK(t.tick >= 9000 && t.tick <= 11000, "a tick near 10000 us (%ld)", t.tick);
	CHECK_EQ(t.tolerance, 32768000, "tolerance: 500 ppm, scaled");
	struct timespec now;
	clock_gettime(CLOCK_REALTIME, &now);
	CHECK(t.time.tv_sec >= now.tv_sec - 1 && t.time.tv_sec <= now.tv_sec + 1, "the time it reports is now");
	memset(&t, 0, sizeof t);
	t.modes = ADJ_TICK;
	t.tick = 20000;
	CHECK_ERR(adjtimex(&t), EINVAL, "a tick 100%% off is EINVAL");
	memset(&t, 0, sizeof t);
	t.modes = ADJ_SETOFFSET;
	t.time.tv_sec = 0;
	t.time.tv_usec = 2000000;
	CHECK_ERR(adjtimex(&t), EINVAL, "ADJ_SETOFFSET with 2 000 000 us is EINVAL (nothing stepped)");
	memset(&t, 0, sizeof t);
	CHECK_EQ(clock_adjtime(CLOCK_REALTIME, &t), state, "clock_adjtime(CLOCK_REALTIME) reads the same state");
	CHECK_ERR(clock_adjtime(CLOCK_MONOTONIC, &t), EOPNOTSUPP, "CLOCK_MONOTONIC cannot be adjusted");
	CHECK_ERR(clock_adjtime(100, &t), EINVAL, "an unknown clock is EINVAL");
	CHECK_ERR(adjtimex((struct timex *)8), EFAULT, "a bad address is EFAULT");

	pid_t pid = fork();
	if (pid == 0) {
		if (setgid(65534) != 0 || setuid(65534) != 0)
			_exit(3);
		struct timex u;
		memset(&u, 0, sizeof u);
		if (adjtimex(&u) < 0)
			_exit(4);
		u.modes = ADJ_OFFSET;
		u.offset = 1000;
		if (adjtimex(&u) != -1 || errno != EPERM)
			_exit(5);
		memset(&u, 0, sizeof u);
		u.modes = ADJ_OFFSET_SS_READ;
		if (adjtimex(&u) < 0)
			_exit(6);
		if (setdomainname("x", 1) != -1 || errno != EPERM)
			_exit(7);
		_exit(0);
	}
	int status = 0;
	waitpid(pid, &status, 0);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0, "unprivileged: reading and ADJ_OFFSET_SS_READ allowed, changes EPERM, setdomainname EPERM (step %d)", WEXITSTATUS(status));
	char long_name[80];
	memset(long_name, 'd', sizeof long_name);
	CHECK_ERR(setdomainname(long_name, 65), EINVAL, "a domain name over 64 bytes is EINVAL");
}

int main(void)
{
	test_process_vm();
	test_unshare();
	test_adjtimex();
	return check_done();
}
