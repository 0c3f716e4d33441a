/*
 * file_locks.c - advisory file locks between descriptions and processes.
 *
 * flock(2): locks belong to the open file description (dup and fork share
 * them, another open() conflicts), shared/exclusive, LOCK_NB, conversion
 * (which lets go before it waits), release on the description's last
 * close, a child blocked in LOCK_EX until its parent unlocks.
 * fcntl record locks: POSIX locks between processes as F_GETLK reports
 * them (type, range, pid), splitting and merging of one owner's ranges,
 * whence, the rule that closing ANY descriptor of a file drops the
 * process's locks on it, F_SETLKW waiting for a release, EDEADLK for two
 * processes waiting for each other, OFD locks (owned by the description:
 * they conflict inside one process, survive other closes, report pid -1),
 * a waiter interrupted by a signal (EINTR), locks released at exit, and
 * the errors (EAGAIN, EBADF, EINVAL).
 *
 * Run as `file_locks [DIR]`: the lock file is made in DIR (default $TMPDIR
 * or /tmp), so the storage tests run it on the ext2 disk too.
 *
 * Ordering between processes is by pipes. When the parent must know that
 * a child is asleep in a lock call before it releases the lock (so that
 * a lock that does not block would show), it waits for the child's state
 * in /proc/PID/stat to become S; nothing depends on timing.
 */
#define _GNU_SOURCE
#include "check.h"

#include <fcntl.h>
#include <signal.h>
#include <sched.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>

#ifndef F_OFD_GETLK
#define F_OFD_GETLK 36
#define F_OFD_SETLK 37
#define F_OFD_SETLKW 38
#endif

static char path[512];

static int open_file(int flags)
{
	int fd = open(path, flags);
	if (fd < 0) {
		check_printf("Bail out! open %s: %s\n", path, strerror(errno));
		_exit(1);
	}
	return fd;
}

/* fcntl with a struct flock built from its parts. */
static int lk(int fd, int cmd, int type, int whence, off_t start, off_t len)
{
	struct flock fl;
	memset(&fl, 0, sizeof fl);
	fl.l_type = (short)type;
	fl.l_whence = (short)whence;
	fl.l_start = start;
	fl.l_len = len;
	return fcntl(fd, cmd, &fl);
}

/* F_GETLK (or F_OFD_GETLK) for `type` on [start, start+len). */
static struct flock getlk(int fd, int cmd, int type, off_t start, off_t len)
{
	struct flock fl;
	memset(&fl, 0, sizeof fl);
	fl.l_type = (short)type;
	fl.l_whence = SEEK_SET;
	fl.l_start = start;
	fl.l_len = len;
	if (fcntl(fd, cmd, &fl) != 0)
		fl.l_type = -1;
	return fl;
}

static void write_byte(int fd, char c)
{
	while (write(fd, &c, 1) < 0 && errno == EINTR)
		;
}

static char read_byte(int fd)
{
	char c = 0;
	ssize_t n;
	do
		n = read(fd, &c, 1);
	while (n < 0 && errno == EINTR);
	return n == 1 ? c : 0;
}

/* Whether a byte is waiting in `fd` (a pipe), without waiting. */
static int byte_ready(int fd)
{
	int flags = fcntl(fd, F_GETFL);
	fcntl(fd, F_SETFL, flags | O_NONBLOCK);
	char c;
	ssize_t n = read(fd, &c, 1);
	fcntl(fd, F_SETFL, flags);
	return n == 1;
}

/*
 * Waits until process `pid` sleeps (state S in /proc/PID/stat): a child
 * that announced it is about to block in a lock call is then blocked in
 * it. Gives up after 20 s of not seeing it (a lock that never blocks).
 */
static int wait_until_sleeping(pid_t pid)
{
	char name[64], buf[512];
	struct timespec start, now;
	snprintf(name, sizeof name, "/proc/%d/stat", (int)pid);
	clock_gettime(CLOCK_MONOTONIC, &start);
	for (;;) {
		int fd = open(name, O_RDONLY);
		if (fd < 0)
			return 0;
		ssize_t n = read(fd, buf, sizeof buf - 1);
		close(fd);
		if (n > 0) {
			buf[n] = 0;
			char *p = strrchr(buf, ')');
			if (p && p[1] == ' ' && p[2] == 'S')
				return 1;
		}
		clock_gettime(CLOCK_MONOTONIC, &now);
		if (now.tv_sec - start.tv_sec > 20)
			return 0;
		sched_yield();
	}
}

/*
 * Runs `fn` in a child process that sends its `len` bytes of answers back
 * through a pipe; returns the child's exit status (0: fn returned 0).
 */
static int in_child(int (*fn)(void *out, void *arg), void *arg, void *out, size_t len)
{
	int p[2];
	if (pipe(p) != 0)
		return -100;
	pid_t pid = fork();
	if (pid == 0) {
		close(p[0]);
		memset(out, 0, len);
		int r = fn(out, arg);
		if (write(p[1], out, len) != (ssize_t)len)
			_exit(99);
		_exit(r);
	}
	close(p[1]);
	size_t got = 0;
	while (got < len) {
		ssize_t n = read(p[0], (char *)out + got, len - got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		got += (size_t)n;
	}
	close(p[0]);
	int st = check_wait(pid);
	return got == len ? st : -101;
}

/* ---- flock ---- */

static void flock_one_process(void)
{
	int a = open_file(O_RDWR), b = open_file(O_RDWR), c = open_file(O_RDONLY);

	CHECK_EQ(flock(a, LOCK_EX | LOCK_NB), 0, "flock: LOCK_EX on a first description");
	CHECK_ERR(flock(b, LOCK_EX | LOCK_NB), EWOULDBLOCK, "flock: a second description cannot take LOCK_EX");
	CHECK_ERR(flock(b, LOCK_SH | LOCK_NB), EWOULDBLOCK, "flock: nor LOCK_SH");
	int a2 = dup(a);
	CHECK_EQ(flock(a2, LOCK_EX | LOCK_NB), 0, "flock: a dup of the holder is the same description: granted");
	close(a2);
	CHECK_ERR(flock(b, LOCK_SH | LOCK_NB), EWOULDBLOCK, "flock: closing a dup does not release the description's lock");
	CHECK_EQ(flock(a, LOCK_UN), 0, "flock: LOCK_UN");
	CHECK_EQ(flock(b, LOCK_SH | LOCK_NB), 0, "flock: after unlock, LOCK_SH for the second");
	CHECK_EQ(flock(a, LOCK_SH | LOCK_NB), 0, "flock: shared locks coexist");
	CHECK_EQ(flock(c, LOCK_SH | LOCK_NB), 0, "flock: a read-only description takes LOCK_SH too");
	/* a's conversion to exclusive fails, and has released its shared lock */
	CHECK_ERR(flock(a, LOCK_EX | LOCK_NB), EWOULDBLOCK, "flock: LOCK_SH -> LOCK_EX refused while others share");
	flock(b, LOCK_UN);
	flock(c, LOCK_UN);
	int d = open_file(O_RDWR);
	CHECK_EQ(flock(d, LOCK_EX | LOCK_NB), 0, "flock: a failed conversion let go of the shared lock (as Linux)");
	CHECK_ERR(flock(a, LOCK_SH | LOCK_NB), EWOULDBLOCK, "flock: ... so the converting description holds nothing");
	close(d);
	CHECK_EQ(flock(a, LOCK_EX | LOCK_NB), 0, "flock: the last close of a description releases its lock");
	CHECK_EQ(flock(a, LOCK_SH | LOCK_NB), 0, "flock: downgrade to LOCK_SH");
	CHECK_EQ(flock(b, LOCK_SH | LOCK_NB), 0, "flock: ... which others share");
	flock(a, LOCK_UN);
	flock(b, LOCK_UN);

	CHECK_ERR(flock(a, 0), EINVAL, "flock: operation 0 is EINVAL");
	CHECK_ERR(flock(a, LOCK_SH | LOCK_EX), EINVAL, "flock: LOCK_SH|LOCK_EX is EINVAL");
	CHECK_ERR(flock(a, LOCK_NB), EINVAL, "flock: LOCK_NB alone is EINVAL");
	CHECK_ERR(flock(1000, LOCK_SH), EBADF, "flock: EBADF for a closed descriptor");
	CHECK_ERR(flock(1000, 0), EINVAL, "flock: a bad operation is EINVAL before EBADF");
	close(a);
	close(b);
	close(c);
}

static void flock_blocks_between_processes(void)
{
	int mine = open_file(O_RDWR);
	int ev[2];
	CHECK_BAIL(pipe(ev) == 0, "pipe");
	CHECK_EQ(flock(mine, LOCK_EX), 0, "flock: parent takes LOCK_EX (blocking form, free file)");
	pid_t pid = fork();
	if (pid == 0) {
		close(ev[0]);
		int fd = open_file(O_RDWR);
		write_byte(ev[1], 'R');
		if (flock(fd, LOCK_EX) != 0)
			_exit(2);
		write_byte(ev[1], 'G');
		_exit(0);
	}
	close(ev[1]);
	CHECK_EQ(read_byte(ev[0]), 'R', "flock: child is about to lock");
	CHECK(wait_until_sleeping(pid), "flock: child sleeps in LOCK_EX while the parent holds the lock");
	CHECK(!byte_ready(ev[0]), "flock: child has not got the lock");
	CHECK_EQ(flock(mine, LOCK_UN), 0, "flock: parent unlocks");
	CHECK_EQ(read_byte(ev[0]), 'G', "flock: then the child gets it");
	CHECK_EQ(check_wait(pid), 0, "flock: child exits 0");
	CHECK_EQ(flock(mine, LOCK_EX | LOCK_NB), 0, "flock: the child's exit released its lock");
	flock(mine, LOCK_UN);
	close(ev[0]);
	close(mine);
}

static void flock_across_fork(void)
{
	int fd = open_file(O_RDWR), other = open_file(O_RDWR);
	flock(fd, LOCK_EX);
	pid_t pid = fork();
	if (pid == 0) {
		/* the same description: no conflict with the parent's lock */
		if (flock(fd, LOCK_EX | LOCK_NB) != 0)
			_exit(2);
		_exit(0);
	}
	CHECK_EQ(check_wait(pid), 0, "flock: a forked child shares the parent's lock (LOCK_EX|LOCK_NB granted)");
	CHECK_ERR(flock(other, LOCK_EX | LOCK_NB), EWOULDBLOCK, "flock: the child's exit leaves the shared description's lock");
	pid = fork();
	if (pid == 0) {
		_exit(flock(fd, LOCK_UN) == 0 ? 0 : 2);
	}
	CHECK_EQ(check_wait(pid), 0, "flock: the child unlocks the inherited description");
	CHECK_EQ(flock(other, LOCK_EX | LOCK_NB), 0, "flock: which released the parent's lock");
	close(fd);
	close(other);
}

/* ---- POSIX record locks ---- */

struct getlk_answers {
	struct flock fl[8];
	int err[4];
};

static int child_sees_parent_locks(void *out, void *arg)
{
	(void)arg;
	struct getlk_answers *a = out;
	int fd = open_file(O_RDWR);
	a->fl[0] = getlk(fd, F_GETLK, F_WRLCK, 0, 0);
	a->fl[1] = getlk(fd, F_GETLK, F_RDLCK, 0, 30);
	a->fl[2] = getlk(fd, F_GETLK, F_RDLCK, 40, 0);
	a->fl[3] = getlk(fd, F_GETLK, F_WRLCK, 50, 10);
	a->fl[4] = getlk(fd, F_GETLK, F_WRLCK, 20, 20);
	errno = 0;
	a->err[0] = lk(fd, F_SETLK, F_WRLCK, SEEK_SET, 15, 2) == -1 ? errno : 0;
	a->err[1] = lk(fd, F_SETLK, F_RDLCK, SEEK_SET, 45, 100) == -1 ? errno : 0;
	a->err[2] = lk(fd, F_SETLK, F_WRLCK, SEEK_SET, 20, 20) == -1 ? errno : 0;
	return 0;
}

static void posix_between_processes(void)
{
	int fd = open_file(O_RDWR);
	CHECK_EQ(lk(fd, F_SETLK, F_WRLCK, SEEK_SET, 10, 10), 0, "posix: write lock on [10,20)");
	CHECK_EQ(lk(fd, F_SETLK, F_RDLCK, SEEK_SET, 40, 0), 0, "posix: read lock from 40 to EOF");
	struct flock self = getlk(fd, F_GETLK, F_WRLCK, 0, 0);
	CHECK_EQ(self.l_type, F_UNLCK, "posix: a process never conflicts with its own locks");

	struct getlk_answers a;
	CHECK_EQ(in_child(child_sees_parent_locks, NULL, &a, sizeof a), 0, "posix: child ran");
	CHECK_EQ(a.fl[0].l_type, F_WRLCK, "posix: F_GETLK in another process reports the write lock");
	CHECK_EQ(a.fl[0].l_start, 10, "posix: ... its start");
	CHECK_EQ(a.fl[0].l_len, 10, "posix: ... its length");
	CHECK_EQ(a.fl[0].l_pid, getpid(), "posix: ... and the holder's pid");
	CHECK_EQ(a.fl[0].l_whence, SEEK_SET, "posix: ... with whence SEEK_SET");
	CHECK_EQ(a.fl[1].l_type, F_WRLCK, "posix: a read lock conflicts with the write lock");
	CHECK_EQ(a.fl[2].l_type, F_UNLCK, "posix: read locks share");
	CHECK_EQ(a.fl[3].l_type, F_RDLCK, "posix: a write lock conflicts with the read lock to EOF");
	CHECK_EQ(a.fl[3].l_start, 40, "posix: ... reported from 40");
	CHECK_EQ(a.fl[3].l_len, 0, "posix: ... with length 0 (to EOF)");
	CHECK_EQ(a.fl[3].l_pid, getpid(), "posix: ... and the holder's pid");
	CHECK_EQ(a.fl[4].l_type, F_UNLCK, "posix: the gap [20,40) is free");
	CHECK_EQ(a.err[0], EAGAIN, "posix: F_SETLK on a conflict is EAGAIN");
	CHECK_EQ(a.err[1], 0, "posix: another process's read lock inside a read lock");
	CHECK_EQ(a.err[2], 0, "posix: another process's write lock in the gap");
	close(fd);
}

static int child_reports(void *out, void *arg)
{
	const int *queries = arg; /* (type, start, len) triples, type 0 ends */
	struct getlk_answers *a = out;
	int fd = open_file(O_RDWR);
	for (int i = 0; i < 8 && queries[3 * i]; i++)
		a->fl[i] = getlk(fd, F_GETLK, queries[3 * i] - 1, queries[3 * i + 1], queries[3 * i + 2]);
	return 0;
}

/* Types in the query lists are F_xxLCK + 1 so that 0 can end a list. */
#define Q(type, start, len) (type) + 1, (start), (len)

static void posix_split_and_merge(void)
{
	int fd = open_file(O_RDWR);
	struct getlk_answers a;

	lk(fd, F_SETLK, F_WRLCK, SEEK_SET, 0, 100);
	CHECK_EQ(lk(fd, F_SETLK, F_UNLCK, SEEK_SET, 40, 20), 0, "split: unlock the middle [40,60) of [0,100)");
	int q1[] = { Q(F_WRLCK, 0, 0), Q(F_WRLCK, 40, 20), Q(F_WRLCK, 50, 0), 0 };
	in_child(child_reports, q1, &a, sizeof a);
	CHECK(a.fl[0].l_type == F_WRLCK && a.fl[0].l_start == 0 && a.fl[0].l_len == 40,
	      "split: first piece [0,40) (got type %d start %lld len %lld)", a.fl[0].l_type, (long long)a.fl[0].l_start, (long long)a.fl[0].l_len);
	CHECK_EQ(a.fl[1].l_type, F_UNLCK, "split: the hole is free");
	CHECK(a.fl[2].l_type == F_WRLCK && a.fl[2].l_start == 60 && a.fl[2].l_len == 40,
	      "split: second piece [60,100) (got type %d start %lld len %lld)", a.fl[2].l_type, (long long)a.fl[2].l_start, (long long)a.fl[2].l_len);

	CHECK_EQ(lk(fd, F_SETLK, F_WRLCK, SEEK_SET, 40, 20), 0, "merge: lock the hole again");
	CHECK_EQ(lk(fd, F_SETLK, F_WRLCK, SEEK_SET, 100, 10), 0, "merge: and the bytes right after");
	int q2[] = { Q(F_RDLCK, 0, 0), 0 };
	in_child(child_reports, q2, &a, sizeof a);
	CHECK(a.fl[0].l_type == F_WRLCK && a.fl[0].l_start == 0 && a.fl[0].l_len == 110,
	      "merge: one lock [0,110) (got type %d start %lld len %lld)", a.fl[0].l_type, (long long)a.fl[0].l_start, (long long)a.fl[0].l_len);

	CHECK_EQ(lk(fd, F_SETLK, F_RDLCK, SEEK_SET, 10, 10), 0, "split: read lock over [10,20) of the write lock");
	int q3[] = { Q(F_RDLCK, 0, 0), Q(F_RDLCK, 10, 10), Q(F_WRLCK, 10, 10), Q(F_RDLCK, 15, 0), 0 };
	in_child(child_reports, q3, &a, sizeof a);
	CHECK(a.fl[0].l_type == F_WRLCK && a.fl[0].l_start == 0 && a.fl[0].l_len == 10,
	      "split: write lock [0,10) left (got type %d start %lld len %lld)", a.fl[0].l_type, (long long)a.fl[0].l_start, (long long)a.fl[0].l_len);
	CHECK_EQ(a.fl[1].l_type, F_UNLCK, "split: [10,20) is now shared");
	CHECK(a.fl[2].l_type == F_RDLCK && a.fl[2].l_start == 10 && a.fl[2].l_len == 10,
	      "split: the read lock [10,20) (got type %d start %lld len %lld)", a.fl[2].l_type, (long long)a.fl[2].l_start, (long long)a.fl[2].l_len);
	CHECK(a.fl[3].l_type == F_WRLCK && a.fl[3].l_start == 20 && a.fl[3].l_len == 90,
	      "split: write lock [20,110) right (got type %d start %lld len %lld)", a.fl[3].l_type, (long long)a.fl[3].l_start, (long long)a.fl[3].l_len);

	CHECK_EQ(lk(fd, F_SETLK, F_UNLCK, SEEK_SET, 0, 0), 0, "posix: unlock everything");
	/* whence: the position and the size give the base */
	ftruncate(fd, 1000);
	lseek(fd, 100, SEEK_SET);
	CHECK_EQ(lk(fd, F_SETLK, F_WRLCK, SEEK_CUR, -10, 5), 0, "whence: SEEK_CUR -10, 5 bytes");
	CHECK_EQ(lk(fd, F_SETLK, F_WRLCK, SEEK_END, -10, 0), 0, "whence: SEEK_END -10 to EOF");
	CHECK_EQ(lk(fd, F_SETLK, F_WRLCK, SEEK_SET, 50, -10), 0, "whence: negative length locks the bytes before");
	int q4[] = { Q(F_RDLCK, 0, 60), Q(F_RDLCK, 60, 900), Q(F_RDLCK, 100, 0), 0 };
	in_child(child_reports, q4, &a, sizeof a);
	CHECK(a.fl[0].l_start == 40 && a.fl[0].l_len == 10, "whence: [40,50) from length -10 (got start %lld len %lld)", (long long)a.fl[0].l_start, (long long)a.fl[0].l_len);
	CHECK(a.fl[1].l_start == 90 && a.fl[1].l_len == 5, "whence: [90,95) from SEEK_CUR (got start %lld len %lld)", (long long)a.fl[1].l_start, (long long)a.fl[1].l_len);
	CHECK(a.fl[2].l_start == 990 && a.fl[2].l_len == 0, "whence: 990 to EOF from SEEK_END (got start %lld len %lld)", (long long)a.fl[2].l_start, (long long)a.fl[2].l_len);
	lk(fd, F_SETLK, F_UNLCK, SEEK_SET, 0, 0);
	close(fd);
}

static void posix_errors(void)
{
	int rw = open_file(O_RDWR), ro = open_file(O_RDONLY), wo = open_file(O_WRONLY);
	CHECK_ERR(lk(ro, F_SETLK, F_WRLCK, SEEK_SET, 0, 1), EBADF, "errors: write lock on a read-only descriptor is EBADF");
	CHECK_ERR(lk(wo, F_SETLK, F_RDLCK, SEEK_SET, 0, 1), EBADF, "errors: read lock on a write-only descriptor is EBADF");
	CHECK_EQ(lk(ro, F_SETLK, F_RDLCK, SEEK_SET, 0, 1), 0, "errors: read lock on a read-only descriptor");
	CHECK_EQ(lk(wo, F_SETLK, F_WRLCK, SEEK_SET, 5, 1), 0, "errors: write lock on a write-only descriptor");
	CHECK_EQ(lk(wo, F_SETLK, F_UNLCK, SEEK_SET, 0, 0), 0, "errors: unlock needs no access mode");
	CHECK_ERR(lk(rw, F_SETLK, 7, SEEK_SET, 0, 1), EINVAL, "errors: a bad l_type is EINVAL");
	CHECK_ERR(lk(rw, F_SETLK, F_WRLCK, 7, 0, 1), EINVAL, "errors: a bad l_whence is EINVAL");
	CHECK_ERR(lk(rw, F_SETLK, F_WRLCK, SEEK_SET, -1, 1), EINVAL, "errors: a negative start is EINVAL");
	CHECK_ERR(lk(rw, F_SETLK, F_WRLCK, SEEK_SET, 5, -6), EINVAL, "errors: a negative length before byte 0 is EINVAL");
	CHECK_ERR(lk(rw, F_GETLK, F_UNLCK, SEEK_SET, 0, 1), EINVAL, "errors: F_GETLK with F_UNLCK is EINVAL");
	CHECK_ERR(lk(1000, F_SETLK, F_WRLCK, SEEK_SET, 0, 1), EBADF, "errors: a closed descriptor is EBADF");
	CHECK_ERR(lk(ro, F_OFD_SETLK, F_WRLCK, SEEK_SET, 0, 1), EBADF, "errors: OFD write lock on a read-only descriptor is EBADF");
	CHECK_ERR(lk(rw, F_SETLK, F_WRLCK, SEEK_SET, 2, 0x7fffffffffffffffLL), EOVERFLOW, "errors: a range past the largest offset is EOVERFLOW");
	close(rw);
	close(ro);
	close(wo);
}

static int child_probe_byte0(void *out, void *arg)
{
	(void)arg;
	struct getlk_answers *a = out;
	int fd = open_file(O_RDWR);
	a->fl[0] = getlk(fd, F_GETLK, F_WRLCK, 0, 1);
	a->fl[1] = getlk(fd, F_GETLK, F_WRLCK, 100, 1);
	return 0;
}

static void posix_close_rule(void)
{
	int a = open_file(O_RDWR), b = open_file(O_RDWR);
	struct getlk_answers ans;

	lk(a, F_SETLK, F_WRLCK, SEEK_SET, 0, 1);
	in_child(child_probe_byte0, NULL, &ans, sizeof ans);
	CHECK_EQ(ans.fl[0].l_type, F_WRLCK, "close rule: the lock set through one descriptor is held");
	close(b);
	in_child(child_probe_byte0, NULL, &ans, sizeof ans);
	CHECK_EQ(ans.fl[0].l_type, F_UNLCK, "close rule: closing ANOTHER descriptor of the file dropped it");

	lk(a, F_SETLK, F_WRLCK, SEEK_SET, 0, 1);
	int d = dup(a);
	close(d);
	in_child(child_probe_byte0, NULL, &ans, sizeof ans);
	CHECK_EQ(ans.fl[0].l_type, F_UNLCK, "close rule: closing a dup drops it too");

	/* OFD locks are not the process's: other closes leave them */
	b = open_file(O_RDWR);
	CHECK_EQ(lk(a, F_OFD_SETLK, F_WRLCK, SEEK_SET, 100, 1), 0, "close rule: an OFD lock");
	close(b);
	in_child(child_probe_byte0, NULL, &ans, sizeof ans);
	CHECK_EQ(ans.fl[1].l_type, F_WRLCK, "close rule: the OFD lock survives closing another descriptor");
	CHECK_EQ(ans.fl[1].l_pid, -1, "close rule: F_GETLK reports an OFD lock's pid as -1");
	close(a);
	in_child(child_probe_byte0, NULL, &ans, sizeof ans);
	CHECK_EQ(ans.fl[1].l_type, F_UNLCK, "close rule: the OFD lock goes with its description");
}

static void posix_setlkw_waits(void)
{
	int fd = open_file(O_RDWR);
	int ev[2];
	CHECK_BAIL(pipe(ev) == 0, "pipe");
	lk(fd, F_SETLK, F_WRLCK, SEEK_SET, 0, 10);
	pid_t pid = fork();
	if (pid == 0) {
		close(ev[0]);
		int mine = open_file(O_RDWR);
		write_byte(ev[1], 'R');
		if (lk(mine, F_SETLKW, F_WRLCK, SEEK_SET, 5, 1) != 0)
			_exit(2);
		write_byte(ev[1], 'G');
		_exit(0);
	}
	close(ev[1]);
	CHECK_EQ(read_byte(ev[0]), 'R', "F_SETLKW: child is about to wait");
	CHECK(wait_until_sleeping(pid), "F_SETLKW: child sleeps while the range is locked");
	CHECK(!byte_ready(ev[0]), "F_SETLKW: child has not got the lock");
	CHECK_EQ(lk(fd, F_SETLK, F_UNLCK, SEEK_SET, 0, 5), 0, "F_SETLKW: unlocking other bytes...");
	CHECK(!byte_ready(ev[0]) && wait_until_sleeping(pid), "F_SETLKW: ...leaves the child waiting");
	CHECK_EQ(lk(fd, F_SETLK, F_UNLCK, SEEK_SET, 5, 5), 0, "F_SETLKW: parent unlocks byte 5");
	CHECK_EQ(read_byte(ev[0]), 'G', "F_SETLKW: then the child gets it");
	CHECK_EQ(check_wait(pid), 0, "F_SETLKW: child exits 0");
	close(ev[0]);
	close(fd);
}

static void posix_deadlock(void)
{
	int fd = open_file(O_RDWR);
	int ev[2], go[2];
	CHECK_BAIL(pipe(ev) == 0 && pipe(go) == 0, "pipes");
	lk(fd, F_SETLK, F_WRLCK, SEEK_SET, 0, 1);
	pid_t pid = fork();
	if (pid == 0) {
		close(ev[0]);
		close(go[1]);
		int mine = open_file(O_RDWR);
		if (lk(mine, F_SETLK, F_WRLCK, SEEK_SET, 1, 1) != 0)
			_exit(2);
		write_byte(ev[1], 'R');
		/* wait for byte 0, which the parent holds */
		if (lk(mine, F_SETLKW, F_WRLCK, SEEK_SET, 0, 1) != 0)
			_exit(3);
		write_byte(ev[1], 'G');
		read_byte(go[0]);
		_exit(0);
	}
	close(ev[1]);
	close(go[0]);
	CHECK_EQ(read_byte(ev[0]), 'R', "EDEADLK: child holds byte 1");
	CHECK(wait_until_sleeping(pid), "EDEADLK: child waits for byte 0");
	CHECK_ERR(lk(fd, F_SETLKW, F_WRLCK, SEEK_SET, 1, 1), EDEADLK, "EDEADLK: waiting for byte 1 would close the cycle");
	CHECK_ERR(lk(fd, F_SETLK, F_WRLCK, SEEK_SET, 1, 1), EAGAIN, "EDEADLK: without waiting it is a plain conflict");
	CHECK_EQ(lk(fd, F_SETLK, F_UNLCK, SEEK_SET, 0, 1), 0, "EDEADLK: parent lets go of byte 0");
	CHECK_EQ(read_byte(ev[0]), 'G', "EDEADLK: and the child gets it");
	write_byte(go[1], 'x');
	CHECK_EQ(check_wait(pid), 0, "EDEADLK: child exits 0");
	close(ev[0]);
	close(go[1]);
	close(fd);
}

static void ofd_locks(void)
{
	int a = open_file(O_RDWR), b = open_file(O_RDWR);
	CHECK_EQ(lk(a, F_SETLK, F_WRLCK, SEEK_SET, 0, 10), 0, "posix in one process: first descriptor");
	CHECK_EQ(lk(b, F_SETLK, F_WRLCK, SEEK_SET, 0, 10), 0, "posix in one process: the second replaces, no conflict");
	lk(a, F_SETLK, F_UNLCK, SEEK_SET, 0, 0);

	CHECK_EQ(lk(a, F_OFD_SETLK, F_WRLCK, SEEK_SET, 0, 10), 0, "OFD: write lock through the first description");
	CHECK_ERR(lk(b, F_OFD_SETLK, F_RDLCK, SEEK_SET, 5, 1), EAGAIN, "OFD: the second description of the same process conflicts");
	CHECK_ERR(lk(b, F_SETLK, F_RDLCK, SEEK_SET, 5, 1), EAGAIN, "OFD: so does the process's own POSIX lock");
	struct flock fl = getlk(b, F_OFD_GETLK, F_RDLCK, 0, 0);
	CHECK(fl.l_type == F_WRLCK && fl.l_start == 0 && fl.l_len == 10 && fl.l_pid == -1,
	      "OFD: F_OFD_GETLK reports [0,10) pid -1 (got type %d start %lld len %lld pid %d)", fl.l_type, (long long)fl.l_start, (long long)fl.l_len, (int)fl.l_pid);
	fl = getlk(a, F_OFD_GETLK, F_WRLCK, 0, 0);
	CHECK_EQ(fl.l_type, F_UNLCK, "OFD: a description never conflicts with itself");
	int a2 = dup(a);
	CHECK_EQ(lk(a2, F_OFD_SETLK, F_WRLCK, SEEK_SET, 5, 10), 0, "OFD: a dup is the same owner (extends the lock)");
	close(a2);
	CHECK_ERR(lk(b, F_OFD_SETLK, F_RDLCK, SEEK_SET, 12, 1), EAGAIN, "OFD: closing the dup kept the lock");
	struct flock bad;
	memset(&bad, 0, sizeof bad);
	bad.l_type = F_RDLCK;
	bad.l_pid = getpid();
	CHECK_ERR(fcntl(b, F_OFD_SETLK, &bad), EINVAL, "OFD: l_pid must be 0 (F_OFD_SETLK)");
	CHECK_ERR(fcntl(b, F_OFD_GETLK, &bad), EINVAL, "OFD: l_pid must be 0 (F_OFD_GETLK)");
	close(a);
	CHECK_EQ(lk(b, F_OFD_SETLK, F_WRLCK, SEEK_SET, 0, 0), 0, "OFD: closing the description released its locks");
	close(b);
}

static volatile sig_atomic_t got_signal;
static void on_signal(int sig)
{
	(void)sig;
	got_signal = 1;
}

static void interrupted_by_signal(int use_flock)
{
	const char *what = use_flock ? "flock" : "F_SETLKW";
	int fd = open_file(O_RDWR);
	int ev[2];
	CHECK_BAIL(pipe(ev) == 0, "pipe");
	if (use_flock)
		flock(fd, LOCK_EX);
	else
		lk(fd, F_SETLK, F_WRLCK, SEEK_SET, 0, 0);
	pid_t pid = fork();
	if (pid == 0) {
		close(ev[0]);
		struct sigaction sa;
		memset(&sa, 0, sizeof sa);
		sa.sa_handler = on_signal; /* no SA_RESTART */
		sigaction(SIGUSR1, &sa, NULL);
		int mine = open_file(O_RDWR);
		write_byte(ev[1], 'R');
		int r = use_flock ? flock(mine, LOCK_EX) : lk(mine, F_SETLKW, F_WRLCK, SEEK_SET, 0, 1);
		if (r == 0)
			_exit(2);
		if (errno != EINTR)
			_exit(3);
		if (!got_signal)
			_exit(4);
		/* and the lock is still somebody else's */
		r = use_flock ? flock(mine, LOCK_EX | LOCK_NB) : lk(mine, F_SETLK, F_WRLCK, SEEK_SET, 0, 1);
		_exit(r == -1 && (errno == EAGAIN || errno == EWOULDBLOCK) ? 0 : 5);
	}
	close(ev[1]);
	read_byte(ev[0]);
	CHECK(wait_until_sleeping(pid), "%s: child waits for the lock", what);
	kill(pid, SIGUSR1);
	CHECK_EQ(check_wait(pid), 0, "%s: a signal with a handler (no SA_RESTART) ends the wait with EINTR", what);
	close(ev[0]);
	close(fd);
}

static void released_at_exit(void)
{
	int ev[2], go[2];
	CHECK_BAIL(pipe(ev) == 0 && pipe(go) == 0, "pipes");
	pid_t pid = fork();
	if (pid == 0) {
		close(ev[0]);
		close(go[1]);
		int fd = open_file(O_RDWR);
		if (lk(fd, F_SETLK, F_WRLCK, SEEK_SET, 0, 0) != 0 || flock(fd, LOCK_EX) != 0)
			_exit(2);
		write_byte(ev[1], 'R');
		read_byte(go[0]);
		_exit(0); /* without unlocking or closing */
	}
	close(ev[1]);
	close(go[0]);
	CHECK_EQ(read_byte(ev[0]), 'R', "exit: child holds a POSIX lock and a flock");
	int fd = open_file(O_RDWR);
	struct flock fl = getlk(fd, F_GETLK, F_RDLCK, 0, 0);
	CHECK(fl.l_type == F_WRLCK && fl.l_pid == pid, "exit: F_GETLK names the child (got type %d pid %d, want %d)", fl.l_type, (int)fl.l_pid, (int)pid);
	CHECK_ERR(flock(fd, LOCK_SH | LOCK_NB), EWOULDBLOCK, "exit: the child's flock is held");
	write_byte(go[1], 'x');
	CHECK_EQ(check_wait(pid), 0, "exit: child exits");
	fl = getlk(fd, F_GETLK, F_WRLCK, 0, 0);
	CHECK_EQ(fl.l_type, F_UNLCK, "exit: its POSIX lock is gone");
	CHECK_EQ(flock(fd, LOCK_EX | LOCK_NB), 0, "exit: its flock is gone");
	close(fd);
	close(ev[0]);
	close(go[1]);
}

static const char *self_path;

/* The program again, after exec: says it runs, waits to be told to exit. */
static int exec_child_main(char **argv)
{
	int ev = atoi(argv[2]), go = atoi(argv[3]);
	write_byte(ev, 'R');
	read_byte(go);
	return 0;
}

/*
 * Exec keeps the process's locks and descriptions; only the descriptors it
 * closes (close-on-exec) count as closes, and one of the file is enough to
 * drop the POSIX locks.
 */
static void exec_closes(int with_cloexec_fd)
{
	const char *how = with_cloexec_fd ? "exec closing a close-on-exec descriptor of the file" : "exec";
	int ev[2], go[2];
	CHECK_BAIL(pipe(ev) == 0 && pipe(go) == 0, "pipes");
	pid_t pid = fork();
	if (pid == 0) {
		int fd = open_file(O_RDWR);
		if (lk(fd, F_SETLK, F_WRLCK, SEEK_SET, 0, 0) != 0 || flock(fd, LOCK_EX) != 0)
			_exit(2);
		if (with_cloexec_fd)
			open_file(O_RDONLY | O_CLOEXEC);
		char a[16], b[16];
		snprintf(a, sizeof a, "%d", ev[1]);
		snprintf(b, sizeof b, "%d", go[0]);
		execl(self_path, "file_locks", "lock-exec-child", a, b, (char *)NULL);
		_exit(9);
	}
	close(ev[1]);
	close(go[0]);
	CHECK_EQ(read_byte(ev[0]), 'R', "%s: the new program runs", how);
	int fd = open_file(O_RDWR);
	struct flock fl = getlk(fd, F_GETLK, F_WRLCK, 0, 0);
	if (with_cloexec_fd)
		CHECK_EQ(fl.l_type, F_UNLCK, "%s: the POSIX lock is gone", how);
	else
		CHECK(fl.l_type == F_WRLCK && fl.l_pid == pid, "%s: the POSIX lock stays (got type %d pid %d)", how, fl.l_type, (int)fl.l_pid);
	CHECK_ERR(flock(fd, LOCK_EX | LOCK_NB), EWOULDBLOCK, "%s: the flock stays with the open description", how);
	write_byte(go[1], 'x');
	CHECK_EQ(check_wait(pid), 0, "%s: child exits", how);
	close(fd);
	close(ev[0]);
	close(go[1]);
}

int main(int argc, char **argv)
{
	if (argc == 4 && strcmp(argv[1], "lock-exec-child") == 0)
		return exec_child_main(argv);
	self_path = argc > 0 && strchr(argv[0], '/') ? argv[0] : "/proc/self/exe";
	/* The directory to work in: the argument (a disk's, say), else $TMPDIR or /tmp. */
	const char *tmp = argc > 1 ? argv[1] : getenv("TMPDIR");
	snprintf(path, sizeof path, "%s/file_locks.%d", tmp && *tmp ? tmp : "/tmp", (int)getpid());
	int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0644);
	CHECK_BAIL(fd >= 0, "create %s", path);
	close(fd);

	flock_one_process();
	flock_blocks_between_processes();
	flock_across_fork();
	posix_between_processes();
	posix_split_and_merge();
	posix_errors();
	posix_close_rule();
	posix_setlkw_waits();
	posix_deadlock();
	ofd_locks();
	interrupted_by_signal(1);
	interrupted_by_signal(0);
	released_at_exit();
	exec_closes(0);
	exec_closes(1);

	unlink(path);
	return check_done();
}
