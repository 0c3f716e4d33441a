/*
 * fd_closing.c - the ways a program closes "every descriptor but these"
 * before exec, as Python's _posixsubprocess does: close_range over the
 * gaps between kept descriptors (and its EINVAL for first > last, which
 * sends Python to the next way), a walk of /proc/self/fd with a small
 * getdents64 buffer that closes what it reads as it goes (the listing
 * must not skip descriptors that follow closed ones), and
 * CLOSE_RANGE_CLOEXEC / CLOSE_RANGE_UNSHARE.
 */
#define _GNU_SOURCE
#include "check.h"

#include <dirent.h>
#include <fcntl.h>
#include <sched.h>
#include <stdint.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#ifndef CLOSE_RANGE_UNSHARE
#define CLOSE_RANGE_UNSHARE (1U << 1)
#endif
#ifndef CLOSE_RANGE_CLOEXEC
#define CLOSE_RANGE_CLOEXEC (1U << 2)
#endif

static int close_range_(unsigned first, unsigned last, unsigned flags)
{
	return (int)syscall(SYS_close_range, first, last, flags);
}

static int is_open(int fd)
{
	return fcntl(fd, F_GETFD) >= 0;
}

/* Opens n descriptors at the lowest free numbers; returns the first. */
static int open_many(int n)
{
	int first = -1;
	for (int i = 0; i < n; i++) {
		int fd = open("/dev/null", O_RDONLY);
		if (first < 0)
			first = fd;
	}
	return first;
}

/* Which of fds [from, to] are open, as a bit set. */
static unsigned long open_set(int from, int to)
{
	unsigned long bits = 0;
	for (int fd = from; fd <= to; fd++)
		if (is_open(fd))
			bits |= 1UL << (fd - from);
	return bits;
}

struct linux_dirent64 {
	uint64_t d_ino;
	int64_t d_off;
	unsigned short d_reclen;
	unsigned char d_type;
	char d_name[];
};

/*
 * Python's _close_open_fds_safe: a buffer for one record or so, and every
 * descriptor read is closed at once (except the directory's own and the
 * kept ones). Returns how many it closed.
 */
static int walk_and_close(int keep)
{
	int dir = open("/proc/self/fd", O_RDONLY | O_DIRECTORY);
	if (dir < 0)
		return -1;
	char buf[sizeof(struct linux_dirent64) + 256];
	int closed = 0;
	long n;
	while ((n = syscall(SYS_getdents64, dir, buf, sizeof buf)) > 0) {
		for (long off = 0; off < n;) {
			struct linux_dirent64 *e = (struct linux_dirent64 *)(buf + off);
			off += e->d_reclen;
			if (e->d_name[0] < '0' || e->d_name[0] > '9')
				continue;
			int fd = atoi(e->d_name);
			if (fd > 2 && fd != dir && fd != keep && close(fd) == 0)
				closed++;
		}
	}
	close(dir);
	return closed;
}

static char child_stack[64 * 1024] __attribute__((aligned(16)));
static unsigned unshare_flags;
static int unshare_base;

static int close_in_child(void *arg)
{
	(void)arg;
	return close_range_(unshare_base, unshare_base + 1, unshare_flags) == 0 && !is_open(unshare_base) ? 0 : 1;
}

int main(void)
{
	/* ---- close_range ---- */
	int base = open_many(12);
	CHECK_BAIL(base >= 3 && is_open(base + 11), "twelve descriptors from %d", base);
	CHECK_ERR(close_range_(base + 3, base + 2, 0), EINVAL, "close_range: first > last");
	CHECK_ERR(close_range_(base, base + 1, 1), EINVAL, "close_range: an unknown flag");
	CHECK_EQ(open_set(base, base + 11), 0xfff, "nothing closed by the refused calls");
	/* Keep base+2 and base+7: close the gaps, then everything above. */
	CHECK_EQ(close_range_(base, base + 1, 0), 0, "close_range over the first gap");
	CHECK_EQ(close_range_(base + 3, base + 6, 0), 0, "over the second");
	CHECK_EQ(close_range_(base + 8, ~0U, 0), 0, "and up to ~0U");
	CHECK_EQ(open_set(base, base + 11), (1UL << 2) | (1UL << 7), "only the kept two remain");
	CHECK_EQ(close_range_(base, base + 11, 0), 0, "a range with closed descriptors in it is fine");
	CHECK_EQ(open_set(base, base + 11), 0, "all closed");
	CHECK_EQ(close_range_(base + 100, base + 200, 0), 0, "a range with nothing open");

	/* CLOSE_RANGE_CLOEXEC marks instead of closing. */
	base = open_many(4);
	CHECK_EQ(close_range_(base + 1, base + 2, CLOSE_RANGE_CLOEXEC), 0, "close_range CLOEXEC");
	CHECK_EQ(open_set(base, base + 3), 0xf, "nothing closed");
	CHECK(fcntl(base + 1, F_GETFD) == FD_CLOEXEC && fcntl(base + 2, F_GETFD) == FD_CLOEXEC, "the two in range are close-on-exec");
	CHECK(fcntl(base, F_GETFD) == 0 && fcntl(base + 3, F_GETFD) == 0, "the others are not");
	close_range_(base, base + 3, 0);

	/*
	 * A CLONE_FILES child shares our descriptor table: its close_range
	 * closes ours too, unless it asks for CLOSE_RANGE_UNSHARE first.
	 */
	base = open_many(2);
	unshare_flags = CLOSE_RANGE_UNSHARE;
	unshare_base = base;
	pid_t pid = clone(close_in_child, child_stack + sizeof child_stack, CLONE_FILES | SIGCHLD, NULL);
	CHECK_EQ(check_wait(pid), 0, "close_range UNSHARE in a CLONE_FILES child closes its own");
	CHECK_EQ(open_set(base, base + 1), 3, "the parent's stay open");
	unshare_flags = 0;
	pid = clone(close_in_child, child_stack + sizeof child_stack, CLONE_FILES | SIGCHLD, NULL);
	CHECK_EQ(check_wait(pid), 0, "close_range without UNSHARE in a CLONE_FILES child");
	CHECK_EQ(open_set(base, base + 1), 0, "closes the shared table's");

	/* ---- a /proc/self/fd walk that closes as it reads ---- */
	base = open_many(40);
	int keep = base + 17;
	int closed = walk_and_close(keep);
	CHECK_EQ(closed, 39, "the walk closed every descriptor but the kept one");
	CHECK_EQ(open_set(base, base + 39), 1UL << 17, "nothing left behind");
	CHECK(is_open(0) && is_open(1) && is_open(2), "0-2 untouched");
	close(keep);

	/* The same with descriptors spread out (holes between them). */
	base = open_many(30);
	for (int i = 0; i < 30; i += 3)
		close(base + i);
	CHECK_EQ(walk_and_close(-1), 20, "a walk over a table with holes closes all 20");
	CHECK_EQ(open_set(base, base + 29), 0, "none left");

	/* A listing resumed after its next entries closed goes on from there. */
	base = open_many(8);
	int dir = open("/proc/self/fd", O_RDONLY | O_DIRECTORY);
	char buf[sizeof(struct linux_dirent64) + 256];
	int seen_high = 0;
	long n;
	int first_batch = 1;
	while ((n = syscall(SYS_getdents64, dir, buf, sizeof buf)) > 0) {
		if (first_batch) {
			/* Close everything below base+6 after the first read. */
			for (int fd = base; fd < base + 6; fd++)
				close(fd);
			first_batch = 0;
		}
		for (long off = 0; off < n;) {
			struct linux_dirent64 *e = (struct linux_dirent64 *)(buf + off);
			off += e->d_reclen;
			int fd = atoi(e->d_name);
			if (e->d_name[0] >= '0' && e->d_name[0] <= '9' && (fd == base + 6 || fd == base + 7))
				seen_high++;
		}
	}
	close(dir);
	CHECK_EQ(seen_high, 2, "both descriptors above the closed ones were listed");
	close(base + 6);
	close(base + 7);
	return check_done();
}
