/*
 * memory.c - address-space management.
 *
 * brk growth and shrink (raw syscall: musl's sbrk only supports 0),
 * anonymous MAP_PRIVATE/MAP_SHARED mappings (shared visible across fork,
 * private copy-on-write), MAP_FIXED and MAP_FIXED_NOREPLACE, munmap
 * (whole and partial; access afterwards faults, checked in children),
 * mprotect (write to PROT_READ faults with SEGV_ACCERR, then RW works;
 * PROT_EXEC code runs), mremap grow/shrink/MAYMOVE, file-backed
 * MAP_PRIVATE (reads the file, writes stay private) and MAP_SHARED (writes
 * reach the file), SIGBUS past end of file, madvise(MADV_DONTNEED),
 * argument errors, a 64 MiB allocation touched page by page, stack
 * growth, and a malloc/calloc/realloc stress run.
 */
#define _GNU_SOURCE
#include "check.h"

#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#ifndef MAP_FIXED_NOREPLACE
#define MAP_FIXED_NOREPLACE 0x100000
#endif

#define PG 4096UL

/* ---- run something in a child and see whether/how it faults ---- */
static volatile int want_sig;
static void *volatile want_addr;

static void fault_exit(int sig, siginfo_t *si, void *uc)
{
	(void)uc;
	if (sig != want_sig)
		_exit(20);
	if (si->si_addr != want_addr)
		_exit(21);
	if (sig == SIGSEGV && si->si_code == SEGV_ACCERR)
		_exit(2);
	if (sig == SIGSEGV && si->si_code == SEGV_MAPERR)
		_exit(1);
	if (sig == SIGBUS)
		_exit(3);
	_exit(22);
}

enum { NO_FAULT = 0, FAULT_MAPERR = 1, FAULT_ACCERR = 2, FAULT_BUS = 3 };

/* returns NO_FAULT, FAULT_* or >= 20 for an unexpected signal/address */
static int access_in_child(void *addr, int write, int sig)
{
	pid_t pid = fork();
	if (pid == 0) {
		struct sigaction sa;
		memset(&sa, 0, sizeof sa);
		sa.sa_sigaction = fault_exit;
		sa.sa_flags = SA_SIGINFO;
		sigaction(SIGSEGV, &sa, NULL);
		sigaction(SIGBUS, &sa, NULL);
		want_sig = sig;
		want_addr = addr;
		if (write)
			*(volatile char *)addr = 1;
		else {
			volatile char c = *(volatile char *)addr;
			(void)c;
		}
		_exit(NO_FAULT);
	}
	int st;
	if (waitpid(pid, &st, 0) != pid)
		return -1;
	if (WIFEXITED(st))
		return WEXITSTATUS(st);
	return 100 + WTERMSIG(st);
}

static int all_bytes(const void *p, size_t n, unsigned char v)
{
	const unsigned char *c = p;
	for (size_t i = 0; i < n; i++)
		if (c[i] != v)
			return 0;
	return 1;
}

static char *scratch_file(const char *tag)
{
	static char path[600];
	const char *base = getenv("TMPDIR");
	if (!base || !*base)
		base = "/tmp";
	snprintf(path, sizeof path, "%s/helctic-mem-%s-%d", base, tag, (int)getpid());
	return path;
}

/* ---- brk ---- */
static void test_brk(void)
{
	/* no malloc between the raw brk calls: the allocator may use brk too */
	long b0 = syscall(SYS_brk, 0);
	long b1 = syscall(SYS_brk, b0 + (1 << 20));
	int wrote = 0;
	if (b1 == b0 + (1 << 20)) {
		memset((void *)b0, 0xab, 1 << 20);
		wrote = all_bytes((void *)b0, 1 << 20, 0xab);
	}
	long b2 = syscall(SYS_brk, b0 + 65536);
	long b3 = syscall(SYS_brk, b0 + 3 * 65536);
	int zero_after_regrow = b3 == b0 + 3 * 65536 && all_bytes((char *)b0 + 65536, 2 * 65536, 0);
	int kept = all_bytes((void *)b0, 65536, 0xab);
	long b4 = syscall(SYS_brk, 4096); /* far below the heap start: refused */
	long b5 = syscall(SYS_brk, b0);
	long b6 = syscall(SYS_brk, 0);

	CHECK(b0 > 0, "brk(0) returns the current break");
	CHECK_EQ(b1, b0 + (1 << 20), "brk grows the heap by 1 MiB");
	CHECK(wrote, "the new 1 MiB of heap is writable");
	CHECK_EQ(b2, b0 + 65536, "brk shrinks the heap");
	CHECK_EQ(b3, b0 + 3 * 65536, "brk grows it again");
	CHECK(zero_after_regrow, "memory released by shrinking comes back zeroed");
	CHECK(kept, "memory below the shrink point kept its contents");
	CHECK_EQ(b4, b0 + 3 * 65536, "brk below the heap start fails and returns the current break");
	CHECK_EQ(b5, b0, "brk restores the original break");
	CHECK_EQ(b6, b0, "brk(0) confirms it");

	void *cur = sbrk(0);
	CHECK(cur != (void *)-1 && (long)cur == b0, "sbrk(0) agrees with brk(0)");
}

/* ---- anonymous mappings ---- */
static void test_anon(void)
{
	char *p = mmap(NULL, 4 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	CHECK(p != MAP_FAILED, "mmap anonymous private 4 pages");
	CHECK_EQ((uintptr_t)p % PG, 0, "mapping is page aligned");
	CHECK(all_bytes(p, 4 * PG, 0), "anonymous memory is zero-filled");
	memset(p, 0x11, 4 * PG);
	CHECK(all_bytes(p, 4 * PG, 0x11), "anonymous memory is writable");

	/* private: copy-on-write across fork */
	int pfd[2];
	pipe(pfd);
	pid_t pid = fork();
	if (pid == 0) {
		char ok = all_bytes(p, 4 * PG, 0x11);
		memset(p, 0x22, 4 * PG);
		char c;
		read(pfd[0], &c, 1); /* wait for the parent's write */
		ok = ok && all_bytes(p, 4 * PG, 0x22);
		_exit(ok ? 0 : 1);
	}
	usleep(1000);
	memset(p, 0x33, PG);
	write(pfd[1], "x", 1);
	int st;
	waitpid(pid, &st, 0);
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0, "MAP_PRIVATE: child saw the parent's data, then only its own writes");
	CHECK(all_bytes(p, PG, 0x33) && all_bytes(p + PG, 3 * PG, 0x11), "MAP_PRIVATE: parent does not see the child's writes");
	close(pfd[0]);
	close(pfd[1]);

	/* shared: visible both ways across fork */
	volatile int *s = mmap(NULL, PG, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	CHECK(s != MAP_FAILED, "mmap anonymous shared");
	s[0] = 1;
	pid = fork();
	if (pid == 0) {
		int ok = s[0] == 1;
		s[1] = 12345;
		for (int i = 0; i < 10000 && s[2] != 777; i++)
			usleep(1000);
		_exit(ok && s[2] == 777 ? 0 : 1);
	}
	for (int i = 0; i < 10000 && s[1] != 12345; i++)
		usleep(1000);
	CHECK_EQ(s[1], 12345, "MAP_SHARED: parent sees the child's write");
	s[2] = 777;
	waitpid(pid, &st, 0);
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0, "MAP_SHARED: child sees the parent's write");
	CHECK_EQ(munmap((void *)s, PG), 0, "munmap shared");

	/* MAP_FIXED replaces part of an existing mapping */
	char *target = p + PG;
	char *f = mmap(target, PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
	CHECK(f == target, "MAP_FIXED returns exactly the requested address");
	CHECK(all_bytes(f, PG, 0), "MAP_FIXED replaced the old page with a zero page");
	CHECK(all_bytes(p, PG, 0x33) && all_bytes(p + 2 * PG, 2 * PG, 0x11), "neighbouring pages untouched by MAP_FIXED");
	errno = 0;
	char *nr = mmap(target, PG, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
	CHECK(nr == MAP_FAILED && errno == EEXIST, "MAP_FIXED_NOREPLACE over an existing mapping is EEXIST");

	/* partial munmap leaves a hole */
	CHECK_EQ(munmap(p + 2 * PG, PG), 0, "munmap one page in the middle");
	CHECK_EQ(access_in_child(p + 2 * PG, 0, SIGSEGV), FAULT_MAPERR, "reading the unmapped hole faults (SEGV_MAPERR)");
	CHECK_EQ(access_in_child(p + 3 * PG, 1, SIGSEGV), NO_FAULT, "page after the hole still mapped");
	CHECK_EQ(access_in_child(p + PG, 1, SIGSEGV), NO_FAULT, "page before the hole still mapped");
	CHECK_EQ(munmap(p, 4 * PG), 0, "munmap a range containing a hole");
	CHECK_EQ(access_in_child(p, 1, SIGSEGV), FAULT_MAPERR, "write after munmap faults");
	CHECK_EQ(munmap(p, 4 * PG), 0, "munmap of an already unmapped range succeeds");

	/* argument errors */
	errno = 0;
	CHECK(mmap(NULL, 0, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0) == MAP_FAILED && errno == EINVAL,
	      "mmap length 0 is EINVAL");
	errno = 0;
	CHECK(mmap(NULL, PG, PROT_READ, MAP_PRIVATE, 9999, 0) == MAP_FAILED && errno == EBADF,
	      "mmap of a bad fd is EBADF");
	errno = 0;
	CHECK(mmap(NULL, PG, PROT_READ, MAP_ANONYMOUS, -1, 0) == MAP_FAILED && errno == EINVAL,
	      "mmap without MAP_PRIVATE or MAP_SHARED is EINVAL");
	CHECK_ERR(munmap(p + 1, PG), EINVAL, "munmap of an unaligned address is EINVAL");
	CHECK_ERR(munmap(p, 0), EINVAL, "munmap length 0 is EINVAL");
}

/* ---- mprotect ---- */
static void test_mprotect(void)
{
	char *p = mmap(NULL, 2 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	memset(p, 0x44, 2 * PG);
	CHECK_EQ(mprotect(p, PG, PROT_READ), 0, "mprotect first page PROT_READ");
	CHECK(all_bytes(p, PG, 0x44), "read-only page is still readable");
	CHECK_EQ(access_in_child(p + 10, 1, SIGSEGV), FAULT_ACCERR, "write to PROT_READ page faults (SEGV_ACCERR)");
	CHECK_EQ(access_in_child(p + PG + 10, 1, SIGSEGV), NO_FAULT, "second page is still writable");
	CHECK_EQ(mprotect(p, PG, PROT_NONE), 0, "mprotect PROT_NONE");
	CHECK_EQ(access_in_child(p, 0, SIGSEGV), FAULT_ACCERR, "read of PROT_NONE page faults");
	CHECK_EQ(mprotect(p, 2 * PG, PROT_READ | PROT_WRITE), 0, "mprotect back to read-write");
	p[10] = 0x55;
	CHECK(p[10] == 0x55 && p[11] == 0x44, "write works after mprotect RW; contents preserved");
	/* raw syscall: musl's mprotect() wrapper rounds the address down */
	CHECK_ERR(syscall(SYS_mprotect, p + 1, PG, PROT_READ), EINVAL, "mprotect syscall with unaligned address is EINVAL");
	munmap(p, 2 * PG);
	CHECK_ERR(mprotect(p, PG, PROT_READ), ENOMEM, "mprotect of unmapped memory is ENOMEM");

	/* executable mapping: mov eax, 42; ret */
	static const unsigned char code[] = {0xb8, 0x2a, 0x00, 0x00, 0x00, 0xc3};
	unsigned char *x = mmap(NULL, PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	memcpy(x, code, sizeof code);
	CHECK_EQ(mprotect(x, PG, PROT_READ | PROT_EXEC), 0, "mprotect PROT_READ|PROT_EXEC");
	int (*fn)(void) = (int (*)(void))(void *)x;
	CHECK_EQ(fn(), 42, "code written to an anonymous page runs after mprotect PROT_EXEC");
	munmap(x, PG);
}

/* ---- mremap ---- */
static void test_mremap(void)
{
	/* 3 pages; the third becomes a PROT_NONE guard that blocks in-place growth */
	char *p = mmap(NULL, 3 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	for (size_t i = 0; i < 2 * PG; i++)
		p[i] = (char)(i * 13);
	char *guard = p + 2 * PG;
	CHECK_EQ(mprotect(guard, PG, PROT_NONE), 0, "mprotect a guard page after a 2-page region");
	errno = 0;
	void *r = mremap(p, 2 * PG, 8 * PG, 0);
	CHECK(r == MAP_FAILED && errno == ENOMEM, "mremap grow in place blocked by a neighbour is ENOMEM");
	char *q = mremap(p, 2 * PG, 8 * PG, MREMAP_MAYMOVE);
	CHECK(q != MAP_FAILED, "mremap grow to 8 pages with MREMAP_MAYMOVE");
	int same = 1;
	for (size_t i = 0; i < 2 * PG; i++)
		if (q[i] != (char)(i * 13))
			same = 0;
	CHECK(same, "mremap kept the contents");
	CHECK(all_bytes(q + 2 * PG, 6 * PG, 0), "grown part is zero-filled");
	memset(q + 7 * PG, 0x66, PG);
	CHECK(q[8 * PG - 1] == 0x66, "last page of the grown mapping is writable");
	CHECK(q != p, "MREMAP_MAYMOVE moved the blocked mapping");
	if (q != p)
		CHECK_EQ(access_in_child(p, 0, SIGSEGV), FAULT_MAPERR, "old address is unmapped after the move");

	char *s = mremap(q, 8 * PG, 3 * PG, 0);
	CHECK(s == q, "mremap shrink stays in place");
	CHECK_EQ(access_in_child(q + 3 * PG, 0, SIGSEGV), FAULT_MAPERR, "memory past the shrunk end faults");
	CHECK(q[0] == 0 && q[1] == 13, "shrunk mapping keeps its head");

	/* grow in place when there is room: unmap what follows first */
	munmap(q + 3 * PG, 5 * PG);
	char *g = mremap(q, 3 * PG, 5 * PG, 0);
	CHECK(g == q, "mremap grow in place into free space");
	CHECK(all_bytes(q + 3 * PG, 2 * PG, 0), "grown-in-place pages are zero");
	CHECK_ERR((long)mremap(q + 1, PG, 2 * PG, MREMAP_MAYMOVE), EINVAL, "mremap unaligned is EINVAL");
	munmap(g, 5 * PG);
	munmap(guard, PG);
}

/* ---- file-backed mappings ---- */
static void test_file_maps(void)
{
	char *path = scratch_file("map");
	int fd = open(path, O_CREAT | O_RDWR | O_TRUNC, 0600);
	CHECK_BAIL(fd >= 0, "create scratch file");
	char content[2 * PG];
	for (size_t i = 0; i < sizeof content; i++)
		content[i] = (char)('a' + i % 26);
	write(fd, content, sizeof content);

	char *m = mmap(NULL, 2 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
	CHECK(m != MAP_FAILED, "mmap file MAP_PRIVATE");
	CHECK(memcmp(m, content, sizeof content) == 0, "MAP_PRIVATE mapping reads the file");
	memcpy(m, "PRIVATE", 7);
	char buf[16] = {0};
	pread(fd, buf, 7, 0);
	CHECK(memcmp(buf, "abcdefg", 7) == 0, "writes to MAP_PRIVATE do not reach the file");
	CHECK(memcmp(m, "PRIVATE", 7) == 0, "but are visible in the mapping");
	munmap(m, 2 * PG);

	char *o = mmap(NULL, PG, PROT_READ, MAP_PRIVATE, fd, PG);
	CHECK(o != MAP_FAILED && memcmp(o, content + PG, 16) == 0, "mmap with a page offset reads that part");
	munmap(o, PG);
	errno = 0;
	CHECK(mmap(NULL, PG, PROT_READ, MAP_PRIVATE, fd, 100) == MAP_FAILED && errno == EINVAL,
	      "mmap with an unaligned offset is EINVAL");

	m = mmap(NULL, 2 * PG, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	CHECK(m != MAP_FAILED, "mmap file MAP_SHARED");
	memcpy(m + 100, "SHARED", 6);
	CHECK_EQ(msync(m, 2 * PG, MS_SYNC), 0, "msync");
	memset(buf, 0, sizeof buf);
	pread(fd, buf, 6, 100);
	CHECK(memcmp(buf, "SHARED", 6) == 0, "writes to MAP_SHARED reach the file");
	pwrite(fd, "WRITE", 5, 200);
	CHECK(memcmp(m + 200, "WRITE", 5) == 0, "write() to the file shows up in the MAP_SHARED mapping");
	munmap(m, 2 * PG);

	/* a mapping larger than the file: the tail of the last page reads
	 * zeros, whole pages past EOF raise SIGBUS */
	ftruncate(fd, 100);
	m = mmap(NULL, 2 * PG, PROT_READ, MAP_PRIVATE, fd, 0);
	CHECK(m != MAP_FAILED, "map 2 pages of a 100-byte file");
	CHECK(all_bytes(m + 100, PG - 100, 0), "bytes past EOF in the last page read as zeros");
	CHECK_EQ(access_in_child(m + PG, 0, SIGBUS), FAULT_BUS, "page wholly past EOF raises SIGBUS");
	munmap(m, 2 * PG);
	close(fd);

	/* the mapping outlives the fd and the file name */
	fd = open(path, O_RDWR);
	pwrite(fd, "persist", 7, 0);
	m = mmap(NULL, PG, PROT_READ, MAP_SHARED, fd, 0);
	close(fd);
	unlink(path);
	CHECK(m != MAP_FAILED && memcmp(m, "persist", 7) == 0, "mapping stays valid after close and unlink");
	munmap(m, PG);

	fd = open("/dev/null", O_RDONLY);
	errno = 0;
	m = mmap(NULL, PG, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	CHECK(m == MAP_FAILED && errno == EACCES, "MAP_SHARED PROT_WRITE of a read-only fd is EACCES");
	close(fd);
}

static void test_madvise(void)
{
	char *p = mmap(NULL, 4 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	memset(p, 0x77, 4 * PG);
	CHECK_EQ(madvise(p + PG, 2 * PG, MADV_DONTNEED), 0, "madvise MADV_DONTNEED");
	CHECK(all_bytes(p + PG, 2 * PG, 0), "MADV_DONTNEED'd private anonymous pages read back as zeros");
	CHECK(all_bytes(p, PG, 0x77) && all_bytes(p + 3 * PG, PG, 0x77), "other pages keep their contents");
	munmap(p, 4 * PG);
}

static void test_large(void)
{
	const size_t sz = 64UL << 20;
	unsigned char *p = mmap(NULL, sz, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	CHECK(p != MAP_FAILED, "mmap 64 MiB");
	if (p == MAP_FAILED)
		return;
	for (size_t i = 0; i < sz; i += PG)
		p[i] = (unsigned char)(i / PG);
	p[sz - 1] = 0xee;
	size_t bad = 0;
	for (size_t i = 0; i < sz; i += PG)
		if (p[i] != (unsigned char)(i / PG))
			bad++;
	CHECK(bad == 0 && p[sz - 1] == 0xee, "every page of 64 MiB written and read back");
	CHECK_EQ(munmap(p, sz), 0, "munmap 64 MiB");

	unsigned char *m = malloc(sz);
	CHECK(m != NULL, "malloc 64 MiB");
	if (m) {
		memset(m, 0x5c, sz);
		CHECK(m[0] == 0x5c && m[sz / 2] == 0x5c && m[sz - 1] == 0x5c, "64 MiB malloc'd block fully touched");
		free(m);
	}
}

static volatile int stack_sink;
static int deep(int n)
{
	volatile char buf[4096];
	buf[0] = (char)n;
	buf[4095] = (char)n;
	if (n == 0)
		return buf[0];
	return deep(n - 1) + buf[4095];
}

static void test_stack(void)
{
	/* 512 frames of > 4 KiB: about 2 MiB of stack, grown on demand */
	int want = 0;
	for (int n = 1; n <= 512; n++)
		want += (char)n;
	stack_sink = deep(512);
	CHECK_EQ(stack_sink, want, "2 MiB of stack usable (512 nested 4 KiB frames)");
}

static void test_malloc_stress(void)
{
	enum { SLOTS = 512, ROUNDS = 20000 };
	static unsigned char *ptr[SLOTS];
	static size_t len[SLOTS];
	uint32_t seed = 2463534242u;
	int corrupt = 0, fails = 0;
	for (int r = 0; r < ROUNDS; r++) {
		seed ^= seed << 13;
		seed ^= seed >> 17;
		seed ^= seed << 5;
		int i = (int)(seed % SLOTS);
		if (ptr[i]) {
			unsigned char tag = (unsigned char)i;
			for (size_t k = 0; k < len[i]; k += 97)
				if (ptr[i][k] != tag)
					corrupt++;
			if (len[i] && ptr[i][len[i] - 1] != tag)
				corrupt++;
			if (seed & 0x100) {
				size_t nl = (seed >> 9) % 20000;
				unsigned char *np = realloc(ptr[i], nl ? nl : 1);
				if (!np) {
					fails++;
					continue;
				}
				size_t keep = nl < len[i] ? nl : len[i];
				for (size_t k = 0; k < keep; k += 97)
					if (np[k] != tag)
						corrupt++;
				memset(np, tag, nl);
				ptr[i] = np;
				len[i] = nl;
			} else {
				free(ptr[i]);
				ptr[i] = NULL;
				len[i] = 0;
			}
		} else {
			size_t n = (seed >> 9) % ((seed & 0xf) == 0 ? 300000 : 2000);
			if (seed & 0x200) {
				ptr[i] = calloc(1, n ? n : 1);
				if (ptr[i] && !all_bytes(ptr[i], n, 0))
					corrupt++;
			} else {
				ptr[i] = malloc(n ? n : 1);
			}
			if (!ptr[i]) {
				fails++;
				continue;
			}
			memset(ptr[i], (unsigned char)i, n);
			len[i] = n;
		}
	}
	for (int i = 0; i < SLOTS; i++)
		free(ptr[i]);
	CHECK_EQ(fails, 0, "malloc stress: no allocation failed");
	CHECK_EQ(corrupt, 0, "malloc stress: 20000 malloc/calloc/realloc/free with no corruption");
}

int main(void)
{
	test_brk();
	test_anon();
	test_mprotect();
	test_mremap();
	test_file_maps();
	test_madvise();
	test_large();
	test_stack();
	test_malloc_stress();
	return check_done();
}
