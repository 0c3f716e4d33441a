/*
 * nbsd.h - what the tests/netbsd C programs share: raw NetBSD amd64
 * system calls (no libc: the host has none for NetBSD), NetBSD's ELF
 * note, an entry point, and the TAP-style checks of tests/linux/check.h
 * (one "ok N - ..." / "not ok N - ..." line per check, then "1..N" and
 * "# passed P failed F"; the program exits 0 only if nothing failed).
 *
 * Build: gcc -nostdlib -static -no-pie -ffreestanding -fno-stack-protector
 *        -fno-builtin -O1 -Itests/netbsd -o prog prog.c  (the harness does this)
 *
 * A program defines `int test_main(int argc, char **argv, char **envp)`.
 *
 * Calls return the kernel's rax; a failed call (carry flag set) returns
 * -errno, so `sys3(...) == -ENOENT` tests both the carry flag and the
 * number. Numbers and errno values are NetBSD's (sys/kern/syscalls.master,
 * sys/sys/errno.h), not FreeBSD's: both differ from Linux's.
 */
#ifndef HELCTIC_NBSD_H
#define HELCTIC_NBSD_H

typedef unsigned long size_t;
typedef long ssize_t;
typedef unsigned long uint64_t;
typedef unsigned int uint32_t;
typedef unsigned short uint16_t;
typedef unsigned char uint8_t;
typedef long int64_t;
typedef int int32_t;

/*
 * NetBSD's ELF note (lib/csu/common/sysident.S): the kernel accepts a
 * program as NetBSD's by it (type 1, name "NetBSD", a 4-byte
 * __NetBSD_Version__; 10.0 = 1000000000), and Helctic picks the
 * personality by it.
 */
__asm__(".section .note.netbsd.ident,\"a\",@note\n"
	".p2align 2\n"
	".long 7\n.long 4\n.long 1\n"
	".ascii \"NetBSD\\0\\0\"\n"
	".long 1000000000\n"
	".text\n");

/*
 * NetBSD starts a program with rsp at argc and rbx at its struct
 * ps_strings (sys/arch/amd64/amd64/machdep.c setregs); nbsd_start gets
 * both, and the entry registers are kept for hello.c to check.
 */
/* struct ps_strings (sys/sys/exec.h). */
struct ps_strings {
	char **ps_argvstr;
	int ps_nargvstr;
	char **ps_envstr;
	int ps_nenvstr;
};

int test_main(int argc, char **argv, char **envp);
void nbsd_start(long *argcp, void *ps_strings) __attribute__((noreturn, used));
unsigned long nbsd_entry_rdx __attribute__((used)) = 1;
unsigned long nbsd_entry_rsp __attribute__((used));
static struct ps_strings *nbsd_ps_strings;
__asm__(".text\n.globl _start\n_start:\n"
	"mov %rdx, nbsd_entry_rdx(%rip)\n"
	"mov %rsp, nbsd_entry_rsp(%rip)\n"
	"mov %rsp, %rdi\n"
	"mov %rbx, %rsi\n"
	"and $-16, %rsp\n"
	"call nbsd_start\n"
	"hlt\n");

/* --- raw calls ------------------------------------------------------- */

static inline long nbsd_syscall6(long nr, long a, long b, long c, long d, long e, long f)
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
static inline long nbsd_syscall_pair(long nr, long a, long b, long *second)
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

#define sys0(n) nbsd_syscall6((n), 0, 0, 0, 0, 0, 0)
#define sys1(n, a) nbsd_syscall6((n), (long)(a), 0, 0, 0, 0, 0)
#define sys2(n, a, b) nbsd_syscall6((n), (long)(a), (long)(b), 0, 0, 0, 0)
#define sys3(n, a, b, c) nbsd_syscall6((n), (long)(a), (long)(b), (long)(c), 0, 0, 0)
#define sys4(n, a, b, c, d) nbsd_syscall6((n), (long)(a), (long)(b), (long)(c), (long)(d), 0, 0)
#define sys5(n, a, b, c, d, e) nbsd_syscall6((n), (long)(a), (long)(b), (long)(c), (long)(d), (long)(e), 0)
#define sys6(n, a, b, c, d, e, f) nbsd_syscall6((n), (long)(a), (long)(b), (long)(c), (long)(d), (long)(e), (long)(f))

/*
 * Seven arguments: the seventh on the stack above a return-address slot
 * (syscall.c copies it from rsp + 8), as libc's stubs leave it; mmap's
 * offset travels so.
 */
static inline long nbsd_syscall7(long nr, long a, long b, long c, long d, long e, long f, long g)
{
	unsigned long ret;
	unsigned char carry;
	register long r10 __asm__("r10") = d;
	register long r8 __asm__("r8") = e;
	register long r9 __asm__("r9") = f;
	__asm__ volatile("sub $16, %%rsp\n\t"
			 "mov %[g], 8(%%rsp)\n\t"
			 "syscall\n\t"
			 "setc %1\n\t"
			 "add $16, %%rsp"
			 : "=a"(ret), "=r"(carry), "+r"(r10), "+r"(r8), "+r"(r9), "+D"(a), "+S"(b), "+d"(c)
			 : "a"(nr), [g] "r"(g)
			 : "rcx", "r11", "memory", "cc");
	return carry ? -(long)ret : (long)ret;
}

/* NetBSD call numbers (sys/kern/syscalls.master; libc's names). */
enum {
	SYS_exit = 1, SYS_fork = 2, SYS_read = 3, SYS_write = 4, SYS_open = 5, SYS_close = 6,
	SYS_getpid = 20, SYS_getuid = 24, SYS_geteuid = 25, SYS_kill = 37, SYS_getppid = 39,
	SYS_getegid = 43, SYS_getgid = 47, SYS_munmap = 73, SYS_mprotect = 74, SYS_madvise = 75,
	SYS_fcntl = 92, SYS_mmap = 197, SYS___sysctl = 202,
	SYS___sigaltstack14 = 281, SYS___sigprocmask14 = 293, SYS_issetugid = 305,
	SYS_getcontext = 307, SYS_setcontext = 308, SYS__lwp_create = 309, SYS__lwp_exit = 310,
	SYS__lwp_self = 311, SYS__lwp_wait = 312, SYS__lwp_getprivate = 316,
	SYS__lwp_setprivate = 317, SYS__lwp_kill = 318, SYS__lwp_unpark = 321,
	SYS___sigaction_sigtramp = 340, SYS_kqueue = 344, SYS_sched_yield = 350,
	SYS___clock_gettime50 = 427, SYS___nanosleep50 = 430, SYS___kevent50 = 435,
	SYS_pipe2 = 453, SYS_kqueue1 = 455, SYS____lwp_park60 = 478,
};

/* NetBSD errno values (sys/sys/errno.h). */
enum {
	EPERM = 1, ENOENT = 2, ESRCH = 3, EINTR = 4, EIO = 5, ENXIO = 6, E2BIG = 7,
	ENOEXEC = 8, EBADF = 9, ECHILD = 10, EDEADLK = 11, ENOMEM = 12, EACCES = 13,
	EFAULT = 14, EBUSY = 16, EEXIST = 17, EXDEV = 18, ENODEV = 19, ENOTDIR = 20,
	EISDIR = 21, EINVAL = 22, ENFILE = 23, EMFILE = 24, ENOTTY = 25, EFBIG = 27,
	ENOSPC = 28, ESPIPE = 29, EROFS = 30, EMLINK = 31, EPIPE = 32, EDOM = 33,
	ERANGE = 34, EAGAIN = 35, EINPROGRESS = 36, EALREADY = 37, ENOTSOCK = 38,
	ETIMEDOUT = 60, ENAMETOOLONG = 63, ENOTEMPTY = 66, ENOSYS = 78, EFTYPE = 79,
	EOVERFLOW = 84, ENOATTR = 93, EPROTO = 96,
};

/*
 * ucontext_t (sys/sys/ucontext.h, sys/arch/amd64/include/mcontext.h):
 * 784 bytes; uc_flags at 0, uc_link at 8, uc_sigmask at 16, uc_stack at
 * 32, __gregs[26] at 56 (frame_regs.h order), _mc_tlsbase at 264,
 * __fpregs at 272.
 */
#define UCONTEXT_SIZE 784
#define UC_FLAGS 0
#define UC_SIGMASK_AT 16
#define UC_STACK_AT 32
#define UC_REG(i) (56 + 8 * (i))
#define UC_TLSBASE_AT 264
enum {
	REG_RDI = 0, REG_RSI = 1, REG_RDX = 2, REG_RCX = 3, REG_R8 = 4, REG_R9 = 5,
	REG_R10 = 6, REG_R11 = 7, REG_R12 = 8, REG_R13 = 9, REG_R14 = 10, REG_R15 = 11,
	REG_RBP = 12, REG_RBX = 13, REG_RAX = 14, REG_GS = 15, REG_FS = 16, REG_ES = 17,
	REG_DS = 18, REG_TRAPNO = 19, REG_ERR = 20, REG_RIP = 21, REG_CS = 22,
	REG_RFLAGS = 23, REG_RSP = 24, REG_SS = 25,
};
/* uc_flags bits. */
#define _UC_SIGMASK 0x01
#define _UC_STACK 0x02
#define _UC_CPU 0x04
#define _UC_FPU 0x08
#define _UC_SETSTACK 0x10000
#define _UC_CLRSTACK 0x20000
#define _UC_TLSBASE 0x80000

#define UC_U32(uc, at) (*(volatile uint32_t *)((char *)(uc) + (at)))
#define UC_U64(uc, at) (*(volatile uint64_t *)((char *)(uc) + (at)))

/*
 * A signal trampoline of the program's own, as NetBSD wants one
 * (__sigaction_sigtramp's 4th argument, version 2): a handler returns to
 * it, and it calls setcontext with the ucontext the kernel left in r15,
 * as libc's __sigtramp_siginfo_2 does; exit(-1) if that fails.
 */
void nbsd_tramp(void);
__asm__(".text\n.globl nbsd_tramp\nnbsd_tramp:\n"
	"mov %r15, %rdi\n"
	"mov $308, %eax\n"
	"syscall\n"
	"mov $-1, %rdi\n"
	"mov $1, %eax\n"
	"syscall\n"
	"hlt\n");

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

__attribute__((unused)) static void nbsd_memzero(void *p, size_t n)
{
	memset(p, 0, n);
}

/* --- output ---------------------------------------------------------- */

static size_t nbsd_strlen(const char *s)
{
	size_t n = 0;
	while (s[n])
		n++;
	return n;
}

__attribute__((unused)) static int nbsd_streq(const char *a, const char *b)
{
	while (*a && *a == *b)
		a++, b++;
	return *a == *b;
}

static void nbsd_puts(const char *s)
{
	size_t len = nbsd_strlen(s);
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

__attribute__((unused)) static void nbsd_putnum(long v)
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
	nbsd_puts(buf + i);
}

/* --- checks ---------------------------------------------------------- */

static int check_count;
static int check_failures;

__attribute__((unused)) static void check_report(int ok, const char *what, long got, long want, int show, int line)
{
	check_count++;
	if (!ok)
		check_failures++;
	nbsd_puts(ok ? "ok " : "not ok ");
	nbsd_putnum(check_count);
	nbsd_puts(" - ");
	nbsd_puts(what);
	if (!ok && show) {
		nbsd_puts(" (got ");
		nbsd_putnum(got);
		nbsd_puts(", want ");
		nbsd_putnum(want);
		nbsd_puts(")");
	}
	if (!ok) {
		nbsd_puts(" at line ");
		nbsd_putnum(line);
	}
	nbsd_puts("\n");
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
	nbsd_puts("1..");
	nbsd_putnum(check_count);
	nbsd_puts("\n# passed ");
	nbsd_putnum(check_count - check_failures);
	nbsd_puts(" failed ");
	nbsd_putnum(check_failures);
	nbsd_puts("\n");
	return check_failures ? 1 : 0;
}

void nbsd_start(long *argcp, void *ps_strings)
{
	int argc = (int)*argcp;
	char **argv = (char **)(argcp + 1);
	char **envp = argv + argc + 1;
	nbsd_ps_strings = ps_strings;
	sys1(SYS_exit, test_main(argc, argv, envp));
	for (;;)
		;
}

#endif
