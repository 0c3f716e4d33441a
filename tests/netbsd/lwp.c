/*
 * NetBSD LWPs through raw calls: _lwp_create starting a new LWP from a
 * ucontext (its registers, stack, mask and _mc_tlsbase), _lwp_self,
 * parking and unparking (___lwp_park60 with its timeout, TIMER_ABSTIME
 * and unpark-first argument; _lwp_unpark before a park makes that park
 * return EALREADY), _lwp_kill of an LWP, _lwp_exit of one LWP while the
 * process goes on. Expected values are NetBSD's: sys/kern/sys_lwp.c
 * (EINVAL without _UC_CPU, ESRCH for no such LWP, ETIMEDOUT 60,
 * EALREADY 37, EINTR), sys/arch/amd64/amd64/machdep.c
 * cpu_mcontext_validate (a program counter outside user space is
 * EINVAL), sys/sys/time.h (CLOCK_MONOTONIC 3, TIMER_ABSTIME 1).
 */
#include "nbsd.h"

#define CLOCK_REALTIME 0
#define CLOCK_MONOTONIC 3
#define TIMER_ABSTIME 1
#define LWP_SUSPENDED 0x80

struct timespec {
	long tv_sec;
	long tv_nsec;
};

static char child_stack[65536] __attribute__((aligned(16)));
static char uc[UCONTEXT_SIZE] __attribute__((aligned(16)));
static volatile long child_arg, child_r12, child_self, child_private, child_park_result = -1;
static volatile int child_started, child_go_park, child_parked_done, main_parked_flag;
static volatile long main_id;

/* The new LWP's first instruction: keeps r12 (set in the ucontext) and
 * goes on in C with rdi as set there. */
unsigned long lwp_entry_r12;
void lwp_entry(void);
void child_main(long arg) __attribute__((used, noreturn));
__asm__(".text\n.globl lwp_entry\nlwp_entry:\n"
	"mov %r12, lwp_entry_r12(%rip)\n"
	"and $-16, %rsp\n"
	"call child_main\n"
	"hlt\n");

static long park(int clock, int flags, struct timespec *ts, long unpark, const volatile void *hint)
{
	return sys6(SYS____lwp_park60, clock, flags, ts, unpark, hint, 0);
}

void child_main(long arg)
{
	child_arg = arg;
	child_r12 = (long)lwp_entry_r12;
	child_self = sys0(SYS__lwp_self);
	child_private = sys0(SYS__lwp_getprivate);
	child_started = 1;
	/* Wake the main LWP, which parks until it sees child_started. */
	sys2(SYS__lwp_unpark, main_id, &main_parked_flag);
	while (!child_go_park)
		sys0(SYS_sched_yield);
	/* Park until the main LWP's park-with-unpark wakes us. */
	child_park_result = park(CLOCK_MONOTONIC, 0, 0, 0, &child_go_park);
	child_parked_done = 1;
	sys0(SYS__lwp_exit);
	for (;;)
		;
}

static char tls_block[64];

/* A second LWP that signals the main one while it parks. */
static char kicker_stack[65536] __attribute__((aligned(16)));
static volatile int kicker_stop, usr1_calls;
void kicker_main(long arg) __attribute__((used, noreturn));
void kicker_entry(void);
__asm__(".text\n.globl kicker_entry\nkicker_entry:\n"
	"and $-16, %rsp\n"
	"call kicker_main\n"
	"hlt\n");

void kicker_main(long arg)
{
	struct timespec t = {0, 50 * 1000 * 1000};
	while (!kicker_stop) {
		sys2(SYS__lwp_kill, arg, 30 /* SIGUSR1 */);
		sys6(SYS____lwp_park60, CLOCK_MONOTONIC, 0, &t, 0, &t, 0);
	}
	sys0(SYS__lwp_exit);
	for (;;)
		;
}

static void on_usr1(int sig)
{
	(void)sig;
	usr1_calls++;
}

struct nbsd_sigaction {
	void *handler;
	uint32_t mask[4];
	int flags;
};

int test_main(int argc, char **argv, char **envp)
{
	(void)argc, (void)argv, (void)envp;
	main_id = sys0(SYS__lwp_self);
	CHECK(main_id > 0, "_lwp_self returns an id");

	/* Parking alone: timeouts, EALREADY, bad arguments. */
	struct timespec ts = {0, 20 * 1000 * 1000};
	CHECK_EQ(park(CLOCK_MONOTONIC, 0, &ts, 0, &ts), -ETIMEDOUT, "a 20 ms park times out: ETIMEDOUT (60)");
	struct timespec zero = {0, 0};
	CHECK_EQ(park(CLOCK_MONOTONIC, 0, &zero, 0, &ts), -ETIMEDOUT, "a zero relative timeout is ETIMEDOUT at once");
	struct timespec past = {1, 0};
	CHECK_EQ(park(CLOCK_MONOTONIC, TIMER_ABSTIME, &past, 0, &ts), -ETIMEDOUT, "an absolute time already past is ETIMEDOUT");
	struct timespec bad = {0, 1000 * 1000 * 1000};
	CHECK_EQ(park(CLOCK_MONOTONIC, 0, &bad, 0, &ts), -EINVAL, "tv_nsec of 1e9 is EINVAL");
	CHECK_EQ(sys2(SYS__lwp_unpark, main_id, &ts), 0, "_lwp_unpark of a running LWP (itself)");
	CHECK_EQ(park(CLOCK_MONOTONIC, 0, &ts, 0, &ts), -EALREADY, "the next park returns EALREADY (37) at once");
	CHECK_EQ(park(CLOCK_MONOTONIC, 0, &ts, 0, &ts), -ETIMEDOUT, "the unpark was used up: the next one times out");
	CHECK_EQ(sys2(SYS__lwp_unpark, 999999, &ts), -ESRCH, "_lwp_unpark of no LWP is ESRCH");
	CHECK_EQ(park(CLOCK_MONOTONIC, 0, &ts, 999999, &ts), -ESRCH, "park's unpark of no LWP is ESRCH");

	/* A new LWP from a ucontext. */
	CHECK_EQ(sys1(SYS_getcontext, uc), 0, "getcontext for a template");
	unsigned long top = (unsigned long)(child_stack + sizeof child_stack);
	UC_U32(uc, UC_FLAGS) = _UC_CPU | _UC_SIGMASK | _UC_TLSBASE;
	UC_U32(uc, UC_SIGMASK_AT) = 0;
	UC_U64(uc, UC_REG(REG_RIP)) = (unsigned long)lwp_entry;
	UC_U64(uc, UC_REG(REG_RSP)) = top - 8;
	UC_U64(uc, UC_REG(REG_RDI)) = 0x1234;
	UC_U64(uc, UC_REG(REG_R12)) = 0x5678;
	UC_U64(uc, UC_TLSBASE_AT) = (unsigned long)tls_block;

	int id = -1;
	char nocpu[UCONTEXT_SIZE];
	memcpy(nocpu, uc, sizeof nocpu);
	UC_U32(nocpu, UC_FLAGS) = _UC_SIGMASK;
	CHECK_EQ(sys3(SYS__lwp_create, nocpu, 0, &id), -EINVAL, "_lwp_create without _UC_CPU is EINVAL");
	UC_U32(nocpu, UC_FLAGS) = _UC_CPU;
	UC_U64(nocpu, UC_REG(REG_RIP)) = 0xffff800000000000UL;
	CHECK_EQ(sys3(SYS__lwp_create, nocpu, 0, &id), -EINVAL, "_lwp_create at a kernel address is EINVAL");
	CHECK_EQ(id, -1, "no id is stored when it fails");

	CHECK_EQ(sys3(SYS__lwp_create, uc, 0, &id), 0, "_lwp_create");
	CHECK(id > 0 && id != main_id, "the new LWP's id is stored and is not the creator's");
	/* Park until the new LWP has started and unparked us. */
	struct timespec second = {1, 0};
	for (int i = 0; i < 50 && !child_started; i++)
		park(CLOCK_MONOTONIC, 0, &second, 0, &main_parked_flag);
	CHECK(child_started, "the new LWP ran and unparked the creator");
	CHECK_EQ(child_arg, 0x1234, "it started with rdi from the ucontext");
	CHECK_EQ(child_r12, 0x5678, "and r12 from the ucontext");
	CHECK_EQ(child_self, id, "its _lwp_self is the id _lwp_create stored");
	CHECK_EQ(child_private, (long)tls_block, "its private pointer is the ucontext's _mc_tlsbase");
	CHECK_EQ(sys2(SYS__lwp_kill, id, 0), 0, "_lwp_kill(new LWP, 0): it exists");

	/* Wake it from its park with park's own unpark argument. */
	child_go_park = 1;
	for (int i = 0; i < 20; i++)
		sys0(SYS_sched_yield);
	struct timespec short_ts = {0, 30 * 1000 * 1000};
	CHECK_EQ(park(CLOCK_MONOTONIC, 0, &short_ts, id, &child_go_park), -ETIMEDOUT,
		 "park(unpark = new LWP) wakes it, then times out itself");
	for (int i = 0; i < 50 && !child_parked_done; i++)
		park(CLOCK_MONOTONIC, 0, &short_ts, 0, &ts);
	CHECK(child_parked_done, "the new LWP's park ended");
	CHECK(child_park_result == 0 || child_park_result == -EALREADY, "its park returned 0 (unparked), or EALREADY if the unpark came first");

	/* After _lwp_exit the LWP is gone and the process goes on. */
	long k = 0;
	for (int i = 0; i < 100; i++) {
		k = sys2(SYS__lwp_kill, id, 0);
		if (k == -ESRCH)
			break;
		park(CLOCK_MONOTONIC, 0, &short_ts, 0, &ts);
	}
	CHECK_EQ(k, -ESRCH, "after its _lwp_exit, _lwp_kill(id, 0) is ESRCH");
	CHECK_EQ(sys0(SYS__lwp_self), main_id, "the creator goes on");

	/* A signal ends a park with EINTR, even for an SA_RESTART handler
	 * (lwp_park maps ERESTART to EINTR). */
	struct nbsd_sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.handler = (void *)on_usr1;
	sa.flags = 0x2; /* SA_RESTART */
	CHECK_EQ(sys5(SYS___sigaction_sigtramp, 30, &sa, 0, nbsd_tramp, 2), 0, "a SIGUSR1 handler with SA_RESTART");
	UC_U64(uc, UC_REG(REG_RIP)) = (unsigned long)kicker_entry;
	UC_U64(uc, UC_REG(REG_RSP)) = (unsigned long)(kicker_stack + sizeof kicker_stack) - 8;
	UC_U64(uc, UC_REG(REG_RDI)) = (unsigned long)main_id;
	int kid = -1;
	CHECK_EQ(sys3(SYS__lwp_create, uc, 0, &kid), 0, "_lwp_create of an LWP that signals this one");
	long pr = 0;
	struct timespec long_ts = {2, 0};
	for (int i = 0; i < 10; i++) {
		pr = park(CLOCK_MONOTONIC, 0, &long_ts, 0, &long_ts);
		if (pr == -EINTR)
			break;
	}
	kicker_stop = 1;
	CHECK_EQ(pr, -EINTR, "a park a signal interrupts returns EINTR (4)");
	CHECK(usr1_calls > 0, "the handler ran");
	return check_done();
}
