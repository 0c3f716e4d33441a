/*
 * process.c - NetBSD process, resource and sysctl calls: fork (rax and
 * rdx on both sides), vfork and __vfork14, execve, __wait450 and its
 * status word, kill with NetBSD's signal numbers, process groups and
 * sessions, rlimits, __getrusage50, getrandom, __gettimeofday50 and
 * __sysctl (by number, CTL_QUERY, and its size and error rules).
 *
 * Every expected value comes from NetBSD's headers and kernel
 * (sys/sys/wait.h, signal.h, resource.h, sysctl.h, random.h;
 * sys/kern/kern_exit.c, kern_fork.c, kern_sysctl.c, sys_getrandom.c),
 * not from what Helctic returns.
 */
#include "nbsd.h"

/* Calls nbsd.h does not list (sys/kern/syscalls.master). */
enum {
	SYS_readlink = 58, SYS_execve = 59, SYS_vfork = 66, SYS_getpgrp = 81, SYS_setpgid = 82, SYS_getrandom = 91,
	SYS_setsid = 147, SYS_getrlimit = 194, SYS_setrlimit = 195, SYS_getpgid = 207,
	SYS___vfork14 = 282, SYS_getsid = 286, SYS___gettimeofday50 = 418,
	SYS___getrusage50 = 445, SYS___wait450 = 449,
};

/* sys/sys/wait.h */
enum { WNOHANG = 1, WUNTRACED = 2, WALTSIG = 4, WALLSIG = 8, WCONTINUED = 0x10 };
/* sys/sys/signal.h: NetBSD numbers (Linux's differ for all but KILL, TERM). */
enum { SIGKILL = 9, SIGTERM = 15, SIGSTOP = 17, SIGCONT = 19, SIGUSR1 = 30 };
/* sys/sys/resource.h */
enum { RLIMIT_NOFILE = 8, RLIMIT_NTHR = 11, RUSAGE_SELF = 0, RUSAGE_CHILDREN = -1 };
#define RLIM_INFINITY 0x7fffffffffffffffL
/* sys/sys/sysctl.h */
enum { CTL_QUERY = -2, SYSCTL_VERS_1 = 0x01000000 };

struct timespec { long tv_sec, tv_nsec; };
/* suseconds_t is an int on NetBSD. */
struct timeval { long tv_sec; int tv_usec; int pad; };
struct rlimit { unsigned long rlim_cur, rlim_max; };
struct rusage {
	struct timeval ru_utime, ru_stime;
	long ru_maxrss, ru_ixrss, ru_idrss, ru_isrss, ru_minflt, ru_majflt, ru_nswap,
		ru_inblock, ru_oublock, ru_msgsnd, ru_msgrcv, ru_nsignals, ru_nvcsw, ru_nivcsw;
};
/* struct sysctlnode (LP64): 96 bytes. */
struct sysctlnode {
	uint32_t flags;
	int32_t num;
	char name[32];
	uint32_t ver, rsvd;
	uint64_t un[2];
	uint64_t size, func, parent, desc;
};

/* fork, with rdx preset: the parent's rdx comes back 0, the child's is
 * what it was (child_return sets only rax). */
static long fork2(long *rdx)
{
	unsigned long ret;
	unsigned char carry;
	long d = 0x55;
	__asm__ volatile("syscall\n\tsetc %1"
			 : "=a"(ret), "=r"(carry), "+d"(d)
			 : "a"((long)SYS_fork)
			 : "rcx", "r11", "rdi", "rsi", "r8", "r9", "r10", "memory", "cc");
	*rdx = d;
	return carry ? -(long)ret : (long)ret;
}

/*
 * vfork (`nr`) whose child exits with `code` at once, all in one asm
 * block: the child may run on the parent's stack and must not return or
 * call.
 */
static long vfork_exit(long nr, long code, long *rdx)
{
	unsigned long ret;
	unsigned char carry;
	long d = 0x55;
	__asm__ volatile("syscall\n\t"
			 "setc %1\n\t"
			 "test %%rax, %%rax\n\t"
			 "jnz 1f\n\t"
			 "mov %4, %%rdi\n\t"
			 "mov $1, %%eax\n\t"
			 "syscall\n"
			 "1:"
			 : "=&a"(ret), "=&r"(carry), "+&d"(d)
			 : "0"(nr), "r"(code)
			 : "rcx", "r11", "rdi", "rsi", "r8", "r9", "r10", "memory", "cc");
	*rdx = d;
	return carry ? -(long)ret : (long)ret;
}

static void sleep_forever(void)
{
	struct timespec ts = { 1, 0 };
	for (;;)
		sys2(SYS___nanosleep50, &ts, 0);
}

static long wait4(long pid, int *st, long options, struct rusage *ru)
{
	return sys4(SYS___wait450, pid, st, options, ru);
}

static long sysctl(int *mib, unsigned n, void *old, size_t *oldlen, const void *new, size_t newlen)
{
	return sys6(SYS___sysctl, mib, n, old, oldlen, new, newlen);
}

static void test_fork_and_wait(void)
{
	long rdx = -1, status = -1;
	struct rusage ru;
	long pid = fork2(&rdx);
	if (pid == 0)
		sys1(SYS_exit, rdx == 0x55 ? 7 : 99); /* the child: rax 0, rdx untouched */
	CHECK(pid > 0, "fork returns the child's pid in the parent");
	CHECK_EQ(rdx, 0, "fork leaves rdx 0 in the parent (retval[1])");
	memset(&ru, 0xff, sizeof ru);
	int st = -1;
	CHECK_EQ(wait4(pid, &st, 0, &ru), pid, "__wait450 returns the child");
	status = st;
	CHECK_EQ(status, 7 << 8, "the child saw rax 0 with rdx as it was, and its exit(7) is 7<<8");
	CHECK(ru.ru_utime.tv_usec >= 0 && ru.ru_utime.tv_usec < 1000000 && ru.ru_stime.tv_usec < 1000000,
	      "__wait450 fills a struct rusage");
	CHECK(ru.ru_ixrss == 0 && ru.ru_nswap == 0, "rusage's unkept counters are 0");
}

static void test_killed(int sig, const char *what)
{
	long rdx;
	int st = -1;
	long pid = fork2(&rdx);
	if (pid == 0)
		sleep_forever();
	CHECK_EQ(sys2(SYS_kill, pid, sig), 0, "kill a child");
	CHECK_EQ(wait4(pid, &st, 0, 0), pid, "__wait450 reaps it");
	CHECK_EQ(st, sig, what);
}

static void test_wnohang_stop_continue(void)
{
	long rdx;
	int st = 12345;
	long pid = fork2(&rdx);
	if (pid == 0)
		sleep_forever();
	CHECK_EQ(wait4(pid, &st, WNOHANG, 0), 0, "WNOHANG with a live child returns 0");
	CHECK_EQ(st, 12345, "and leaves the status alone");
	CHECK_EQ(wait4(pid, &st, WALTSIG, 0), -ECHILD, "WALTSIG: no child ends with another signal than SIGCHLD");
	CHECK_EQ(sys2(SYS_kill, pid, SIGSTOP), 0, "kill SIGSTOP (17)");
	CHECK_EQ(wait4(pid, &st, WUNTRACED, 0), pid, "WUNTRACED sees the stop");
	CHECK_EQ(st, SIGSTOP << 8 | 0177, "stopped: 17<<8 | 0177");
	CHECK_EQ(sys2(SYS_kill, pid, SIGCONT), 0, "kill SIGCONT (19)");
	CHECK_EQ(wait4(pid, &st, WCONTINUED | WALLSIG, 0), pid, "WCONTINUED (0x10) sees it continue");
	CHECK_EQ(st, 0xffff, "continued: 0xffff (_WCONTINUED)");
	CHECK_EQ(sys2(SYS_kill, pid, SIGKILL), 0, "kill SIGKILL");
	CHECK_EQ(wait4(-1, &st, 0, 0), pid, "__wait450(-1) reaps it");
	CHECK_EQ(st, SIGKILL, "killed: 9");
	CHECK_EQ(wait4(-1, &st, 0, 0), -ECHILD, "no children: ECHILD (10)");
	CHECK_EQ(wait4(-1, &st, WNOHANG, 0), -ECHILD, "no children with WNOHANG: ECHILD");
	CHECK_EQ(wait4(-1, &st, 0x80, 0), -EINVAL, "an unknown option is EINVAL");
	CHECK_EQ(wait4(-1, &st, 0x20000, 0), -EINVAL, "WNOZOMBIE is the kernel's own: EINVAL");
}

static void test_vfork(void)
{
	long rdx = -1;
	int st = -1;
	long pid = vfork_exit(SYS___vfork14, 5, &rdx);
	CHECK(pid > 0, "__vfork14 returns the child's pid");
	CHECK_EQ(rdx, 0, "__vfork14 leaves rdx 0 in the parent");
	CHECK_EQ(wait4(pid, &st, 0, 0), pid, "__wait450 reaps the __vfork14 child");
	CHECK_EQ(st, 5 << 8, "the __vfork14 child's exit(5)");
	pid = vfork_exit(SYS_vfork, 6, &rdx);
	CHECK(pid > 0, "vfork (66) returns the child's pid");
	CHECK_EQ(wait4(pid, &st, 0, 0), pid, "__wait450 reaps the vfork child");
	CHECK_EQ(st, 6 << 8, "the vfork child's exit(6)");
}

static void test_exec(char **argv)
{
	long rdx;
	int st = -1;
	char *args[] = { argv[0], "child", 0 };
	char *env[] = { "HELCTIC_NB=exec", 0 };
	long pid = fork2(&rdx);
	if (pid == 0) {
		sys3(SYS_execve, argv[0], args, env);
		sys1(SYS_exit, 100);
	}
	CHECK_EQ(wait4(pid, &st, 0, 0), pid, "__wait450 reaps the exec'd child");
	CHECK_EQ(st, 42 << 8, "execve runs the program with argv[1] \"child\" and the new environment");
	CHECK_EQ(sys3(SYS_execve, "/nonexistent/program", args, env), -ENOENT, "execve of a missing path: ENOENT");
	CHECK_EQ(sys3(SYS_execve, argv[0], 0, env), -EINVAL, "execve with a NULL argv: EINVAL");
	CHECK_EQ(sys3(SYS_execve, "/nonexistent/program", 0, env), -ENOENT,
		 "a missing program with a NULL argv: ENOENT (the program is looked up first)");
}

static const char *base_name(const char *p)
{
	const char *b = p;
	for (; *p; p++)
		if (*p == '/')
			b = p + 1;
	return b;
}

/* procfs's /proc/curproc/exe names the running program (Go's
 * os.Executable reads it). */
static void test_curproc(char **argv)
{
	char link[256];
	const char *want = base_name(argv[0]);
	size_t w = nbsd_strlen(want);
	memset(link, 0, sizeof link);
	long n = sys3(SYS_readlink, "/proc/curproc/exe", link, sizeof link - 1);
	CHECK(n > 0 && link[0] == '/', "readlink /proc/curproc/exe gives an absolute path");
	CHECK(n >= (long)w && nbsd_streq(link + n - w, want), "naming this program");
}

static void test_groups(void)
{
	long rdx;
	int st = -1;
	long me = sys0(SYS_getpid);
	long pgrp = sys0(SYS_getpgrp);
	CHECK(pgrp > 0, "getpgrp");
	CHECK_EQ(sys1(SYS_getpgid, 0), pgrp, "getpgid(0) is getpgrp()");
	CHECK_EQ(sys1(SYS_getpgid, me), pgrp, "getpgid(getpid())");
	CHECK(sys1(SYS_getsid, 0) > 0, "getsid(0)");
	CHECK_EQ(sys2(SYS_setpgid, 0, -1), -EINVAL, "setpgid to a negative group: EINVAL");
	long pid = fork2(&rdx);
	if (pid == 0) {
		long self = sys0(SYS_getpid);
		int ok = sys0(SYS_setsid) == self && sys0(SYS_getpgrp) == self && sys1(SYS_getsid, 0) == self &&
			 sys0(SYS_setsid) == -EPERM;
		sys1(SYS_exit, ok ? 0 : 1);
	}
	CHECK_EQ(wait4(pid, &st, 0, 0), pid, "reap the setsid child");
	CHECK_EQ(st, 0, "setsid in a child: a new session and group it leads; again EPERM");
	CHECK_EQ(sys2(SYS_kill, me, 0), 0, "kill(self, 0) checks only");
	CHECK_EQ(sys2(SYS_kill, me, 64), -EINVAL, "kill with signal 64 (NSIG): EINVAL");
	CHECK_EQ(sys2(SYS_kill, me, -1), -EINVAL, "kill with a negative signal: EINVAL");
}

static void test_limits(void)
{
	struct rlimit rl = { 5, 5 }, back;
	struct rusage ru;
	CHECK_EQ(sys2(SYS_getrlimit, RLIMIT_NOFILE, &rl), 0, "getrlimit(RLIMIT_NOFILE)");
	CHECK(rl.rlim_cur <= rl.rlim_max, "soft <= hard");
	struct rlimit lower = { 64, rl.rlim_max };
	CHECK_EQ(sys2(SYS_setrlimit, RLIMIT_NOFILE, &lower), 0, "setrlimit lowers the soft limit");
	CHECK_EQ(sys2(SYS_getrlimit, RLIMIT_NOFILE, &back), 0, "getrlimit again");
	CHECK_EQ(back.rlim_cur, 64, "the lowered soft limit reads back");
	CHECK_EQ(back.rlim_max, rl.rlim_max, "the hard limit stays");
	struct rlimit upside = { 100, 50 };
	CHECK_EQ(sys2(SYS_setrlimit, RLIMIT_NOFILE, &upside), -EINVAL, "soft above hard: EINVAL (dosetrlimit)");
	CHECK_EQ(sys2(SYS_setrlimit, RLIMIT_NOFILE, &rl), 0, "setrlimit restores it");
	CHECK_EQ(sys2(SYS_getrlimit, RLIMIT_NTHR, &back), 0, "getrlimit(RLIMIT_NTHR, 11)");
	CHECK_EQ(sys2(SYS_getrlimit, 12, &back), -EINVAL, "getrlimit at RLIM_NLIMITS (12): EINVAL");
	CHECK_EQ(sys2(SYS___getrusage50, RUSAGE_SELF, &ru), 0, "__getrusage50(RUSAGE_SELF)");
	CHECK(ru.ru_utime.tv_usec < 1000000 && ru.ru_maxrss >= 0, "a sane struct rusage");
	CHECK_EQ(sys2(SYS___getrusage50, RUSAGE_CHILDREN, &ru), 0, "__getrusage50(RUSAGE_CHILDREN)");
	CHECK_EQ(sys2(SYS___getrusage50, 1, &ru), -EINVAL, "__getrusage50(1): EINVAL (no RUSAGE_THREAD)");
}

static void test_random_and_time(void)
{
	unsigned char buf[128];
	struct timeval tv = { -1, -1, -1 };
	int nonzero = 0;
	long n;
	memset(buf, 0, sizeof buf);
	CHECK_EQ(sys3(SYS_getrandom, buf, 32, 0), 32, "getrandom fills 32 bytes");
	for (int i = 0; i < 32; i++)
		nonzero |= buf[i];
	CHECK(nonzero, "and they are not all zero");
	CHECK_EQ(sys3(SYS_getrandom, buf, 8, 1 | 4), 8, "GRND_NONBLOCK|GRND_INSECURE are accepted");
	CHECK_EQ(sys3(SYS_getrandom, buf, 8, 2 | 4), -EINVAL, "GRND_RANDOM with GRND_INSECURE: EINVAL");
	CHECK_EQ(sys3(SYS_getrandom, buf, 8, 8), -EINVAL, "an unknown getrandom flag: EINVAL");
	n = sys3(SYS_getrandom, buf, sizeof buf, 2);
	CHECK(n > 0 && n <= 55, "GRND_RANDOM gives at most one seed's worth (55 bytes)");
	CHECK_EQ(sys2(SYS___gettimeofday50, &tv, 0), 0, "__gettimeofday50");
	CHECK(tv.tv_sec > 0 && tv.tv_usec >= 0 && tv.tv_usec < 1000000, "a sane timeval");
}

/* The number of `name` among the nodes CTL_QUERY lists under `mib`, or -1. */
static int query_number(int *mib, unsigned n, const char *name)
{
	static struct sysctlnode nodes[32];
	struct sysctlnode q;
	int m[12];
	size_t len = 0;
	unsigned i;
	memset(&q, 0, sizeof q);
	q.flags = SYSCTL_VERS_1;
	for (i = 0; i < n; i++)
		m[i] = mib[i];
	m[n] = CTL_QUERY;
	if (sysctl(m, n + 1, 0, &len, &q, sizeof q) != 0 || len % sizeof q != 0 || len > sizeof nodes)
		return -1;
	if (sysctl(m, n + 1, nodes, &len, &q, sizeof q) != 0)
		return -1;
	for (i = 0; i < len / sizeof q; i++)
		if (nbsd_streq(nodes[i].name, name))
			return nodes[i].num;
	return -1;
}

static void test_sysctl(void)
{
	char buf[256];
	int mib[13];
	int v = -1;
	size_t len;
	int ostype[2] = { 1, 1 };

	CHECK_EQ(sizeof(struct sysctlnode), 96, "struct sysctlnode is 96 bytes");
	len = sizeof buf;
	CHECK_EQ(sysctl(ostype, 2, buf, &len, 0, 0), 0, "kern.ostype");
	CHECK(nbsd_streq(buf, "NetBSD"), "kern.ostype is \"NetBSD\"");
	CHECK_EQ(len, 7, "with its NUL");

	len = 0;
	CHECK_EQ(sysctl(ostype, 2, 0, &len, 0, 0), 0, "a null old buffer asks for the size");
	CHECK_EQ(len, 7, "the size needed");

	memset(buf, 0, sizeof buf);
	len = 3;
	CHECK_EQ(sysctl(ostype, 2, buf, &len, 0, 0), -ENOMEM, "a short buffer: ENOMEM (12)");
	CHECK(buf[0] == 'N' && buf[2] == 't' && buf[3] == 0, "what fits is copied");
	CHECK_EQ(len, 7, "and the whole size is reported (NetBSD's sysctl_lookup)");

	len = sizeof buf;
	CHECK_EQ(sysctl(ostype, 2, buf, &len, "x", 1), -EPERM, "writing a read-only node: EPERM");
	CHECK_EQ(sysctl(ostype, 0, buf, &len, 0, 0), -EINVAL, "a name of no numbers: EINVAL");
	CHECK_EQ(sysctl(mib, 13, buf, &len, 0, 0), -EINVAL, "a name of 13 numbers (CTL_MAXNAME 12): EINVAL");
	CHECK_EQ(sysctl(ostype, 1, buf, &len, 0, 0), -EINVAL, "kern itself cannot be looked up: EINVAL");
	int past[3] = { 1, 1, 1 };
	CHECK_EQ(sysctl(past, 3, buf, &len, 0, 0), -ENOTDIR, "a number past a leaf: ENOTDIR");
	int unknown[2] = { 1, 9999 };
	CHECK_EQ(sysctl(unknown, 2, buf, &len, 0, 0), -ENOENT, "an unknown number: ENOENT");

	int osrelease[2] = { 1, 2 }, osrev[2] = { 1, 3 }, argmax[2] = { 1, 8 };
	len = sizeof buf;
	CHECK_EQ(sysctl(osrelease, 2, buf, &len, 0, 0), 0, "kern.osrelease");
	CHECK(nbsd_streq(buf, "10.0"), "kern.osrelease is 10.0, the release the ELF note claims");
	len = sizeof v;
	CHECK_EQ(sysctl(osrev, 2, &v, &len, 0, 0), 0, "kern.osrevision");
	CHECK_EQ(v, 1000000000, "kern.osrevision is __NetBSD_Version__ 1000000000");
	len = sizeof v;
	CHECK_EQ(sysctl(argmax, 2, &v, &len, 0, 0), 0, "kern.argmax");
	CHECK_EQ(v, 256 * 1024, "kern.argmax is ARG_MAX, 256 KiB");

	int pagesize[2] = { 6, 7 }, ncpu[2] = { 6, 3 }, online[2] = { 6, 16 };
	int machine[2] = { 6, 1 }, arch[2] = { 6, 10 }, physmem64[2] = { 6, 13 };
	len = sizeof v;
	CHECK_EQ(sysctl(pagesize, 2, &v, &len, 0, 0), 0, "hw.pagesize");
	CHECK_EQ(v, 4096, "hw.pagesize is 4096");
	int cpus = -1, on = -1;
	len = sizeof cpus;
	CHECK_EQ(sysctl(ncpu, 2, &cpus, &len, 0, 0), 0, "hw.ncpu");
	CHECK(cpus >= 1, "hw.ncpu >= 1");
	len = sizeof on;
	CHECK_EQ(sysctl(online, 2, &on, &len, 0, 0), 0, "hw.ncpuonline (16), Go's first choice");
	CHECK_EQ(on, cpus, "every CPU is online");
	len = sizeof buf;
	CHECK(sysctl(machine, 2, buf, &len, 0, 0) == 0 && nbsd_streq(buf, "amd64"), "hw.machine is amd64");
	len = sizeof buf;
	CHECK(sysctl(arch, 2, buf, &len, 0, 0) == 0 && nbsd_streq(buf, "x86_64"), "hw.machine_arch (10) is x86_64");
	unsigned long mem = 0;
	len = sizeof mem;
	CHECK(sysctl(physmem64, 2, &mem, &len, 0, 0) == 0 && len == 8 && mem > 1024 * 1024, "hw.physmem64 is a quad");

	unsigned char rnd[16];
	memset(rnd, 0, sizeof rnd);
	int arandom[2] = { 1, 81 };
	len = sizeof rnd;
	CHECK_EQ(sysctl(arandom, 2, rnd, &len, 0, 0), 0, "kern.arandom (81)");
	int any = 0;
	for (int i = 0; i < 16; i++)
		any |= rnd[i];
	CHECK(len == 16 && any, "kern.arandom fills 16 random bytes");
	static unsigned char big[300];
	len = sizeof big;
	CHECK_EQ(sysctl(arandom, 2, big, &len, 0, 0), -E2BIG, "kern.arandom of more than 256 bytes: E2BIG");

	struct timespec bt = { -1, -1 };
	struct timeval now;
	int boottime[2] = { 1, 83 };
	len = sizeof bt;
	sys2(SYS___gettimeofday50, &now, 0);
	CHECK_EQ(sysctl(boottime, 2, &bt, &len, 0, 0), 0, "kern.boottime (83)");
	CHECK(len == 16 && bt.tv_sec > 0 && bt.tv_sec <= now.tv_sec && bt.tv_nsec < 1000000000,
	      "a timespec before now");

	/* CTL_QUERY, as Go's syscall.Sysctl turns "kern.hostname" into numbers. */
	int root[1];
	CHECK_EQ(query_number(root, 0, "kern"), 1, "CTL_QUERY at the top lists kern as 1");
	CHECK_EQ(query_number(root, 0, "hw"), 6, "and hw as 6");
	int kern[1] = { 1 };
	CHECK_EQ(query_number(kern, 1, "hostname"), 10, "CTL_QUERY under kern lists hostname as 10");
	CHECK_EQ(query_number(kern, 1, "arandom"), 81, "and arandom as 81");
	int q[2] = { 1, CTL_QUERY };
	len = 0;
	CHECK_EQ(sysctl(q, 2, 0, &len, 0, 0), -EINVAL, "CTL_QUERY without a query node: EINVAL");
	struct sysctlnode qn, one;
	memset(&qn, 0, sizeof qn);
	qn.flags = SYSCTL_VERS_1;
	len = sizeof one;
	CHECK_EQ(sysctl(q, 2, &one, &len, &qn, sizeof qn), -ENOMEM, "CTL_QUERY into room for one node: ENOMEM");
	CHECK(len > sizeof one && len % 96 == 0, "with the size of them all");
	CHECK_EQ(one.flags & 0xf, 3, "the first node of kern, ostype, is a CTLTYPE_STRING");
	int hostname[2] = { 1, 10 };
	len = sizeof buf;
	CHECK_EQ(sysctl(hostname, 2, buf, &len, 0, 0), 0, "kern.hostname by the number CTL_QUERY gave");
	CHECK_EQ(len, nbsd_strlen(buf) + 1, "a string with its NUL");
}

int test_main(int argc, char **argv, char **envp)
{
	if (argc > 1 && nbsd_streq(argv[1], "child"))
		return envp[0] && nbsd_streq(envp[0], "HELCTIC_NB=exec") && !envp[1] ? 42 : 43;
	test_fork_and_wait();
	test_killed(SIGTERM, "killed by SIGTERM: status 15");
	test_killed(SIGUSR1, "killed by SIGUSR1: status 30, NetBSD's number");
	test_wnohang_stop_continue();
	test_vfork();
	test_exec(argv);
	test_curproc(argv);
	test_groups();
	test_limits();
	test_random_and_time();
	test_sysctl();
	return check_done();
}
