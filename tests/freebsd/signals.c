/*
 * FreeBSD signal handling through raw calls: sigaction's struct (flags
 * before the mask, no restorer), the frame a handler gets (signal number
 * in rdi, siginfo in rsi, ucontext in rdx; mcontext offsets as
 * sys/x86/include/ucontext.h), the kernel's trampoline calling sigreturn,
 * changes a handler makes to the ucontext taking effect, a fault handled
 * and stepped over, the alternate stack, and the mask and pending set.
 */
#include "bsd.h"

#define SIGSEGV 11
#define SIGUSR1 30 /* 10 on Linux */
#define SIGUSR2 31
#define SA_ONSTACK 0x1
#define SA_SIGINFO 0x40
#define SIG_BLOCK 1
#define SIG_UNBLOCK 2
#define SIG_SETMASK 3
#define SI_LWP 0x10007
#define SEGV_MAPERR 1

struct bsd_sigaction {
	void *handler;
	int flags;
	uint32_t mask[4];
};

struct bsd_stack {
	void *sp;
	size_t size;
	int flags;
};

/* Offsets in ucontext_t (sys/sys/_ucontext.h, x86 mcontext at 16). */
#define UC_RAX (16 + 56)
#define UC_RIP (16 + 160)
#define UC_RSP (16 + 184)
#define UC_LEN (16 + 200)
#define UC_SIGMASK 0

/* siginfo_t: signo 0, errno 4, code 8, pid 12, uid 16, status 20, addr 24. */
struct bsd_siginfo {
	int signo, err, code, pid, uid, status;
	void *addr;
	long value;
	long reason[5];
};

static volatile int seen_signo, seen_code, seen_pid, handler_calls, rewrite_rax;
static volatile long seen_len, seen_mask0, seen_rsp_in_handler;
static volatile void *seen_addr;

static long self_id(void)
{
	long id = 0;
	sys1(SYS_thr_self, &id);
	return id;
}

static void on_usr1(int sig, struct bsd_siginfo *si, char *uc)
{
	long here;
	handler_calls++;
	seen_signo = sig;
	seen_code = si->code;
	seen_pid = si->pid;
	seen_len = *(long *)(uc + UC_LEN);
	seen_mask0 = *(uint32_t *)(uc + UC_SIGMASK);
	seen_rsp_in_handler = (long)&here;
	/* The interrupted call's result is in the saved rax: change it. */
	if (rewrite_rax)
		*(long *)(uc + UC_RAX) = 1234;
}

static void on_segv(int sig, struct bsd_siginfo *si, char *uc)
{
	seen_signo = sig;
	seen_code = si->code;
	seen_addr = si->addr;
	/* Step over the 2-byte `movb (%rdi), %al` that faulted. */
	*(long *)(uc + UC_RIP) += 2;
}

static int install(int sig, void *handler, int flags)
{
	struct bsd_sigaction sa;
	bsd_memzero(&sa, sizeof sa);
	sa.handler = handler;
	sa.flags = flags;
	return (int)sys3(SYS_sigaction, sig, &sa, 0);
}

static char altstack[65536];

int test_main(int argc, char **argv, char **envp)
{
	(void)argc, (void)argv, (void)envp;
	struct bsd_sigaction old;

	CHECK_EQ(install(SIGUSR1, on_usr1, SA_SIGINFO), 0, "sigaction(SIGUSR1, SA_SIGINFO)");
	CHECK_EQ(sys3(SYS_sigaction, SIGUSR1, 0, &old), 0, "sigaction reads the action back");
	CHECK(old.handler == (void *)on_usr1 && old.flags == SA_SIGINFO, "the read-back action is the one set");
	CHECK_EQ(sys3(SYS_sigaction, 0, 0, &old), -EINVAL, "sigaction(0) is EINVAL");
	CHECK_EQ(sys3(SYS_sigaction, 9, &old, 0), -EINVAL, "SIGKILL's action cannot change");

	rewrite_rax = 1;
	long r = sys2(SYS_thr_kill, self_id(), SIGUSR1);
	rewrite_rax = 0;
	CHECK_EQ(handler_calls, 1, "thr_kill(self, SIGUSR1) ran the handler once");
	CHECK_EQ(seen_signo, SIGUSR1, "the handler got FreeBSD's SIGUSR1 (30)");
	CHECK_EQ(seen_code, SI_LWP, "si_code is SI_LWP for thr_kill");
	CHECK_EQ(seen_pid, sys0(SYS_getpid), "si_pid is the sender");
	CHECK_EQ(seen_len, 800, "the ucontext's mc_len is 800");
	CHECK_EQ(r, 1234, "rax the handler wrote into the ucontext is what thr_kill returns");
	CHECK((seen_mask0 & (1u << (SIGUSR1 - 1))) == 0, "the saved mask is the mask before delivery");

	/* While the handler ran SIGUSR1 was blocked; after sigreturn it is not. */
	uint32_t mask[4] = {0, 0, 0, 0};
	CHECK_EQ(sys3(SYS_sigprocmask, SIG_BLOCK, 0, mask), 0, "sigprocmask query");
	CHECK((mask[0] & (1u << (SIGUSR1 - 1))) == 0, "sigreturn restored the mask");

	/* Blocked, the signal waits in the pending set. */
	uint32_t block[4] = {1u << (SIGUSR1 - 1), 0, 0, 0};
	CHECK_EQ(sys3(SYS_sigprocmask, SIG_BLOCK, block, 0), 0, "block SIGUSR1");
	handler_calls = 0;
	sys2(SYS_thr_kill, self_id(), SIGUSR1);
	CHECK_EQ(handler_calls, 0, "a blocked signal is not delivered");
	uint32_t pending[4] = {0, 0, 0, 0};
	CHECK_EQ(sys1(SYS_sigpending, pending), 0, "sigpending");
	CHECK(pending[0] & (1u << (SIGUSR1 - 1)), "SIGUSR1 is pending, at FreeBSD's bit 29");
	CHECK_EQ(sys3(SYS_sigprocmask, SIG_UNBLOCK, block, 0), 0, "unblock SIGUSR1");
	CHECK_EQ(handler_calls, 1, "unblocking delivers it");

	/* A fault: the handler sees the address and steps over the load. */
	CHECK_EQ(install(SIGSEGV, on_segv, SA_SIGINFO), 0, "sigaction(SIGSEGV)");
	seen_signo = 0;
	__asm__ volatile("movb (%%rdi), %%al" : : "D"(0x18L) : "rax", "memory");
	CHECK_EQ(seen_signo, SIGSEGV, "a load from 0x18 raised SIGSEGV (11)");
	CHECK_EQ(seen_code, SEGV_MAPERR, "si_code SEGV_MAPERR");
	CHECK_EQ((long)seen_addr, 0x18, "si_addr is the faulting address");

	/* The alternate stack. */
	struct bsd_stack ss = {altstack, sizeof altstack, 0};
	CHECK_EQ(sys2(SYS_sigaltstack, &ss, 0), 0, "sigaltstack");
	CHECK_EQ(install(SIGUSR2, on_usr1, SA_SIGINFO | SA_ONSTACK), 0, "sigaction(SIGUSR2, SA_ONSTACK)");
	sys2(SYS_thr_kill, self_id(), SIGUSR2);
	CHECK(seen_rsp_in_handler >= (long)altstack && seen_rsp_in_handler < (long)altstack + (long)sizeof altstack,
	      "an SA_ONSTACK handler runs on the alternate stack");
	CHECK_EQ(seen_signo, SIGUSR2, "SIGUSR2 is 31");

	CHECK_EQ(sys2(SYS_thr_kill, 12345, SIGUSR1), -ESRCH, "thr_kill of no thread is ESRCH");
	CHECK_EQ(sys2(SYS_thr_kill, self_id(), 200), -EINVAL, "thr_kill of no signal is EINVAL");
	CHECK_EQ(sys2(SYS_thr_kill, self_id(), 0), 0, "thr_kill with signal 0 checks only");
	return check_done();
}
