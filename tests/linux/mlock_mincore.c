/*
 * mlock_mincore.c - locking memory and asking what is resident: mlock,
 * mlock2 (MLOCK_ONFAULT), munlock, mlockall (MCL_CURRENT, MCL_FUTURE,
 * MCL_ONFAULT), munlockall; VmLck in /proc/self/status and the Rss and
 * Locked fields of /proc/self/smaps; ENOMEM for unmapped ranges, EINVAL
 * for bad flags, EPERM/ENOMEM against RLIMIT_MEMLOCK for an unprivileged
 * child (setuid 65534); mincore's vector for touched, untouched, locked
 * and file pages, EINVAL/ENOMEM/EFAULT; madvise(MADV_WILLNEED).
 */
#define _GNU_SOURCE
#include "check.h"

#include <fcntl.h>
#include <stdint.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#ifndef MLOCK_ONFAULT
#define MLOCK_ONFAULT 1
#endif
#ifndef MCL_ONFAULT
#define MCL_ONFAULT 4
#endif

#define PAGE 4096

/* VmLck of /proc/self/status, in kB (-1 when unreadable). */
static long vmlck(void)
{
	char buf[4096];
	int fd = open("/proc/self/status", O_RDONLY);
	if (fd < 0)
		return -1;
	ssize_t n = read(fd, buf, sizeof buf - 1);
	close(fd);
	if (n <= 0)
		return -1;
	buf[n] = 0;
	char *p = strstr(buf, "VmLck:");
	long kb = -1;
	if (p)
		sscanf(p + 6, "%ld", &kb);
	return kb;
}

/* Rss and Locked (kB) of the smaps entry that starts at `addr`. */
static int smaps_of(void *addr, long *rss, long *locked)
{
	static char buf[1 << 17];
	int fd = open("/proc/self/smaps", O_RDONLY);
	if (fd < 0)
		return -1;
	size_t len = 0;
	ssize_t n;
	while (len < sizeof buf - 1 && (n = read(fd, buf + len, sizeof buf - 1 - len)) > 0)
		len += (size_t)n;
	close(fd);
	buf[len] = 0;
	char want[32];
	snprintf(want, sizeof want, "%lx-", (unsigned long)addr);
	char *line = buf, *entry = NULL;
	while (line && *line) {
		if (strncmp(line, want, strlen(want)) == 0) {
			entry = line;
			break;
		}
		line = strchr(line, '\n');
		if (line)
			line++;
	}
	if (!entry)
		return -1;
	*rss = *locked = -1;
	for (line = strchr(entry, '\n'); line && line[1]; line = strchr(line + 1, '\n')) {
		unsigned long a, b;
		if (sscanf(line + 1, "%lx-%lx", &a, &b) == 2)
			break;
		if (strncmp(line + 1, "Rss:", 4) == 0)
			sscanf(line + 5, "%ld", rss);
		if (strncmp(line + 1, "Locked:", 7) == 0)
			sscanf(line + 8, "%ld", locked);
	}
	return *rss >= 0 && *locked >= 0 ? 0 : -1;
}

/* mincore's vector for `pages` pages as a string of 0s and 1s. */
static const char *residency(void *addr, int pages)
{
	static char out[64];
	unsigned char vec[64];
	if (mincore(addr, (size_t)pages * PAGE, vec) != 0)
		return "error";
	for (int i = 0; i < pages; i++)
		out[i] = (char)('0' + (vec[i] & 1));
	out[pages] = 0;
	return out;
}

static char *map_pages(int pages)
{
	char *p = mmap(NULL, (size_t)pages * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	return p == MAP_FAILED ? NULL : p;
}

/* The unprivileged half: a bit per failed expectation. */
static int unprivileged(void)
{
	int bad = 0;
	char *p = map_pages(4);
	if (!p)
		return 1 << 10;
	struct rlimit none = { 0, 0 };
	setrlimit(RLIMIT_MEMLOCK, &none);
	if (mlock(p, PAGE) != -1 || errno != EPERM)
		bad |= 1; /* RLIMIT_MEMLOCK 0: no locking at all */
	if (mlockall(MCL_CURRENT) != -1 || errno != EPERM)
		bad |= 2;
	return bad;
}

static int unprivileged_with_limit(void)
{
	int bad = 0;
	char *p = map_pages(4);
	if (!p)
		return 1 << 10;
	if (mlock(p, 2 * PAGE) != 0)
		bad |= 1; /* two pages fit RLIMIT_MEMLOCK 8 KiB */
	if (mlock(p, 3 * PAGE) != -1 || errno != ENOMEM)
		bad |= 2; /* three do not */
	if (mlock(p, 2 * PAGE) != 0)
		bad |= 4; /* the same two again count once */
	if (munlock(p, 2 * PAGE) != 0 || mlock(p + 2 * PAGE, 2 * PAGE) != 0)
		bad |= 8; /* unlocking makes room */
	if (mlockall(MCL_CURRENT) != -1 || errno != ENOMEM)
		bad |= 16; /* the whole address space does not fit */
	if (munlockall() != 0)
		bad |= 32;
	return bad;
}

int main(void)
{
	if (geteuid() != 0) {
		DIAG("not root: these checks need root");
		return check_done();
	}
	long base = vmlck();
	CHECK(base >= 0, "VmLck is in /proc/self/status (%ld kB)", base);

	/* mlock faults the pages in; VmLck counts each page once. */
	char *p = map_pages(4);
	CHECK(p != NULL, "mmap 4 pages");
	CHECK_STR(residency(p, 4), "0000", "untouched pages are not resident");
	CHECK_EQ(mlock(p, 2 * PAGE), 0, "mlock 2 pages");
	CHECK_STR(residency(p, 4), "1100", "mlock faulted them in");
	CHECK_EQ(vmlck(), base + 8, "VmLck +8 kB");
	CHECK_EQ(mlock(p, 2 * PAGE), 0, "mlock the same pages again");
	CHECK_EQ(vmlck(), base + 8, "VmLck counts them once");
	long rss = -1, locked = -1;
	CHECK(smaps_of(p, &rss, &locked) == 0 && rss == 8 && locked == 8, "smaps: Rss %ld kB Locked %ld kB", rss, locked);
	CHECK_EQ(mlock(p + 2 * PAGE - 100, 200), 0, "an unaligned mlock across pages 1 and 2");
	CHECK_EQ(vmlck(), base + 12, "locks the whole pages it touches (+4 kB)");
	p[3 * PAGE] = 1;
	CHECK_STR(residency(p, 4), "1111", "a touched page is resident");
	CHECK_EQ(munlock(p + PAGE, 2 * PAGE), 0, "munlock the middle two");
	CHECK_EQ(vmlck(), base + 4, "VmLck keeps the first page");
	CHECK(smaps_of(p, &rss, &locked) == 0 && rss == 4 && locked == 4, "smaps of the locked first page: Rss %ld Locked %ld", rss, locked);
	CHECK_EQ(munmap(p, 4 * PAGE), 0, "munmap");
	CHECK_EQ(vmlck(), base, "unmapping drops the lock");

	/* Unmapped ranges, flags. */
	p = map_pages(3);
	munmap(p + PAGE, PAGE);
	CHECK_ERR(mlock(p, 3 * PAGE), ENOMEM, "mlock over a hole");
	CHECK_ERR(munlock(p, 3 * PAGE), ENOMEM, "munlock over a hole");
	CHECK_ERR(mincore(p, 3 * PAGE, (unsigned char[4]){ 0 }), ENOMEM, "mincore over a hole");
	CHECK_EQ(vmlck(), base, "a refused lock locks nothing");
	CHECK_ERR(syscall(SYS_mlock2, p, PAGE, 2), EINVAL, "mlock2 flag 2");
	CHECK_ERR(mlockall(0), EINVAL, "mlockall(0)");
	CHECK_ERR(mlockall(MCL_ONFAULT), EINVAL, "mlockall(MCL_ONFAULT) alone");
	CHECK_ERR(mlockall(8), EINVAL, "mlockall(8)");
	munmap(p, PAGE);
	munmap(p + 2 * PAGE, PAGE);

	/* MLOCK_ONFAULT: locked, resident only once touched. */
	p = map_pages(4);
	CHECK_EQ(syscall(SYS_mlock2, p, 4 * PAGE, MLOCK_ONFAULT), 0, "mlock2 MLOCK_ONFAULT");
	CHECK_EQ(vmlck(), base + 16, "VmLck +16 kB");
	CHECK_STR(residency(p, 4), "0000", "nothing faulted in");
	p[PAGE] = 1;
	CHECK_STR(residency(p, 4), "0100", "the touched page is");
	CHECK(smaps_of(p, &rss, &locked) == 0 && rss == 4 && locked == 4, "smaps: Rss %ld Locked %ld", rss, locked);
	munmap(p, 4 * PAGE);

	/* mincore's errors; file pages. */
	p = map_pages(2);
	CHECK_ERR(mincore(p + 1, PAGE, (unsigned char[2]){ 0 }), EINVAL, "mincore: unaligned start");
	CHECK_ERR(mincore(p, PAGE, (unsigned char *)8), EFAULT, "mincore: bad vector");
	CHECK_ERR(mincore((void *)0x7ffffffff000UL, 1UL << 40, (unsigned char[2]){ 0 }), ENOMEM, "mincore: beyond user space");
	CHECK_EQ(madvise(p, 2 * PAGE, MADV_WILLNEED), 0, "madvise MADV_WILLNEED");
	CHECK_ERR(madvise(p, 2 * PAGE, 1212), EINVAL, "madvise: unknown advice");
	CHECK_ERR(madvise(p, 2 * PAGE, MADV_REMOVE), EINVAL, "madvise: MADV_REMOVE on private anonymous memory");
	p[0] = 7;
	mlock(p, PAGE);
	CHECK_ERR(madvise(p, 2 * PAGE, MADV_DONTNEED), EINVAL, "madvise: MADV_DONTNEED on locked memory");
	CHECK_EQ(p[0], 7, "which stays");
	munlock(p, PAGE);
	CHECK_EQ(madvise(p, 2 * PAGE, MADV_DONTNEED), 0, "MADV_DONTNEED once unlocked");
	CHECK_EQ(p[0], 0, "drops the page");
	munmap(p + PAGE, PAGE);
	CHECK_ERR(madvise(p, 2 * PAGE, MADV_NORMAL), ENOMEM, "madvise over a hole");
	munmap(p, PAGE);
	char *shared = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	CHECK_ERR(madvise(shared, PAGE, MADV_FREE), EINVAL, "MADV_FREE on shared memory");
	CHECK_ERR(madvise(shared, PAGE, MADV_WIPEONFORK), EINVAL, "MADV_WIPEONFORK on shared memory");
	munmap(shared, PAGE);
	p = map_pages(2);
	memset(p, 5, 2 * PAGE);
	CHECK_EQ(madvise(p + PAGE, PAGE, MADV_WIPEONFORK), 0, "MADV_WIPEONFORK on the second page");
	pid_t wiper = fork();
	if (wiper == 0)
		_exit(p[0] == 5 && p[PAGE] == 0 ? 0 : 1);
	CHECK_EQ(check_wait(wiper), 0, "a forked child sees it as zeros, the first page as it was");
	CHECK_EQ(p[PAGE], 5, "the parent keeps its data");
	CHECK_EQ(madvise(p + PAGE, PAGE, MADV_KEEPONFORK), 0, "MADV_KEEPONFORK");
	wiper = fork();
	if (wiper == 0)
		_exit(p[PAGE] == 5 ? 0 : 1);
	CHECK_EQ(check_wait(wiper), 0, "then the child sees the data again");
	munmap(p, 2 * PAGE);
	char path[] = "/tmp/mlock_mincore.XXXXXX";
	int fd = mkstemp(path);
	CHECK(fd >= 0, "a temporary file");
	char page[PAGE];
	memset(page, 'x', sizeof page);
	for (int i = 0; i < 4; i++)
		write(fd, page, sizeof page);
	char *f = mmap(NULL, 4 * PAGE, PROT_READ, MAP_SHARED, fd, 0);
	CHECK(f != MAP_FAILED, "map the file");
	volatile char c = f[2 * PAGE];
	(void)c;
	CHECK_STR(residency(f, 4), "1111", "file pages in the page cache are resident, touched or not");
	munmap(f, 4 * PAGE);
	close(fd);
	unlink(path);

	/* mlockall and munlockall. */
	CHECK_EQ(mlockall(MCL_CURRENT), 0, "mlockall(MCL_CURRENT)");
	long all = vmlck();
	CHECK(all > base, "VmLck grows to the address space (%ld kB)", all);
	p = map_pages(2);
	CHECK_EQ(vmlck(), all, "a later mapping is not locked without MCL_FUTURE");
	munmap(p, 2 * PAGE);
	CHECK_EQ(munlockall(), 0, "munlockall");
	CHECK_EQ(vmlck(), 0, "VmLck is 0");
	CHECK_EQ(mlockall(MCL_FUTURE), 0, "mlockall(MCL_FUTURE)");
	CHECK_EQ(vmlck(), 0, "nothing locked yet");
	p = map_pages(2);
	CHECK_EQ(vmlck(), 8, "a new mapping is locked");
	CHECK_STR(residency(p, 2), "11", "and faulted in");
	munmap(p, 2 * PAGE);
	CHECK_EQ(mlockall(MCL_FUTURE | MCL_ONFAULT), 0, "mlockall(MCL_FUTURE | MCL_ONFAULT)");
	p = map_pages(2);
	CHECK(vmlck() == 8 && strcmp(residency(p, 2), "00") == 0, "a new mapping is locked but not faulted in (VmLck %ld, %s)", vmlck(), residency(p, 2));
	munmap(p, 2 * PAGE);
	CHECK_EQ(munlockall(), 0, "munlockall");
	p = map_pages(2);
	CHECK_EQ(vmlck(), 0, "nothing is locked after munlockall");
	munmap(p, 2 * PAGE);

	/* Fork: locks are not inherited. */
	p = map_pages(2);
	mlock(p, 2 * PAGE);
	pid_t pid = fork();
	if (pid == 0)
		_exit(vmlck() == 0 ? 0 : 1);
	CHECK_EQ(check_wait(pid), 0, "a forked child has no locked memory");
	munlock(p, 2 * PAGE);
	munmap(p, 2 * PAGE);

	/* An unprivileged child against RLIMIT_MEMLOCK. */
	pid = fork();
	if (pid == 0) {
		if (setgid(65534) != 0 || setuid(65534) != 0)
			_exit(100);
		_exit(unprivileged());
	}
	CHECK_EQ(check_wait(pid), 0, "unprivileged with RLIMIT_MEMLOCK 0: EPERM");
	pid = fork();
	if (pid == 0) {
		struct rlimit two = { 2 * PAGE, 2 * PAGE };
		setrlimit(RLIMIT_MEMLOCK, &two);
		if (setgid(65534) != 0 || setuid(65534) != 0)
			_exit(100);
		_exit(unprivileged_with_limit());
	}
	CHECK_EQ(check_wait(pid), 0, "unprivileged with RLIMIT_MEMLOCK 8 KiB: ENOMEM beyond it");

	return check_done();
}
