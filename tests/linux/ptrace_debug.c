/*
 * ptrace_debug.c - what a debugger (gdb) relies on beyond ptrace.c: the
 * siginfo codes that tell a breakpoint from a single step, Linux's segment
 * selectors in the registers, the debug registers in `struct user` (as
 * PEEKUSER/POKEUSER check and report them), hardware watchpoints and
 * instruction breakpoints, PTRACE_EVENT_VFORK_DONE, GETSIGMASK/SETSIGMASK,
 * the NT_X86_XSTATE register set,
 * and the auxiliary vector in /proc/<pid>/auxv.
 * Also the MOV SS case of CVE-2018-8897: a watchpoint met by `mov ss`
 * followed by int3 or syscall must not hurt the kernel.
 */
#include "check.h"
#include <elf.h>
#include <fcntl.h>
#include <signal.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/auxv.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/user.h>
#include <sys/wait.h>

#ifndef TRAP_TRACE
#define TRAP_TRACE 2
#endif
#ifndef TRAP_HWBKPT
#define TRAP_HWBKPT 4
#endif
#ifndef NT_X86_XSTATE
#define NT_X86_XSTATE 0x202
#endif
#ifndef SI_KERNEL
#define SI_KERNEL 0x80
#endif

#define DR(n) (offsetof(struct user, u_debugreg) + 8 * (n))
#define KERNEL_ADDRESS 0xffff800000000000UL

static long pt(long req, pid_t pid, unsigned long addr, unsigned long data)
{
	return syscall(SYS_ptrace, req, pid, addr, data);
}

/* PEEKUSER/PEEKDATA through the raw call: the word is stored at `data`. */
static long peek(long req, pid_t pid, unsigned long addr)
{
	long word = -1;
	if (pt(req, pid, addr, (unsigned long)&word) != 0)
		return -1;
	return word;
}

static int wait_for(pid_t pid)
{
	int status = -1;
	if (waitpid(pid, &status, __WALL) != pid)
		return -1;
	return status;
}

static int stop_sig(int status)
{
	return WIFSTOPPED(status) ? WSTOPSIG(status) : -1;
}

static int siginfo_code(pid_t pid, unsigned long *addr)
{
	siginfo_t si;
	memset(&si, 0, sizeof si);
	if (pt(PTRACE_GETSIGINFO, pid, 0, (unsigned long)&si) != 0)
		return -1;
	if (addr)
		*addr = (unsigned long)si.si_addr;
	return si.si_code;
}

static unsigned long rip_of(pid_t pid)
{
	struct user_regs_struct r;
	if (pt(PTRACE_GETREGS, pid, 0, (unsigned long)&r) != 0)
		return 0;
	return r.rip;
}

static pid_t traced_child(void (*body)(void))
{
	pid_t pid = fork();
	if (pid == 0) {
		if (pt(PTRACE_TRACEME, 0, 0, 0) != 0)
			_exit(100);
		raise(SIGSTOP);
		body();
		_exit(0);
	}
	return pid;
}

static volatile int watched;
static volatile unsigned short watched_selector;

__attribute__((noinline)) int instruction_target(int x)
{
	__asm__ volatile("" ::: "memory");
	return x + 1;
}

static void body_int3_twice(void)
{
	__asm__ volatile("int3");
	__asm__ volatile("int3");
	_exit(21);
}

static void test_trap_codes(void)
{
	pid_t pid = traced_child(body_int3_twice);
	int st = wait_for(pid);
	CHECK_EQ(stop_sig(st), SIGSTOP, "codes: initial stop");
	struct user_regs_struct r;
	CHECK_EQ(pt(PTRACE_GETREGS, pid, 0, (unsigned long)&r), 0, "codes: GETREGS");
	CHECK_EQ(r.cs, 0x33, "codes: CS is Linux's 64-bit user code selector (gdb decides 64-bit from it)");
	CHECK_EQ(r.ss, 0x2b, "codes: SS is Linux's user data selector");
	CHECK_EQ(peek(PTRACE_PEEKUSER, pid, offsetof(struct user_regs_struct, cs)), 0x33, "codes: PEEKUSER of cs agrees");
	CHECK_EQ(pt(PTRACE_CONT, pid, 0, 0), 0, "codes: continue to the int3");
	st = wait_for(pid);
	CHECK_EQ(stop_sig(st), SIGTRAP, "codes: int3 stops the tracee with SIGTRAP");
	unsigned long addr = 1;
	CHECK_EQ(siginfo_code(pid, &addr), SI_KERNEL, "codes: an int3's si_code is SI_KERNEL, as gdb expects of a breakpoint");
	CHECK_EQ(addr, 0, "codes: ... with no address");
	unsigned long after = rip_of(pid);
	CHECK_EQ(pt(PTRACE_SINGLESTEP, pid, 0, 0), 0, "codes: SINGLESTEP over the second int3");
	st = wait_for(pid);
	CHECK_EQ(stop_sig(st), SIGTRAP, "codes: the step ends in SIGTRAP");
	unsigned long rip = rip_of(pid);
	int code = siginfo_code(pid, &addr);
	/* Stepping onto an int3 runs it: Linux reports the int3 (SI_KERNEL) or
	 * the step (TRAP_TRACE), as the CPU delivers them. */
	CHECK(code == SI_KERNEL || code == TRAP_TRACE, "codes: stepping an int3 reports it or the step (code %d)", code);
	CHECK_EQ(rip, after + 1, "codes: rip is past the second int3");
	CHECK_EQ(pt(PTRACE_SINGLESTEP, pid, 0, 0), 0, "codes: SINGLESTEP once more");
	st = wait_for(pid);
	CHECK_EQ(stop_sig(st), SIGTRAP, "codes: that step ends in SIGTRAP too");
	CHECK_EQ(siginfo_code(pid, &addr), TRAP_TRACE, "codes: a single step's si_code is TRAP_TRACE");
	CHECK_EQ(addr, rip_of(pid), "codes: ... its address is the new rip");
	long dr6 = peek(PTRACE_PEEKUSER, pid, DR(6));
	CHECK_EQ(dr6, 0xffff4ff0L, "codes: DR6 reads the single-step bit (with the reserved bits set)");
	CHECK_EQ(pt(PTRACE_CONT, pid, 0, 0), 0, "codes: continue to the end");
	st = wait_for(pid);
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 21, "codes: the child ran to its end (status %#x)", st);
}

static void body_stop_again(void)
{
	raise(SIGSTOP);
}

static void test_debug_registers(void)
{
	pid_t pid = traced_child(body_stop_again);
	int st = wait_for(pid);
	CHECK_EQ(stop_sig(st), SIGSTOP, "registers: initial stop");
	for (int n = 0; n < 8; n++) {
		long want = n == 6 ? 0xffff0ff0L : 0;
		CHECK_EQ(peek(PTRACE_PEEKUSER, pid, DR(n)), want, "registers: a fresh tracee's DR%d", n);
	}
	CHECK_ERR(pt(PTRACE_POKEUSER, pid, DR(4), 0), EIO, "registers: DR4 does not exist");
	CHECK_ERR(pt(PTRACE_POKEUSER, pid, DR(5), 1), EIO, "registers: nor DR5");
	CHECK_EQ(pt(PTRACE_POKEUSER, pid, DR(0), 1), 0, "registers: DR0 = 1");
	CHECK_EQ(pt(PTRACE_POKEUSER, pid, DR(7), 1), 0, "registers: DR7 enables it (an instruction breakpoint)");
	CHECK_ERR(pt(PTRACE_POKEUSER, pid, DR(0), KERNEL_ADDRESS), EINVAL, "registers: a kernel address in DR0 (LTP ptrace08)");
	CHECK_ERR(pt(PTRACE_POKEUSER, pid, DR(0), 0x7ffffffff000UL), EINVAL, "registers: the first address past user space");
	CHECK_EQ(pt(PTRACE_POKEUSER, pid, DR(0), 2), 0, "registers: DR0 = 2 while enabled");
	CHECK_EQ(peek(PTRACE_PEEKUSER, pid, DR(0)), 2, "registers: DR0 reads 2 (LTP ptrace10)");
	CHECK_EQ(pt(PTRACE_POKEUSER, pid, DR(1), 3), 0, "registers: DR1 = 3");
	CHECK_ERR(pt(PTRACE_POKEUSER, pid, DR(7), (3UL << 20) | (3UL << 22) | 4), EINVAL, "registers: a 4-byte watchpoint at an odd address");
	CHECK_ERR(pt(PTRACE_POKEUSER, pid, DR(7), (2UL << 20) | 4), EINVAL, "registers: an I/O breakpoint");
	CHECK_ERR(pt(PTRACE_POKEUSER, pid, DR(7), (3UL << 22) | 4), EINVAL, "registers: an instruction breakpoint longer than a byte");
	CHECK_EQ(peek(PTRACE_PEEKUSER, pid, DR(7)), 1, "registers: DR7 unchanged by the refused writes");
	CHECK_EQ(pt(PTRACE_POKEUSER, pid, DR(7), 0x2300), 0, "registers: DR7's other bits are taken");
	CHECK_EQ(peek(PTRACE_PEEKUSER, pid, DR(7)), 0x2300, "registers: ... and read back");
	CHECK_EQ(pt(PTRACE_POKEUSER, pid, DR(6), 0), 0, "registers: DR6 = 0");
	CHECK_EQ(peek(PTRACE_PEEKUSER, pid, DR(6)), 0, "registers: ... reads back 0");
	CHECK_EQ(pt(PTRACE_POKEUSER, pid, DR(7), 0), 0, "registers: DR7 = 0");
	CHECK_EQ(pt(PTRACE_CONT, pid, 0, 0), 0, "registers: continue");
	st = wait_for(pid);
	CHECK_EQ(stop_sig(st), SIGSTOP, "registers: nothing armed stopped it before its own SIGSTOP");
	CHECK_EQ(pt(PTRACE_CONT, pid, 0, 0), 0, "registers: continue to the end");
	st = wait_for(pid);
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0, "registers: the child ran to its end (status %#x)", st);
}

static void body_watched(void)
{
	int fds[2];
	if (pipe(fds) != 0)
		_exit(30);
	/* The kernel reading the watched word is not the tracee's access. */
	if (write(fds[1], (const void *)&watched, sizeof watched) != sizeof watched)
		_exit(31);
	watched = 5;
	if (instruction_target(watched) != 6)
		_exit(32);
	if (instruction_target(1) != 2)
		_exit(33);
	_exit(22);
}

static void test_hardware_breakpoints(void)
{
	pid_t pid = traced_child(body_watched);
	int st = wait_for(pid);
	CHECK_EQ(stop_sig(st), SIGSTOP, "hardware: initial stop");
	CHECK_EQ(pt(PTRACE_POKEUSER, pid, DR(0), (unsigned long)&watched), 0, "hardware: DR0 = &watched");
	CHECK_EQ(pt(PTRACE_POKEUSER, pid, DR(1), (unsigned long)instruction_target), 0, "hardware: DR1 = instruction_target");
	/* Slot 0: write, 4 bytes; slot 1 (enabled later): execute. */
	CHECK_EQ(pt(PTRACE_POKEUSER, pid, DR(7), 1 | (1UL << 16) | (3UL << 18)), 0, "hardware: DR7 arms a 4-byte write watchpoint");
	CHECK_EQ(pt(PTRACE_CONT, pid, 0, 0), 0, "hardware: continue");
	st = wait_for(pid);
	CHECK_EQ(stop_sig(st), SIGTRAP, "hardware: the write to the watched word stops the tracee (the kernel's read of it did not)");
	unsigned long addr = 0;
	CHECK_EQ(siginfo_code(pid, &addr), TRAP_HWBKPT, "hardware: si_code TRAP_HWBKPT");
	CHECK_EQ(addr, rip_of(pid), "hardware: si_addr is the rip after the write");
	long word = peek(PTRACE_PEEKDATA, pid, (unsigned long)&watched);
	CHECK_EQ(word & 0xffffffff, 5, "hardware: the write happened before the stop");
	CHECK_EQ(peek(PTRACE_PEEKUSER, pid, DR(6)), 0xffff0ff1L, "hardware: DR6 names slot 0");
	CHECK_EQ(pt(PTRACE_POKEUSER, pid, DR(7), 1 | (1UL << 16) | (3UL << 18) | 4), 0, "hardware: DR7 arms the instruction breakpoint too");
	CHECK_EQ(pt(PTRACE_CONT, pid, 0, 0), 0, "hardware: continue");
	st = wait_for(pid);
	CHECK_EQ(stop_sig(st), SIGTRAP, "hardware: calling the function stops the tracee");
	CHECK_EQ(siginfo_code(pid, &addr), TRAP_HWBKPT, "hardware: si_code TRAP_HWBKPT");
	CHECK_EQ(rip_of(pid), (unsigned long)instruction_target, "hardware: before the function's first instruction");
	CHECK_EQ(peek(PTRACE_PEEKUSER, pid, DR(6)), 0xffff0ff2L, "hardware: DR6 names slot 1");
	CHECK_EQ(pt(PTRACE_CONT, pid, 0, 0), 0, "hardware: continue (the instruction runs, RF)");
	st = wait_for(pid);
	CHECK_EQ(stop_sig(st), SIGTRAP, "hardware: the second call stops again");
	CHECK_EQ(rip_of(pid), (unsigned long)instruction_target, "hardware: ... at the function");
	CHECK_EQ(pt(PTRACE_POKEUSER, pid, DR(7), 0), 0, "hardware: DR7 = 0 disarms both");
	CHECK_EQ(pt(PTRACE_CONT, pid, 0, 0), 0, "hardware: continue to the end");
	st = wait_for(pid);
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 22, "hardware: the child ran to its end (status %#x)", st);
}

/* MOV SS defers the watchpoint's #DB past the next instruction, into the
 * kernel's entry (CVE-2018-8897); LTP's ptrace09 does the int3 case. */
static void body_mov_ss(void)
{
	__asm__ volatile("mov %%ss, %0\n\tmov %0, %%ss\n\tint3" : "+m"(watched_selector));
	long nr = SYS_getpid, ret;
	__asm__ volatile("mov %%ss, %1\n\tmov %1, %%ss\n\tsyscall" : "=a"(ret), "+m"(watched_selector) : "a"(nr) : "rcx", "r11", "memory");
	_exit(ret == getpid() ? 23 : 24);
}

static void test_mov_ss(void)
{
	pid_t pid = traced_child(body_mov_ss);
	int st = wait_for(pid);
	CHECK_EQ(stop_sig(st), SIGSTOP, "mov ss: initial stop");
	CHECK_EQ(pt(PTRACE_POKEUSER, pid, DR(0), (unsigned long)&watched_selector), 0, "mov ss: DR0 = the selector's word");
	CHECK_EQ(pt(PTRACE_POKEUSER, pid, DR(7), 1 | (3UL << 16) | (1UL << 18)), 0, "mov ss: DR7 arms a 2-byte read/write watchpoint");
	/* How many stops come depends on the CPU: real hardware delivers the
	 * #DB in the kernel, which ignores it; an emulator may deliver it
	 * right after the `mov ss`, in user mode. Only the end is checked. */
	int stops = 0, failed_continues = 0;
	for (;;) {
		failed_continues += pt(PTRACE_CONT, pid, 0, 0) != 0;
		st = wait_for(pid);
		if (!WIFSTOPPED(st) || ++stops > 10)
			break;
	}
	CHECK_EQ(failed_continues, 0, "mov ss: every PTRACE_CONT worked");
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 23, "mov ss: the child ran to its end, its getpid right, after %d trap stops (status %#x)", stops, st);
}

static void body_vfork(void)
{
	pid_t child = vfork();
	if (child == 0)
		_exit(4);
	int st;
	_exit(waitpid(child, &st, 0) == child && WIFEXITED(st) && WEXITSTATUS(st) == 4 ? 25 : 26);
}

/* gdb asks for PTRACE_O_TRACEVFORKDONE: the parent stops again once its
 * vfork child has let it go. */
static void test_vfork_done(void)
{
	pid_t pid = traced_child(body_vfork);
	int st = wait_for(pid);
	CHECK_EQ(stop_sig(st), SIGSTOP, "vfork: initial stop");
	CHECK_EQ(pt(PTRACE_SETOPTIONS, pid, 0, PTRACE_O_TRACEVFORK | PTRACE_O_TRACEVFORKDONE), 0, "vfork: SETOPTIONS TRACEVFORK|TRACEVFORKDONE");
	CHECK_EQ(pt(PTRACE_CONT, pid, 0, 0), 0, "vfork: continue");
	st = wait_for(pid);
	CHECK_EQ(st >> 8, SIGTRAP | (PTRACE_EVENT_VFORK << 8), "vfork: a PTRACE_EVENT_VFORK stop");
	unsigned long child = 0;
	CHECK_EQ(pt(PTRACE_GETEVENTMSG, pid, 0, (unsigned long)&child), 0, "vfork: GETEVENTMSG");
	st = wait_for((pid_t)child);
	CHECK_EQ(stop_sig(st), SIGSTOP, "vfork: the child starts traced and stopped");
	CHECK_EQ(pt(PTRACE_CONT, (pid_t)child, 0, 0), 0, "vfork: let the child run to its exit");
	CHECK_EQ(pt(PTRACE_CONT, pid, 0, 0), 0, "vfork: continue the parent");
	st = wait_for(pid);
	CHECK_EQ(st >> 8, SIGTRAP | (PTRACE_EVENT_VFORK_DONE << 8), "vfork: then a PTRACE_EVENT_VFORK_DONE stop");
	unsigned long done = 0;
	CHECK_EQ(pt(PTRACE_GETEVENTMSG, pid, 0, (unsigned long)&done), 0, "vfork: GETEVENTMSG");
	CHECK_EQ(done, child, "vfork: ... names the child");
	st = wait_for((pid_t)child);
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 4, "vfork: the tracer sees the child's exit (status %#x)", st);
	/* Its SIGCHLD stops it on the way (passed on). */
	int sig = 0;
	for (int i = 0; i < 10; i++) {
		pt(PTRACE_CONT, pid, 0, sig);
		st = wait_for(pid);
		if (!WIFSTOPPED(st))
			break;
		sig = WSTOPSIG(st);
	}
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 25, "vfork: the parent reaped its child and ended (status %#x)", st);
}

static void body_sigmask(void)
{
	sigset_t block, now;
	sigemptyset(&block);
	sigaddset(&block, SIGUSR1);
	sigprocmask(SIG_SETMASK, &block, NULL);
	/* Not raise(): musl's blocks every signal around its kill. */
	syscall(SYS_kill, getpid(), SIGSTOP);
	sigprocmask(SIG_BLOCK, NULL, &now);
	_exit(sigismember(&now, SIGUSR2) && !sigismember(&now, SIGUSR1) ? 26 : 27);
}

static void test_sigmask(void)
{
	pid_t pid = traced_child(body_sigmask);
	int st = wait_for(pid);
	CHECK_EQ(stop_sig(st), SIGSTOP, "sigmask: initial stop");
	CHECK_EQ(pt(PTRACE_CONT, pid, 0, 0), 0, "sigmask: continue");
	st = wait_for(pid);
	CHECK_EQ(stop_sig(st), SIGSTOP, "sigmask: stopped again, having blocked SIGUSR1");
	uint64_t mask = 0;
	CHECK_ERR(pt(PTRACE_GETSIGMASK, pid, 4, (unsigned long)&mask), EINVAL, "sigmask: GETSIGMASK with a size other than 8");
	CHECK_EQ(pt(PTRACE_GETSIGMASK, pid, 8, (unsigned long)&mask), 0, "sigmask: GETSIGMASK");
	CHECK_EQ(mask, 1UL << (SIGUSR1 - 1), "sigmask: the tracee blocks SIGUSR1");
	mask = (1UL << (SIGUSR2 - 1)) | (1UL << (SIGKILL - 1)) | (1UL << (SIGSTOP - 1));
	CHECK_EQ(pt(PTRACE_SETSIGMASK, pid, 8, (unsigned long)&mask), 0, "sigmask: SETSIGMASK SIGUSR2, SIGKILL, SIGSTOP");
	mask = 0;
	CHECK_EQ(pt(PTRACE_GETSIGMASK, pid, 8, (unsigned long)&mask), 0, "sigmask: GETSIGMASK again");
	CHECK_EQ(mask, 1UL << (SIGUSR2 - 1), "sigmask: SIGUSR2 only: SIGKILL and SIGSTOP cannot be blocked");
	CHECK_EQ(pt(PTRACE_CONT, pid, 0, 0), 0, "sigmask: continue (the SIGSTOP suppressed)");
	st = wait_for(pid);
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 26, "sigmask: the tracee runs with the mask its tracer set (status %#x)", st);
}

/* gdb reads the XSAVE layout (and XCR0 from its software bytes) through
 * NT_X86_XSTATE; LTP's ptrace07 sets reserved header bits. */
static void test_xstate(void)
{
	pid_t pid = traced_child(body_stop_again);
	int st = wait_for(pid);
	CHECK_EQ(stop_sig(st), SIGSTOP, "xstate: initial stop");
	static uint8_t area[8192] __attribute__((aligned(64)));
	struct iovec iov = {area, sizeof area};
	CHECK_EQ(pt(PTRACE_GETREGSET, pid, NT_X86_XSTATE, (unsigned long)&iov), 0, "xstate: GETREGSET NT_X86_XSTATE");
	CHECK(iov.iov_len >= 576 && iov.iov_len < sizeof area, "xstate: at least the legacy area and the header (%zu bytes)", iov.iov_len);
	uint64_t xcr0, present, compacted;
	memcpy(&xcr0, area + 464, 8);
	memcpy(&present, area + 512, 8);
	memcpy(&compacted, area + 520, 8);
	CHECK_EQ(xcr0 & 3, 3, "xstate: XCR0 at byte 464 (where gdb reads it) names x87 and SSE");
	CHECK_EQ(present & ~xcr0, 0, "xstate: the header marks only components XCR0 has");
	CHECK_EQ(compacted, 0, "xstate: the standard form");
	uint16_t fcw;
	memcpy(&fcw, area, 2);
	CHECK_EQ(fcw, 0x37f, "xstate: the x87 control word");
	size_t whole = iov.iov_len;
	CHECK_EQ(pt(PTRACE_SETREGSET, pid, NT_X86_XSTATE, (unsigned long)&iov), 0, "xstate: SETREGSET of what GETREGSET gave");
	memset(area + 520, 0xff, 8);
	CHECK_ERR(pt(PTRACE_SETREGSET, pid, NT_X86_XSTATE, (unsigned long)&iov), EINVAL, "xstate: reserved xcomp_bv bits are EINVAL");
	memset(area + 520, 0, 8);
	iov.iov_len = 512;
	CHECK_ERR(pt(PTRACE_SETREGSET, pid, NT_X86_XSTATE, (unsigned long)&iov), EFAULT, "xstate: SETREGSET takes only the whole area");
	iov.iov_len = whole;
	CHECK_EQ(pt(PTRACE_CONT, pid, 0, 0), 0, "xstate: continue");
	st = wait_for(pid);
	CHECK_EQ(stop_sig(st), SIGSTOP, "xstate: its own SIGSTOP");
	CHECK_EQ(pt(PTRACE_CONT, pid, 0, 0), 0, "xstate: continue to the end");
	st = wait_for(pid);
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0, "xstate: the child ran to its end (status %#x)", st);
}

static void test_auxv(void)
{
	int fd = open("/proc/self/auxv", O_RDONLY);
	CHECK(fd >= 0, "auxv: /proc/self/auxv opens");
	Elf64_auxv_t v[64];
	ssize_t n = fd >= 0 ? read(fd, v, sizeof v) : -1;
	if (fd >= 0)
		close(fd);
	CHECK(n > 0 && n % sizeof v[0] == 0, "auxv: whole (type, value) pairs (%zd bytes)", n);
	int count = n > 0 ? (int)(n / sizeof v[0]) : 0;
	unsigned long entry = 0, pagesz = 0;
	for (int i = 0; i < count; i++) {
		if (v[i].a_type == AT_ENTRY)
			entry = v[i].a_un.a_val;
		if (v[i].a_type == AT_PAGESZ)
			pagesz = v[i].a_un.a_val;
	}
	CHECK(count > 0 && v[count - 1].a_type == AT_NULL, "auxv: AT_NULL ends it");
	CHECK_EQ(entry, getauxval(AT_ENTRY), "auxv: AT_ENTRY is the one the program was given");
	CHECK_EQ(pagesz, 4096, "auxv: AT_PAGESZ");
}

int main(void)
{
	test_trap_codes();
	test_debug_registers();
	test_hardware_breakpoints();
	test_mov_ss();
	test_vfork_done();
	test_sigmask();
	test_xstate();
	test_auxv();
	return check_done();
}
