/*
 * ptrace.c - process tracing as strace and debuggers use it: TRACEME and
 * the stop after exec, syscall stops (GET_SYSCALL_INFO, GETREGS, skipping a
 * call), PEEK/POKE of data and text (a breakpoint, single-stepping),
 * TRACEFORK and its event message, signal injection and suppression,
 * ATTACH/SEIZE/INTERRUPT/DETACH of a running child, TracerPid, errnos.
 *
 * Raw system calls throughout: musl's and glibc's wrappers differ for the
 * PEEK requests, the kernel ABI does not.
 */
#include "check.h"
#include <signal.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <sys/user.h>
#include <sys/wait.h>

#ifndef PTRACE_GET_SYSCALL_INFO
#define PTRACE_GET_SYSCALL_INFO 0x420e
#endif
#ifndef PTRACE_EVENT_STOP
#define PTRACE_EVENT_STOP 128
#endif
#ifndef __WALL
#define __WALL 0x40000000
#endif

struct syscall_info {
	uint8_t op;
	uint8_t pad[3];
	uint32_t arch;
	uint64_t instruction_pointer;
	uint64_t stack_pointer;
	union {
		struct {
			uint64_t nr;
			uint64_t args[6];
		} entry;
		struct {
			int64_t rval;
			uint8_t is_error;
		} exit;
	};
};

static long pt(long req, pid_t pid, unsigned long addr, unsigned long data)
{
	return syscall(SYS_ptrace, req, pid, addr, data);
}

static long peek(pid_t pid, unsigned long addr, long *word)
{
	return pt(PTRACE_PEEKDATA, pid, addr, (unsigned long)word);
}

static int wait_for(pid_t pid)
{
	int status = -1;
	if (waitpid(pid, &status, __WALL) != pid)
		return -1;
	return status;
}

/* Continues a tracee through its signal stops (passing the signals on)
 * until it ends; its final status. */
static int run_to_end(pid_t pid)
{
	for (int i = 0; i < 100; i++) {
		int st = wait_for(pid);
		if (!WIFSTOPPED(st))
			return st;
		pt(PTRACE_CONT, pid, 0, (st >> 16) ? 0 : WSTOPSIG(st));
	}
	return -1;
}

static int stop_sig(int status)
{
	return WIFSTOPPED(status) ? WSTOPSIG(status) : -1;
}

/* A function for the breakpoint test; noinline so it has an address. */
__attribute__((noinline)) int breakpoint_target(int x)
{
	__asm__ volatile("" ::: "memory");
	return x * 3 + 1;
}

static volatile int usr1_seen;
static void on_usr1(int sig)
{
	(void)sig;
	usr1_seen++;
}

/* Children: each starts traced and stopped. */
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

static void body_exec(void)
{
	char *argv[] = {"ptrace", "--exit7", NULL};
	char *envp[] = {NULL};
	execve("/proc/self/exe", argv, envp);
	_exit(99);
}

static void body_getpid_then_getuid(void)
{
	long pid = syscall(SYS_getpid);
	long uid = syscall(SYS_getuid);
	_exit(pid == getpid() ? (int)(uid & 0x7f) : 98);
}

static void body_breakpoint(void)
{
	_exit(breakpoint_target(13)); /* 40 */
}

static void body_fork(void)
{
	pid_t g = fork();
	if (g == 0)
		_exit(3);
	int st;
	if (waitpid(g, &st, 0) != g || !WIFEXITED(st))
		_exit(97);
	_exit(WEXITSTATUS(st) + 2); /* 5 */
}

static void body_signals(void)
{
	signal(SIGUSR1, on_usr1);
	raise(SIGUSR1); /* the tracer delivers it */
	raise(SIGUSR2); /* the tracer suppresses it (it would kill) */
	raise(SIGUSR1); /* the tracer suppresses it */
	_exit(10 + usr1_seen); /* 11 */
}

static long tracer_pid_of(pid_t pid)
{
	char path[64], buf[4096];
	snprintf(path, sizeof path, "/proc/%d/status", (int)pid);
	FILE *f = fopen(path, "r");
	if (!f)
		return -1;
	size_t n = fread(buf, 1, sizeof buf - 1, f);
	fclose(f);
	buf[n] = 0;
	char *p = strstr(buf, "TracerPid:");
	return p ? strtol(p + 10, NULL, 10) : -2;
}

static void test_exec_stop(void)
{
	pid_t pid = traced_child(body_exec);
	int st = wait_for(pid);
	CHECK_EQ(stop_sig(st), SIGSTOP, "traceme: the child's SIGSTOP is a stop its tracer sees");
	CHECK_EQ(tracer_pid_of(pid), getpid(), "traceme: /proc/<pid>/status TracerPid is the parent");
	CHECK_EQ(pt(PTRACE_CONT, pid, 0, 0), 0, "traceme: PTRACE_CONT");
	st = wait_for(pid);
	CHECK_EQ(stop_sig(st), SIGTRAP, "exec: a traced process stops with SIGTRAP after execve");
	CHECK_EQ(st >> 16, 0, "exec: no event bits without PTRACE_O_TRACEEXEC");
	CHECK_EQ(pt(PTRACE_CONT, pid, 0, 0), 0, "exec: continue (the SIGTRAP suppressed)");
	st = wait_for(pid);
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 7, "exec: the new program ran to its exit (status %#x)", st);
}

static void test_syscall_stops(void)
{
	pid_t pid = traced_child(body_getpid_then_getuid);
	int st = wait_for(pid);
	CHECK_EQ(stop_sig(st), SIGSTOP, "syscall: initial stop");
	CHECK_EQ(pt(PTRACE_SETOPTIONS, pid, 0, PTRACE_O_TRACESYSGOOD), 0, "syscall: SETOPTIONS TRACESYSGOOD");
	int saw_entry = 0, saw_exit = 0, regs_ok = 0, user_ok = 0, info_size = 0, skipped = 0;
	long exit_rval = 0;
	int entry_status = 0;
	for (int i = 0; i < 200; i++) {
		if (pt(PTRACE_SYSCALL, pid, 0, 0) != 0)
			break;
		st = wait_for(pid);
		if (!WIFSTOPPED(st))
			break;
		if (WSTOPSIG(st) != (SIGTRAP | 0x80)) {
			continue;
		}
		struct syscall_info info;
		memset(&info, 0, sizeof info);
		long size = pt(PTRACE_GET_SYSCALL_INFO, pid, sizeof info, (unsigned long)&info);
		if (info.op == 1 && info.entry.nr == SYS_getpid) {
			saw_entry = 1;
			entry_status = st;
			info_size = (int)size;
			struct user_regs_struct r;
			if (pt(PTRACE_GETREGS, pid, 0, (unsigned long)&r) == 0)
				regs_ok = r.orig_rax == SYS_getpid && (long)r.rax == -ENOSYS;
			long word = 0;
			if (pt(PTRACE_PEEKUSER, pid, offsetof(struct user_regs_struct, orig_rax), (unsigned long)&word) == 0)
				user_ok = word == SYS_getpid;
		} else if (info.op == 2 && saw_entry && !saw_exit) {
			saw_exit = 1;
			exit_rval = info.exit.rval;
		} else if (info.op == 1 && info.entry.nr == SYS_getuid) {
			/* Skip the call, and make it return 42. */
			struct user_regs_struct r;
			pt(PTRACE_GETREGS, pid, 0, (unsigned long)&r);
			r.orig_rax = -1;
			pt(PTRACE_SETREGS, pid, 0, (unsigned long)&r);
			if (pt(PTRACE_SYSCALL, pid, 0, 0) != 0)
				break;
			st = wait_for(pid);
			memset(&info, 0, sizeof info);
			pt(PTRACE_GET_SYSCALL_INFO, pid, sizeof info, (unsigned long)&info);
			if (stop_sig(st) == (SIGTRAP | 0x80) && info.op == 2 && info.exit.rval == -ENOSYS && info.exit.is_error) {
				pt(PTRACE_GETREGS, pid, 0, (unsigned long)&r);
				r.rax = 42;
				skipped = pt(PTRACE_SETREGS, pid, 0, (unsigned long)&r) == 0;
			}
			break;
		}
	}
	CHECK(saw_entry, "syscall: an entry stop for getpid, seen through GET_SYSCALL_INFO");
	CHECK_EQ(entry_status >> 8, (SIGTRAP | 0x80), "syscall: the stop status is (SIGTRAP|0x80)<<8|0x7f");
	CHECK_EQ(info_size, 80, "syscall: GET_SYSCALL_INFO reports the size of an entry");
	CHECK(regs_ok, "syscall: GETREGS at entry: orig_rax is the call, rax -ENOSYS");
	CHECK(user_ok, "syscall: PEEKUSER orig_rax at entry");
	CHECK(saw_exit, "syscall: an exit stop follows");
	CHECK_EQ(exit_rval, pid, "syscall: the exit stop's result is getpid's");
	CHECK(skipped, "syscall: orig_rax -1 skips the call (exit stop shows -ENOSYS)");
	pt(PTRACE_CONT, pid, 0, 0);
	st = wait_for(pid);
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 42, "syscall: the skipped call returned what the tracer set (status %#x)", st);
}

static void test_breakpoint(void)
{
	pid_t pid = traced_child(body_breakpoint);
	int st = wait_for(pid);
	CHECK_EQ(stop_sig(st), SIGSTOP, "breakpoint: initial stop");
	unsigned long at = (unsigned long)breakpoint_target;
	long orig = 0;
	CHECK_EQ(peek(pid, at, &orig), 0, "breakpoint: PEEKTEXT of the function");
	CHECK_EQ(orig, *(long *)breakpoint_target, "breakpoint: PEEKTEXT reads the code");
	long patched = (orig & ~0xffL) | 0xcc;
	CHECK_EQ(pt(PTRACE_POKETEXT, pid, at, patched), 0, "breakpoint: POKETEXT int3 into read-only text");
	long back = 0;
	peek(pid, at, &back);
	CHECK_EQ(back, patched, "breakpoint: the tracee's text now holds int3");
	CHECK_EQ(*(unsigned char *)breakpoint_target, (unsigned char)(orig & 0xff), "breakpoint: the tracer's own text is untouched");
	CHECK_EQ(pt(PTRACE_CONT, pid, 0, 0), 0, "breakpoint: continue");
	st = wait_for(pid);
	CHECK_EQ(stop_sig(st), SIGTRAP, "breakpoint: the tracee stops with SIGTRAP");
	struct user_regs_struct r;
	CHECK_EQ(pt(PTRACE_GETREGS, pid, 0, (unsigned long)&r), 0, "breakpoint: GETREGS");
	CHECK_EQ(r.rip, at + 1, "breakpoint: rip is just past the int3");
	CHECK_EQ(pt(PTRACE_POKETEXT, pid, at, orig), 0, "breakpoint: restore the instruction");
	r.rip = at;
	CHECK_EQ(pt(PTRACE_SETREGS, pid, 0, (unsigned long)&r), 0, "breakpoint: SETREGS rip back");
	CHECK_EQ(pt(PTRACE_SINGLESTEP, pid, 0, 0), 0, "breakpoint: SINGLESTEP");
	st = wait_for(pid);
	CHECK_EQ(stop_sig(st), SIGTRAP, "breakpoint: a single step ends in SIGTRAP");
	pt(PTRACE_GETREGS, pid, 0, (unsigned long)&r);
	CHECK(r.rip > at && r.rip < at + 16, "breakpoint: one instruction later (rip %#llx, function %#lx)", (unsigned long long)r.rip, at);
	CHECK_EQ(r.eflags & 0x100, 0, "breakpoint: the trap flag is not left set");
	struct user_fpregs_struct fp;
	CHECK_EQ(pt(PTRACE_GETFPREGS, pid, 0, (unsigned long)&fp), 0, "breakpoint: GETFPREGS");
	CHECK_EQ(fp.cwd, 0x37f, "breakpoint: the x87 control word is the default");
	CHECK_EQ(pt(PTRACE_CONT, pid, 0, 0), 0, "breakpoint: continue to the end");
	st = wait_for(pid);
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 40, "breakpoint: the function ran right after all (status %#x)", st);
}

/* What a tracer writes cannot give the tracee privilege or a return
 * address outside user space: I/O privilege in eflags is dropped, and a
 * program counter in the kernel's half or past the canonical hole ends the
 * tracee with SIGSEGV instead of returning to it. */
static void test_privileged_registers(void)
{
	static const unsigned long long bad_rip[] = {0xffffffff81000000ULL, 0x0000800000000000ULL};
	for (int i = 0; i < 2; i++) {
		pid_t pid = traced_child(body_breakpoint);
		int st = wait_for(pid);
		CHECK_EQ(stop_sig(st), SIGSTOP, "privilege: initial stop");
		struct user_regs_struct r;
		CHECK_EQ(pt(PTRACE_GETREGS, pid, 0, (unsigned long)&r), 0, "privilege: GETREGS");
		r.eflags |= 0x3000; /* IOPL 3 */
		CHECK_EQ(pt(PTRACE_SETREGS, pid, 0, (unsigned long)&r), 0, "privilege: SETREGS with IOPL 3");
		struct user_regs_struct back;
		pt(PTRACE_GETREGS, pid, 0, (unsigned long)&back);
		CHECK_EQ(back.eflags & 0x3000, 0, "privilege: IOPL is not the tracer's to give");
		r.rip = bad_rip[i];
		CHECK_EQ(pt(PTRACE_SETREGS, pid, 0, (unsigned long)&r), 0, "privilege: SETREGS rip %#llx", bad_rip[i]);
		CHECK_EQ(pt(PTRACE_CONT, pid, 0, 0), 0, "privilege: continue");
		st = wait_for(pid);
		if (stop_sig(st) == SIGSEGV) { /* a tracee sees its SIGSEGV stop first */
			pt(PTRACE_CONT, pid, 0, SIGSEGV);
			st = wait_for(pid);
		}
		CHECK(WIFSIGNALED(st) && WTERMSIG(st) == SIGSEGV, "privilege: rip %#llx ends the tracee with SIGSEGV (status %#x)", bad_rip[i], st);
	}
}

static void test_fork_event(void)
{
	pid_t pid = traced_child(body_fork);
	int st = wait_for(pid);
	CHECK_EQ(stop_sig(st), SIGSTOP, "fork: initial stop");
	CHECK_EQ(pt(PTRACE_SETOPTIONS, pid, 0, PTRACE_O_TRACEFORK), 0, "fork: SETOPTIONS TRACEFORK");
	CHECK_EQ(pt(PTRACE_SETOPTIONS, pid, 0, 1UL << 30), -1, "fork: unknown options are refused");
	CHECK_EQ(errno, EINVAL, "fork: ... with EINVAL");
	pt(PTRACE_CONT, pid, 0, 0);
	st = wait_for(pid);
	CHECK_EQ(st >> 8, SIGTRAP | (PTRACE_EVENT_FORK << 8), "fork: a PTRACE_EVENT_FORK stop");
	unsigned long msg = 0;
	CHECK_EQ(pt(PTRACE_GETEVENTMSG, pid, 0, (unsigned long)&msg), 0, "fork: GETEVENTMSG");
	pid_t g = (pid_t)msg;
	CHECK(g > 0 && g != pid, "fork: the event message is the new child's pid (%lu)", msg);
	st = wait_for(g);
	CHECK_EQ(stop_sig(st), SIGSTOP, "fork: the new child starts traced, stopped by SIGSTOP");
	CHECK_EQ(tracer_pid_of(g), getpid(), "fork: the grandchild's TracerPid is us");
	pt(PTRACE_CONT, g, 0, 0);
	pt(PTRACE_CONT, pid, 0, 0);
	st = wait_for(g);
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 3, "fork: the tracer sees the grandchild's exit (status %#x)", st);
	st = run_to_end(pid);
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 5, "fork: its real parent reaped it then (status %#x)", st);
}

static void test_signals(void)
{
	pid_t pid = traced_child(body_signals);
	int st = wait_for(pid);
	CHECK_EQ(stop_sig(st), SIGSTOP, "signals: initial stop");
	pt(PTRACE_CONT, pid, 0, 0);
	st = wait_for(pid);
	CHECK_EQ(stop_sig(st), SIGUSR1, "signals: SIGUSR1 stops the tracee first");
	siginfo_t si;
	memset(&si, 0, sizeof si);
	CHECK_EQ(pt(PTRACE_GETSIGINFO, pid, 0, (unsigned long)&si), 0, "signals: GETSIGINFO");
	CHECK_EQ(si.si_signo, SIGUSR1, "signals: siginfo names SIGUSR1");
	CHECK_EQ(si.si_pid, pid, "signals: ... sent by the tracee itself");
	pt(PTRACE_CONT, pid, 0, SIGUSR1);
	st = wait_for(pid);
	CHECK_EQ(stop_sig(st), SIGUSR2, "signals: then SIGUSR2");
	pt(PTRACE_CONT, pid, 0, 0);
	st = wait_for(pid);
	CHECK_EQ(stop_sig(st), SIGUSR1, "signals: then SIGUSR1 again");
	pt(PTRACE_CONT, pid, 0, 0);
	st = wait_for(pid);
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 11, "signals: one SIGUSR1 delivered, the others suppressed (status %#x)", st);
}

static void test_attach(void)
{
	pid_t pid = fork();
	if (pid == 0) {
		for (;;)
			pause();
	}
	CHECK_EQ(pt(PTRACE_ATTACH, pid, 0, 0), 0, "attach: PTRACE_ATTACH to a running child");
	int st = wait_for(pid);
	CHECK_EQ(stop_sig(st), SIGSTOP, "attach: it stops with SIGSTOP");
	CHECK_EQ(tracer_pid_of(pid), getpid(), "attach: TracerPid");
	CHECK_EQ(pt(PTRACE_ATTACH, pid, 0, 0), -1, "attach: attaching twice fails");
	CHECK_EQ(errno, EPERM, "attach: ... with EPERM");
	long word = 0;
	CHECK_EQ(peek(pid, 0, &word), -1, "attach: PEEKDATA at address 0 fails");
	CHECK_EQ(errno, EIO, "attach: ... with EIO");
	CHECK_EQ(pt(0x7777, pid, 0, 0), -1, "attach: an unknown request fails");
	CHECK_EQ(errno, EIO, "attach: ... with EIO");
	CHECK_EQ(pt(PTRACE_DETACH, pid, 0, 0), 0, "attach: PTRACE_DETACH");
	CHECK_EQ(tracer_pid_of(pid), 0, "attach: TracerPid 0 after detach");
	CHECK_EQ(pt(PTRACE_CONT, pid, 0, 0), -1, "attach: requests after detach fail");
	CHECK_EQ(errno, ESRCH, "attach: ... with ESRCH");
	CHECK_EQ(pt(PTRACE_SEIZE, pid, 0, PTRACE_O_TRACESYSGOOD), 0, "seize: PTRACE_SEIZE");
	CHECK_EQ(waitpid(pid, &st, WNOHANG | __WALL), 0, "seize: no stop without an interrupt");
	CHECK_EQ(pt(PTRACE_GETREGS, pid, 0, (unsigned long)&word), -1, "seize: a running tracee's registers are not there");
	CHECK_EQ(errno, ESRCH, "seize: ... ESRCH");
	CHECK_EQ(pt(PTRACE_INTERRUPT, pid, 0, 0), 0, "seize: PTRACE_INTERRUPT");
	st = wait_for(pid);
	CHECK(WIFSTOPPED(st) && WSTOPSIG(st) == SIGTRAP && (st >> 16) == PTRACE_EVENT_STOP, "seize: an event stop (status %#x)", st);
	CHECK_EQ(pt(PTRACE_DETACH, pid, 0, 0), 0, "seize: detach");
	kill(pid, SIGKILL);
	st = wait_for(pid);
	CHECK(WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL, "seize: the child runs free until killed (status %#x)", st);
}

static void test_errors(void)
{
	CHECK_EQ(pt(PTRACE_CONT, 0x3ffffff0, 0, 0), -1, "errors: CONT of no process");
	CHECK_EQ(errno, ESRCH, "errors: ... ESRCH");
	pid_t pid = fork();
	if (pid == 0) {
		for (;;)
			pause();
	}
	long word;
	CHECK_EQ(peek(pid, (unsigned long)&word, &word), -1, "errors: PEEKDATA of a child we do not trace");
	CHECK_EQ(errno, ESRCH, "errors: ... ESRCH");
	CHECK_EQ(pt(PTRACE_ATTACH, getpid(), 0, 0), -1, "errors: attaching to oneself");
	CHECK_EQ(errno, EPERM, "errors: ... EPERM");
	kill(pid, SIGKILL);
	wait_for(pid);
	pid = fork();
	if (pid == 0) {
		if (setuid(65534) != 0)
			_exit(90);
		if (pt(PTRACE_ATTACH, 1, 0, 0) != -1)
			_exit(91);
		if (errno != EPERM)
			_exit(92);
		if (pt(PTRACE_TRACEME, 0, 0, 0) != 0)
			_exit(93);
		if (pt(PTRACE_TRACEME, 0, 0, 0) != -1 || errno != EPERM)
			_exit(94);
		_exit(0);
	}
	int st = wait_for(pid);
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0, "errors: an unprivileged process may not attach to init (EPERM), TRACEME twice is EPERM (status %#x)", st);
}

int main(int argc, char **argv)
{
	if (argc > 1 && strcmp(argv[1], "--exit7") == 0)
		return 7;
	test_exec_stop();
	test_syscall_stops();
	test_breakpoint();
	test_privileged_registers();
	test_fork_event();
	test_signals();
	test_attach();
	test_errors();
	return check_done();
}
