/*
 * call_gaps.c - corners of six calls programs do meet: lseek's SEEK_DATA
 * and SEEK_HOLE; faccessat2 and linkat on a descriptor's own file
 * (AT_EMPTY_PATH); statx and newfstatat with a NULL path and
 * AT_EMPTY_PATH (Linux 6.11); select and pselect6 past FD_SETSIZE (nfds
 * cut down to the descriptor table's size, not to 1024); mmap's and
 * mprotect's protection bits (mmap ignores unknown ones, mprotect refuses
 * them; write-only and execute-only memory is readable on x86_64);
 * mprotect's PROT_GROWSDOWN; and mremap's MREMAP_DONTUNMAP.
 *
 * Needs root for linkat(AT_EMPTY_PATH) (CAP_DAC_READ_SEARCH); without it
 * the same checks expect Linux's ENOENT.
 */
#define _GNU_SOURCE
#include "check.h"

#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdint.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>

#ifndef SEEK_DATA
#define SEEK_DATA 3
#define SEEK_HOLE 4
#endif
#ifndef AT_EMPTY_PATH
#define AT_EMPTY_PATH 0x1000
#endif
#ifndef SYS_faccessat2
#define SYS_faccessat2 439
#endif
#ifndef SYS_statx
#define SYS_statx 332
#endif
#ifndef MREMAP_MAYMOVE
#define MREMAP_MAYMOVE 1
#endif
#ifndef MREMAP_FIXED
#define MREMAP_FIXED 2
#endif
#ifndef MREMAP_DONTUNMAP
#define MREMAP_DONTUNMAP 4
#endif
#ifndef PROT_SEM
#define PROT_SEM 0x8
#endif
#ifndef PROT_GROWSDOWN
#define PROT_GROWSDOWN 0x01000000
#define PROT_GROWSUP 0x02000000
#endif

#define PAGE 4096
#define STATX_BASIC 0x7ffU

/* struct statx, read by offset so no header needs to know it. */
struct raw_statx {
	unsigned char b[256];
};

static uint64_t statx_size(const struct raw_statx *s)
{
	uint64_t v;
	memcpy(&v, s->b + 40, sizeof v);
	return v;
}

static unsigned statx_mode(const struct raw_statx *s)
{
	uint16_t v;
	memcpy(&v, s->b + 28, sizeof v);
	return v;
}

static long raw_statx(int dir, const char *path, int flags, struct raw_statx *out)
{
	return syscall(SYS_statx, dir, path, flags, STATX_BASIC, out);
}

static long faccessat2(int dir, const char *path, int mode, int flags)
{
	return syscall(SYS_faccessat2, dir, path, mode, flags);
}

static void *raw_mremap(void *old, size_t old_len, size_t new_len, int flags, void *new_addr)
{
	return (void *)syscall(SYS_mremap, old, old_len, new_len, flags, new_addr);
}

/* Whether the kernel takes a NULL path with AT_EMPTY_PATH (Linux 6.11+;
 * Helctic does, whatever release it reports). */
static int null_path_allowed(void)
{
	struct utsname u;
	int major = 0, minor = 0;
	if (uname(&u) != 0)
		return 1;
	if (strstr(u.release, "helctic"))
		return 1;
	if (sscanf(u.release, "%d.%d", &major, &minor) != 2)
		return 1;
	return major > 6 || (major == 6 && minor >= 11);
}

static int make_file(const char *name, size_t size)
{
	char buf[PAGE];
	memset(buf, 'a', sizeof buf);
	unlink(name);
	int fd = open(name, O_RDWR | O_CREAT | O_TRUNC, 0644);
	while (fd >= 0 && size > 0) {
		size_t n = size < sizeof buf ? size : sizeof buf;
		if (write(fd, buf, n) != (ssize_t)n)
			break;
		size -= n;
	}
	return fd;
}

static void seek_data_and_hole(void)
{
	int fd = make_file("cg_seek", 5000);
	CHECK(fd >= 0, "seek: file made");
	CHECK_EQ(lseek(fd, 0, SEEK_DATA), 0, "SEEK_DATA at 0: data there");
	CHECK_EQ(lseek(fd, 100, SEEK_DATA), 100, "SEEK_DATA inside: the offset itself");
	CHECK_EQ(lseek(fd, 100, SEEK_HOLE), 5000, "SEEK_HOLE inside a written file: its end");
	CHECK_EQ(lseek(fd, 0, SEEK_CUR), 5000, "SEEK_HOLE moved the position");
	CHECK_EQ(lseek(fd, 4999, SEEK_HOLE), 5000, "SEEK_HOLE at the last byte");
	CHECK_EQ(lseek(fd, 10, SEEK_SET), 10, "SEEK_SET 10");
	CHECK_ERR(lseek(fd, 5000, SEEK_DATA), ENXIO, "SEEK_DATA at the end: ENXIO");
	CHECK_ERR(lseek(fd, 5000, SEEK_HOLE), ENXIO, "SEEK_HOLE at the end: ENXIO");
	CHECK_ERR(lseek(fd, 6000, SEEK_DATA), ENXIO, "SEEK_DATA past the end: ENXIO");
	CHECK_ERR(lseek(fd, -1, SEEK_DATA), ENXIO, "SEEK_DATA negative: ENXIO");
	CHECK_ERR(lseek(fd, -1, SEEK_HOLE), ENXIO, "SEEK_HOLE negative: ENXIO");
	CHECK_EQ(lseek(fd, 0, SEEK_CUR), 10, "a refused seek leaves the position");
	CHECK_ERR(lseek(fd, 0, 5), EINVAL, "whence 5: EINVAL");
	close(fd);
	int empty = make_file("cg_empty", 0);
	CHECK_ERR(lseek(empty, 0, SEEK_DATA), ENXIO, "empty file: SEEK_DATA ENXIO");
	CHECK_ERR(lseek(empty, 0, SEEK_HOLE), ENXIO, "empty file: SEEK_HOLE ENXIO");
	close(empty);
	int p[2];
	CHECK(pipe(p) == 0, "seek: pipe");
	CHECK_ERR(lseek(p[0], 0, SEEK_DATA), ESPIPE, "pipe: SEEK_DATA ESPIPE");
	CHECK_ERR(lseek(p[1], 0, SEEK_HOLE), ESPIPE, "pipe: SEEK_HOLE ESPIPE");
	close(p[0]);
	close(p[1]);
	unlink("cg_seek");
	unlink("cg_empty");
}

static void empty_path_access(void)
{
	int fd = make_file("cg_access", 10);
	CHECK(fd >= 0, "access: file made");
	CHECK_EQ(faccessat2(fd, "", R_OK | W_OK, AT_EMPTY_PATH), 0, "faccessat2 AT_EMPTY_PATH: the file, R|W");
	CHECK_ERR(faccessat2(fd, "", X_OK, AT_EMPTY_PATH), EACCES, "X on mode 0644: EACCES (root too)");
	CHECK(fchmod(fd, 0755) == 0, "fchmod 0755");
	CHECK_EQ(faccessat2(fd, "", X_OK, AT_EMPTY_PATH), 0, "X on mode 0755");
	CHECK_EQ(faccessat2(fd, "", F_OK, AT_EMPTY_PATH | AT_EACCESS), 0, "with AT_EACCESS");
	CHECK_ERR(faccessat2(fd, "", R_OK, 0), ENOENT, "empty path without AT_EMPTY_PATH: ENOENT");
	CHECK_EQ(faccessat2(AT_FDCWD, "", R_OK | X_OK, AT_EMPTY_PATH), 0, "AT_FDCWD: the working directory");
	CHECK_ERR(faccessat2(999, "", R_OK, AT_EMPTY_PATH), EBADF, "a closed descriptor: EBADF");
	int p[2];
	CHECK(pipe(p) == 0, "access: pipe");
	CHECK_EQ(faccessat2(p[0], "", R_OK, AT_EMPTY_PATH), 0, "a pipe's descriptor: readable");
	close(p[0]);
	close(p[1]);
	close(fd);
	unlink("cg_access");
}

static void empty_path_link(void)
{
	int root = geteuid() == 0;
	struct stat a, b;
	int fd = make_file("cg_link", 10);
	CHECK(fd >= 0, "link: file made");
	unlink("cg_link2");
	if (root) {
		CHECK_EQ(linkat(fd, "", AT_FDCWD, "cg_link2", AT_EMPTY_PATH), 0, "linkat AT_EMPTY_PATH: links the open file");
		CHECK(fstat(fd, &a) == 0 && stat("cg_link2", &b) == 0 && a.st_ino == b.st_ino, "the new name is that file");
		CHECK_EQ(b.st_nlink, 2, "two links");
		CHECK_ERR(linkat(fd, "", AT_FDCWD, "cg_link2", AT_EMPTY_PATH), EEXIST, "again: EEXIST");
	} else {
		CHECK_ERR(linkat(fd, "", AT_FDCWD, "cg_link2", AT_EMPTY_PATH), ENOENT, "unprivileged: ENOENT");
		CHECK(1, "the new name is that file (skipped unprivileged)");
		CHECK(1, "two links (skipped unprivileged)");
		CHECK(1, "again: EEXIST (skipped unprivileged)");
	}
	CHECK_ERR(linkat(fd, "", AT_FDCWD, "cg_link3", 0), ENOENT, "empty path without AT_EMPTY_PATH: ENOENT");
	CHECK_ERR(linkat(999, "", AT_FDCWD, "cg_link3", AT_EMPTY_PATH), EBADF, "a closed descriptor: EBADF");
	int dir = open(".", O_RDONLY | O_DIRECTORY);
	CHECK_ERR(linkat(dir, "", AT_FDCWD, "cg_link3", AT_EMPTY_PATH), root ? EPERM : ENOENT, "a directory: EPERM");
	close(dir);
	int p[2];
	CHECK(pipe(p) == 0, "link: pipe");
	CHECK_ERR(linkat(p[0], "", AT_FDCWD, "cg_link3", AT_EMPTY_PATH), root ? EXDEV : ENOENT, "a pipe: EXDEV");
	close(p[0]);
	close(p[1]);
	/* Unlinked while open: it may not come back. */
	int gone = make_file("cg_gone", 10);
	unlink("cg_gone");
	CHECK_ERR(linkat(gone, "", AT_FDCWD, "cg_link3", AT_EMPTY_PATH), ENOENT, "an unlinked file: ENOENT");
	CHECK_ERR(access("cg_link3", F_OK), ENOENT, "no name was made");
	close(gone);
	/* A process that dropped its privileges since the open may not. */
	if (root) {
		pid_t pid = fork();
		if (pid == 0) {
			if (setgid(65534) != 0 || setuid(65534) != 0)
				_exit(2);
			int r = linkat(fd, "", AT_FDCWD, "/tmp/cg_link4", AT_EMPTY_PATH);
			_exit(r == -1 && errno == ENOENT ? 0 : 1);
		}
		int status = -1;
		waitpid(pid, &status, 0);
		CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0, "after setuid 65534 without CAP_DAC_READ_SEARCH: ENOENT");
	} else {
		CHECK(1, "after setuid (skipped unprivileged)");
	}
	close(fd);
	unlink("cg_link");
	unlink("cg_link2");
}

static void null_path_stat(void)
{
	int allowed = null_path_allowed();
	struct raw_statx sx;
	struct stat st;
	int fd = make_file("cg_stat", 5000);
	CHECK(fd >= 0, "stat: file made");
	memset(&sx, 0, sizeof sx);
	long r = raw_statx(fd, NULL, AT_EMPTY_PATH, &sx);
	if (allowed) {
		CHECK_EQ(r, 0, "statx(fd, NULL, AT_EMPTY_PATH): the descriptor's file (6.11)");
		CHECK_EQ(statx_size(&sx), 5000, "its size");
	} else {
		CHECK_ERR(r, EFAULT, "statx(fd, NULL, AT_EMPTY_PATH) before 6.11: EFAULT");
		CHECK(1, "its size (skipped before 6.11)");
	}
	CHECK_ERR(raw_statx(fd, NULL, 0, &sx), EFAULT, "statx NULL path without AT_EMPTY_PATH: EFAULT");
	memset(&sx, 0, sizeof sx);
	r = raw_statx(AT_FDCWD, NULL, AT_EMPTY_PATH, &sx);
	if (allowed) {
		CHECK_EQ(r, 0, "statx(AT_FDCWD, NULL, AT_EMPTY_PATH): the working directory");
		CHECK_EQ(statx_mode(&sx) & S_IFMT, S_IFDIR, "a directory");
		CHECK_ERR(raw_statx(999, NULL, AT_EMPTY_PATH, &sx), EBADF, "a closed descriptor: EBADF");
	} else {
		CHECK_ERR(r, EFAULT, "statx(AT_FDCWD, NULL) before 6.11: EFAULT");
		CHECK(1, "a directory (skipped before 6.11)");
		CHECK_ERR(raw_statx(999, NULL, AT_EMPTY_PATH, &sx), EFAULT, "a closed descriptor before 6.11: EFAULT");
	}
	memset(&st, 0, sizeof st);
	r = syscall(SYS_newfstatat, fd, NULL, &st, AT_EMPTY_PATH);
	if (allowed) {
		CHECK_EQ(r, 0, "newfstatat(fd, NULL, AT_EMPTY_PATH)");
		CHECK_EQ(st.st_size, 5000, "its size");
	} else {
		CHECK_ERR(r, EFAULT, "newfstatat NULL before 6.11: EFAULT");
		CHECK(1, "its size (skipped before 6.11)");
	}
	CHECK_ERR(syscall(SYS_newfstatat, fd, NULL, &st, 0), EFAULT, "newfstatat NULL without AT_EMPTY_PATH: EFAULT");
	close(fd);
	unlink("cg_stat");
}

#define BIG_BITS 4096
#define WORD_BITS (8 * (int)sizeof(unsigned long))

static void set_bit(unsigned long *set, int fd)
{
	set[fd / WORD_BITS] |= 1UL << (fd % WORD_BITS);
}

static int bit(const unsigned long *set, int fd)
{
	return (set[fd / WORD_BITS] >> (fd % WORD_BITS)) & 1;
}

static void select_past_fd_setsize(void)
{
	struct rlimit rl = { BIG_BITS, BIG_BITS };
	CHECK(setrlimit(RLIMIT_NOFILE, &rl) == 0, "select: RLIMIT_NOFILE 4096");
	int p[2];
	CHECK(pipe(p) == 0, "select: pipe");
	CHECK_EQ(write(p[1], "x", 1), 1, "a byte to read");
	CHECK_EQ(dup2(p[0], 1500), 1500, "the read end at 1500");
	static unsigned long set[BIG_BITS / WORD_BITS];
	struct timeval tv = { 0, 0 };

	memset(set, 0, sizeof set);
	set_bit(set, 1500);
	CHECK_EQ(syscall(SYS_select, 1501, set, NULL, NULL, &tv), 1, "select(1501): fd 1500 ready");
	CHECK(bit(set, 1500), "its bit stays set");

	/* The table has room for 2048 now (the power of two above 1500): bits
	 * past it are not read (3000 is not open, yet no EBADF) and not written. */
	memset(set, 0, sizeof set);
	set_bit(set, 1500);
	set_bit(set, 3000);
	tv.tv_usec = 0;
	CHECK_EQ(syscall(SYS_select, BIG_BITS, set, NULL, NULL, &tv), 1, "select(4096): only 1500");
	CHECK(bit(set, 1500) && bit(set, 3000), "bit 3000, past the table, left as it was");

	memset(set, 0, sizeof set);
	set_bit(set, 1500);
	set_bit(set, 2000);
	CHECK_ERR(syscall(SYS_select, BIG_BITS, set, NULL, NULL, &tv), EBADF, "2000 is inside the table and not open: EBADF");

	/* A 2048-bit set ending at an unmapped page: nfds INT_MAX reads 2048 bits. */
	char *two = mmap(NULL, 2 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	CHECK(two != MAP_FAILED && munmap(two + PAGE, PAGE) == 0, "a page with nothing after it");
	unsigned long *tail = (unsigned long *)(two + PAGE - 2048 / 8);
	memset(tail, 0, 2048 / 8);
	set_bit(tail, 1500);
	CHECK_EQ(syscall(SYS_select, INT_MAX, tail, NULL, NULL, &tv), 1, "select(INT_MAX): cut to the table");
	CHECK(bit(tail, 1500), "fd 1500 reported");
	struct timespec ts = { 0, 0 };
	CHECK_EQ(syscall(SYS_pselect6, 2049, tail, NULL, NULL, &ts, NULL), 1, "pselect6(2049): cut to the table");
	CHECK_ERR(syscall(SYS_select, -1, NULL, NULL, NULL, &tv), EINVAL, "select nfds -1: EINVAL");
	CHECK_ERR(syscall(SYS_pselect6, -1, NULL, NULL, NULL, &ts, NULL), EINVAL, "pselect6 nfds -1: EINVAL");
	CHECK_EQ(syscall(SYS_select, 0xffffffff00000000UL | 1501, tail, NULL, NULL, &tv), 1,
		 "nfds is an int: the upper half is ignored");
	munmap(two, PAGE);
	close(1500);
	close(p[0]);
	close(p[1]);
}

/* Whether reading the byte at `p` in a child works (exit 0) or faults. */
static int child_reads(const volatile char *p)
{
	pid_t pid = fork();
	if (pid == 0)
		_exit(*p == 0 ? 0 : 1);
	int status = -1;
	waitpid(pid, &status, 0);
	return WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

static int cpu_has_pkeys(void)
{
	static char buf[1 << 16];
	int fd = open("/proc/cpuinfo", O_RDONLY);
	if (fd < 0)
		return 0;
	ssize_t n = read(fd, buf, sizeof buf - 1);
	close(fd);
	buf[n > 0 ? n : 0] = 0;
	return strstr(buf, " ospke") != NULL;
}

static void protection_bits(void)
{
	const int anon = MAP_PRIVATE | MAP_ANONYMOUS;
	void *m = mmap(NULL, PAGE, PROT_READ | 0x10, anon, -1, 0);
	CHECK(m != MAP_FAILED, "mmap ignores an unknown prot bit (0x10)");
	munmap(m, PAGE);
	m = mmap(NULL, PAGE, PROT_READ | 0x80000000, anon, -1, 0);
	CHECK(m != MAP_FAILED, "mmap ignores prot bit 31");
	munmap(m, PAGE);
	m = mmap(NULL, PAGE, PROT_READ | PROT_SEM, anon, -1, 0);
	CHECK(m != MAP_FAILED, "mmap PROT_SEM");
	munmap(m, PAGE);

	char *r = mmap(NULL, 2 * PAGE, PROT_READ, anon, -1, 0);
	CHECK(r != MAP_FAILED, "mprotect: a mapping");
	CHECK_ERR(mprotect(r, PAGE, 0x10), EINVAL, "mprotect unknown bit 0x10: EINVAL");
	CHECK_ERR(mprotect(r, PAGE, (int)0x80000000), EINVAL, "mprotect bit 31: EINVAL");
	CHECK_EQ(mprotect(r, PAGE, PROT_READ | PROT_SEM), 0, "mprotect PROT_SEM is known");
	CHECK_EQ(mprotect(r, 0, 0x10), 0, "an empty range succeeds before the bits are judged");
	/* The raw call: musl's mprotect rounds the address down itself. */
	CHECK_ERR(syscall(SYS_mprotect, r + 1, 0, PROT_READ), EINVAL, "an unaligned address, even empty: EINVAL");
	CHECK_ERR(mprotect(r, PAGE, PROT_READ | PROT_GROWSUP), EINVAL, "PROT_GROWSUP on x86_64: EINVAL");
	CHECK_ERR(mprotect(r, 0, PROT_GROWSDOWN | PROT_GROWSUP), EINVAL, "both grow directions: EINVAL");
	munmap(r, 2 * PAGE);

	volatile char *w = mmap(NULL, PAGE, PROT_WRITE, anon, -1, 0);
	CHECK(w != MAP_FAILED, "a PROT_WRITE-only mapping");
	w[0] = 7;
	CHECK_EQ(w[0], 7, "write-only memory reads back (x86_64 cannot refuse reads)");
	munmap((void *)w, PAGE);

	char *x = mmap(NULL, PAGE, PROT_EXEC, anon, -1, 0);
	CHECK(x != MAP_FAILED, "a PROT_EXEC-only mapping");
	/* Readable unless the CPU has protection keys, with which Linux makes
	 * execute-only memory. */
	CHECK(child_reads(x) || cpu_has_pkeys(), "execute-only memory reads (no protection keys)");
	munmap(x, PAGE);
}

/* Whether writing the byte at `p` in a child works (exit 0) or faults. */
static int child_writes(volatile char *p)
{
	pid_t pid = fork();
	if (pid == 0) {
		*p = 1;
		_exit(0);
	}
	int status = -1;
	waitpid(pid, &status, 0);
	return WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

/* PROT_GROWSDOWN: the change reaches down to the start of a mapping that
 * grows down (glibc makes the stack executable so), and is EINVAL on one
 * that does not. */
static void grows_down(void)
{
	const int anon = MAP_PRIVATE | MAP_ANONYMOUS;
	char *g = mmap(NULL, 4 * PAGE, PROT_READ | PROT_WRITE, anon | MAP_GROWSDOWN, -1, 0);
	CHECK(g != MAP_FAILED, "a MAP_GROWSDOWN mapping");
	CHECK_EQ(mprotect(g + 2 * PAGE, PAGE, PROT_READ | PROT_GROWSDOWN), 0, "mprotect PROT_GROWSDOWN inside it");
	CHECK(!child_writes(g), "the change reached the mapping's first page");
	CHECK(!child_writes(g + 2 * PAGE), "and the page named");
	CHECK(child_writes(g + 3 * PAGE), "the page above is left writable");
	munmap(g, 4 * PAGE);

	char *r = mmap(NULL, 2 * PAGE, PROT_READ | PROT_WRITE, anon, -1, 0);
	CHECK(r != MAP_FAILED, "a plain mapping");
	CHECK_ERR(mprotect(r + PAGE, PAGE, PROT_READ | PROT_GROWSDOWN), EINVAL, "PROT_GROWSDOWN on a plain mapping: EINVAL");
	CHECK(child_writes(r), "and nothing changed");
	munmap(r, 2 * PAGE);

	/* The main stack grows down: making it executable this way works. */
	char here;
	uintptr_t page = (uintptr_t)&here & ~(uintptr_t)(PAGE - 1);
	CHECK_EQ(mprotect((void *)page, PAGE, PROT_READ | PROT_WRITE | PROT_EXEC | PROT_GROWSDOWN), 0,
		 "PROT_GROWSDOWN on the main stack");
}

static void mremap_dont_unmap(void)
{
	const int anon = MAP_PRIVATE | MAP_ANONYMOUS;
	const int move = MREMAP_MAYMOVE | MREMAP_DONTUNMAP;
	/* Two pages with nothing mapped after them (so the range past the end
	 * cannot be a neighbour merged into the same mapping). */
	char *a = mmap(NULL, 3 * PAGE, PROT_READ | PROT_WRITE, anon, -1, 0);
	CHECK(a != MAP_FAILED && munmap(a + 2 * PAGE, PAGE) == 0, "DONTUNMAP: a private anonymous mapping");
	a[0] = 'x';
	a[PAGE] = 'y';
	CHECK(raw_mremap(a, 2 * PAGE, 2 * PAGE, MREMAP_DONTUNMAP, NULL) == MAP_FAILED && errno == EINVAL,
	      "without MREMAP_MAYMOVE: EINVAL");
	CHECK(raw_mremap(a, 2 * PAGE, PAGE, move, NULL) == MAP_FAILED && errno == EINVAL, "shrinking: EINVAL");
	CHECK(raw_mremap(a, PAGE, 2 * PAGE, move, NULL) == MAP_FAILED && errno == EINVAL, "growing: EINVAL");
	CHECK(raw_mremap(a, 2 * PAGE, 2 * PAGE, move, a + PAGE) == MAP_FAILED && errno == EINVAL,
	      "a new address overlapping the old: EINVAL");
	CHECK(raw_mremap(a, 2 * PAGE, 2 * PAGE, move, (char *)0x10000001) == MAP_FAILED && errno == EINVAL,
	      "an unaligned new address: EINVAL");
	CHECK(raw_mremap(a, 3 * PAGE, 3 * PAGE, move, NULL) == MAP_FAILED && errno == EFAULT,
	      "past the mapping's end: EFAULT");
	CHECK_EQ(a[0], 'x', "refusals left the pages");

	char *b = raw_mremap(a, 2 * PAGE, 2 * PAGE, move, NULL);
	CHECK(b != MAP_FAILED && b != a, "moved");
	if (b != MAP_FAILED) {
		CHECK(b[0] == 'x' && b[PAGE] == 'y', "the pages came along");
		CHECK(a[0] == 0 && a[PAGE] == 0, "the old range is still mapped, and reads zeros");
		a[0] = 'z';
		CHECK(a[0] == 'z' && b[0] == 'x', "the old range is writable, and apart");
		munmap(b, 2 * PAGE);
	}
	munmap(a, 2 * PAGE);

	/* With MREMAP_FIXED: exactly there, replacing what was. */
	char *c = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, anon, -1, 0);
	char *target = mmap(NULL, PAGE, PROT_NONE, anon, -1, 0);
	c[0] = 'c';
	char *d = raw_mremap(c, PAGE, PAGE, move | MREMAP_FIXED, target);
	CHECK(d == target, "MREMAP_FIXED: at the target");
	if (d == target)
		CHECK(d[0] == 'c' && c[0] == 0, "the page at the target, zeros behind");
	munmap(c, PAGE);
	munmap(target, PAGE);

	/* Shared anonymous: the old range still maps the same object. */
	char *s = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	s[0] = 's';
	char *s2 = raw_mremap(s, PAGE, PAGE, move, NULL);
	CHECK(s2 != MAP_FAILED, "shared anonymous: moved");
	if (s2 != MAP_FAILED) {
		CHECK(s2[0] == 's' && s[0] == 's', "both ranges show the shared page");
		munmap(s2, PAGE);
	}
	munmap(s, PAGE);

	/* A private file mapping: the old range reads the file again. */
	int fd = make_file("cg_remap", PAGE);
	char *f = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
	f[0] = 'p';
	char *f2 = raw_mremap(f, PAGE, PAGE, move, NULL);
	CHECK(f2 != MAP_FAILED, "private file mapping: moved");
	if (f2 != MAP_FAILED) {
		CHECK(f2[0] == 'p' && f[0] == 'a', "the private copy moved, the old range reads the file");
		munmap(f2, PAGE);
	}
	munmap(f, PAGE);
	close(fd);
	unlink("cg_remap");
}

int main(void)
{
	signal(SIGPIPE, SIG_IGN);
	/* Scratch files are made by relative names, in $TMPDIR. */
	const char *tmp = getenv("TMPDIR");
	if (chdir(tmp && *tmp ? tmp : "/tmp") != 0)
		DIAG("cannot enter the scratch directory");
	seek_data_and_hole();
	empty_path_access();
	empty_path_link();
	null_path_stat();
	protection_bits();
	grows_down();
	mremap_dont_unmap();
	select_past_fd_setsize();
	return check_done();
}
