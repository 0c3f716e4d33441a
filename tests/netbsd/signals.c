/*
 * NetBSD signal handling through raw calls. NetBSD has no signal
 * trampoline of its own: __sigaction_sigtramp(340) takes the program's
 * (here nbsd_tramp, calling setcontext with r15 as libc's
 * __sigtramp_siginfo_2 does) and its version (2: siginfo). Expected
 * values are NetBSD's: sys/sys/signal.h (numbers, struct sigaction with
 * the mask before the flags, SA_*, stack_t, MINSIGSTKSZ 8192),
 * sys/sys/siginfo.h (si_code at 4, the fault address at 16, SI_LWP -5,
 * SEGV_MAPERR 1), machdep.c sendsig_siginfo (the frame: the trampoline's
 * address at the handler's rsp, siginfo at +8, ucontext at +136, rdi the
 * signal, rsi the siginfo, rdx and r15 the ucontext, rsp 8 mod 16), the
 * ucontext layout of mcontext.h, and sys_sig.c (sigaction1's checks,
 * setcontext).
 */
#include "nbsd.h"

#define SIGKILL 9
#define SIGSEGV 11
#define SIGUSR1 30 /* 10 on Linux */
#define SIGUSR2 31
#define SA_ONSTACK 0x1
#define SA_SIGINFO 0x40
#define SIG_BLOCK 1
#define SIG_UNBLOCK 2
#define SIG_SETMASK 3
#define SS_ONSTACK 1
#define SS_DISABLE 4
#define SI_LWP (-5)
#define SEGV_MAPERR 1
#define T_PAGEFLT 6

struct nbsd_sigaction {
	void *handler;
	uint32_t mask[4];
	int flags;
};

struct nbsd_stack {
	void *sp;
	size_t size;
	int flags;
};

/* Registers at the handler's first instruction, kept by usr1_entry. */
unsigned long entry_r15, entry_rdx, entry_rsi, entry_rsp, entry_ra;
void usr1_entry(void);
void on_usr1(int sig, char *si, char *uc) __attribute__((used));
__asm__(".text\n.globl usr1_entry\nusr1_entry:\n"
	"mov %r15, entry_r15(%rip)\n"
	"mov %rdx, entry_rdx(%rip)\n"
	"mov %rsi, entry_rsi(%rip)\n"
	"mov %rsp, entry_rsp(%rip)\n"
	"mov (%rsp), %rax\n"
	"mov %rax, entry_ra(%rip)\n"
	"jmp on_usr1\n");

static volatile int seen_signo, seen_code, seen_pid, handler_calls, rewrite_rax;
static volatile unsigned int seen_ucflags, seen_mask0, seen_ss_flags;
static volatile long seen_rsp_in_handler;
static volatile unsigned long seen_addr, seen_trap;

void on_usr1(int sig, char *si, char *uc)
{
	long here;
	struct nbsd_stack now;
	handler_calls++;
	seen_signo = sig;
	seen_code = *(int *)(si + 4);
	seen_pid = *(int *)(si + 16);
	seen_ucflags = UC_U32(uc, UC_FLAGS);
	seen_mask0 = UC_U32(uc, UC_SIGMASK_AT);
	seen_rsp_in_handler = (long)&here;
	memset(&now, 0, sizeof now);
	sys2(SYS___sigaltstack14, 0, &now);
	seen_ss_flags = (unsigned int)now.flags;
	/* The interrupted call's result is in the saved rax: change it. */
	if (rewrite_rax)
		UC_U64(uc, UC_REG(REG_RAX)) = 1234;
}

static void on_segv(int sig, char *si, char *uc)
{
	seen_signo = sig;
	seen_code = *(int *)(si + 4);
	seen_addr = *(unsigned long *)(si + 16);
	seen_trap = (unsigned long)*(int *)(si + 24);
	/* Step over the 2-byte `movb (%rdi), %al` that faulted. */
	UC_U64(uc, UC_REG(REG_RIP)) += 2;
}

static long sigaction_tramp(int sig, void *handler, int flags, void *tramp, int vers)
{
	struct nbsd_sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.handler = handler;
	sa.flags = flags;
	return sys5(SYS___sigaction_sigtramp, sig, &sa, 0, tramp, vers);
}

static int install(int sig, void *handler, int flags)
{
	return (int)sigaction_tramp(sig, handler, flags, (void *)nbsd_tramp, 2);
}

static char altstack[65536] __attribute__((aligned(16)));
static char uc_buf[UCONTEXT_SIZE] __attribute__((aligned(16)));
static volatile int resumed;

int test_main(int argc, char **argv, char **envp)
{
	(void)argc, (void)argv, (void)envp;
	struct nbsd_sigaction old;
	long self = sys0(SYS__lwp_self);

	CHECK_EQ(install(SIGUSR1, usr1_entry, SA_SIGINFO), 0, "__sigaction_sigtramp(SIGUSR1, trampoline, version 2)");
	memset(&old, 0, sizeof old);
	CHECK_EQ(sys5(SYS___sigaction_sigtramp, SIGUSR1, 0, &old, 0, 0), 0, "reading the action back (no new action)");
	CHECK(old.handler == (void *)usr1_entry && old.flags == SA_SIGINFO, "the read-back action is the one set (mask at 8, flags at 24)");
	CHECK_EQ(sigaction_tramp(SIGUSR2, usr1_entry, 0, 0, 2), -EINVAL, "a handler without a trampoline is EINVAL");
	CHECK_EQ(sigaction_tramp(SIGUSR2, usr1_entry, 0, (void *)nbsd_tramp, 4), -EINVAL, "trampoline version 4 is EINVAL");
	CHECK_EQ(sigaction_tramp(SIGUSR2, usr1_entry, 0x100, (void *)nbsd_tramp, 2), -EINVAL, "flags outside SA_ALLBITS are EINVAL");
	CHECK_EQ(sigaction_tramp(SIGUSR2, (void *)1, 0, 0, 0), 0, "SIG_IGN needs no trampoline");
	CHECK_EQ(sigaction_tramp(SIGUSR2, (void *)0, 0, 0, 0), 0, "SIG_DFL needs no trampoline");
	CHECK_EQ(sys5(SYS___sigaction_sigtramp, 0, 0, &old, 0, 0), -EINVAL, "signal 0 is EINVAL");
	CHECK_EQ(sys5(SYS___sigaction_sigtramp, 64, 0, &old, 0, 0), -EINVAL, "signal 64 (NSIG) is EINVAL");
	CHECK_EQ(sigaction_tramp(SIGKILL, (void *)0, 0, 0, 0), -EINVAL, "SIGKILL's action cannot change");

	rewrite_rax = 1;
	long r = sys2(SYS__lwp_kill, self, SIGUSR1);
	rewrite_rax = 0;
	CHECK_EQ(handler_calls, 1, "_lwp_kill(self, SIGUSR1) ran the handler once");
	CHECK_EQ(seen_signo, SIGUSR1, "the handler got NetBSD's SIGUSR1 (30) in rdi");
	CHECK_EQ(seen_code, SI_LWP, "si_code (at 4) is SI_LWP (-5) for _lwp_kill");
	CHECK_EQ(seen_pid, sys0(SYS_getpid), "si_pid (at 16) is the sender");
	CHECK_EQ(entry_r15, entry_rdx, "r15 holds the ucontext, as rdx does");
	CHECK_EQ(entry_rdx - entry_rsi, 128, "the siginfo (128 bytes) is just below the ucontext");
	CHECK_EQ(entry_rsi - entry_rsp, 8, "the siginfo is 8 above the handler's stack pointer");
	CHECK_EQ(entry_rsp % 16, 8, "the handler starts with rsp 8 mod 16, as if called");
	CHECK_EQ(entry_ra, (unsigned long)nbsd_tramp, "the handler returns to the registered trampoline");
	CHECK((seen_ucflags & (_UC_CPU | _UC_SIGMASK | _UC_FPU | _UC_TLSBASE)) == (_UC_CPU | _UC_SIGMASK | _UC_FPU | _UC_TLSBASE),
	      "uc_flags has _UC_CPU, _UC_SIGMASK, _UC_FPU and _UC_TLSBASE");
	CHECK(seen_ucflags & _UC_CLRSTACK, "uc_flags has _UC_CLRSTACK when not on the alternate stack");
	CHECK_EQ(r, 1234, "the rax a handler writes into the ucontext (_REG_RAX at 168) is what the call returns");
	CHECK((seen_mask0 & (1u << (SIGUSR1 - 1))) == 0, "the saved mask is the mask before delivery");

	/* While the handler ran SIGUSR1 was blocked; after setcontext it is not. */
	uint32_t mask[4] = {0, 0, 0, 0};
	CHECK_EQ(sys3(SYS___sigprocmask14, SIG_BLOCK, 0, mask), 0, "__sigprocmask14 query");
	CHECK((mask[0] & (1u << (SIGUSR1 - 1))) == 0, "setcontext restored the mask");

	/* Blocked, the signal waits in the pending set. */
	uint32_t block[4] = {1u << (SIGUSR1 - 1), 0, 0, 0};
	CHECK_EQ(sys3(SYS___sigprocmask14, SIG_BLOCK, block, 0), 0, "block SIGUSR1");
	handler_calls = 0;
	sys2(SYS__lwp_kill, self, SIGUSR1);
	CHECK_EQ(handler_calls, 0, "a blocked signal is not delivered");
	uint32_t pending[4] = {0, 0, 0, 0};
	CHECK_EQ(sys1(292 /* __sigpending14 */, pending), 0, "__sigpending14");
	CHECK(pending[0] & (1u << (SIGUSR1 - 1)), "SIGUSR1 is pending, at NetBSD's bit 29");
	CHECK_EQ(sys3(SYS___sigprocmask14, SIG_UNBLOCK, block, 0), 0, "unblock SIGUSR1");
	CHECK_EQ(handler_calls, 1, "unblocking delivers it");
	CHECK_EQ(sys3(SYS___sigprocmask14, 7, block, 0), -EINVAL, "an unknown `how` is EINVAL");

	/* A fault: the handler sees the address and steps over the load. */
	CHECK_EQ(install(SIGSEGV, on_segv, SA_SIGINFO), 0, "__sigaction_sigtramp(SIGSEGV)");
	seen_signo = 0;
	__asm__ volatile("movb (%%rdi), %%al" : : "D"(0x18L) : "rax", "memory");
	CHECK_EQ(seen_signo, SIGSEGV, "a load from 0x18 raised SIGSEGV (11)");
	CHECK_EQ(seen_code, SEGV_MAPERR, "si_code SEGV_MAPERR (1)");
	CHECK_EQ(seen_addr, 0x18, "the fault address (at 16) is 0x18");
	CHECK_EQ(seen_trap, T_PAGEFLT, "_trap (at 24) is T_PAGEFLT (6)");

	/* The alternate stack. */
	struct nbsd_stack ss = {altstack, 4096, 0};
	CHECK_EQ(sys2(SYS___sigaltstack14, &ss, 0), -ENOMEM, "an alternate stack below MINSIGSTKSZ (8192) is ENOMEM");
	ss.flags = 2;
	CHECK_EQ(sys2(SYS___sigaltstack14, &ss, 0), -EINVAL, "unknown ss_flags are EINVAL");
	ss.size = sizeof altstack;
	ss.flags = 0;
	CHECK_EQ(sys2(SYS___sigaltstack14, &ss, 0), 0, "__sigaltstack14");
	struct nbsd_stack back;
	memset(&back, 0, sizeof back);
	CHECK_EQ(sys2(SYS___sigaltstack14, 0, &back), 0, "__sigaltstack14 query");
	CHECK(back.sp == altstack && back.size == sizeof altstack && back.flags == 0, "the stack reads back (ss_flags at 16)");
	CHECK_EQ(install(SIGUSR2, usr1_entry, SA_SIGINFO | SA_ONSTACK), 0, "__sigaction_sigtramp(SIGUSR2, SA_ONSTACK)");
	sys2(SYS__lwp_kill, self, SIGUSR2);
	CHECK(seen_rsp_in_handler >= (long)altstack && seen_rsp_in_handler < (long)altstack + (long)sizeof altstack,
	      "an SA_ONSTACK handler runs on the alternate stack");
	CHECK_EQ(seen_ss_flags, SS_ONSTACK, "inside it, __sigaltstack14 reports SS_ONSTACK");
	CHECK_EQ(seen_signo, SIGUSR2, "SIGUSR2 is 31");

	/* getcontext and setcontext: back to where getcontext returned. */
	long got = sys1(SYS_getcontext, uc_buf);
	resumed++;
	if (resumed == 1) {
		CHECK_EQ(got, 0, "getcontext");
		unsigned int f = UC_U32(uc_buf, UC_FLAGS);
		CHECK((f & (_UC_CPU | _UC_SIGMASK | _UC_STACK | _UC_FPU | _UC_TLSBASE)) ==
			      (_UC_CPU | _UC_SIGMASK | _UC_STACK | _UC_FPU | _UC_TLSBASE),
		      "getcontext's uc_flags: _UC_CPU, _UC_SIGMASK, _UC_STACK, _UC_FPU, _UC_TLSBASE");
		CHECK(UC_U64(uc_buf, UC_REG(REG_RSP)) != 0 && UC_U64(uc_buf, UC_REG(REG_RIP)) != 0, "getcontext records rip (at 224) and rsp (at 248)");
		/* The resumed getcontext returns 0: its saved result register and carry. */
		UC_U64(uc_buf, UC_REG(REG_RAX)) = 0;
		UC_U64(uc_buf, UC_REG(REG_RFLAGS)) &= ~1UL;
		sys1(SYS_setcontext, uc_buf);
		CHECK(0, "setcontext returned");
	}
	CHECK_EQ(resumed, 2, "setcontext resumed after getcontext");
	char bad[UCONTEXT_SIZE];
	memset(bad, 0, sizeof bad);
	CHECK_EQ(sys1(SYS_setcontext, bad), -EINVAL, "setcontext without _UC_CPU is EINVAL");

	CHECK_EQ(sys2(SYS__lwp_kill, 999999, SIGUSR1), -ESRCH, "_lwp_kill of no LWP is ESRCH");
	CHECK_EQ(sys2(SYS__lwp_kill, self, 64), -EINVAL, "_lwp_kill of signal 64 (NSIG) is EINVAL");
	CHECK_EQ(sys2(SYS__lwp_kill, self, 0), 0, "_lwp_kill with signal 0 checks only");
	return check_done();
}
