/*
 * bsd.h - what the tests/freebsd C programs share: raw FreeBSD amd64
 * system calls (no libc: the host has none for FreeBSD), FreeBSD's ABI
 * note, an entry point, and the TAP-style checks of tests/linux/check.h
 * (one "ok N - ..." / "not ok N - ..." line per check, then "1..N" and
 * "# passed P failed F"; the program exits 0 only if nothing failed).
 *
 * Build: gcc -nostdlib -static -no-pie -ffreestanding -fno-stack-protector
 *        -fno-builtin -O1 -o prog prog.c   (the harness does this)
 *
 * A program defines `int test_main(int argc, char **argv, char **envp)`.
 *
 * Calls return the kernel's rax; a failed call (carry flag set) returns
 * -errno, so `sys3(...) == -ENOENT` tests both the carry flag and the
 * number. The errno values below are FreeBSD's (sys/sys/errno.h), which
 * differ from Linux's above 34.
 */
#ifndef HELCTIC_BSD_H
#define HELCTIC_BSD_H

typedef unsigned long size_t;
typedef long ssize_t;
typedef unsigned long uint64_t;
typedef unsigned int uint32_t;
typedef unsigned short uint16_t;
typedef unsigned char uint8_t;
typedef long int64_t;
typedef int int32_t;

/* FreeBSD's ABI note: the kernel picks the personality by it. */
__asm__(".section .note.tag,\"a\",@note\n"
	".p2align 2\n"
	".long 8\n.long 4\n.long 1\n"
	".asciz \"FreeBSD\"\n"
	".long 1400097\n"
	".text\n");

/* FreeBSD puts argc's address in rdi (and rsp is 8 mod 16). */
int test_main(int argc, char **argv, char **envp);
void bsd_start(long *argcp) __attribute__((noreturn, used));
__asm__(".text\n.globl _start\n_start:\n"
	"and $-16, %rsp\n"
	"call bsd_start\n"
	"hlt\n");

/* --- raw calls ------------------------------------------------------- */

static inline long bsd_syscall6(long nr, long a, long b, long c, long d, long e, long f)
{
	unsigned long ret;
	unsigned char carry;
	register long r10 __asm__("r10") = d;
	register long r8 __asm__("r8") = e;
	register long r9 __asm__("r9") = f;
	__asm__ volatile("syscall\n\tsetc %1"
			 : "=a"(ret), "=r"(carry), "+r"(r10), "+r"(r8), "+r"(r9), "+D"(a), "+S"(b), "+d"(c)
			 : "a"(nr)
			 : "rcx", "r11", "memory", "cc");
	return carry ? -(long)ret : (long)ret;
}

/* The second result register (rdx) of the last call, for pipe and fork. */
static inline long bsd_syscall_pair(long nr, long a, long b, long *second)
{
	unsigned long ret;
	unsigned char carry;
	long c = 0;
	register long r10 __asm__("r10") = 0;
	register long r8 __asm__("r8") = 0;
	register long r9 __asm__("r9") = 0;
	__asm__ volatile("syscall\n\tsetc %1"
			 : "=a"(ret), "=r"(carry), "+r"(r10), "+r"(r8), "+r"(r9), "+D"(a), "+S"(b), "+d"(c)
			 : "a"(nr)
			 : "rcx", "r11", "memory", "cc");
	*second = c;
	return carry ? -(long)ret : (long)ret;
}

#define sys0(n) bsd_syscall6((n), 0, 0, 0, 0, 0, 0)
#define sys1(n, a) bsd_syscall6((n), (long)(a), 0, 0, 0, 0, 0)
#define sys2(n, a, b) bsd_syscall6((n), (long)(a), (long)(b), 0, 0, 0, 0)
#define sys3(n, a, b, c) bsd_syscall6((n), (long)(a), (long)(b), (long)(c), 0, 0, 0)
#define sys4(n, a, b, c, d) bsd_syscall6((n), (long)(a), (long)(b), (long)(c), (long)(d), 0, 0)
#define sys5(n, a, b, c, d, e) bsd_syscall6((n), (long)(a), (long)(b), (long)(c), (long)(d), (long)(e), 0)
#define sys6(n, a, b, c, d, e, f) bsd_syscall6((n), (long)(a), (long)(b), (long)(c), (long)(d), (long)(e), (long)(f))

/* FreeBSD call numbers (sys/kern/syscalls.master). */
enum {
	SYS_exit = 1, SYS_fork = 2, SYS_read = 3, SYS_write = 4, SYS_open = 5, SYS_close = 6,
	SYS_wait4 = 7, SYS_link = 9, SYS_unlink = 10, SYS_chdir = 12, SYS_fchdir = 13,
	SYS_chmod = 15, SYS_getpid = 20, SYS_getuid = 24, SYS_kill = 37, SYS_getppid = 39,
	SYS_dup = 41, SYS_pipe2_old = 42, SYS_sigaltstack = 53, SYS_ioctl = 54,
	SYS_readlink = 58, SYS_execve = 59, SYS_umask = 60, SYS_munmap = 73,
	SYS_mprotect = 74, SYS_vfork = 66, SYS_dup2 = 90, SYS_fcntl = 92, SYS_select = 93,
	SYS_fsync = 95, SYS_gettimeofday = 116, SYS_readv = 120, SYS_writev = 121,
	SYS_rename = 128, SYS_mkdir = 136, SYS_rmdir = 137, SYS_getrlimit = 194,
	SYS_setrlimit = 195, SYS___sysctl = 202, SYS_clock_gettime = 232, SYS_nanosleep = 240,
	SYS_issetugid = 253, SYS_lchown = 254, SYS___getcwd = 326, SYS_sigprocmask = 340,
	SYS_sigsuspend = 341, SYS_sigpending = 343, SYS_kqueue = 362, SYS_kevent = 560, SYS_sigaction = 416,
	SYS_sigreturn = 417, SYS_thr_self = 432, SYS_thr_kill = 433, SYS_thr_exit = 431,
	SYS__umtx_op = 454, SYS_thr_new = 455, SYS_pread = 475, SYS_pwrite = 476,
	SYS_mmap = 477, SYS_lseek = 478, SYS_ftruncate = 480, SYS_openat = 499,
	SYS_mkdirat = 496, SYS_renameat = 501, SYS_unlinkat = 503, SYS_faccessat = 489,
	SYS_fstatat = 552, SYS_fstat = 551, SYS_getdirentries = 554, SYS_pipe2 = 542,
	SYS_getrandom = 563,
};

/* FreeBSD errno values (sys/sys/errno.h). */
enum {
	EPERM = 1, ENOENT = 2, ESRCH = 3, EINTR = 4, EIO = 5, ENXIO = 6, E2BIG = 7,
	ENOEXEC = 8, EBADF = 9, ECHILD = 10, EDEADLK = 11, ENOMEM = 12, EACCES = 13,
	EFAULT = 14, EBUSY = 16, EEXIST = 17, EXDEV = 18, ENODEV = 19, ENOTDIR = 20,
	EISDIR = 21, EINVAL = 22, ENFILE = 23, EMFILE = 24, ENOTTY = 25, EFBIG = 27,
	ENOSPC = 28, ESPIPE = 29, EROFS = 30, EMLINK = 31, EPIPE = 32, EDOM = 33,
	ERANGE = 34, EAGAIN = 35, EINPROGRESS = 36, EALREADY = 37, ENOTSOCK = 38,
	ENAMETOOLONG = 63, ENOTEMPTY = 66, ENOSYS = 78, ENOTCAPABLE = 93,
};

/* The compiler may call these for struct copies and initialisers. */
void *memset(void *p, int c, size_t n) __attribute__((used));
void *memset(void *p, int c, size_t n)
{
	volatile unsigned char *q = p;
	while (n--)
		*q++ = (unsigned char)c;
	return p;
}
void *memcpy(void *d, const void *s, size_t n) __attribute__((used));
void *memcpy(void *d, const void *s, size_t n)
{
	volatile unsigned char *q = d;
	const unsigned char *r = s;
	while (n--)
		*q++ = *r++;
	return d;
}

__attribute__((unused)) static void bsd_memzero(void *p, size_t n)
{
	memset(p, 0, n);
}

/* --- output ---------------------------------------------------------- */

static size_t bsd_strlen(const char *s)
{
	size_t n = 0;
	while (s[n])
		n++;
	return n;
}

__attribute__((unused)) static int bsd_streq(const char *a, const char *b)
{
	while (*a && *a == *b)
		a++, b++;
	return *a == *b;
}

static void bsd_puts(const char *s)
{
	size_t len = bsd_strlen(s);
	while (len > 0) {
		long n = sys3(SYS_write, 1, s, len);
		if (n == -EINTR)
			continue;
		if (n <= 0)
			return;
		s += n;
		len -= (size_t)n;
	}
}

__attribute__((unused)) static void bsd_putnum(long v)
{
	char buf[24];
	int i = sizeof buf - 1;
	unsigned long u = v < 0 ? -(unsigned long)v : (unsigned long)v;
	buf[i] = 0;
	do {
		buf[--i] = (char)('0' + u % 10);
		u /= 10;
	} while (u);
	if (v < 0)
		buf[--i] = '-';
	bsd_puts(buf + i);
}

/* --- checks ---------------------------------------------------------- */

static int check_count;
static int check_failures;

__attribute__((unused)) static void check_report(int ok, const char *what, long got, long want, int show, int line)
{
	check_count++;
	if (!ok)
		check_failures++;
	bsd_puts(ok ? "ok " : "not ok ");
	bsd_putnum(check_count);
	bsd_puts(" - ");
	bsd_puts(what);
	if (!ok && show) {
		bsd_puts(" (got ");
		bsd_putnum(got);
		bsd_puts(", want ");
		bsd_putnum(want);
		bsd_puts(")");
	}
	if (!ok) {
		bsd_puts(" at line ");
		bsd_putnum(line);
	}
	bsd_puts("\n");
}

#define CHECK(cond, what) check_report(!!(cond), (what), 0, 0, 0, __LINE__)
#define CHECK_EQ(got, want, what)                                                        \
	do {                                                                             \
		long check_got_ = (long)(got), check_want_ = (long)(want);               \
		check_report(check_got_ == check_want_, (what), check_got_, check_want_, 1, \
			     __LINE__);                                                  \
	} while (0)

__attribute__((unused)) static int check_done(void)
{
	bsd_puts("1..");
	bsd_putnum(check_count);
	bsd_puts("\n# passed ");
	bsd_putnum(check_count - check_failures);
	bsd_puts(" failed ");
	bsd_putnum(check_failures);
	bsd_puts("\n");
	return check_failures ? 1 : 0;
}

void bsd_start(long *argcp)
{
	int argc = (int)*argcp;
	char **argv = (char **)(argcp + 1);
	char **envp = argv + argc + 1;
	sys1(SYS_exit, test_main(argc, argv, envp));
	for (;;)
		;
}

#endif
